package dev.llmops.core.eval;

import dev.llmops.core.Ticker;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.core.routing.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Small real components for the evaluation tests: a scripted model, a bag-of-words embedding, a manual clock. */
final class EvalFixtures {

  private EvalFixtures() {}

  static ChatResponse response(String text) {
    return new ChatResponse(text, List.of(), FinishReason.STOP, TokenUsage.of(100, 20), "test-model", Duration.ZERO,
        null, null);
  }

  /** A model that answers with {@code answers.apply(request)}; thread-safe when the function is. */
  static ChatModel model(Function<ChatRequest, String> answers) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        return response(answers.apply(request));
      }

      @Override
      public String toString() {
        return "scripted";
      }
    };
  }

  /** A clock, ticker and sleeper that move only when told to. Thread-safe. */
  static final class ManualTime extends Clock implements Ticker, Sleeper {
    private final AtomicLong nanos = new AtomicLong();

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    @Override
    public long read() {
      return nanos.get();
    }

    @Override
    public Instant instant() {
      return Instant.parse("2026-03-01T10:00:00Z").plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public void sleep(Duration duration) {
      advance(duration);
    }
  }

  /** Embeds a text as counts of its lower-cased words hashed into 64 dimensions: same words, cosine 1. */
  static final class BagOfWords implements EmbeddingModel {
    @Override
    public EmbeddingResult embedAll(List<String> texts) {
      List<Embedding> out = new ArrayList<>();
      for (String t : texts) {
        float[] v = new float[64];
        for (String w : t.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
          if (!w.isEmpty()) {
            v[Math.floorMod(w.hashCode(), 64)] += 1;
          }
        }
        v[63] += 0.01f; // never the zero vector
        out.add(new Embedding(v, -1, InputHandling.WHOLE));
      }
      return new EmbeddingResult(out, modelId(), -1);
    }

    @Override
    public String modelId() {
      return "bag-of-words";
    }
  }
}
