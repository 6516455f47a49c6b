package dev.llmops.core.routing;

import dev.llmops.core.AuthenticationException;
import dev.llmops.core.CancelledException;
import dev.llmops.core.ContextTooLongException;
import dev.llmops.core.PolicyViolationException;
import dev.llmops.core.QuotaExceededException;
import dev.llmops.core.RateLimitedException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.RetriableException;

/**
 * What kind of failure a call to a deployment ended with; the router retries, fails over and falls back by it.
 */
public enum ErrorClass {
  /** HTTP 429 or a local limit: retried after the delay the server named, then the next deployment. */
  RATE_LIMITED(true),
  /** 5xx, connection refused or dropped: retried with backoff, then the next deployment. */
  UNAVAILABLE(true),
  /** No answer in time: retried with backoff, then the next deployment. */
  TIMEOUT(true),
  /** The conversation does not fit the model: not retried; a route's fallback for this class may take it. */
  CONTEXT_TOO_LONG(false),
  /** The provider's content policy refused it: not retried; a route's fallback for this class may take it. */
  CONTENT_POLICY(false),
  /** Credentials wrong or quota spent at this deployment: not retried there; the next deployment is tried. */
  DEPLOYMENT_REFUSED(false),
  /** The caller gave up: nothing more is tried. */
  CANCELLED(false),
  /** The request itself is wrong (or any other non-retriable failure): it would fail anywhere, so it fails now. */
  INVALID_REQUEST(false);

  private final boolean retriable;

  ErrorClass(boolean retriable) {
    this.retriable = retriable;
  }

  /** Whether the same call to the same deployment may succeed later. */
  public boolean isRetriable() {
    return retriable;
  }

  /** The class of {@code failure}. */
  public static ErrorClass of(Throwable failure) {
    if (failure instanceof RateLimitedException) {
      return RATE_LIMITED;
    }
    if (failure instanceof RequestTimeoutException) {
      return TIMEOUT;
    }
    if (failure instanceof RetriableException) {
      return UNAVAILABLE;
    }
    if (failure instanceof ContextTooLongException) {
      return CONTEXT_TOO_LONG;
    }
    if (failure instanceof PolicyViolationException) {
      return CONTENT_POLICY;
    }
    if (failure instanceof AuthenticationException || failure instanceof QuotaExceededException) {
      return DEPLOYMENT_REFUSED;
    }
    if (failure instanceof CancelledException) {
      return CANCELLED;
    }
    if (failure instanceof dev.llmops.core.LlmOpsException) {
      return INVALID_REQUEST;
    }
    return UNAVAILABLE; // a bug or an unexpected exception in a model implementation: treat it as an outage
  }

  /** Whether a failure of this class says something about the deployment's health (counts toward its circuit). */
  public boolean countsAgainstDeployment() {
    return retriable || this == DEPLOYMENT_REFUSED;
  }
}
