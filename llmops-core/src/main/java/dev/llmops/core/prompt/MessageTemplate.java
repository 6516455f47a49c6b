package dev.llmops.core.prompt;

import dev.llmops.core.chat.Role;
import java.util.Objects;

/**
 * One message of a chat template.
 *
 * @param role who speaks; {@link Role#TOOL} is not allowed in templates
 * @param template the Mustache template of the message text
 */
public record MessageTemplate(Role role, String template) {

  /** Validates the fields. */
  public MessageTemplate {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(template, "template");
    if (role == Role.TOOL) {
      throw new dev.llmops.core.InvalidRequestException("a chat template cannot contain tool messages");
    }
  }

  /** A system message template. */
  public static MessageTemplate system(String template) {
    return new MessageTemplate(Role.SYSTEM, template);
  }

  /** A user message template. */
  public static MessageTemplate user(String template) {
    return new MessageTemplate(Role.USER, template);
  }

  /** An assistant message template (for few-shot examples). */
  public static MessageTemplate assistant(String template) {
    return new MessageTemplate(Role.ASSISTANT, template);
  }
}
