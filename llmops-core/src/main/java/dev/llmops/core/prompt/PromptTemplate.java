package dev.llmops.core.prompt;

import dev.llmops.core.InvalidRequestException;
import java.util.List;
import java.util.Objects;

/** What a prompt version renders: one text, or an ordered list of role messages. */
public sealed interface PromptTemplate {

  /** A text template. */
  static Text text(String template) {
    return new Text(template);
  }

  /** A chat template. */
  static Chat chat(MessageTemplate... messages) {
    return new Chat(List.of(messages));
  }

  /** Every template string in order, for validation and variable discovery. */
  List<String> sources();

  /**
   * A single text template.
   *
   * @param template the Mustache template
   */
  record Text(String template) implements PromptTemplate {
    /** Validates the template. */
    public Text {
      Objects.requireNonNull(template, "template");
    }

    @Override
    public List<String> sources() {
      return List.of(template);
    }
  }

  /**
   * A chat template.
   *
   * @param messages the message templates, in order; at least one
   */
  record Chat(List<MessageTemplate> messages) implements PromptTemplate {
    /** Validates and copies. */
    public Chat {
      messages = List.copyOf(messages);
      if (messages.isEmpty()) {
        throw new InvalidRequestException("a chat template needs at least one message");
      }
    }

    @Override
    public List<String> sources() {
      return messages.stream().map(MessageTemplate::template).toList();
    }
  }
}
