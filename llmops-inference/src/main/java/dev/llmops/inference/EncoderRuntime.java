package dev.llmops.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.DynamicBatcher;
import dev.llmops.inference.internal.OrtSessions;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import dev.llmops.inference.internal.onnx.TransformerFusion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every ONNX encoder model shares: the session, the tokenizer, the batcher and the meters. One per model
 * instance; thread-safe.
 */
final class EncoderRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EncoderRuntime.class);

  /** A tokenised sequence ready for the model (special tokens included). */
  record Sequence(long[] ids, long @Nullable [] typeIds) {}

  private final String modelId;
  private final ModelDescriptor descriptor;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final @Nullable HuggingFaceTokenizer pairTokenizer;
  private final long[] prefix;
  private final long[] suffix;
  private final String inputIds;
  private final @Nullable String attentionMask;
  private final @Nullable String tokenTypeIds;
  private final String output;
  private final int outputRank;
  private final int outputDimension;
  private final ExecutionProvider provider;
  private final DynamicBatcher<float[]> batcher;
  private final BatchingSettings batching;
  private final int maxInputChars;
  private final MeterRegistry meters;
  private final List<Meter> registered = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Tokenisers are native; callers use them on their own threads, and close() frees them only after every such use.
  private final java.util.concurrent.locks.ReentrantReadWriteLock tokenizerLock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong realTokens = new AtomicLong();
  private final AtomicLong paddedTokens = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong runNanos = new AtomicLong();

  EncoderRuntime(ModelSource source, ExecutionSettings execution, BatchingSettings batching, int maxInputChars,
      boolean pairs, MeterRegistry meters) {
    this.modelId = source.id();
    this.descriptor = source.descriptor();
    this.batching = batching;
    this.maxInputChars = maxInputChars;
    this.meters = meters;
    byte[] tokenizerJson = source.readTokenizer();
    byte[] model = source.readModel();
    if (execution.fuseAttention() && execution.provider() == ExecutionProvider.CPU) {
      model = fuseAttention(model, source);
    }
    OrtSessions.Opened opened = OrtSessions.open(model, execution, modelId, source.where(descriptor.modelFile()),
        meters);
    this.session = opened.session();
    this.provider = opened.provider();
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      this.inputIds = pickInput(inputs, "input_ids", source);
      this.attentionMask = inputs.containsKey("attention_mask") ? "attention_mask" : null;
      this.tokenTypeIds = inputs.containsKey("token_type_ids") ? "token_type_ids" : null;
      for (String name : inputs.keySet()) {
        if (!name.equals(inputIds) && !name.equals(attentionMask) && !name.equals(tokenTypeIds)) {
          throw new InvalidRequestException("model '" + modelId + "' has an input '" + name
              + "' that llmops cannot feed; encoders take input_ids, attention_mask and token_type_ids");
        }
      }
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      String wanted = descriptor.output();
      if (wanted != null && !outputs.containsKey(wanted)) {
        throw new InvalidRequestException("model '" + modelId + "' has no output '" + wanted + "'; it has "
            + outputs.keySet());
      }
      this.output = wanted != null ? wanted : outputs.keySet().iterator().next();
      NodeInfo info = outputs.get(output);
      long[] outShape = info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
      this.outputRank = outShape.length;
      this.outputDimension = outShape.length > 0 && outShape[outShape.length - 1] > 0
          ? (int) outShape[outShape.length - 1] : -1;
      if (outputRank != 2 && outputRank != 3) {
        throw new InvalidRequestException("output '" + output + "' of model '" + modelId + "' has rank " + outputRank
            + "; llmops reads [batch, dim] or [batch, tokens, dim] outputs");
      }
      HuggingFaceTokenizer plain = null;
      HuggingFaceTokenizer forPairs = null;
      try {
        plain = tokenizer(tokenizerJson, Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false"), source);
        forPairs = pairs ? tokenizer(tokenizerJson, Map.of("addSpecialTokens", "true", "truncation",
            "only_second", "padding", "false", "maxLength", Integer.toString(descriptor.maxTokens())), source) : null;
        long[][] around = specialTokens(plain, tokenizer(tokenizerJson, Map.of("addSpecialTokens", "true",
            "truncation", "false", "padding", "false"), source), source);
        this.prefix = around[0];
        this.suffix = around[1];
      } catch (RuntimeException e) {
        if (plain != null) {
          plain.close();
        }
        if (forPairs != null) {
          forPairs.close();
        }
        throw e;
      }
      this.tokenizer = plain;
      this.pairTokenizer = forPairs;
    } catch (OrtException e) {
      closeQuietly();
      throw new CorruptDataException("cannot read the inputs and outputs of model '" + modelId + "': "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    this.batcher = new DynamicBatcher<>(modelId, batching, this::run, new MetersListener());
    registered.add(Gauge.builder("llmops.inference.queue.depth", batcher, DynamicBatcher::queued)
        .description("rows waiting for a batch").tag("model", modelId).register(meters));
    LOG.info("loaded model '{}' on {} (max {} tokens, output '{}')", modelId, provider, descriptor.maxTokens(),
        output);
  }

  /**
   * {@code model} with its self-attention blocks fused into {@code com.microsoft:Attention}, or {@code model} itself
   * when none matches or the rewrite fails (logged; the original graph always works).
   */
  private byte[] fuseAttention(byte[] model, ModelSource source) {
    try {
      TransformerFusion.Result result = TransformerFusion.fuseAttention(OnnxFiles.parse(model, modelId));
      if (!result.skipped().isEmpty()) {
        LOG.debug("model '{}': self-attention left unfused: {}", modelId, result.skipped());
      }
      if (result.fused() == 0) {
        return model;
      }
      LOG.info("model '{}': fused the self-attention of {} of {} layers into com.microsoft:Attention", modelId,
          result.fused(), result.candidates());
      return OnnxFiles.toBytes(result.model());
    } catch (RuntimeException e) {
      LOG.warn("model '{}' ({}): the self-attention fusion failed, loading the model as it is: {}", modelId,
          source.where(descriptor.modelFile()), e.toString());
      return model;
    }
  }

  /**
   * The special tokens the tokenizer puts before and after a text ({@code [CLS]} and {@code [SEP]} for BERT,
   * {@code <s>} and {@code </s>} for RoBERTa, only {@code </s>} for T5-style encoders): found by encoding a probe
   * text with and without them and locating the text's own tokens.
   */
  private static long[][] specialTokens(HuggingFaceTokenizer plain, HuggingFaceTokenizer withSpecials,
      ModelSource source) {
    try (withSpecials) {
      String probe = "hello world";
      long[] content = plain.encode(probe).getIds();
      long[] all = withSpecials.encode(probe).getIds();
      for (int start = 0; start + content.length <= all.length; start++) {
        if (java.util.Arrays.equals(all, start, start + content.length, content, 0, content.length)) {
          return new long[][] {java.util.Arrays.copyOfRange(all, 0, start),
              java.util.Arrays.copyOfRange(all, start + content.length, all.length)};
        }
      }
      throw new CorruptDataException("tokenizer " + source.where(source.descriptor().tokenizerFile())
          + " does not keep a text's tokens together when it adds special tokens; llmops cannot window its texts",
          null);
    }
  }

  private static String pickInput(Map<String, NodeInfo> inputs, String name, ModelSource source) {
    if (!inputs.containsKey(name)) {
      throw new InvalidRequestException("model '" + source.id() + "' has no input '" + name + "'; its inputs are "
          + inputs.keySet());
    }
    return name;
  }

  private static HuggingFaceTokenizer tokenizer(byte[] json, Map<String, String> options, ModelSource source) {
    try {
      return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
    } catch (IOException | RuntimeException e) {
      throw new CorruptDataException("cannot load tokenizer " + source.where(source.descriptor().tokenizerFile())
          + ": " + e.getMessage(), e);
    }
  }

  String modelId() {
    return modelId;
  }

  ModelDescriptor descriptor() {
    return descriptor;
  }

  ExecutionProvider provider() {
    return provider;
  }

  int outputRank() {
    return outputRank;
  }

  /** The size of the output's last axis (embedding dimension or label count), or -1 when it is dynamic. */
  int outputDimension() {
    return outputDimension;
  }

  /** Tokens available to a text in one sequence, after the special tokens. */
  int windowCapacity() {
    return descriptor.maxTokens() - prefix.length - suffix.length;
  }

  int specialTokens() {
    return prefix.length + suffix.length;
  }

  /**
   * Checks the texts of a call before anything is queued, so a bad text fails the call and nothing else.
   *
   * @throws InvalidRequestException naming the first bad text by index
   */
  void validate(List<String> texts, String what) {
    ensureOpen();
    if (texts.isEmpty()) {
      throw new InvalidRequestException(what + " needs at least one text");
    }
    for (int i = 0; i < texts.size(); i++) {
      validate(texts.get(i), what + "[" + i + "]");
    }
  }

  void validate(@Nullable String text, String where) {
    if (text == null) {
      throw new InvalidRequestException(where + " is null");
    }
    if (text.length() > maxInputChars) {
      throw new InvalidRequestException(where + " has " + text.length() + " chars, more than the " + maxInputChars
          + " this model accepts per text (maxInputChars); split the text or raise the limit");
    }
    if (text.isBlank()) {
      throw new InvalidRequestException(where + " is " + (text.isEmpty() ? "empty" : "blank")
          + "; there is nothing to encode");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new InvalidRequestException(where + " has an unpaired high surrogate at char " + i
            + "; the text is not valid UTF-16");
      }
      if (Character.isLowSurrogate(c)) {
        throw new InvalidRequestException(where + " has an unpaired low surrogate at char " + i
            + "; the text is not valid UTF-16");
      }
    }
  }

  /** The text's token ids, without special tokens. */
  long[] tokenize(String text) {
    tokenizerLock.readLock().lock();
    try {
      ensureOpen();
      return tokenizer.encode(text).getIds();
    } finally {
      tokenizerLock.readLock().unlock();
    }
  }

  /** A window of a text's tokens with the special tokens around it. */
  Sequence window(long[] tokens, int from, int to) {
    long[] ids = new long[prefix.length + (to - from) + suffix.length];
    System.arraycopy(prefix, 0, ids, 0, prefix.length);
    System.arraycopy(tokens, from, ids, prefix.length, to - from);
    System.arraycopy(suffix, 0, ids, prefix.length + (to - from), suffix.length);
    return new Sequence(ids, null);
  }

  /** A query/passage pair, the passage truncated to fit. */
  Sequence pair(String query, String passage) {
    if (pairTokenizer == null) {
      throw new IllegalStateException("model '" + modelId + "' was not loaded for pairs");
    }
    tokenizerLock.readLock().lock();
    try {
      ensureOpen();
      int queryTokens = tokenizer.encode(query).getIds().length;
      if (queryTokens + prefix.length + 2 * suffix.length >= descriptor.maxTokens()) {
        throw new InvalidRequestException("the query has " + queryTokens + " tokens; with the special tokens it "
            + "leaves no room for a passage in the " + descriptor.maxTokens() + " tokens of model '" + modelId + "'");
      }
      Encoding e = pairTokenizer.encode(query, passage);
      return new Sequence(e.getIds(), e.getTypeIds());
    } catch (RuntimeException e) {
      if (e instanceof dev.llmops.core.LlmOpsException || e instanceof IllegalStateException) {
        throw e;
      }
      throw new InvalidRequestException("the tokenizer of model '" + modelId + "' refused a query/passage pair: "
          + e.getMessage(), e);
    } finally {
      tokenizerLock.readLock().unlock();
    }
  }

  /** Queues sequences; the result is assembled from their outputs (pooled vectors or logits), in order. */
  <T> DynamicBatcher.Ticket<float[], T> submit(List<Sequence> sequences, Function<List<float[]>, T> assemble) {
    ensureOpen();
    int[] tokens = new int[sequences.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = sequences.get(i).ids().length;
    }
    return batcher.submit(tokens, sequences, batching.requestTimeout(), assemble);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("model '" + modelId + "' is closed");
    }
  }

  /** Runs one batch through ONNX Runtime; one float vector per row (pooled for token outputs). */
  private List<float[]> run(List<DynamicBatcher.Row> batch) throws OrtException {
    int b = batch.size();
    int len = 0;
    for (DynamicBatcher.Row row : batch) {
      len = Math.max(len, row.tokens());
    }
    LongBuffer ids = direct(b * len);
    LongBuffer mask = direct(b * len);
    LongBuffer types = tokenTypeIds != null ? direct(b * len) : null;
    for (int r = 0; r < b; r++) {
      Sequence s = (Sequence) batch.get(r).payload();
      int base = r * len;
      for (int t = 0; t < s.ids().length; t++) {
        ids.put(base + t, s.ids()[t]);
        mask.put(base + t, 1L);
        if (types != null && s.typeIds() != null) {
          types.put(base + t, s.typeIds()[t]);
        }
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {b, len};
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put(inputIds, OnnxTensor.createTensor(env, ids, shape));
      if (attentionMask != null) {
        feed.put(attentionMask, OnnxTensor.createTensor(env, mask, shape));
      }
      if (tokenTypeIds != null && types != null) {
        feed.put(tokenTypeIds, OnnxTensor.createTensor(env, types, shape));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(output))) {
        OnnxValue value = result.get(output).orElseThrow();
        OnnxTensor tensor = (OnnxTensor) value;
        long[] outShape = tensor.getInfo().getShape();
        FloatBuffer data = tensor.getFloatBuffer();
        List<float[]> out = new ArrayList<>(b);
        if (outputRank == 3) {
          int dim = (int) outShape[2];
          for (int r = 0; r < b; r++) {
            out.add(pool(data, r, len, dim, ((Sequence) batch.get(r).payload()).ids().length));
          }
        } else {
          int dim = (int) outShape[1];
          for (int r = 0; r < b; r++) {
            float[] row = new float[dim];
            data.get(r * dim, row);
            out.add(row);
          }
        }
        return out;
      }
    } finally {
      for (OnnxTensor t : feed.values()) {
        t.close();
      }
    }
  }

  private float[] pool(FloatBuffer data, int row, int len, int dim, int realTokens) {
    float[] v = new float[dim];
    int base = row * len * dim;
    if (descriptor.pooling() == Pooling.CLS) {
      data.get(base, v);
      return v;
    }
    for (int t = 0; t < realTokens; t++) {
      int at = base + t * dim;
      for (int d = 0; d < dim; d++) {
        v[d] += data.get(at + d);
      }
    }
    for (int d = 0; d < dim; d++) {
      v[d] /= realTokens;
    }
    return v;
  }

  private static LongBuffer direct(int longs) {
    return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
  }

  InferenceStats stats() {
    return new InferenceStats(batches.get(), rows.get(), realTokens.get(), paddedTokens.get(), rejected.get(),
        expired.get(), runNanos.get());
  }

  private final class MetersListener implements DynamicBatcher.Listener {
    private final DistributionSummary batchSize = register(DistributionSummary.builder("llmops.inference.batch.size")
        .description("rows per ONNX Runtime call").tag("model", modelId).register(meters));
    private final DistributionSummary padding = register(DistributionSummary.builder("llmops.inference.padding.ratio")
        .description("share of padding tokens per batch").tag("model", modelId).register(meters));
    private final Timer queueWait = register(Timer.builder("llmops.inference.queue.wait")
        .description("time the oldest row of a batch waited").tag("model", modelId).register(meters));
    private final Timer runTime = register(Timer.builder("llmops.inference.run")
        .description("time inside ONNX Runtime per batch").tag("model", modelId).register(meters));
    private final Counter tokens = register(Counter.builder("llmops.inference.tokens")
        .description("real (unpadded) tokens computed").tag("model", modelId).register(meters));
    private final Counter rejectedRows = register(Counter.builder("llmops.inference.rejected")
        .description("rows refused because the queue was full").tag("model", modelId).register(meters));
    private final Counter expiredRows = register(Counter.builder("llmops.inference.expired")
        .description("rows that timed out in the queue").tag("model", modelId).register(meters));

    @Override
    public void batchCompleted(int size, int real, int padded, long queueWaitNanos, long nanos) {
      batches.incrementAndGet();
      rows.addAndGet(size);
      realTokens.addAndGet(real);
      paddedTokens.addAndGet(padded);
      runNanos.addAndGet(nanos);
      batchSize.record(size);
      padding.record(padded == 0 ? 0 : 1.0 - (double) real / padded);
      queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
      runTime.record(nanos, TimeUnit.NANOSECONDS);
      tokens.increment(real);
    }

    @Override
    public void rejected(int count) {
      rejected.addAndGet(count);
      rejectedRows.increment(count);
    }

    @Override
    public void expired(int count) {
      expired.addAndGet(count);
      expiredRows.increment(count);
    }
  }

  private <M extends Meter> M register(M meter) {
    registered.add(meter);
    return meter;
  }

  private void closeQuietly() {
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      LOG.debug("closing the session of '{}' failed", modelId, e);
    }
  }

  /** Stops intake, runs what is queued (up to {@code drain}), then releases the session and tokenizers. */
  void close(Duration drain) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    batcher.close(drain);
    closeQuietly();
    tokenizerLock.writeLock().lock();
    try {
      tokenizer.close();
      if (pairTokenizer != null) {
        pairTokenizer.close();
      }
    } finally {
      tokenizerLock.writeLock().unlock();
    }
    for (Meter m : registered) {
      meters.remove(m);
    }
    LOG.info("closed model '{}'", modelId);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
