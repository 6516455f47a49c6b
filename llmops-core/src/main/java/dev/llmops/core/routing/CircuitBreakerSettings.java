package dev.llmops.core.routing;

import java.time.Duration;

/**
 * When a deployment is taken out of rotation (its circuit opens) and for how long. The circuit opens when, within
 * the last {@code window}, at least {@code minimumCalls} calls were made and more than {@code failureRate} of them
 * failed in a way that says something about the deployment ({@link ErrorClass#countsAgainstDeployment()}: rate
 * limits, outages, timeouts, refused credentials — never the caller's bad request). It stays open for
 * {@code cooldown}, then lets {@code probeCalls} calls through; if they succeed it closes, else it opens again.
 * LiteLLM's default is the same shape: more than 50% of at least 5 calls in a minute. Implemented with
 * Resilience4j's time-window circuit breaker, on the router's clock.
 *
 * @param failureRate the failing share that opens the circuit, in (0, 1]
 * @param minimumCalls the fewest calls in the window before the rate is judged (the minimum-sample guard)
 * @param window the sliding window the rate is measured over, in whole seconds, at least 1 s
 * @param cooldown how long an open circuit keeps the deployment out
 * @param probeCalls calls let through after the cooldown to test it
 */
public record CircuitBreakerSettings(
    double failureRate, int minimumCalls, Duration window, Duration cooldown, int probeCalls) {

  /** More than 50% of at least 5 calls within 60 s opens it for 30 s; 3 probe calls. */
  public static final CircuitBreakerSettings DEFAULT =
      new CircuitBreakerSettings(0.5, 5, Duration.ofSeconds(60), Duration.ofSeconds(30), 3);

  /** Validates the values. */
  public CircuitBreakerSettings {
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be within (0, 1] but was " + failureRate);
    }
    if (minimumCalls < 1) {
      throw new IllegalArgumentException("minimumCalls must be at least 1 but was " + minimumCalls);
    }
    if (window.getSeconds() < 1 || window.getNano() != 0) {
      throw new IllegalArgumentException("window must be a whole number of seconds, at least 1, but was " + window);
    }
    if (cooldown.isNegative() || cooldown.isZero()) {
      throw new IllegalArgumentException("cooldown must be positive but was " + cooldown);
    }
    if (probeCalls < 1) {
      throw new IllegalArgumentException("probeCalls must be at least 1 but was " + probeCalls);
    }
  }
}
