package dev.llmops.core.chat;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation. The set of kinds is closed, so a {@code switch} over a message covers
 * every case.
 */
public sealed interface ChatMessage {

  /** Who wrote the message. */
  Role role();

  /** The message text; empty for an assistant message that only calls tools. */
  String text();

  /** A system message. */
  static SystemMessage system(String text) {
    return new SystemMessage(text);
  }

  /** A user message. */
  static UserMessage user(String text) {
    return new UserMessage(text);
  }

  /** An assistant message with text only. */
  static AssistantMessage assistant(String text) {
    return new AssistantMessage(text, List.of());
  }

  /** The result of the tool call with id {@code toolCallId}. */
  static ToolMessage tool(String toolCallId, String result) {
    return new ToolMessage(toolCallId, result);
  }

  /**
   * Instructions that frame the conversation.
   *
   * @param text the instructions
   */
  record SystemMessage(String text) implements ChatMessage {
    /** Validates the text. */
    public SystemMessage {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public Role role() {
      return Role.SYSTEM;
    }
  }

  /**
   * What the end user said.
   *
   * @param text the user's words
   */
  record UserMessage(String text) implements ChatMessage {
    /** Validates the text. */
    public UserMessage {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public Role role() {
      return Role.USER;
    }
  }

  /**
   * What the model said earlier, possibly asking for tools to be called.
   *
   * @param text the answer text, empty when the message only calls tools
   * @param toolCalls the calls the model asked for, in order
   */
  record AssistantMessage(String text, List<ToolCall> toolCalls) implements ChatMessage {
    /** Validates and copies. */
    public AssistantMessage {
      Objects.requireNonNull(text, "text");
      toolCalls = List.copyOf(toolCalls);
    }

    @Override
    public Role role() {
      return Role.ASSISTANT;
    }

    /**
     * The assistant message that carries a response back into the conversation.
     *
     * @param response a model's answer
     * @return the message to append to the history
     */
    public static AssistantMessage of(ChatResponse response) {
      return new AssistantMessage(response.text(), response.toolCalls());
    }
  }

  /**
   * The result of one tool call, sent back to the model.
   *
   * @param toolCallId the {@link ToolCall#id()} this answers
   * @param text the tool's result, usually JSON
   */
  record ToolMessage(String toolCallId, String text) implements ChatMessage {
    /** Validates the fields. */
    public ToolMessage {
      if (toolCallId.isBlank()) {
        throw new IllegalArgumentException("toolCallId must not be blank");
      }
      Objects.requireNonNull(text, "text");
    }

    @Override
    public Role role() {
      return Role.TOOL;
    }
  }

  /**
   * The text of the last user message in {@code messages}, or {@code null} if there is none.
   *
   * @param messages a conversation
   * @return the last user turn's text
   */
  static @Nullable String lastUserText(List<? extends ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof UserMessage user) {
        return user.text();
      }
    }
    return null;
  }
}
