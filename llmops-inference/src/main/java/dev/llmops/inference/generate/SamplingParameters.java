package dev.llmops.inference.generate;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How one sequence is generated: how many tokens, how each is chosen, and what ends it. Immutable; start from
 * {@link #greedy(int)} or {@link #sampled(int, double)} and change copies with the {@code with...} methods.
 *
 * <p>Each step applies, in this order (as Hugging Face's generation does): the repetition penalty (every token of
 * the prompt and of the answer so far: a positive logit is divided by it, a negative one multiplied), the presence
 * and frequency penalties (OpenAI's: subtracted once for each token that appeared in the answer, and once more per
 * occurrence), end-of-sequence suppression until {@link #minNewTokens}, then either the arg max ({@code temperature}
 * 0; ties go to the lowest id) or, after dividing by the temperature, top-k, then top-p (the smallest set of most
 * likely tokens whose probability reaches {@code topP}), and a draw from what is left. The draw uses a generator
 * seeded from {@link #seed}, one per sequence, so a seeded request gives the same tokens alone or in any batch.
 *
 * @param maxNewTokens most tokens to generate, at least 1
 * @param minNewTokens end-of-sequence tokens are suppressed until this many were generated (0 for none); benchmarks
 *     use it with {@code maxNewTokens} to fix the answer length
 * @param temperature 0 for greedy decoding, else in {@code (0, 100]}
 * @param topK keep only the {@code topK} most likely tokens; 0 keeps all
 * @param topP nucleus mass in {@code (0, 1]}; 1 keeps all
 * @param repetitionPenalty in {@code (0, 10]}; 1 is none
 * @param presencePenalty in {@code [-2, 2]}
 * @param frequencyPenalty in {@code [-2, 2]}
 * @param seed seed of the draws, or {@code null} for a random one (sampling only)
 * @param stopSequences texts that end generation; the text returned stops before the first one
 * @param stopTokenIds token ids that end generation besides the model's end-of-sequence ids; not returned
 */
public record SamplingParameters(
    int maxNewTokens,
    int minNewTokens,
    double temperature,
    int topK,
    double topP,
    double repetitionPenalty,
    double presencePenalty,
    double frequencyPenalty,
    @Nullable Long seed,
    List<String> stopSequences,
    Set<Integer> stopTokenIds) {

  /** Validates; the message names the bad value. */
  public SamplingParameters {
    stopSequences = List.copyOf(stopSequences);
    stopTokenIds = Set.copyOf(stopTokenIds);
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be at least 1 but was " + maxNewTokens);
    }
    if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
      throw new IllegalArgumentException("minNewTokens must be in [0, maxNewTokens=" + maxNewTokens + "] but was "
          + minNewTokens);
    }
    if (!(temperature >= 0 && temperature <= 100)) {
      throw new IllegalArgumentException("temperature must be in [0, 100] but was " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must not be negative but was " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
    }
    if (!(repetitionPenalty > 0 && repetitionPenalty <= 10)) {
      throw new IllegalArgumentException("repetitionPenalty must be in (0, 10] but was " + repetitionPenalty);
    }
    if (!(presencePenalty >= -2 && presencePenalty <= 2)) {
      throw new IllegalArgumentException("presencePenalty must be in [-2, 2] but was " + presencePenalty);
    }
    if (!(frequencyPenalty >= -2 && frequencyPenalty <= 2)) {
      throw new IllegalArgumentException("frequencyPenalty must be in [-2, 2] but was " + frequencyPenalty);
    }
    for (String stop : stopSequences) {
      if (Objects.requireNonNull(stop, "stop sequence").isEmpty()) {
        throw new IllegalArgumentException("a stop sequence must not be empty");
      }
    }
    for (Integer id : stopTokenIds) {
      if (id < 0) {
        throw new IllegalArgumentException("stop token ids must not be negative but one was " + id);
      }
    }
  }

  /** Greedy decoding of at most {@code maxNewTokens} tokens. */
  public static SamplingParameters greedy(int maxNewTokens) {
    return new SamplingParameters(maxNewTokens, 0, 0, 0, 1, 1, 0, 0, null, List.of(), Set.of());
  }

  /** Sampling at {@code temperature} of at most {@code maxNewTokens} tokens, unseeded. */
  public static SamplingParameters sampled(int maxNewTokens, double temperature) {
    return new SamplingParameters(maxNewTokens, 0, temperature, 0, 1, 1, 0, 0, null, List.of(), Set.of());
  }

  /** Whether each token is the arg max. */
  public boolean isGreedy() {
    return temperature == 0;
  }

  /** A copy with another {@code maxNewTokens}. */
  public SamplingParameters withMaxNewTokens(int value) {
    return new SamplingParameters(value, Math.min(minNewTokens, value), temperature, topK, topP, repetitionPenalty,
        presencePenalty, frequencyPenalty, seed, stopSequences, stopTokenIds);
  }

  /** A copy with another {@code minNewTokens}. */
  public SamplingParameters withMinNewTokens(int value) {
    return new SamplingParameters(maxNewTokens, value, temperature, topK, topP, repetitionPenalty, presencePenalty,
        frequencyPenalty, seed, stopSequences, stopTokenIds);
  }

  /** A copy with another {@code temperature}. */
  public SamplingParameters withTemperature(double value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, value, topK, topP, repetitionPenalty, presencePenalty,
        frequencyPenalty, seed, stopSequences, stopTokenIds);
  }

  /** A copy with another {@code topK}. */
  public SamplingParameters withTopK(int value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, value, topP, repetitionPenalty,
        presencePenalty, frequencyPenalty, seed, stopSequences, stopTokenIds);
  }

  /** A copy with another {@code topP}. */
  public SamplingParameters withTopP(double value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, topK, value, repetitionPenalty,
        presencePenalty, frequencyPenalty, seed, stopSequences, stopTokenIds);
  }

  /** A copy with another {@code repetitionPenalty}. */
  public SamplingParameters withRepetitionPenalty(double value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, topK, topP, value, presencePenalty,
        frequencyPenalty, seed, stopSequences, stopTokenIds);
  }

  /** A copy with other presence and frequency penalties. */
  public SamplingParameters withPenalties(double presence, double frequency) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, topK, topP, repetitionPenalty, presence,
        frequency, seed, stopSequences, stopTokenIds);
  }

  /** A copy with another {@code seed}. */
  public SamplingParameters withSeed(@Nullable Long value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, topK, topP, repetitionPenalty,
        presencePenalty, frequencyPenalty, value, stopSequences, stopTokenIds);
  }

  /** A copy with other stop sequences. */
  public SamplingParameters withStopSequences(List<String> value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, topK, topP, repetitionPenalty,
        presencePenalty, frequencyPenalty, seed, value, stopTokenIds);
  }

  /** A copy with other stop token ids. */
  public SamplingParameters withStopTokenIds(Set<Integer> value) {
    return new SamplingParameters(maxNewTokens, minNewTokens, temperature, topK, topP, repetitionPenalty,
        presencePenalty, frequencyPenalty, seed, stopSequences, value);
  }
}
