package dev.llmops.core.routing.simulation;

import java.util.Locale;

/**
 * Small but realistic canary scenarios for the simulation tests: a baseline deployment with 1% errors and a
 * median latency of 800 ms (p95 2 s) at 20 requests per second from 2,000 users, a candidate on its own deployment,
 * and a plan of 5%, 25% and 50% steps of at least 2 minutes and 200 canary calls each, evaluated every 15 s.
 */
final class Scenarios {

  /** Enough requests (about 9 simulated minutes at 20/s) for a healthy canary to pass all three steps. */
  static final long REQUESTS = 11_000;

  private Scenarios() {}

  /** A canary whose deployment has {@code errorRate} and a latency {@code latencyFactor} times the baseline's. */
  static String canary(double errorRate, double latencyFactor) {
    return canary(errorRate, latencyFactor, 20, REQUESTS, false);
  }

  /** A canary scenario with every knob. */
  static String canary(double errorRate, double latencyFactor, double requestsPerSecond, long requests, boolean dryRun) {
    return String.format(Locale.ROOT, """
        {
          "seed": 1,
          "requests": %d,
          "requestsPerSecond": %s,
          "units": 2000,
          "deployments": [
            {"name": "model-a", "errorRate": 0.01, "latency": {"median": 800, "p95": 2000},
             "prices": {"input": 0.15, "output": 0.6}, "inputTokens": 600, "outputTokens": 200},
            {"name": "model-b", "errorRate": %s, "latency": {"median": %s, "p95": %s},
             "prices": {"input": 0.15, "output": 0.6}, "inputTokens": 600, "outputTokens": 200}
          ],
          "releases": [
            {"name": "v1", "deployments": ["model-a"], "prompt": "support@1"},
            {"name": "v2", "deployments": ["model-b"], "prompt": "support@2"}
          ],
          "route": {"name": "support", "baseline": "v1"},
          "canary": {
            "candidate": "v2",
            "startAtRequest": 1,
            "plan": {
              "steps": [
                {"percent": 5, "minDuration": "PT2M", "minSamples": 200},
                {"percent": 25, "minDuration": "PT2M", "minSamples": 200},
                {"percent": 50, "minDuration": "PT2M", "minSamples": 200}
              ],
              "maxErrorRateIncrease": 0.01,
              "maxLatencyRatio": 1.25,
              "confidence": 0.99,
              "evaluationInterval": "PT15S",
              "inconclusiveAfter": "PT30M",
              "dryRun": %s
            }
          }
        }
        """, requests, requestsPerSecond, errorRate, 800 * latencyFactor, 2000 * latencyFactor, dryRun);
  }
}
