package dev.llmops.test;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.core.embedding.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link EmbeddingModel} for tests: the same text always gives the same vector, on every machine and
 * JVM, and texts that share words or word pieces get close vectors. It hashes lower-cased words and their
 * character trigrams into a fixed number of dimensions (feature hashing, with a sign hash) and normalises
 * the result to unit length. It knows no synonyms: "car" and "automobile" are unrelated to it.
 *
 * <p>Tokens are words (runs of letters or digits). Inputs longer than {@link Builder#maxTokens(int)} are
 * handled as the {@link Overflow} policy says, and the embedding reports it, like the real models do.
 * Thread-safe.
 */
public final class DeterministicEmbeddingModel implements EmbeddingModel {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  /** What to do with inputs longer than the window. */
  public enum Overflow {
    /** Refuse with an {@link InvalidRequestException}. */
    FAIL,
    /** Embed the first {@code maxTokens} words; marked {@link InputHandling#TRUNCATED}. */
    TRUNCATE,
    /** Embed each window of {@code maxTokens} words and average; marked {@link InputHandling#CHUNKED}. */
    CHUNK
  }

  private final int dimension;
  private final int maxTokens;
  private final Overflow overflow;
  private final String modelId;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong embeddedTexts = new AtomicLong();

  private DeterministicEmbeddingModel(Builder b) {
    this.dimension = b.dimension;
    this.maxTokens = b.maxTokens;
    this.overflow = b.overflow;
    this.modelId = b.modelId;
  }

  /** A model with 256 dimensions, a window of 512 tokens and {@link Overflow#FAIL}. */
  public static DeterministicEmbeddingModel create() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public EmbeddingResult embedAll(List<String> texts) {
    calls.incrementAndGet();
    embeddedTexts.addAndGet(texts.size());
    List<Embedding> embeddings = new ArrayList<>(texts.size());
    int total = 0;
    for (int i = 0; i < texts.size(); i++) {
      List<String> words = words(texts.get(i));
      total += words.size();
      if (words.size() <= maxTokens) {
        embeddings.add(new Embedding(vector(words), words.size(), InputHandling.WHOLE));
        continue;
      }
      switch (overflow) {
        case FAIL -> throw new InvalidRequestException("input " + i + " has " + words.size()
            + " tokens, more than the window of " + maxTokens + " of model " + modelId);
        case TRUNCATE -> embeddings.add(
            new Embedding(vector(words.subList(0, maxTokens)), words.size(), InputHandling.TRUNCATED));
        case CHUNK -> {
          float[] sum = new float[dimension];
          for (int from = 0; from < words.size(); from += maxTokens) {
            float[] window = vector(words.subList(from, Math.min(words.size(), from + maxTokens)));
            for (int d = 0; d < dimension; d++) {
              sum[d] += window[d];
            }
          }
          embeddings.add(new Embedding(normalise(sum), words.size(), InputHandling.CHUNKED));
        }
      }
    }
    return new EmbeddingResult(embeddings, modelId, total);
  }

  private float[] vector(List<String> words) {
    float[] v = new float[dimension];
    for (String word : words) {
      add(v, "w:" + word, 1.0f);
      String padded = "#" + word + "#";
      for (int i = 0; i + 3 <= padded.length(); i++) {
        add(v, "t:" + padded.substring(i, i + 3), 0.5f);
      }
    }
    return normalise(v);
  }

  private void add(float[] v, String feature, float weight) {
    long h = hash(feature);
    int index = (int) Math.floorMod(h, (long) dimension);
    v[index] += ((h >>> 40) & 1) == 0 ? weight : -weight;
  }

  private static float[] normalise(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
    }
    return v;
  }

  /** 64-bit FNV-1a over the UTF-16 code units, then a murmur finaliser: stable across JVMs. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** The words (tokens) of a text, lower-cased, as this model counts them. */
  public static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }

  /** How many times {@link #embedAll(List)} was called. */
  public long callCount() {
    return calls.get();
  }

  /** How many texts all calls of {@link #embedAll(List)} together embedded. */
  public long textCount() {
    return embeddedTexts.get();
  }

  /** Counts tokens as this model does (words, see {@link #words(String)}), with its window as the limit. */
  public TokenCounter tokenCounter() {
    int window = maxTokens;
    return new TokenCounter() {
      @Override
      public int countTokens(String text) {
        return words(text).size();
      }

      @Override
      public int maxTokens() {
        return window;
      }

      @Override
      public String toString() {
        return "TokenCounter[" + modelId + " words, maxTokens=" + window + "]";
      }
    };
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public OptionalInt dimension() {
    return OptionalInt.of(dimension);
  }

  @Override
  public String toString() {
    return "DeterministicEmbeddingModel[" + modelId + ", dimension=" + dimension + ", maxTokens=" + maxTokens
        + ", overflow=" + overflow + "]";
  }

  /** Builds a {@link DeterministicEmbeddingModel}. Not thread-safe. */
  public static final class Builder {
    private int dimension = 256;
    private int maxTokens = 512;
    private Overflow overflow = Overflow.FAIL;
    private String modelId = "deterministic-embedding";

    private Builder() {}

    /** The vector size; at least 8. */
    public Builder dimension(int dimension) {
      if (dimension < 8) {
        throw new IllegalArgumentException("dimension must be at least 8 but was " + dimension);
      }
      this.dimension = dimension;
      return this;
    }

    /** The window, in words; at least 1. */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1 but was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** What to do with inputs longer than the window. */
    public Builder overflow(Overflow overflow) {
      this.overflow = overflow;
      return this;
    }

    /** The model id reported in results. */
    public Builder modelId(String modelId) {
      if (modelId.isBlank()) {
        throw new IllegalArgumentException("model id must not be blank");
      }
      this.modelId = modelId;
      return this;
    }

    /** Builds the model. */
    public DeterministicEmbeddingModel build() {
      return new DeterministicEmbeddingModel(this);
    }
  }
}
