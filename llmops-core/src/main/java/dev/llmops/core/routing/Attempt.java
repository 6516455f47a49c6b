package dev.llmops.core.routing;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One try of one deployment during a routed call, in the order they happened.
 *
 * @param deployment the deployment's name
 * @param outcome what happened
 * @param errorClass the failure's class, or {@code null} when it did not fail
 * @param detail the failure's message or why the deployment was passed over; {@code null} on success
 * @param backoff how long the router waited before this try
 * @param duration how long the try took (zero when skipped)
 */
public record Attempt(
    String deployment, Outcome outcome, @Nullable ErrorClass errorClass, @Nullable String detail, Duration backoff,
    Duration duration) {

  /** What a try came to. */
  public enum Outcome {
    /** The deployment answered. */
    SUCCEEDED,
    /** The deployment was called and failed. */
    FAILED,
    /** The deployment was passed over: its circuit is open, it is at its concurrency limit, or it is retired. */
    SKIPPED
  }
}
