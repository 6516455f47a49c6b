package dev.llmops.core.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call to a chat model: the conversation so far and how to sample the answer. Immutable; build one
 * with {@link #builder()} or change a copy with {@link #toBuilder()}. Optional parameters are
 * {@code null} when not set, and then the model's own default applies.
 *
 * @param model the model id to ask for, or {@code null} for the client's default model
 * @param messages the conversation, oldest first; never empty
 * @param temperature sampling temperature in {@code [0, 2]}
 * @param topP nucleus sampling mass in {@code (0, 1]}
 * @param maxTokens the most tokens to generate, at least 1
 * @param stop sequences that end generation; the sequence itself is not returned
 * @param seed a seed for reproducible sampling, where the model supports one
 * @param presencePenalty penalty in {@code [-2, 2]} for tokens that already appeared
 * @param frequencyPenalty penalty in {@code [-2, 2]} proportional to how often a token appeared
 * @param tools functions the model may call
 * @param toolChoice whether and which tool must be called, or {@code null} for the model's default
 * @param responseFormat the shape of the answer
 */
public record ChatRequest(
    @Nullable String model,
    List<ChatMessage> messages,
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Integer maxTokens,
    List<String> stop,
    @Nullable Long seed,
    @Nullable Double presencePenalty,
    @Nullable Double frequencyPenalty,
    List<ToolSpecification> tools,
    @Nullable ToolChoice toolChoice,
    ResponseFormat responseFormat) {

  /** Validates every field; the message names the bad value. */
  public ChatRequest {
    messages = List.copyOf(messages);
    stop = List.copyOf(stop);
    tools = List.copyOf(tools);
    Objects.requireNonNull(responseFormat, "responseFormat");
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (model != null && model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank; leave it unset for the default model");
    }
    checkRange("temperature", temperature, 0, 2);
    checkRange("presencePenalty", presencePenalty, -2, 2);
    checkRange("frequencyPenalty", frequencyPenalty, -2, 2);
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1 but was " + maxTokens);
    }
    for (String s : stop) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop sequences must not be empty");
      }
    }
    long distinctTools = tools.stream().map(ToolSpecification::name).distinct().count();
    if (distinctTools != tools.size()) {
      throw new IllegalArgumentException("tool names must be unique but were " + tools.stream().map(ToolSpecification::name).toList());
    }
    if (toolChoice != null && tools.isEmpty() && toolChoice.mode() != ToolChoice.Mode.NONE) {
      throw new IllegalArgumentException("tool choice " + toolChoice.mode() + " needs at least one tool");
    }
    if (toolChoice != null && toolChoice.mode() == ToolChoice.Mode.FUNCTION
        && tools.stream().noneMatch(t -> t.name().equals(toolChoice.functionName()))) {
      throw new IllegalArgumentException("tool choice names function '" + toolChoice.functionName()
          + "' which is not among the tools " + tools.stream().map(ToolSpecification::name).toList());
    }
  }

  private static void checkRange(String name, @Nullable Double value, double min, double max) {
    if (value != null && (value.isNaN() || value < min || value > max)) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "] but was " + value);
    }
  }

  /** A request with one user message and defaults for everything else. */
  public static ChatRequest of(String userMessage) {
    return builder().user(userMessage).build();
  }

  /** A builder for a new request. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.messages.addAll(messages);
    b.temperature = temperature;
    b.topP = topP;
    b.maxTokens = maxTokens;
    b.stop.addAll(stop);
    b.seed = seed;
    b.presencePenalty = presencePenalty;
    b.frequencyPenalty = frequencyPenalty;
    b.tools.addAll(tools);
    b.toolChoice = toolChoice;
    b.responseFormat = responseFormat;
    return b;
  }

  /** The text of the last user message, or the empty string if there is none. */
  public String lastUserText() {
    String text = ChatMessage.lastUserText(messages);
    return text == null ? "" : text;
  }

  /** Builds a {@link ChatRequest}; every value is checked by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String model;
    private final List<ChatMessage> messages = new ArrayList<>();
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer maxTokens;
    private final List<String> stop = new ArrayList<>();
    private @Nullable Long seed;
    private @Nullable Double presencePenalty;
    private @Nullable Double frequencyPenalty;
    private final List<ToolSpecification> tools = new ArrayList<>();
    private @Nullable ToolChoice toolChoice;
    private ResponseFormat responseFormat = ResponseFormat.text();

    private Builder() {}

    /** The model id to ask for; {@code null} uses the client's default. */
    public Builder model(@Nullable String model) {
      this.model = model;
      return this;
    }

    /** Appends a message. */
    public Builder message(ChatMessage message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** Appends messages in order. */
    public Builder messages(List<? extends ChatMessage> messages) {
      messages.forEach(this::message);
      return this;
    }

    /** Appends a system message. */
    public Builder system(String text) {
      return message(ChatMessage.system(text));
    }

    /** Appends a user message. */
    public Builder user(String text) {
      return message(ChatMessage.user(text));
    }

    /** Appends an assistant message. */
    public Builder assistant(String text) {
      return message(ChatMessage.assistant(text));
    }

    /** Sampling temperature in {@code [0, 2]}. */
    public Builder temperature(@Nullable Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Nucleus sampling mass in {@code (0, 1]}. */
    public Builder topP(@Nullable Double topP) {
      this.topP = topP;
      return this;
    }

    /** The most tokens to generate. */
    public Builder maxTokens(@Nullable Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** Appends stop sequences. */
    public Builder stop(String... sequences) {
      stop.addAll(List.of(sequences));
      return this;
    }

    /** A sampling seed. */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /** Presence penalty in {@code [-2, 2]}. */
    public Builder presencePenalty(@Nullable Double penalty) {
      this.presencePenalty = penalty;
      return this;
    }

    /** Frequency penalty in {@code [-2, 2]}. */
    public Builder frequencyPenalty(@Nullable Double penalty) {
      this.frequencyPenalty = penalty;
      return this;
    }

    /** Adds a tool the model may call. */
    public Builder tool(ToolSpecification tool) {
      tools.add(Objects.requireNonNull(tool, "tool"));
      return this;
    }

    /** Whether and which tool must be called. */
    public Builder toolChoice(@Nullable ToolChoice choice) {
      this.toolChoice = choice;
      return this;
    }

    /** The answer's shape. */
    public Builder responseFormat(ResponseFormat format) {
      this.responseFormat = Objects.requireNonNull(format, "responseFormat");
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalArgumentException naming the first invalid value
     */
    public ChatRequest build() {
      return new ChatRequest(model, messages, temperature, topP, maxTokens, stop, seed, presencePenalty,
          frequencyPenalty, tools, toolChoice, responseFormat);
    }
  }
}
