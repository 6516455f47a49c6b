package dev.llmops.test;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link ChatResponse}; start with {@link LlmOpsAssertions#assertThat(ChatResponse)}. */
public final class ChatResponseAssert extends AbstractAssert<ChatResponseAssert, ChatResponse> {

  ChatResponseAssert(ChatResponse actual) {
    super(actual, ChatResponseAssert.class);
  }

  /** The text equals {@code expected}. */
  public ChatResponseAssert hasText(String expected) {
    isNotNull();
    if (!actual.text().equals(expected)) {
      failWithActualExpectedAndMessage(actual.text(), expected,
          "Expected the response text to be%n  \"%s\"%nbut was%n  \"%s\"", expected, actual.text());
    }
    return this;
  }

  /** The text contains every one of {@code parts}. */
  public ChatResponseAssert textContains(CharSequence... parts) {
    isNotNull();
    for (CharSequence part : parts) {
      if (!actual.text().contains(part)) {
        failWithMessage("Expected the response text to contain%n  \"%s\"%nbut it was%n  \"%s\"", part, actual.text());
      }
    }
    return this;
  }

  /** The text does not contain {@code part}. */
  public ChatResponseAssert textDoesNotContain(CharSequence part) {
    isNotNull();
    if (actual.text().contains(part)) {
      failWithMessage("Expected the response text not to contain%n  \"%s\"%nbut it was%n  \"%s\"", part, actual.text());
    }
    return this;
  }

  /** The text matches {@code regex} somewhere. */
  public ChatResponseAssert textMatches(String regex) {
    isNotNull();
    if (!Pattern.compile(regex).matcher(actual.text()).find()) {
      failWithMessage("Expected the response text to match /%s/ but it was%n  \"%s\"", regex, actual.text());
    }
    return this;
  }

  /** The model stopped for {@code reason}. */
  public ChatResponseAssert hasFinishReason(FinishReason reason) {
    isNotNull();
    if (actual.finishReason() != reason) {
      failWithActualExpectedAndMessage(actual.finishReason(), reason,
          "Expected finish reason %s but was %s", reason, actual.finishReason());
    }
    return this;
  }

  /** The model asked to call tool {@code name}. */
  public ChatResponseAssert hasToolCall(String name) {
    isNotNull();
    if (actual.toolCalls().stream().noneMatch(c -> c.name().equals(name))) {
      failWithMessage("Expected a call of tool '%s' but the calls were %s", name,
          actual.toolCalls().stream().map(ToolCall::name).toList());
    }
    return this;
  }

  /** The model asked for no tool call. */
  public ChatResponseAssert hasNoToolCalls() {
    isNotNull();
    if (actual.hasToolCalls()) {
      failWithMessage("Expected no tool calls but there were %s", actual.toolCalls());
    }
    return this;
  }

  /** The model reported this usage. */
  public ChatResponseAssert hasUsage(int inputTokens, int outputTokens) {
    TokenUsage usage = reportedUsage();
    if (usage.inputTokens() != inputTokens || usage.outputTokens() != outputTokens) {
      failWithMessage("Expected usage of %d input and %d output tokens but was %s", inputTokens, outputTokens, usage);
    }
    return this;
  }

  /** The model reported at most {@code max} tokens in total. */
  public ChatResponseAssert usedAtMostTokens(int max) {
    TokenUsage usage = reportedUsage();
    if (usage.totalTokens() > max) {
      failWithMessage("Expected at most %d tokens in total but %s used %d", max, usage, usage.totalTokens());
    }
    return this;
  }

  private TokenUsage reportedUsage() {
    isNotNull();
    TokenUsage usage = actual.usage();
    if (usage == null) {
      failWithMessage("Expected the response to report token usage but it reported none");
      throw new AssertionError("unreachable");
    }
    return usage;
  }

  /** The answering model was {@code modelId}. */
  public ChatResponseAssert hasModelId(String modelId) {
    isNotNull();
    if (!actual.modelId().equals(modelId)) {
      failWithActualExpectedAndMessage(actual.modelId(), modelId, "Expected model '%s' but was '%s'", modelId, actual.modelId());
    }
    return this;
  }
}
