package dev.llmops.core.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.StreamListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written OpenAI wire JSON for scripting the test server (deliberately not produced by the code
 * under test), and a recording stream listener.
 */
final class OpenAiJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiJson() {}

  /** {@code text} as a JSON string literal, quotes included. */
  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** A chat.completion with one choice whose message has {@code content}. */
  static String completion(String content, String finishReason) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-test-0001\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(content) + "},"
        + "\"finish_reason\":" + quote(finishReason) + "}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";
  }

  /** A chunk whose delta carries {@code content}. */
  static String contentChunk(String content) {
    return "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test-0001\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(content) + "},\"finish_reason\":null}]}";
  }

  /** The first chunk of a stream: the role, no content. */
  static String roleChunk() {
    return "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test-0001\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";
  }

  /** A chunk with an empty delta and {@code reason}. */
  static String finishChunk(String reason) {
    return "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test-0001\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":" + quote(reason) + "}]}";
  }

  /** The usage chunk that ends a stream with {@code include_usage}: no choices. */
  static String usageChunk(int prompt, int completion, int cached, int reasoning) {
    return "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test-0001\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}"
        + ",\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoning + "}}}";
  }

  /** A small valid request. */
  static ChatRequest hello() {
    return ChatRequest.of("Say hello");
  }

  /** Records the tokens it receives; cancels once it holds {@code cancelAfter} of them. */
  static final class RecordingListener implements StreamListener {
    final List<String> tokens = new ArrayList<>();
    private final int cancelAfter;

    RecordingListener() {
      this(Integer.MAX_VALUE);
    }

    RecordingListener(int cancelAfter) {
      this.cancelAfter = cancelAfter;
    }

    @Override
    public void onToken(String token) {
      tokens.add(token);
    }

    @Override
    public boolean isCancelled() {
      return tokens.size() >= cancelAfter;
    }

    String text() {
      return String.join("", tokens);
    }
  }
}
