package dev.llmops.core.chat;

/**
 * A model that answers conversations. Implementations are safe to share across threads.
 *
 * <p>Failures are reported as {@link dev.llmops.core.LlmOpsException}s: a
 * {@link dev.llmops.core.RetriableException} when the same call may succeed later (rate limits, timeouts,
 * outages), a {@link dev.llmops.core.NonRetriableException} otherwise.
 */
public interface ChatModel {

  /**
   * Answers a request with the whole answer at once.
   *
   * @param request the conversation and sampling parameters
   * @return the answer
   * @throws dev.llmops.core.LlmOpsException when the model could not answer
   */
  ChatResponse chat(ChatRequest request);

  /**
   * Answers a request, handing each token to {@code listener} as it is produced, and returns the whole
   * answer when the stream ends. Blocks the calling thread until then.
   *
   * <p>If the stream fails after some tokens were delivered, the exception says how far it got; the
   * tokens already delivered stay delivered. The default implementation serves models that cannot
   * stream: it calls {@link #chat(ChatRequest)} and delivers the whole text as one token.
   *
   * @param request the conversation and sampling parameters
   * @param listener receives the tokens, on this thread
   * @return the answer; {@link FinishReason#CANCELLED} if the listener cancelled
   * @throws dev.llmops.core.LlmOpsException when the model could not answer or the stream broke
   */
  default ChatResponse stream(ChatRequest request, StreamListener listener) {
    ChatResponse response = chat(request);
    if (!response.text().isEmpty()) {
      listener.onToken(response.text());
    }
    return response;
  }

  /**
   * Asks one question without history.
   *
   * @param userMessage the question
   * @return the answer text
   */
  default String chat(String userMessage) {
    return chat(ChatRequest.of(userMessage)).text();
  }
}
