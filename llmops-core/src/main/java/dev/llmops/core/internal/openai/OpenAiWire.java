package dev.llmops.core.internal.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.ChatMessage.AssistantMessage;
import dev.llmops.core.chat.ChatMessage.SystemMessage;
import dev.llmops.core.chat.ChatMessage.ToolMessage;
import dev.llmops.core.chat.ChatMessage.UserMessage;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.chat.ToolChoice;
import dev.llmops.core.chat.ToolSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Converts between llmops types and OpenAI JSON. Stateless and thread-safe. */
public final class OpenAiWire {

  /** The shared mapper; Jackson mappers are thread-safe once configured. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiWire() {}

  // ---------------------------------------------------------------- chat requests

  /** The JSON body of a chat-completions request. */
  public static ObjectNode chatRequest(ChatRequest request, String model, boolean stream, boolean streamUsage) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : request.messages()) {
      messages.add(message(message));
    }
    putIfSet(body, "temperature", request.temperature());
    putIfSet(body, "top_p", request.topP());
    if (request.maxTokens() != null) {
      body.put("max_tokens", request.maxTokens());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (request.seed() != null) {
      body.put("seed", request.seed());
    }
    putIfSet(body, "presence_penalty", request.presencePenalty());
    putIfSet(body, "frequency_penalty", request.frequencyPenalty());
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpecification tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name()).put("description", tool.description());
        function.set("parameters", parseEmbedded("parameters schema of tool '" + tool.name() + "'",
            tool.parametersJsonSchema()));
      }
    }
    ToolChoice choice = request.toolChoice();
    if (choice != null) {
      switch (choice.mode()) {
        case AUTO -> body.put("tool_choice", "auto");
        case NONE -> body.put("tool_choice", "none");
        case REQUIRED -> body.put("tool_choice", "required");
        case FUNCTION -> body.putObject("tool_choice").put("type", "function")
            .putObject("function").put("name", choice.functionName());
      }
    }
    ResponseFormat format = request.responseFormat();
    if (format instanceof ResponseFormat.JsonObject) {
      body.putObject("response_format").put("type", "json_object");
    } else if (format instanceof ResponseFormat.JsonSchema schema) {
      ObjectNode jsonSchema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
      jsonSchema.put("name", schema.name()).put("strict", schema.strict());
      jsonSchema.set("schema", parseEmbedded("response schema '" + schema.name() + "'", schema.schemaJson()));
    }
    if (stream) {
      body.put("stream", true);
      if (streamUsage) {
        body.putObject("stream_options").put("include_usage", true);
      }
    }
    return body;
  }

  private static ObjectNode message(ChatMessage message) {
    ObjectNode node = JSON.createObjectNode();
    if (message instanceof SystemMessage m) {
      node.put("role", "system").put("content", m.text());
    } else if (message instanceof UserMessage m) {
      node.put("role", "user").put("content", m.text());
    } else if (message instanceof ToolMessage m) {
      node.put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.text());
    } else if (message instanceof AssistantMessage m) {
      node.put("role", "assistant");
      if (m.text().isEmpty() && !m.toolCalls().isEmpty()) {
        node.putNull("content");
      } else {
        node.put("content", m.text());
      }
      if (!m.toolCalls().isEmpty()) {
        ArrayNode calls = node.putArray("tool_calls");
        for (ToolCall call : m.toolCalls()) {
          calls.add(toolCall(call));
        }
      }
    }
    return node;
  }

  private static ObjectNode toolCall(ToolCall call) {
    ObjectNode node = JSON.createObjectNode().put("id", call.id()).put("type", "function");
    node.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
    return node;
  }

  /** Reads a chat-completions request body, as a server does. */
  public static ChatRequest parseChatRequest(JsonNode body) {
    ChatRequest.Builder b = ChatRequest.builder();
    b.model(textOrNull(body, "model"));
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("'messages' must be a non-empty array");
    }
    for (JsonNode m : messages) {
      String role = m.path("role").asText("");
      String content = contentText(m.path("content"));
      switch (role) {
        case "system", "developer" -> b.system(content);
        case "user" -> b.user(content);
        case "assistant" -> b.message(new AssistantMessage(content, parseToolCalls(m.path("tool_calls"))));
        case "tool" -> b.message(ChatMessage.tool(m.path("tool_call_id").asText(""), content));
        default -> throw new IllegalArgumentException("unknown message role '" + role + "'");
      }
    }
    if (body.hasNonNull("temperature")) {
      b.temperature(body.get("temperature").asDouble());
    }
    if (body.hasNonNull("top_p")) {
      b.topP(body.get("top_p").asDouble());
    }
    JsonNode maxTokens = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull()) {
      b.maxTokens(maxTokens.asInt());
    }
    JsonNode stop = body.path("stop");
    if (stop.isTextual()) {
      b.stop(stop.asText());
    } else if (stop.isArray()) {
      stop.forEach(s -> b.stop(s.asText()));
    }
    if (body.hasNonNull("seed")) {
      b.seed(body.get("seed").asLong());
    }
    if (body.hasNonNull("presence_penalty")) {
      b.presencePenalty(body.get("presence_penalty").asDouble());
    }
    if (body.hasNonNull("frequency_penalty")) {
      b.frequencyPenalty(body.get("frequency_penalty").asDouble());
    }
    for (JsonNode tool : body.path("tools")) {
      JsonNode f = tool.path("function");
      b.tool(new ToolSpecification(f.path("name").asText(""), f.path("description").asText(""),
          f.path("parameters").isMissingNode() ? "{}" : f.path("parameters").toString()));
    }
    JsonNode choice = body.path("tool_choice");
    if (choice.isTextual()) {
      b.toolChoice(switch (choice.asText()) {
        case "none" -> ToolChoice.none();
        case "required" -> ToolChoice.required();
        default -> ToolChoice.auto();
      });
    } else if (choice.isObject()) {
      b.toolChoice(ToolChoice.function(choice.path("function").path("name").asText("")));
    }
    JsonNode format = body.path("response_format");
    switch (format.path("type").asText("text")) {
      case "json_object" -> b.responseFormat(ResponseFormat.jsonObject());
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema");
        b.responseFormat(ResponseFormat.jsonSchema(schema.path("name").asText("schema"),
            schema.path("schema").toString(), schema.path("strict").asBoolean(false)));
      }
      default -> { }
    }
    return b.build();
  }

  private static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) { // content parts: keep the text parts
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asText())) {
          text.append(part.path("text").asText(""));
        }
      }
      return text.toString();
    }
    return "";
  }

  // ---------------------------------------------------------------- chat responses

  /** Reads a non-streamed chat-completions response. */
  public static ChatResponse parseChatResponse(JsonNode body, String requestedModel, Duration latency) {
    try {
      JsonNode choices = body.path("choices");
      if (!choices.isArray() || choices.isEmpty()) {
        throw new MalformedResponseException("the response has no 'choices': " + abbreviate(body.toString()));
      }
      JsonNode choice = choices.get(0);
      JsonNode message = choice.path("message");
      if (!message.isObject()) {
        throw new MalformedResponseException("the first choice has no 'message': " + abbreviate(choice.toString()));
      }
      List<ToolCall> toolCalls = parseToolCalls(message.path("tool_calls"));
      FinishReason finish = finishReason(textOrNull(choice, "finish_reason"), !toolCalls.isEmpty());
      return new ChatResponse(contentText(message.path("content")), toolCalls, finish,
          parseUsage(body.path("usage")), modelOr(body, requestedModel), latency, null, textOrNull(body, "id"));
    } catch (IllegalArgumentException e) {
      throw new MalformedResponseException("the response is not a valid chat completion: " + e.getMessage(), e);
    }
  }

  private static List<ToolCall> parseToolCalls(JsonNode calls) {
    List<ToolCall> result = new ArrayList<>();
    for (JsonNode call : calls) {
      JsonNode f = call.path("function");
      result.add(new ToolCall(call.path("id").asText(""), f.path("name").asText(""), f.path("arguments").asText("")));
    }
    return result;
  }

  /** Reads an OpenAI usage object; {@code null} when absent. */
  public static @Nullable TokenUsage parseUsage(JsonNode usage) {
    if (!usage.isObject()) {
      return null;
    }
    return new TokenUsage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
        usage.path("prompt_tokens_details").path("cached_tokens").asInt(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0));
  }

  /** Maps an OpenAI finish reason; a missing one with tool calls is {@link FinishReason#TOOL_CALLS}. */
  public static FinishReason finishReason(@Nullable String reason, boolean hasToolCalls) {
    if (reason == null) {
      return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
    return switch (reason) {
      case "stop", "eos", "stop_sequence", "end_turn" -> FinishReason.STOP;
      case "length", "max_tokens" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** The OpenAI name of a finish reason, as a server writes it. */
  public static String finishReasonName(FinishReason reason) {
    return switch (reason) {
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      case STOP, CANCELLED, OTHER -> "stop";
    };
  }

  /** A non-streamed chat-completions response body, as a server writes it. */
  public static ObjectNode chatResponse(ChatResponse response, String id, long created) {
    ObjectNode body = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
        .put("created", created).put("model", response.modelId());
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.set("role", JSON.getNodeFactory().textNode("assistant"));
    if (response.text().isEmpty() && response.hasToolCalls()) {
      message.putNull("content");
    } else {
      message.put("content", response.text());
    }
    if (response.hasToolCalls()) {
      ArrayNode calls = message.putArray("tool_calls");
      response.toolCalls().forEach(c -> calls.add(toolCall(c)));
    }
    choice.put("finish_reason", finishReasonName(response.finishReason()));
    TokenUsage usage = response.usage();
    if (usage != null) {
      body.set("usage", usage(usage));
    }
    return body;
  }

  /** An OpenAI usage object. */
  public static ObjectNode usage(TokenUsage usage) {
    ObjectNode node = JSON.createObjectNode().put("prompt_tokens", usage.inputTokens())
        .put("completion_tokens", usage.outputTokens()).put("total_tokens", usage.totalTokens());
    node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
    node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    return node;
  }

  /** One streamed chunk carrying a piece of text (and, first, the role), as a server writes it. */
  public static ObjectNode contentChunk(String id, long created, String model, String text, boolean first) {
    ObjectNode chunk = chunk(id, created, model);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (first) {
      delta.put("role", "assistant");
    }
    delta.put("content", text);
    choice.putNull("finish_reason");
    return chunk;
  }

  /** The last choice chunk of a stream: tool calls, if any, and the finish reason. */
  public static ObjectNode finishChunk(String id, long created, ChatResponse response) {
    ObjectNode chunk = chunk(id, created, response.modelId());
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (response.hasToolCalls()) {
      ArrayNode calls = delta.putArray("tool_calls");
      for (int i = 0; i < response.toolCalls().size(); i++) {
        calls.add(toolCall(response.toolCalls().get(i)).put("index", i));
      }
    }
    choice.put("finish_reason", finishReasonName(response.finishReason()));
    return chunk;
  }

  /** The usage chunk that ends a stream when the client asked for {@code include_usage}. */
  public static ObjectNode usageChunk(String id, long created, String model, TokenUsage usage) {
    ObjectNode chunk = chunk(id, created, model);
    chunk.putArray("choices");
    chunk.set("usage", usage(usage));
    return chunk;
  }

  private static ObjectNode chunk(String id, long created, String model) {
    return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
        .put("created", created).put("model", model);
  }

  // ---------------------------------------------------------------- embeddings

  /** The JSON body of an embeddings request. */
  public static ObjectNode embeddingRequest(String model, List<String> inputs, @Nullable Integer dimensions) {
    ObjectNode body = JSON.createObjectNode().put("model", model).put("encoding_format", "float");
    ArrayNode input = body.putArray("input");
    inputs.forEach(input::add);
    if (dimensions != null) {
      body.put("dimensions", dimensions);
    }
    return body;
  }

  /** An embeddings response body, as a server writes it. */
  public static ObjectNode embeddingResponse(String model, List<float[]> vectors, int promptTokens) {
    ObjectNode body = JSON.createObjectNode().put("object", "list").put("model", model);
    ArrayNode data = body.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode values = item.putArray("embedding");
      for (float v : vectors.get(i)) {
        values.add(v);
      }
    }
    body.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
    return body;
  }

  /**
   * Reads the vectors of an embeddings response, ordered by their {@code index}.
   *
   * @throws MalformedResponseException if an index is missing, repeated or out of range, or a vector is
   *     empty or of a different dimension than the others
   */
  public static float[][] parseEmbeddingVectors(JsonNode body, int expected) {
    JsonNode data = body.path("data");
    if (!data.isArray()) {
      throw new MalformedResponseException("the embeddings response has no 'data' array: " + abbreviate(body.toString()));
    }
    if (data.size() != expected) {
      throw new MalformedResponseException(
          "asked for " + expected + " embeddings but the response has " + data.size());
    }
    float[][] vectors = new float[expected][];
    for (int position = 0; position < expected; position++) {
      JsonNode item = data.get(position);
      int index = item.path("index").asInt(position);
      if (index < 0 || index >= expected || vectors[index] != null) {
        throw new MalformedResponseException("embedding index " + index + " is out of range or repeated");
      }
      JsonNode values = item.path("embedding");
      if (!values.isArray() || values.isEmpty()) {
        throw new MalformedResponseException("embedding " + index + " is not a non-empty array of numbers");
      }
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        JsonNode v = values.get(i);
        if (!v.isNumber()) {
          throw new MalformedResponseException("embedding " + index + " has a non-number at position " + i);
        }
        vector[i] = v.floatValue();
      }
      if (index > 0 && vectors[0] != null && vectors[0].length != vector.length) {
        throw new MalformedResponseException("embeddings have different dimensions: "
            + vectors[0].length + " and " + vector.length);
      }
      vectors[index] = vector;
    }
    return vectors;
  }

  /** The input strings of an embeddings request, as a server reads them. */
  public static List<String> parseEmbeddingInputs(JsonNode body) {
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    if (!input.isArray()) {
      throw new IllegalArgumentException("'input' must be a string or an array of strings");
    }
    List<String> inputs = new ArrayList<>();
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException("'input' items must be strings (token arrays are not supported)");
      }
      inputs.add(item.asText());
    }
    return inputs;
  }

  // ---------------------------------------------------------------- errors

  /** An OpenAI error body. */
  public static ObjectNode errorBody(String message, String type, @Nullable String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error").put("message", message).put("type", type);
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return body;
  }

  // ---------------------------------------------------------------- helpers

  /** Parses JSON text from a server; a syntax error becomes a {@link MalformedResponseException}. */
  public static JsonNode parseResponse(String what, String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new MalformedResponseException(what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(what + " is not valid JSON (" + e.getOriginalMessage() + "): "
          + abbreviate(text), e);
    }
  }

  private static JsonNode parseEmbedded(String what, String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the " + what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static @Nullable String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String modelOr(JsonNode body, String fallback) {
    String model = textOrNull(body, "model");
    return model == null || model.isBlank() ? fallback : model;
  }

  private static void putIfSet(ObjectNode body, String field, @Nullable Double value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  /** Shortens text for an error message. */
  public static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
  }
}
