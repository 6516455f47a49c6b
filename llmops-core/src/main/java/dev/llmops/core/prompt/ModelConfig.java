package dev.llmops.core.prompt;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ResponseFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The model settings a prompt version was written for; applied by {@link RenderedPrompt#toChatRequest()}.
 * Unset values ({@code null}) leave the model's default.
 *
 * @param model the model id
 * @param temperature sampling temperature in {@code [0, 2]}
 * @param maxTokens the most tokens to generate
 * @param stop stop sequences
 * @param responseFormat the answer's shape (text, JSON, JSON with a schema)
 */
public record ModelConfig(
    @Nullable String model, @Nullable Double temperature, @Nullable Integer maxTokens, List<String> stop,
    ResponseFormat responseFormat) {

  /** No settings: the model's defaults. */
  public static final ModelConfig DEFAULTS = new ModelConfig(null, null, null, List.of(), ResponseFormat.text());

  /** Validates (with the same rules as a {@link ChatRequest}) and copies. */
  public ModelConfig {
    stop = List.copyOf(stop);
    Objects.requireNonNull(responseFormat, "responseFormat");
    if (model != null) {
      PromptNames.checkText("the model id", model);
    }
    for (String s : stop) {
      PromptNames.checkText("a stop sequence", s);
    }
    if (responseFormat instanceof ResponseFormat.JsonSchema schema) {
      PromptNames.checkText("the response schema", schema.schemaJson());
    }
    try {
      ChatRequest.builder().user("validation").model(model).temperature(temperature).maxTokens(maxTokens)
          .stop(stop.toArray(String[]::new)).responseFormat(responseFormat).build();
    } catch (IllegalArgumentException e) {
      throw new dev.llmops.core.InvalidRequestException("invalid model configuration: " + e.getMessage(), e);
    }
  }

  /** These settings with another model id. */
  public ModelConfig withModel(@Nullable String model) {
    return new ModelConfig(model, temperature, maxTokens, stop, responseFormat);
  }

  /** These settings with another temperature. */
  public ModelConfig withTemperature(@Nullable Double temperature) {
    return new ModelConfig(model, temperature, maxTokens, stop, responseFormat);
  }

  /** These settings with another token limit. */
  public ModelConfig withMaxTokens(@Nullable Integer maxTokens) {
    return new ModelConfig(model, temperature, maxTokens, stop, responseFormat);
  }

  /** These settings with other stop sequences. */
  public ModelConfig withStop(List<String> stop) {
    return new ModelConfig(model, temperature, maxTokens, stop, responseFormat);
  }

  /** These settings with another response format. */
  public ModelConfig withResponseFormat(ResponseFormat format) {
    return new ModelConfig(model, temperature, maxTokens, stop, format);
  }
}
