package dev.llmops.core.prompt;

import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatRequest;
import java.util.List;
import java.util.Objects;

/**
 * A prompt version rendered with values.
 *
 * @param name the prompt's name
 * @param version the version that was rendered
 * @param messages the rendered messages; a text template renders to one user message
 * @param modelConfig the version's model settings
 */
public record RenderedPrompt(String name, int version, List<ChatMessage> messages, ModelConfig modelConfig) {

  /** Validates and copies. */
  public RenderedPrompt {
    Objects.requireNonNull(name, "name");
    messages = List.copyOf(messages);
    Objects.requireNonNull(modelConfig, "modelConfig");
  }

  /** {@code name@version}, as lineage records it. */
  public String ref() {
    return name + "@" + version;
  }

  /** The rendered text: the text template's output, or the chat messages' texts joined by blank lines. */
  public String text() {
    return String.join("\n\n", messages.stream().map(ChatMessage::text).toList());
  }

  /** A chat request with the rendered messages and the version's model settings. */
  public ChatRequest toChatRequest() {
    return ChatRequest.builder().messages(messages).model(modelConfig.model()).temperature(modelConfig.temperature())
        .maxTokens(modelConfig.maxTokens()).stop(modelConfig.stop().toArray(String[]::new))
        .responseFormat(modelConfig.responseFormat()).build();
  }
}
