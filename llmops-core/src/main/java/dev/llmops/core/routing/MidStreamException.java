package dev.llmops.core.routing;

import dev.llmops.core.RetriableException;
import java.io.Serial;

/**
 * A streamed answer broke after its first token had reached the caller. The router fails over to another
 * deployment only before that point: after it, a second model would start a different answer behind tokens the
 * caller already showed, so the failure surfaces instead, with how far the stream got. Retriable in that the same
 * request may succeed from the start; the caller decides whether to discard what it showed.
 */
public class MidStreamException extends RetriableException {
  @Serial private static final long serialVersionUID = 1L;

  private final String deployment;
  private final int tokensDelivered;
  private final String partialText;

  /**
   * Creates the exception.
   *
   * @param deployment the deployment whose stream broke
   * @param tokensDelivered how many tokens reached the caller
   * @param partialText the text that reached the caller
   * @param cause the deployment's failure
   */
  public MidStreamException(String deployment, int tokensDelivered, String partialText, Throwable cause) {
    super("the stream from deployment '" + deployment + "' broke after " + tokensDelivered
        + " token(s) had reached the caller, so it was not failed over: " + cause.getMessage(), null, cause);
    this.deployment = deployment;
    this.tokensDelivered = tokensDelivered;
    this.partialText = partialText;
  }

  /** The deployment whose stream broke. */
  public String deployment() {
    return deployment;
  }

  /** How many tokens reached the caller before it broke. */
  public int tokensDelivered() {
    return tokensDelivered;
  }

  /** The text that reached the caller before it broke. */
  public String partialText() {
    return partialText;
  }
}
