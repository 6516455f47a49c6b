package dev.llmops.core.internal.routing;

import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.chat.ToolChoice;
import dev.llmops.core.chat.ToolSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The response cache's keys of one {@link ChatRequest}: SHA-256 digests of a canonical serialisation of everything
 * that shapes the answer.
 *
 * <p>The serialisation writes every field in a fixed order, each string as its UTF-8 length followed by its bytes,
 * each optional value behind a presence byte and each list behind its size, so two requests share a digest only
 * when every field is equal. Doubles are written by their bits with {@code -0.0} folded into {@code 0.0}. Lists keep
 * their order (stop sequences and tools included): a reordered list is a different request.
 *
 * @param exact the digest of the whole request, as 64 lowercase hex digits
 * @param context the digest of the request with the last user message's text left out, as 64 hex digits; equal
 *     for two requests that differ only in that text
 * @param lastUserText the text of the last user message, or {@code null} when the request has no user message
 */
public record RequestFingerprint(String exact, String context, @Nullable String lastUserText) {

  private static final byte[] VERSION = "llmops-chat-request-v1".getBytes(StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Fingerprints {@code request}.
   *
   * @param request the request
   * @return its digests and last user text
   */
  public static RequestFingerprint of(ChatRequest request) {
    Writer w = new Writer();
    w.bytes(VERSION);
    w.nullableString(request.model());
    List<ChatMessage> messages = request.messages();
    int lastUser = -1;
    for (int i = messages.size() - 1; i >= 0 && lastUser < 0; i--) {
      if (messages.get(i) instanceof ChatMessage.UserMessage) {
        lastUser = i;
      }
    }
    w.integer(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      w.string(m.role().name());
      if (i == lastUser) {
        w.exactOnly(m.text());
      } else if (m instanceof ChatMessage.AssistantMessage assistant) {
        w.string(assistant.text());
        w.integer(assistant.toolCalls().size());
        for (ToolCall call : assistant.toolCalls()) {
          w.string(call.id());
          w.string(call.name());
          w.string(call.argumentsJson());
        }
      } else if (m instanceof ChatMessage.ToolMessage tool) {
        w.string(tool.toolCallId());
        w.string(tool.text());
      } else { // system and user messages: the role and the text are all there is
        w.string(m.text());
      }
    }
    w.nullableDouble(request.temperature());
    w.nullableDouble(request.topP());
    Integer maxTokens = request.maxTokens();
    w.present(maxTokens != null);
    if (maxTokens != null) {
      w.integer(maxTokens);
    }
    w.integer(request.stop().size());
    request.stop().forEach(w::string);
    Long seed = request.seed();
    w.present(seed != null);
    if (seed != null) {
      w.longValue(seed);
    }
    w.nullableDouble(request.presencePenalty());
    w.nullableDouble(request.frequencyPenalty());
    w.integer(request.tools().size());
    for (ToolSpecification tool : request.tools()) {
      w.string(tool.name());
      w.string(tool.description());
      w.string(tool.parametersJsonSchema());
    }
    ToolChoice choice = request.toolChoice();
    w.present(choice != null);
    if (choice != null) {
      w.string(choice.mode().name());
      w.nullableString(choice.functionName());
    }
    ResponseFormat format = request.responseFormat();
    if (format instanceof ResponseFormat.JsonSchema schema) {
      w.string("json_schema");
      w.string(schema.name());
      w.string(schema.schemaJson());
      w.present(schema.strict());
    } else if (format instanceof ResponseFormat.JsonObject) {
      w.string("json_object");
    } else {
      w.string("text");
    }
    return new RequestFingerprint(HEX.formatHex(w.exact.digest()), HEX.formatHex(w.context.digest()),
        lastUser < 0 ? null : messages.get(lastUser).text());
  }

  /** Feeds the same canonical bytes to two digests, except for the one value only the exact key holds. */
  private static final class Writer {
    final MessageDigest exact = sha256();
    final MessageDigest context = sha256();
    private final byte[] scratch = new byte[8];

    void bytes(byte[] b) {
      exact.update(b);
      context.update(b);
    }

    void integer(int v) {
      for (int i = 0; i < 4; i++) {
        scratch[i] = (byte) (v >>> (24 - 8 * i));
      }
      exact.update(scratch, 0, 4);
      context.update(scratch, 0, 4);
    }

    void longValue(long v) {
      for (int i = 0; i < 8; i++) {
        scratch[i] = (byte) (v >>> (56 - 8 * i));
      }
      exact.update(scratch, 0, 8);
      context.update(scratch, 0, 8);
    }

    void present(boolean present) {
      exact.update((byte) (present ? 1 : 0));
      context.update((byte) (present ? 1 : 0));
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      integer(b.length);
      bytes(b);
    }

    void nullableString(@Nullable String s) {
      present(s != null);
      if (s != null) {
        string(s);
      }
    }

    void nullableDouble(@Nullable Double d) {
      present(d != null);
      if (d != null) {
        longValue(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
      }
    }

    /** The masked text: the exact digest gets it with a marker, the context digest only the marker. */
    void exactOnly(String text) {
      exact.update((byte) 1);
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 4; i++) {
        scratch[i] = (byte) (b.length >>> (24 - 8 * i));
      }
      exact.update(scratch, 0, 4);
      exact.update(b);
      context.update((byte) 0);
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime must provide SHA-256, but this one does not", e);
      }
    }
  }
}
