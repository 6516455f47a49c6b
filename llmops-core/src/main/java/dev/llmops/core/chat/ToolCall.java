package dev.llmops.core.chat;

/**
 * A call the model asked for.
 *
 * @param id the id to answer with a {@link ChatMessage.ToolMessage}
 * @param name the function to call
 * @param argumentsJson the arguments as JSON text, exactly as the model produced them (not validated)
 */
public record ToolCall(String id, String name, String argumentsJson) {}
