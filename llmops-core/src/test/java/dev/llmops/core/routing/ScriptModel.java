package dev.llmops.core.routing;

import dev.llmops.core.LlmOpsException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import dev.llmops.core.chat.TokenUsage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A chat model for router tests: answers with its name (or a scripted text), fails as scripted, takes a scripted
 * time on the test clock, and can fail a stream after some tokens. Thread-safe.
 */
final class ScriptModel implements ChatModel {

  private final String name;
  private final TestTime time;
  private final Deque<Supplier<? extends LlmOpsException>> failures = new ArrayDeque<>();
  final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
  volatile Duration latency = Duration.ofMillis(100);
  volatile @Nullable Supplier<? extends LlmOpsException> alwaysFail;
  volatile int failStreamAfterTokens = -1;
  /** When above 0, every n-th call fails with an outage. */
  volatile int failEvery;
  private final java.util.concurrent.atomic.AtomicInteger callNumber = new java.util.concurrent.atomic.AtomicInteger();
  volatile TokenUsage usage = TokenUsage.of(1000, 500);

  ScriptModel(String name, TestTime time) {
    this.name = name;
    this.time = time;
  }

  /** The next calls fail with these, in order; then it answers again. */
  synchronized ScriptModel thenFail(Supplier<? extends LlmOpsException> failure) {
    failures.add(failure);
    return this;
  }

  int calls() {
    return requests.size();
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
    requests.add(request);
    int number = callNumber.incrementAndGet();
    time.advance(latency);
    Supplier<? extends LlmOpsException> failure;
    synchronized (this) {
      failure = failures.poll();
    }
    int every = failEvery;
    if (failure == null && every > 0 && number % every == 0) {
      failure = () -> new dev.llmops.core.UnavailableException("scripted outage");
    }
    if (failure == null) {
      failure = alwaysFail;
    }
    if (failure != null && (listener == null || failStreamAfterTokens <= 0)) {
      throw failure.get();
    }
    String[] tokens = {"answer ", "from ", name};
    if (listener != null) {
      for (int i = 0; i < tokens.length; i++) {
        if (failure != null && i == failStreamAfterTokens) {
          throw failure.get();
        }
        listener.onToken(tokens[i]);
      }
    }
    return new ChatResponse(String.join("", tokens), List.of(), FinishReason.STOP, usage, name, latency, null, null);
  }
}
