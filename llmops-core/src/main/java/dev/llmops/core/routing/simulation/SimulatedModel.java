package dev.llmops.core.routing.simulation;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A {@link ChatModel} that behaves like a deployment with a given error rate and latency distribution, on
 * simulated time: each call draws a latency from a log-normal distribution with the given median and 95th
 * percentile and moves the {@link SimulatedClock}'s ticker by it, then fails with an {@link UnavailableException}
 * with probability {@link #errorRate()} (a retriable failure that counts against the deployment), else answers
 * with {@code TokenUsage(inputTokens, outputTokens)}. The draws come from a {@link SplittableRandom} seeded at
 * construction, so the same seed gives the same calls.
 *
 * <p>The error rate and latency can be changed while the simulation runs, to degrade or heal the deployment.
 * Thread-safe (calls are serialised), but repeatable only when called from one thread.
 */
public final class SimulatedModel implements ChatModel {

  /** The 95th percentile of the standard normal distribution. */
  private static final double Z95 = 1.6448536269514722;

  private final String name;
  private final int inputTokens;
  private final int outputTokens;
  private final SimulatedClock time;
  private final SplittableRandom random;
  private double errorRate;
  private double medianMillis;
  private double p95Millis;
  private long calls;
  private long failures;

  /**
   * A simulated deployment.
   *
   * @param name the name in answers ({@link ChatResponse#modelId()}) and failure messages
   * @param errorRate the chance that a call fails, in [0, 1]
   * @param medianMillis the median latency in milliseconds, positive
   * @param p95Millis the 95th percentile latency in milliseconds, at least the median (equal: every call takes
   *     the median)
   * @param inputTokens the input tokens each answer reports, 0 or more
   * @param outputTokens the output tokens each answer reports, 0 or more
   * @param time the simulated time whose ticker each call moves
   * @param seed the seed of the model's own random draws
   * @throws IllegalArgumentException for a value out of range; the message names it
   */
  public SimulatedModel(String name, double errorRate, double medianMillis, double p95Millis, int inputTokens,
      int outputTokens, SimulatedClock time, long seed) {
    this.name = Objects.requireNonNull(name, "name");
    this.time = Objects.requireNonNull(time, "time");
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("token counts must be 0 or more but were inputTokens=" + inputTokens
          + ", outputTokens=" + outputTokens);
    }
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.random = new SplittableRandom(seed);
    errorRate(errorRate);
    latency(medianMillis, p95Millis);
  }

  /** The name it answers under. */
  public String name() {
    return name;
  }

  /** The current chance that a call fails. */
  public synchronized double errorRate() {
    return errorRate;
  }

  /** The current median latency in milliseconds. */
  public synchronized double medianMillis() {
    return medianMillis;
  }

  /** The current 95th percentile latency in milliseconds. */
  public synchronized double p95Millis() {
    return p95Millis;
  }

  /** Calls so far, failed ones included. */
  public synchronized long calls() {
    return calls;
  }

  /** Failed calls so far. */
  public synchronized long failures() {
    return failures;
  }

  /**
   * Changes the chance that a call fails, from the next call on.
   *
   * @throws IllegalArgumentException unless {@code rate} is within [0, 1]
   */
  public synchronized void errorRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("errorRate must be within [0, 1] but was " + rate);
    }
    this.errorRate = rate;
  }

  /**
   * Changes the latency distribution, from the next call on.
   *
   * @throws IllegalArgumentException unless {@code medianMillis} is positive and finite and {@code p95Millis} is
   *     finite and at least {@code medianMillis}
   */
  public synchronized void latency(double medianMillis, double p95Millis) {
    if (!(medianMillis > 0) || !Double.isFinite(medianMillis)) {
      throw new IllegalArgumentException("latency median must be a positive number of milliseconds but was "
          + medianMillis);
    }
    if (!(p95Millis >= medianMillis) || !Double.isFinite(p95Millis)) {
      throw new IllegalArgumentException("latency p95 must be at least the median (" + medianMillis + " ms) but was "
          + p95Millis);
    }
    this.medianMillis = medianMillis;
    this.p95Millis = p95Millis;
  }

  /**
   * Takes a simulated latency, then fails or answers.
   *
   * @throws UnavailableException with the model's error rate
   */
  @Override
  public synchronized ChatResponse chat(ChatRequest request) {
    calls++;
    double sigma = StrictMath.log(p95Millis / medianMillis) / Z95;
    double millis = medianMillis * StrictMath.exp(sigma * gaussian());
    Duration latency = Duration.ofNanos(Math.round(millis * 1e6));
    boolean fails = random.nextDouble() < errorRate;
    time.advance(latency);
    if (fails) {
      failures++;
      throw new UnavailableException("simulated failure of deployment '" + name + "' (error rate " + errorRate + ")");
    }
    return new ChatResponse("simulated answer from " + name, List.of(), FinishReason.STOP,
        TokenUsage.of(inputTokens, outputTokens), name, latency, null, null);
  }

  /** A standard normal draw by Box-Muller, written out so that results do not depend on the JDK's algorithm. */
  private double gaussian() {
    double u1 = 1 - random.nextDouble(); // (0, 1]
    double u2 = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
  }
}
