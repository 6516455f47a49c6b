package dev.llmops.inference;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.inference.internal.DynamicBatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A text embedding model run in process by ONNX Runtime, with dynamic batching across callers.
 *
 * <pre>{@code
 * try (OnnxEmbeddingModel model = OnnxEmbeddingModel.builder()
 *     .source(ModelSource.builtIn("all-minilm-l6-v2"))
 *     .build()) {
 *   Embedding e = model.embed("How do I reset my password?");
 * }
 * }</pre>
 *
 * <p><b>Long texts are never cut silently.</b> A text longer than the model's window ({@code maxTokens}, 256 for
 * all-MiniLM-L6-v2) is split into windows that overlap by {@link Builder#windowOverlap(int)} tokens; each
 * window is pooled and the windows are averaged weighted by their token counts, then normalised. The embedding
 * says {@link InputHandling#CHUNKED}, with the text's full token count. Ask for {@link OverflowPolicy#TRUNCATE}
 * to keep only the first window ({@code TRUNCATED}) or {@link OverflowPolicy#FAIL} to refuse long texts.
 *
 * <p><b>Batching.</b> Calls from many threads are grouped into ONNX Runtime calls by a dynamic batcher (see
 * {@link BatchingSettings}); a call with many texts is batched too. Results come back in the caller's order.
 * With an fp32 model a batched embedding equals the unbatched one (cosine above 0.9999; padding is masked). A
 * dynamically quantized int8 model scales its activations per batch, so a text's vector moves slightly with its
 * batch neighbours (cosine 0.98 to 0.99 between batched and alone on short texts); use fp32 where vectors must be
 * bit-stable across calls.
 *
 * <p><b>Errors.</b> A null, empty or blank text, a text with unpaired surrogates or over
 * {@link Builder#maxInputChars(int)} chars fails the call with an {@code InvalidRequestException} naming its
 * index, before anything runs. A full queue gives a {@code RateLimitedException}, a request past its timeout a
 * {@code RequestTimeoutException}, an interrupted call a {@code CancelledException}. A model file that is damaged
 * or does not match its pinned SHA-256 fails {@link Builder#build()} with a {@code CorruptDataException}.
 *
 * <p>Thread-safe. {@link #close()} refuses new calls, finishes queued ones and releases the native session;
 * calls after that throw {@code IllegalStateException}.
 */
public final class OnnxEmbeddingModel extends EncoderModel implements EmbeddingModel {

  private final OverflowPolicy overflow;
  private final int overlap;

  private OnnxEmbeddingModel(Builder b) {
    super(b.runtime("an embedding model", false));
    this.overflow = b.overflow;
    this.overlap = b.windowOverlap;
    if (overlap >= runtime.windowCapacity()) {
      runtime.close();
      throw new IllegalArgumentException("windowOverlap " + overlap + " must be smaller than the "
          + runtime.windowCapacity() + " tokens of a window of model '" + runtime.modelId() + "'");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A model with default settings: CPU, default batching, long texts chunked. */
  public static OnnxEmbeddingModel load(ModelSource source) {
    return builder().source(source).build();
  }

  @Override
  public EmbeddingResult embedAll(List<String> texts) {
    return DynamicBatcher.await(submit(texts), "embedding " + texts.size() + " texts with '" + modelId() + "'");
  }

  /**
   * Queues the texts and returns at once. Cancelling the future drops the rows that have not run; the future
   * fails with the exceptions {@link #embedAll(List)} throws (a full queue throws here, at once).
   */
  public CompletableFuture<EmbeddingResult> embedAllAsync(List<String> texts) {
    return submit(texts).future();
  }

  private DynamicBatcher.Ticket<float[], EmbeddingResult> submit(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    runtime.validate(texts, "texts");
    int capacity = runtime.windowCapacity();
    int stride = capacity - overlap;
    List<EncoderRuntime.Sequence> rows = new ArrayList<>();
    int[] firstRow = new int[texts.size() + 1];
    int[] tokenCounts = new int[texts.size()];
    InputHandling[] handling = new InputHandling[texts.size()];
    List<int[]> weights = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      long[] tokens = runtime.tokenize(texts.get(i));
      if (tokens.length == 0) {
        throw new InvalidRequestException("texts[" + i + "] has no tokens for model '" + modelId()
            + "' (only characters its tokenizer drops)");
      }
      tokenCounts[i] = tokens.length + runtime.specialTokens();
      firstRow[i] = rows.size();
      if (tokens.length <= capacity) {
        handling[i] = InputHandling.WHOLE;
        rows.add(runtime.window(tokens, 0, tokens.length));
        weights.add(new int[] {tokens.length});
        continue;
      }
      switch (overflow) {
        case FAIL -> throw new InvalidRequestException("texts[" + i + "] has " + tokenCounts[i]
            + " tokens, more than the " + runtime.descriptor().maxTokens() + " of model '" + modelId()
            + "' (OverflowPolicy.FAIL)");
        case TRUNCATE -> {
          handling[i] = InputHandling.TRUNCATED;
          rows.add(runtime.window(tokens, 0, capacity));
          weights.add(new int[] {capacity});
        }
        case CHUNK -> {
          handling[i] = InputHandling.CHUNKED;
          List<Integer> w = new ArrayList<>();
          for (int start = 0; ; start += stride) {
            int end = Math.min(tokens.length, start + capacity);
            rows.add(runtime.window(tokens, start, end));
            w.add(end - start);
            if (end == tokens.length) {
              break;
            }
          }
          weights.add(w.stream().mapToInt(Integer::intValue).toArray());
        }
      }
    }
    firstRow[texts.size()] = rows.size();
    boolean normalize = runtime.descriptor().normalize();
    String id = modelId();
    return runtime.submit(rows, outputs -> {
      List<Embedding> embeddings = new ArrayList<>(texts.size());
      int total = 0;
      for (int i = 0; i < texts.size(); i++) {
        int[] w = weights.get(i);
        float[] v = combine(outputs, firstRow[i], w);
        if (normalize) {
          normalizeInPlace(v);
        }
        embeddings.add(new Embedding(v, tokenCounts[i], handling[i]));
        total += tokenCounts[i];
      }
      return new EmbeddingResult(embeddings, id, total);
    });
  }

  private static float[] combine(List<float[]> outputs, int first, int[] weights) {
    if (weights.length == 1) {
      return outputs.get(first);
    }
    int dim = outputs.get(first).length;
    double[] sum = new double[dim];
    double totalWeight = 0;
    for (int k = 0; k < weights.length; k++) {
      float[] v = outputs.get(first + k);
      for (int d = 0; d < dim; d++) {
        sum[d] += (double) v[d] * weights[k];
      }
      totalWeight += weights[k];
    }
    float[] out = new float[dim];
    for (int d = 0; d < dim; d++) {
      out[d] = (float) (sum[d] / totalWeight);
    }
    return out;
  }

  private static void normalizeInPlace(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) (v[d] / norm);
      }
    }
  }

  @Override
  public OptionalInt dimension() {
    int d = runtime.outputDimension();
    return d > 0 ? OptionalInt.of(d) : OptionalInt.empty();
  }

  /** The model's window: the most tokens, special tokens included, in one sequence. */
  public int maxTokens() {
    return runtime.descriptor().maxTokens();
  }

  /**
   * How many windows this model ran for an embedding it returned: 1 unless the embedding is
   * {@link InputHandling#CHUNKED}, then the number of overlapping windows its {@link Embedding#tokenCount()} needs.
   */
  public int windowCount(Embedding embedding) {
    if (embedding.handling() != InputHandling.CHUNKED) {
      return 1;
    }
    int textTokens = embedding.tokenCount() - runtime.specialTokens();
    int capacity = runtime.windowCapacity();
    if (textTokens <= capacity) {
      return 1;
    }
    int stride = capacity - overlap;
    return 1 + (textTokens - capacity + stride - 1) / stride;
  }

  /** The number of tokens of {@code text} with special tokens, as {@link Embedding#tokenCount()} reports. */
  public int countTokens(String text) {
    runtime.validate(text, "text");
    return runtime.tokenize(text).length + runtime.specialTokens();
  }

  /**
   * This model's tokenizer as a {@link TokenCounter}: text tokens without the special tokens, and a window of
   * {@link #maxTokens()} less the special tokens. Chunkers use it so every chunk fits the window whole.
   */
  public TokenCounter tokenCounter() {
    int capacity = runtime.windowCapacity();
    return new TokenCounter() {
      @Override
      public int countTokens(String text) {
        return text.isEmpty() ? 0 : runtime.tokenize(text).length;
      }

      @Override
      public int maxTokens() {
        return capacity;
      }

      @Override
      public String toString() {
        return "TokenCounter[" + modelId() + ", maxTokens=" + capacity + "]";
      }
    };
  }

  @Override
  public String toString() {
    return "OnnxEmbeddingModel[" + modelId() + ", " + provider() + "]";
  }

  /** Builds an {@link OnnxEmbeddingModel}; only {@link #source(ModelSource)} is required. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private OverflowPolicy overflow = OverflowPolicy.CHUNK;
    private int windowOverlap = 32;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** What to do with texts longer than one window; {@link OverflowPolicy#CHUNK} by default. */
    public Builder overflow(OverflowPolicy policy) {
      this.overflow = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Tokens shared by consecutive windows of a long text; 32 by default. */
    public Builder windowOverlap(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("windowOverlap must not be negative but was " + tokens);
      }
      this.windowOverlap = tokens;
      return this;
    }

    /**
     * Loads the model.
     *
     * @throws IllegalStateException when no source was given
     * @throws dev.llmops.core.CorruptDataException when a file is damaged or fails its SHA-256 pin
     * @throws dev.llmops.core.NotFoundException when a file is missing
     */
    public OnnxEmbeddingModel build() {
      return new OnnxEmbeddingModel(this);
    }
  }
}
