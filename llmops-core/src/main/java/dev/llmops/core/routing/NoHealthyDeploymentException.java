package dev.llmops.core.routing;

import dev.llmops.core.UnavailableException;
import java.io.Serial;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * No deployment of the chosen release (nor a fallback) could take the call: every one is cooling down after
 * failures, at its concurrency limit, or retired. The message names the route, the release and each deployment
 * with its state. Retriable: circuits close and calls finish; {@link #retryAfter()} is the earliest a cooling
 * deployment takes calls again, when one is cooling.
 */
public class NoHealthyDeploymentException extends UnavailableException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the route, release and every deployment's state
   * @param retryAfter the earliest a deployment takes calls again, or {@code null}
   */
  public NoHealthyDeploymentException(String message, @Nullable Duration retryAfter) {
    super(message, retryAfter, null);
  }
}
