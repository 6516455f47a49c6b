package dev.llmops.core.guard;

import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.retrieval.RetrievedChunk;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link OutputGuard} inspects.
 *
 * @param text the model's answer (or, when guarding a stream, the answer so far)
 * @param question the user input the answer responds to
 * @param sources the retrieved chunks the answer should be grounded in
 * @param toolCalls the tool calls the model asked for
 * @param tenant the caller's tenant, or {@code null}
 * @param attributes free-form request attributes
 */
public record OutputContext(
    String text, String question, List<RetrievedChunk> sources, List<ToolCall> toolCalls,
    @Nullable String tenant, Map<String, String> attributes) {

  /** Validates and copies. */
  public OutputContext {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(question, "question");
    sources = List.copyOf(sources);
    toolCalls = List.copyOf(toolCalls);
    attributes = Map.copyOf(attributes);
  }

  /** The context of an answer with no question, sources, tool calls or attributes. */
  public static OutputContext of(String text) {
    return new OutputContext(text, "", List.of(), List.of(), null, Map.of());
  }
}
