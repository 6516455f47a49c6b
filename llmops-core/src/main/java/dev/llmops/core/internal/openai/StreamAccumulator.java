package dev.llmops.core.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Folds the chunks of a streamed chat completion into one {@link ChatResponse}: concatenates the content,
 * assembles tool calls from their deltas by index, and keeps the finish reason, usage, model and id.
 * Content is passed on as it arrives, except that a trailing high surrogate is held back until its pair
 * arrives, so no piece splits a code point. Not thread-safe: one stream, one thread.
 */
public final class StreamAccumulator {

  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, PartialToolCall> toolCalls = new TreeMap<>();
  private final Consumer<String> onText;
  private @Nullable String pendingHighSurrogate;
  private @Nullable String finishReason;
  private @Nullable TokenUsage usage;
  private @Nullable String model;
  private @Nullable String id;
  private int pieces;

  /** @param onText receives each piece of content, never empty */
  public StreamAccumulator(Consumer<String> onText) {
    this.onText = onText;
  }

  /** Applies one chunk. */
  public void accept(JsonNode chunk) {
    if (!chunk.isObject()) {
      throw new MalformedResponseException("a stream chunk is not a JSON object: " + OpenAiWire.abbreviate(chunk.toString()));
    }
    if (chunk.hasNonNull("error")) {
      throw new MalformedResponseException("the stream carried an error: " + OpenAiWire.abbreviate(chunk.get("error").toString()));
    }
    if (model == null) {
      model = OpenAiWire.textOrNull(chunk, "model");
    }
    if (id == null) {
      id = OpenAiWire.textOrNull(chunk, "id");
    }
    try {
      TokenUsage chunkUsage = OpenAiWire.parseUsage(chunk.path("usage"));
      if (chunkUsage != null) {
        usage = chunkUsage;
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedResponseException("the stream's usage is invalid: " + e.getMessage(), e);
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue;
      }
      JsonNode delta = choice.path("delta");
      JsonNode content = delta.path("content");
      if (content.isTextual() && !content.asText().isEmpty()) {
        emit(content.asText());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        int index = call.path("index").asInt(toolCalls.size());
        PartialToolCall partial = toolCalls.computeIfAbsent(index, i -> new PartialToolCall());
        partial.apply(call);
      }
      String reason = OpenAiWire.textOrNull(choice, "finish_reason");
      if (reason != null) {
        finishReason = reason;
      }
    }
  }

  private void emit(String piece) {
    String out = pendingHighSurrogate == null ? piece : pendingHighSurrogate + piece;
    pendingHighSurrogate = null;
    if (Character.isHighSurrogate(out.charAt(out.length() - 1))) {
      pendingHighSurrogate = out.substring(out.length() - 1);
      out = out.substring(0, out.length() - 1);
    }
    if (!out.isEmpty()) {
      text.append(out);
      pieces++;
      onText.accept(out);
    }
  }

  /** Whether a finish reason arrived, meaning the model completed its answer. */
  public boolean finished() {
    return finishReason != null;
  }

  /** How many text pieces were delivered so far. */
  public int pieces() {
    return pieces;
  }

  /** The response assembled so far. */
  public ChatResponse response(String requestedModel, Duration latency, @Nullable Duration timeToFirstToken,
      @Nullable FinishReason override) {
    if (pendingHighSurrogate != null && override == FinishReason.CANCELLED) {
      pendingHighSurrogate = null; // half a character the caller no longer wants: never deliver it alone
    }
    if (pendingHighSurrogate != null) { // the server ended on an unpaired surrogate: deliver it as it came
      String last = pendingHighSurrogate;
      pendingHighSurrogate = null;
      text.append(last);
      onText.accept(last);
    }
    List<ToolCall> calls = new ArrayList<>();
    toolCalls.values().forEach(p -> calls.add(p.toToolCall()));
    FinishReason finish = override != null ? override : OpenAiWire.finishReason(finishReason, !calls.isEmpty());
    String modelId = model == null || model.isBlank() ? requestedModel : model;
    return new ChatResponse(text.toString(), calls, finish, usage, modelId, latency, timeToFirstToken, id);
  }

  private static final class PartialToolCall {
    private String id = "";
    private String name = "";
    private final StringBuilder arguments = new StringBuilder();

    void apply(JsonNode delta) {
      String deltaId = OpenAiWire.textOrNull(delta, "id");
      if (deltaId != null && !deltaId.isEmpty()) {
        id = deltaId;
      }
      JsonNode function = delta.path("function");
      String deltaName = OpenAiWire.textOrNull(function, "name");
      if (deltaName != null && !deltaName.isEmpty()) {
        name = deltaName;
      }
      String args = OpenAiWire.textOrNull(function, "arguments");
      if (args != null) {
        arguments.append(args);
      }
    }

    ToolCall toToolCall() {
      return new ToolCall(id, name, arguments.toString());
    }
  }
}
