package dev.llmops.inference.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.llmops.core.ContextTooLongException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.inference.ExecutionProvider;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.internal.OrtSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local decoder-only language model on ONNX Runtime, as a core {@link ChatModel}: the router, evaluation and
 * guardrails use it exactly as a remote model. Generation runs on one scheduler thread per model with a paged
 * key/value cache and continuous batching (see {@link Scheduling}); callers block on their own threads and receive
 * their tokens as they are produced.
 *
 * <p>The model directory holds an ONNX export in Hugging Face Optimum's text-generation-with-past layout
 * ({@code model.onnx}, or {@code decoder_model_merged.onnx}), {@code tokenizer.json}, and optionally
 * {@code config.json}, {@code generation_config.json} and {@code tokenizer_config.json} (context length,
 * end-of-sequence ids, default sampling, chat template). {@link SyntheticDecoder} writes a small one.
 *
 * <pre>{@code
 * try (OnnxChatModel model = OnnxChatModel.builder().directory(Path.of("models/qwen2.5-0.5b-instruct")).build()) {
 *   ChatResponse answer = model.stream(ChatRequest.of("Say hello"), System.out::print);
 *   GenerationResult raw = model.generate(GenerationRequest.of("Once upon a time",
 *       SamplingParameters.sampled(64, 0.7).withTopP(0.9).withSeed(42L)));
 * }
 * }</pre>
 *
 * <p>{@link ChatRequest} maps onto {@link SamplingParameters}: {@code maxTokens} (default: the model's
 * {@code max_new_tokens}, at most what the context leaves), {@code temperature}, {@code topP}, {@code seed},
 * {@code stop}, the presence and frequency penalties; top-k and the repetition penalty come from
 * {@code generation_config.json}. {@code model} may name a loaded LoRA adapter (then that variant answers) or the
 * model itself. Tools and JSON response formats are refused: nothing here constrains the output. Thread-safe;
 * {@link #close()} fails requests still running with {@code UnavailableException}.
 */
public final class OnnxChatModel implements ChatModel, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxChatModel.class);
  private static final List<String> MODEL_FILES = List.of("model.onnx", "decoder_model_merged.onnx",
      "decoder_with_past_model.onnx");

  private final String id;
  private final DecoderDescriptor descriptor;
  private final DecoderSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final @Nullable ChatTemplate template;
  private final Adapters adapters;
  private final GenerationScheduler scheduler;
  private final MeterRegistry meters;
  private final List<Meter> registered = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong responses = new AtomicLong();

  private OnnxChatModel(Builder b) {
    Path dir = Objects.requireNonNull(b.directory, "directory");
    if (!Files.isDirectory(dir)) {
      throw new NotFoundException("model directory " + dir + " does not exist");
    }
    this.id = b.id != null ? b.id : String.valueOf(dir.toAbsolutePath().normalize().getFileName());
    this.meters = b.meters;
    Path modelFile = null;
    for (String name : MODEL_FILES) {
      if (Files.isRegularFile(dir.resolve(name))) {
        modelFile = dir.resolve(name);
        break;
      }
    }
    if (modelFile == null) {
      throw new NotFoundException("model directory " + dir + " has none of " + MODEL_FILES);
    }
    Path tokenizerFile = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new NotFoundException("model directory " + dir + " has no tokenizer.json");
    }
    OrtSessions.Opened opened = OrtSessions.open(modelFile, b.execution, id, modelFile.toString(), meters);
    HuggingFaceTokenizer tok = null;
    DecoderSession created;
    try {
      created = new DecoderSession(id, opened.session(), opened.provider());
    } catch (RuntimeException e) {
      try {
        opened.session().close();
      } catch (ai.onnxruntime.OrtException ignored) {
        // the layout error is the one to report
      }
      throw e;
    }
    Adapters loaded = new Adapters(id, modelFile);
    try {
      tok = HuggingFaceTokenizer.newInstance(tokenizerFile, Map.of("addSpecialTokens", "false", "truncation",
          "false", "padding", "false"));
      this.descriptor = DecoderDescriptor.read(dir, created.layers(), created.kvHeads(), created.headDim(),
          created.vocabulary(), Integer.MAX_VALUE, b.chatTemplate);
      this.template = descriptor.chatTemplate() == null ? null : ChatTemplate.of(descriptor.chatTemplate());
      for (Map.Entry<String, Path> adapter : b.adapters.entrySet()) {
        loaded.load(adapter.getKey(), adapter.getValue());
      }
    } catch (IOException e) {
      closeAll(created, tok, loaded);
      throw new CorruptDataException("cannot read the tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(created, tok, loaded);
      throw e;
    }
    this.session = created;
    this.tokenizer = tok;
    this.adapters = loaded;
    Timer ttft = Timer.builder("llmops.generation.time.to.first.token").description("submission to first token")
        .tag("model", id).publishPercentiles(0.5, 0.99).register(meters);
    Timer latency = Timer.builder("llmops.generation.latency").description("submission to the end of a sequence")
        .tag("model", id).publishPercentiles(0.5, 0.99).register(meters);
    Counter generated = Counter.builder("llmops.generation.tokens").description("tokens generated")
        .tag("model", id).tag("type", "generated").register(meters);
    Counter fed = Counter.builder("llmops.generation.tokens").description("tokens fed to the model")
        .tag("model", id).tag("type", "fed").register(meters);
    registered.addAll(List.of(ttft, latency, generated, fed));
    GenerationScheduler started;
    try {
      started = new GenerationScheduler(id, session, b.scheduler, descriptor.eosTokenIds(),
          descriptor.contextLength(), adapters, new GenerationScheduler.Listener() {
            @Override
            public void firstToken(long nanosSinceSubmit) {
              ttft.record(nanosSinceSubmit, TimeUnit.NANOSECONDS);
            }

            @Override
            public void finished(GenerationResult result) {
              latency.record(result.latency());
              generated.increment(result.generatedTokens());
            }

            @Override
            public void step(int rows, int tokens, long nanos) {
              fed.increment(tokens);
            }
          });
    } catch (RuntimeException e) {
      registered.forEach(meters::remove);
      closeAll(session, tokenizer, adapters);
      throw e;
    }
    this.scheduler = started;
    registered.add(Gauge.builder("llmops.generation.sequences", scheduler, s -> s.stats().running())
        .description("sequences running or queued").tag("model", id).tag("state", "running").register(meters));
    registered.add(Gauge.builder("llmops.generation.sequences", scheduler, s -> s.stats().queued())
        .description("sequences running or queued").tag("model", id).tag("state", "queued").register(meters));
    registered.add(Gauge.builder("llmops.generation.kv.blocks", scheduler, s -> s.stats().kvBlocksUsed())
        .description("key/value cache blocks").tag("model", id).tag("state", "used").register(meters));
    registered.add(Gauge.builder("llmops.generation.kv.blocks", scheduler,
            s -> s.stats().kvBlocksTotal() - s.stats().kvBlocksUsed())
        .description("key/value cache blocks").tag("model", id).tag("state", "free").register(meters));
    LOG.info("loaded decoder '{}' on {} ({} layers, {} kv heads x {}, vocabulary {}, context {}, {} cache blocks of "
        + "{} tokens, {} scheduling{})", id, opened.provider(), descriptor.layers(), descriptor.kvHeads(),
        descriptor.headDim(), descriptor.vocabularySize(), descriptor.contextLength(), scheduler.totalBlocks(),
        scheduler.blockTokens(), b.scheduler.scheduling(), adapters.names().isEmpty() ? "" : ", adapters " + adapters.names());
  }

  private static void closeAll(DecoderSession session, @Nullable HuggingFaceTokenizer tokenizer, Adapters adapters) {
    adapters.close();
    if (tokenizer != null) {
      tokenizer.close();
    }
    session.close();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model's name (the directory name unless the builder set one). */
  public String id() {
    return id;
  }

  /** Shape, context, special tokens, defaults and chat template. */
  public DecoderDescriptor descriptor() {
    return descriptor;
  }

  /** Where ONNX Runtime runs the model (the CPU after a fallback). */
  public ExecutionProvider provider() {
    return session.provider();
  }

  /** Names of the loaded LoRA adapters. */
  public Set<String> adapters() {
    return adapters.names();
  }

  /**
   * Loads a LoRA adapter while the model serves; requests may name it as soon as this returns. The adapter file is
   * in ONNX Runtime's adapter format; every parameter must be a LoRA input of the model (an input with a default,
   * such as {@code <layer>.lora_A} / {@code lora_B}) with a matching shape.
   *
   * @throws dev.llmops.core.ConflictException when the name is taken
   * @throws InvalidRequestException when the adapter does not fit the model (the message names the parameter)
   * @throws CorruptDataException when the file is not a readable adapter file
   * @throws NotFoundException when the file does not exist
   */
  public void loadAdapter(String name, Path file) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("adapter names must not be blank");
    }
    if (name.equals(id)) {
      throw new IllegalArgumentException("an adapter cannot be named like the model ('" + id + "')");
    }
    adapters.load(name, file);
    LOG.info("model '{}': loaded adapter '{}' from {}", id, name, file);
  }

  /**
   * Unloads a LoRA adapter: new requests naming it fail with {@code NotFoundException}; sequences already using it
   * finish with it, and it is freed after the last one.
   *
   * @throws NotFoundException when no such adapter is loaded
   */
  public void unloadAdapter(String name) {
    adapters.unload(name);
    adapters.closeUnused();
    LOG.info("model '{}': unloaded adapter '{}'", id, name);
  }

  /** The engine's state and counters now. */
  public GenerationStats stats() {
    return scheduler.stats();
  }

  /** The token ids of {@code text}, with no special tokens added. */
  public int[] tokenize(String text) {
    long[] ids = tokenizer.encode(text).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  /** The text of {@code ids}, special tokens skipped. */
  public String detokenize(int[] ids) {
    long[] wide = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      wide[i] = ids[i];
    }
    return tokenizer.decode(wide, true);
  }

  /**
   * The prompt text for a conversation, by the model's chat template, ending with the assistant's turn.
   *
   * @throws InvalidRequestException when the model has no template or the template refuses the conversation
   */
  public String applyChatTemplate(ChatRequest request) {
    if (template == null) {
      throw new InvalidRequestException("model '" + id + "' has no chat template (tokenizer_config.json has no "
          + "chat_template); give one with OnnxChatModel.Builder#chatTemplate, or call generate() with a prompt");
    }
    return template.render(request.messages(), true, descriptor.bosToken(), descriptor.eosToken());
  }

  /**
   * Generates a completion, blocking until it ends.
   *
   * @throws ContextTooLongException when the prompt and {@code maxNewTokens} exceed the context and the request
   *     does not allow truncation
   * @throws InvalidRequestException when the request cannot fit the cache even alone, or a token id is out of range
   * @throws NotFoundException when the adapter is not loaded
   * @throws dev.llmops.core.RateLimitedException when the queue is full
   * @throws IllegalStateException when the model is closed
   */
  public GenerationResult generate(GenerationRequest request) {
    return generate(request, null);
  }

  /**
   * Generates a completion, handing each piece of text to {@code listener} on this thread as it is produced.
   * Pieces never split a character. When the listener cancels, the result so far comes back with
   * {@code CANCELLED} and the sequence's cache is freed at the next step.
   *
   * @param listener receives the pieces, or {@code null}
   * @throws dev.llmops.core.CancelledException when this thread is interrupted while waiting
   */
  public GenerationResult generate(GenerationRequest request, @Nullable StreamListener listener) {
    if (closed.get()) {
      throw new IllegalStateException("model '" + id + "' is closed");
    }
    int[] prompt = request.promptTokens() != null ? request.promptTokens() : tokenize(Objects.requireNonNull(
        request.prompt()));
    if (prompt.length == 0) {
      throw new InvalidRequestException("the prompt has no tokens");
    }
    for (int token : prompt) {
      if (token < 0 || token >= descriptor.vocabularySize()) {
        throw new InvalidRequestException("prompt token id " + token + " is outside the vocabulary of model '" + id
            + "' (0.." + (descriptor.vocabularySize() - 1) + ")");
      }
    }
    SamplingParameters sampling = request.sampling();
    int context = descriptor.contextLength();
    if (sampling.maxNewTokens() >= context) {
      throw new ContextTooLongException("maxNewTokens " + sampling.maxNewTokens() + " leaves no room for a prompt "
          + "in the context of " + context + " tokens of model '" + id + "'");
    }
    if (prompt.length + sampling.maxNewTokens() > context) {
      if (!request.truncatePrompt()) {
        throw new ContextTooLongException("the prompt has " + prompt.length + " tokens; with maxNewTokens "
            + sampling.maxNewTokens() + " that exceeds the context of " + context + " tokens of model '" + id
            + "' (shorten the prompt, lower maxNewTokens, or allow truncation)");
      }
      prompt = Arrays.copyOfRange(prompt, prompt.length - (context - sampling.maxNewTokens()), prompt.length);
    }
    int blocks = (prompt.length + sampling.maxNewTokens() + scheduler.blockTokens() - 1) / scheduler.blockTokens();
    if (blocks > scheduler.totalBlocks()) {
      throw new InvalidRequestException("a prompt of " + prompt.length + " tokens plus maxNewTokens "
          + sampling.maxNewTokens() + " needs " + blocks + " key/value cache blocks but the cache of model '" + id
          + "' holds " + scheduler.totalBlocks() + " (raise SchedulerSettings.kvCacheBytes or lower maxNewTokens)");
    }
    Set<Integer> ending = new java.util.HashSet<>(descriptor.eosTokenIds());
    ending.addAll(sampling.stopTokenIds()); // minNewTokens holds back every token that would end the answer
    Sampler sampler = new Sampler(sampling, ending, descriptor.vocabularySize(), prompt);
    TextStream text = new TextStream(this::detokenize, sampling.stopSequences());
    Adapters.Entry adapter = adapters.acquire(request.adapter());
    Generation g = new Generation(prompt, sampling, sampler, text, adapter, System.nanoTime(), scheduler::wake);
    try {
      scheduler.submit(g);
    } catch (RuntimeException e) {
      Adapters.release(adapter);
      throw e;
    }
    return g.await(listener);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return respond(request, null);
  }

  @Override
  public ChatResponse stream(ChatRequest request, StreamListener listener) {
    return respond(request, Objects.requireNonNull(listener, "listener"));
  }

  private ChatResponse respond(ChatRequest request, @Nullable StreamListener listener) {
    if (!request.tools().isEmpty()) {
      throw new InvalidRequestException("model '" + id + "' runs locally and does not call tools; send the request "
          + "without tools");
    }
    if (!(request.responseFormat() instanceof ResponseFormat.Text)) {
      throw new InvalidRequestException("model '" + id + "' cannot constrain its output to JSON; send the request "
          + "with the text response format");
    }
    String adapter = null;
    if (request.model() != null && !request.model().equals(id)) {
      if (!adapters.names().contains(request.model())) {
        throw new NotFoundException("model '" + id + "' cannot answer as '" + request.model() + "'; it answers as '"
            + id + "' or one of its adapters " + adapters());
      }
      adapter = request.model();
    }
    int[] prompt = tokenize(applyChatTemplate(request));
    SamplingParameters defaults = descriptor.defaults();
    int room = descriptor.contextLength() - prompt.length;
    int maxNew;
    if (request.maxTokens() != null) {
      maxNew = request.maxTokens();
    } else if (room < 1) {
      throw new ContextTooLongException("the conversation has " + prompt.length + " tokens, the whole context of "
          + descriptor.contextLength() + " tokens of model '" + id + "'");
    } else {
      maxNew = Math.min(defaults.maxNewTokens(), room);
    }
    double temperature = request.temperature() != null ? request.temperature() : defaults.temperature();
    SamplingParameters sampling = new SamplingParameters(maxNew, 0, temperature,
        temperature == 0 ? 0 : defaults.topK(), request.topP() != null ? request.topP() : defaults.topP(),
        defaults.repetitionPenalty(), request.presencePenalty() != null ? request.presencePenalty() : 0,
        request.frequencyPenalty() != null ? request.frequencyPenalty() : 0, request.seed(), request.stop(),
        Set.of());
    GenerationResult result = generate(new GenerationRequest(null, prompt, sampling, adapter, false), listener);
    return new ChatResponse(result.text(), List.of(), result.finishReason(),
        TokenUsage.of(result.promptTokens(), result.generatedTokens()), adapter != null ? adapter : id,
        result.latency(), listener != null && result.generatedTokens() > 0 ? result.timeToFirstToken() : null,
        id + "-" + responses.incrementAndGet());
  }

  /**
   * Stops the scheduler (requests still queued or running fail with {@code UnavailableException}), then frees the
   * adapters, the tokenizer and the session. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.close();
    registered.forEach(meters::remove);
    closeAll(session, tokenizer, adapters);
    LOG.info("closed decoder '{}'", id);
  }

  /** Settings of an {@link OnnxChatModel}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Path directory;
    private @Nullable String id;
    private ExecutionSettings execution = ExecutionSettings.cpu();
    private SchedulerSettings scheduler = SchedulerSettings.defaults();
    private @Nullable String chatTemplate;
    private final Map<String, Path> adapters = new LinkedHashMap<>();
    private MeterRegistry meters = new SimpleMeterRegistry();

    private Builder() {}

    /** The model directory (required). */
    public Builder directory(Path dir) {
      this.directory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The model's name in responses, meters and logs (default: the directory's name). */
    public Builder id(String name) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("id must not be blank");
      }
      this.id = name;
      return this;
    }

    /** Where ONNX Runtime runs (default: the CPU). */
    public Builder execution(ExecutionSettings settings) {
      this.execution = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** How generation is scheduled (default: {@link SchedulerSettings#defaults()}). */
    public Builder scheduler(SchedulerSettings settings) {
      this.scheduler = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** A Jinja chat template to use instead of the one in {@code tokenizer_config.json}. */
    public Builder chatTemplate(String template) {
      this.chatTemplate = Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * Loads a LoRA adapter in ONNX Runtime's adapter format (written by {@code onnxruntime.AdapterFormat} or
     * {@link LoraAdapters#write}); requests choose it by {@link GenerationRequest#withAdapter} or by naming it as
     * the chat request's {@code model}.
     *
     * @param name the adapter's name, unique per model
     * @param file the adapter file
     */
    public Builder adapter(String name, Path file) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("adapter names must not be blank");
      }
      if (adapters.putIfAbsent(name, Objects.requireNonNull(file, "file")) != null) {
        throw new IllegalArgumentException("adapter '" + name + "' is already given");
      }
      return this;
    }

    /** Where meters go (default: a private {@code SimpleMeterRegistry}). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Loads the model.
     *
     * @throws NotFoundException when the directory, model file or tokenizer is missing
     * @throws InvalidRequestException when the model's inputs or outputs do not follow the decoder layout (the
     *     message names what is missing), or an adapter does not fit the model
     * @throws CorruptDataException when a file cannot be read
     * @throws dev.llmops.core.UnavailableException when the execution provider is missing and the fallback is off
     */
    public OnnxChatModel build() {
      return new OnnxChatModel(this);
    }
  }
}
