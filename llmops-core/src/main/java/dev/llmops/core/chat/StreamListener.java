package dev.llmops.core.chat;

/**
 * Receives the tokens of a streamed answer as the model produces them. Called on the thread that called
 * {@link ChatModel#stream(ChatRequest, StreamListener)}, one token at a time, in order.
 */
@FunctionalInterface
public interface StreamListener {

  /**
   * A piece of the answer text. Concatenating every piece gives {@link ChatResponse#text()}; a piece
   * never splits a Unicode code point.
   *
   * @param token the next piece of text, never empty
   */
  void onToken(String token);

  /**
   * Polled after each token; once it returns {@code true} the model stops, releases the connection and
   * returns a response with {@link FinishReason#CANCELLED} and the text so far.
   *
   * @return whether the caller no longer wants the rest of the answer
   */
  default boolean isCancelled() {
    return false;
  }
}
