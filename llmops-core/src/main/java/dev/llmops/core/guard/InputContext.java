package dev.llmops.core.guard;

import dev.llmops.core.chat.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link InputGuard} inspects.
 *
 * @param text the text under inspection, usually the latest user message
 * @param history the earlier messages of the conversation, oldest first
 * @param tenant the caller's tenant, or {@code null}
 * @param attributes free-form request attributes (channel, locale, ...), never used as metric tags
 */
public record InputContext(
    String text, List<ChatMessage> history, @Nullable String tenant, Map<String, String> attributes) {

  /** Validates and copies. */
  public InputContext {
    Objects.requireNonNull(text, "text");
    history = List.copyOf(history);
    attributes = Map.copyOf(attributes);
  }

  /** The context of a single text with no history, tenant or attributes. */
  public static InputContext of(String text) {
    return new InputContext(text, List.of(), null, Map.of());
  }
}
