package dev.llmops.test;

import dev.llmops.core.LlmOpsException;
import dev.llmops.core.Ticker;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatModel} that answers from a script, for tests of code that calls a model.
 *
 * <pre>{@code
 * ScriptedChatModel model = ScriptedChatModel.builder()
 *     .when(request -> request.lastUserText().contains("refund"), "Refunds take 5 days.")
 *     .reply("Hello!")                                          // first call that matches no rule
 *     .fail(() -> new RateLimitedException("busy", Duration.ofSeconds(1), null))   // second
 *     .otherwise("I don't know.")                               // every call after that
 *     .build();
 * }</pre>
 *
 * <p>For each call the rules are tried in the order they were added; the first whose predicate matches
 * answers. If none matches, the next step of the ordered script answers (a reply or a failure). When the
 * script is used up, the {@linkplain Builder#otherwise(String) fallback} answers, and without one the call
 * fails with an {@link IllegalStateException} that names the request.
 *
 * <p>Like a real model, a reply is cut at the first stop sequence of the request (finish reason STOP) and
 * after {@code maxTokens} tokens (finish reason LENGTH). Tokens are whitespace-separated words, each with
 * its leading whitespace; usage counts them for the prompt and the answer. Streaming delivers one token at a
 * time and honours {@link StreamListener#isCancelled()}.
 *
 * <p>Latency: with {@link Builder#latency(Duration)} each call takes that long before its first token, and
 * {@link Builder#tokenInterval(Duration)} between tokens. With a {@link FakeClock} set by
 * {@link Builder#clock(FakeClock)} the clock is advanced instead of sleeping, so tests stay fast and exact.
 *
 * <p>Thread-safe: every request is recorded, in arrival order, and can be read with {@link #requests()}.
 */
public final class ScriptedChatModel implements ChatModel {

  private static final Pattern TOKEN = Pattern.compile("\\s*\\S+|\\s+$");

  private final String modelId;
  private final List<Rule> rules;
  private final Deque<Step> script;
  private final @Nullable Step fallback;
  private final Duration latency;
  private final Duration tokenInterval;
  private final @Nullable FakeClock fakeClock;
  private final Ticker ticker;
  private final List<ChatRequest> requests = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  private ScriptedChatModel(Builder b) {
    this.modelId = b.modelId;
    this.rules = List.copyOf(b.rules);
    this.script = new ArrayDeque<>(b.script);
    this.fallback = b.fallback;
    this.latency = b.latency;
    this.tokenInterval = b.tokenInterval;
    this.fakeClock = b.clock;
    this.ticker = b.clock != null ? b.clock : Ticker.system();
  }

  /** A builder for a script. */
  public static Builder builder() {
    return new Builder();
  }

  /** A model that answers every call with {@code reply}. */
  public static ScriptedChatModel alwaysReplying(String reply) {
    return builder().otherwise(reply).build();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return answer(request, null);
  }

  @Override
  public ChatResponse stream(ChatRequest request, StreamListener listener) {
    return answer(request, listener);
  }

  private ChatResponse answer(ChatRequest request, @Nullable StreamListener listener) {
    long start = ticker.read();
    Numbered numbered = nextStep(request);
    Step step = numbered.step();
    pause(latency);
    if (step.failure != null) {
      throw step.failure.get();
    }
    String text = Objects.requireNonNull(step.text);
    FinishReason finish = step.toolCalls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    for (String stop : request.stop()) {
      int at = text.indexOf(stop);
      if (at >= 0) {
        text = text.substring(0, at);
        finish = FinishReason.STOP;
      }
    }
    List<String> tokens = tokens(text);
    Integer maxTokens = request.maxTokens();
    if (maxTokens != null && tokens.size() > maxTokens) {
      tokens = tokens.subList(0, maxTokens);
      finish = FinishReason.LENGTH;
    }
    StringBuilder answer = new StringBuilder();
    Duration firstToken = null;
    for (String token : tokens) {
      if (answer.length() > 0) {
        pause(tokenInterval);
      }
      answer.append(token);
      if (listener != null) {
        if (firstToken == null) {
          firstToken = Duration.ofNanos(ticker.read() - start);
        }
        listener.onToken(token);
        if (listener.isCancelled()) {
          finish = FinishReason.CANCELLED;
          break;
        }
      }
    }
    int output = tokens(answer.toString()).size();
    List<ToolCall> toolCalls = finish == FinishReason.TOOL_CALLS ? step.toolCalls : List.of();
    return new ChatResponse(answer.toString(), toolCalls, finish, TokenUsage.of(promptTokens(request), output),
        request.model() == null ? modelId : request.model(), Duration.ofNanos(ticker.read() - start), firstToken,
        "scripted-" + numbered.call());
  }

  private record Numbered(Step step, int call) {}

  private Numbered nextStep(ChatRequest request) {
    synchronized (requests) {
      requests.add(request);
      int call = calls.incrementAndGet();
      for (Rule rule : rules) {
        if (rule.when.test(request)) {
          return new Numbered(rule.step, call);
        }
      }
      Step step = script.poll();
      if (step != null) {
        return new Numbered(step, call);
      }
      if (fallback != null) {
        return new Numbered(fallback, call);
      }
      throw new IllegalStateException("ScriptedChatModel '" + modelId + "' has no reply left for call #"
          + requests.size() + " (last user message: '" + request.lastUserText()
          + "'); add replies, a rule or otherwise(...)");
    }
  }

  private void pause(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    if (fakeClock != null) {
      fakeClock.advance(duration);
      return;
    }
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.llmops.core.CancelledException("interrupted while the scripted model was answering", e);
    }
  }

  /** Splits text into the tokens this model counts and streams: words with their leading whitespace. */
  public static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
    return tokens;
  }

  private static int promptTokens(ChatRequest request) {
    int count = 0;
    for (ChatMessage message : request.messages()) {
      count += tokens(message.text()).size() + 1; // one for the role marker, as chat templates add
    }
    return count;
  }

  /** Every request received so far, in arrival order. */
  public List<ChatRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The most recent request. */
  public ChatRequest lastRequest() {
    synchronized (requests) {
      if (requests.isEmpty()) {
        throw new IllegalStateException("ScriptedChatModel '" + modelId + "' has not been called");
      }
      return requests.get(requests.size() - 1);
    }
  }

  /** How many calls were made (including failed ones). */
  public int callCount() {
    return calls.get();
  }

  /** How many ordered script steps are left. */
  public int remainingSteps() {
    synchronized (requests) {
      return script.size();
    }
  }

  /** The model id reported in responses to requests that name none. */
  public String modelId() {
    return modelId;
  }

  @Override
  public String toString() {
    return "ScriptedChatModel[" + modelId + ", calls=" + calls.get() + "]";
  }

  private static final class Step {
    final @Nullable String text;
    final List<ToolCall> toolCalls;
    final @Nullable Supplier<? extends LlmOpsException> failure;

    Step(@Nullable String text, List<ToolCall> toolCalls, @Nullable Supplier<? extends LlmOpsException> failure) {
      this.text = text;
      this.toolCalls = List.copyOf(toolCalls);
      this.failure = failure;
    }
  }

  private record Rule(Predicate<ChatRequest> when, Step step) {}

  /** Builds a {@link ScriptedChatModel}. Not thread-safe. */
  public static final class Builder {
    private String modelId = "scripted-model";
    private final List<Rule> rules = new ArrayList<>();
    private final List<Step> script = new ArrayList<>();
    private @Nullable Step fallback;
    private Duration latency = Duration.ZERO;
    private Duration tokenInterval = Duration.ZERO;
    private @Nullable FakeClock clock;

    private Builder() {}

    /** The model id reported in responses; default {@code scripted-model}. */
    public Builder modelId(String modelId) {
      if (modelId.isBlank()) {
        throw new IllegalArgumentException("model id must not be blank");
      }
      this.modelId = modelId;
      return this;
    }

    /** Appends a reply to the ordered script. */
    public Builder reply(String text) {
      script.add(new Step(Objects.requireNonNull(text, "text"), List.of(), null));
      return this;
    }

    /** Appends replies to the ordered script, in order. */
    public Builder replies(String... texts) {
      for (String text : texts) {
        reply(text);
      }
      return this;
    }

    /**
     * Appends a reply that calls a tool (finish reason TOOL_CALLS).
     *
     * @param name the function
     * @param argumentsJson its arguments as JSON text
     */
    public Builder replyWithToolCall(String name, String argumentsJson) {
      script.add(new Step("", List.of(new ToolCall("call_" + (script.size() + 1), name, argumentsJson)), null));
      return this;
    }

    /** Appends a failure to the ordered script; the supplier makes a fresh exception for the call. */
    public Builder fail(Supplier<? extends LlmOpsException> failure) {
      script.add(new Step(null, List.of(), Objects.requireNonNull(failure, "failure")));
      return this;
    }

    /** Answers every request that matches {@code when} with {@code reply}, before the ordered script. */
    public Builder when(Predicate<ChatRequest> when, String reply) {
      rules.add(new Rule(when, new Step(reply, List.of(), null)));
      return this;
    }

    /** Fails every request that matches {@code when}, before the ordered script. */
    public Builder failWhen(Predicate<ChatRequest> when, Supplier<? extends LlmOpsException> failure) {
      rules.add(new Rule(when, new Step(null, List.of(), failure)));
      return this;
    }

    /** Answers with {@code reply} once the ordered script is used up. */
    public Builder otherwise(String reply) {
      this.fallback = new Step(reply, List.of(), null);
      return this;
    }

    /** How long each call takes before its first token; default zero. */
    public Builder latency(Duration latency) {
      this.latency = nonNegative("latency", latency);
      return this;
    }

    /** How long each token after the first takes; default zero. */
    public Builder tokenInterval(Duration interval) {
      this.tokenInterval = nonNegative("token interval", interval);
      return this;
    }

    /** Advance this clock for latency instead of sleeping, and measure latency with it. */
    public Builder clock(FakeClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private static Duration nonNegative(String what, Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative but was " + d);
      }
      return d;
    }

    /** Builds the model. */
    public ScriptedChatModel build() {
      return new ScriptedChatModel(this);
    }
  }
}
