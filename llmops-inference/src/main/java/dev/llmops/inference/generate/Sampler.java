package dev.llmops.inference.generate;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Chooses each next token of one sequence from the model's logits under its {@link SamplingParameters}. One per
 * sequence, used by one thread at a time; its generator is seeded once, so the tokens depend only on the logits and
 * the seed, not on which other sequences shared the batch.
 */
final class Sampler {

  private final SamplingParameters p;
  private final Set<Integer> eos;
  private final SplittableRandom random;
  private final int vocabulary;
  /** Occurrences of each id in the answer so far; null when no penalty needs them. */
  private final int @Nullable [] generatedCounts;
  /** Whether each id occurs in the prompt or the answer; null without a repetition penalty. */
  private final boolean @Nullable [] seen;
  private int generated;

  Sampler(SamplingParameters parameters, Set<Integer> eosTokenIds, int vocabulary, int[] prompt) {
    this.p = parameters;
    this.eos = eosTokenIds;
    this.vocabulary = vocabulary;
    long seed = parameters.seed() != null ? parameters.seed() : ThreadLocalRandom.current().nextLong();
    this.random = new SplittableRandom(seed);
    boolean frequency = parameters.presencePenalty() != 0 || parameters.frequencyPenalty() != 0;
    this.generatedCounts = frequency ? new int[vocabulary] : null;
    this.seen = parameters.repetitionPenalty() != 1 ? new boolean[vocabulary] : null;
    if (seen != null) {
      for (int id : prompt) {
        if (id >= 0 && id < vocabulary) {
          seen[id] = true;
        }
      }
    }
  }

  /**
   * The next token. {@code logits} holds the sequence's row from {@code offset}; it is not modified.
   */
  int next(float[] logits, int offset) {
    float[] scores = Arrays.copyOfRange(logits, offset, offset + vocabulary);
    if (seen != null) {
      float penalty = (float) p.repetitionPenalty();
      for (int id = 0; id < vocabulary; id++) {
        if (seen[id]) {
          scores[id] = scores[id] > 0 ? scores[id] / penalty : scores[id] * penalty;
        }
      }
    }
    if (generatedCounts != null) {
      for (int id = 0; id < vocabulary; id++) {
        int count = generatedCounts[id];
        if (count > 0) {
          scores[id] -= (float) (p.frequencyPenalty() * count + p.presencePenalty());
        }
      }
    }
    if (generated < p.minNewTokens()) {
      for (int id : eos) {
        if (id < vocabulary) {
          scores[id] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    int token = p.isGreedy() ? argMax(scores) : draw(scores);
    if (token < 0) { // nothing could be drawn (every score -inf or NaN): the plain arg max of the model's logits
      token = argMax(Arrays.copyOfRange(logits, offset, offset + vocabulary));
    }
    record(token);
    return token;
  }

  private void record(int token) {
    generated++;
    if (generatedCounts != null) {
      generatedCounts[token]++;
    }
    if (seen != null) {
      seen[token] = true;
    }
  }

  static int argMax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  private int draw(float[] scores) {
    double temperature = p.temperature();
    int[] candidates = candidates(scores);
    if (candidates.length == 0) {
      return -1;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int id : candidates) {
      max = Math.max(max, scores[id]);
    }
    double[] weights = new double[candidates.length];
    double total = 0;
    for (int i = 0; i < candidates.length; i++) {
      double w = Math.exp((scores[candidates[i]] - max) / temperature);
      weights[i] = w;
      total += w;
    }
    int kept = candidates.length;
    if (p.topP() < 1) { // candidates are sorted by score, highest first
      double mass = 0;
      for (int i = 0; i < candidates.length; i++) {
        mass += weights[i] / total;
        if (mass >= p.topP()) {
          kept = i + 1;
          break;
        }
      }
      total = 0;
      for (int i = 0; i < kept; i++) {
        total += weights[i];
      }
    }
    if (!(total > 0) || Double.isInfinite(total)) {
      return candidates[0];
    }
    double u = random.nextDouble() * total;
    double cumulative = 0;
    for (int i = 0; i < kept; i++) {
      cumulative += weights[i];
      if (u < cumulative) {
        return candidates[i];
      }
    }
    return candidates[kept - 1];
  }

  /**
   * The ids that may be drawn: the {@code topK} best (all finite ones without top-k), sorted by score, highest first
   * (ties by id) when top-k or top-p needs an order.
   */
  private int[] candidates(float[] scores) {
    int finite = 0;
    for (float s : scores) {
      if (s != Float.NEGATIVE_INFINITY && !Float.isNaN(s)) {
        finite++;
      }
    }
    Integer[] ids = new Integer[finite];
    int n = 0;
    for (int id = 0; id < scores.length; id++) {
      if (scores[id] != Float.NEGATIVE_INFINITY && !Float.isNaN(scores[id])) {
        ids[n++] = id;
      }
    }
    boolean ordered = p.topK() > 0 || p.topP() < 1;
    if (ordered) {
      Arrays.sort(ids, (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
    }
    int keep = p.topK() > 0 ? Math.min(p.topK(), ids.length) : ids.length;
    int[] out = new int[keep];
    for (int i = 0; i < keep; i++) {
      out[i] = ids[i];
    }
    return out;
  }
}
