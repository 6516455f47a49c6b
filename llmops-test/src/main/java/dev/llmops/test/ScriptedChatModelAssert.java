package dev.llmops.test;

import dev.llmops.core.chat.ChatRequest;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a {@link ScriptedChatModel} was asked; start with
 * {@link LlmOpsAssertions#assertThat(ScriptedChatModel)}.
 */
public final class ScriptedChatModelAssert extends AbstractAssert<ScriptedChatModelAssert, ScriptedChatModel> {

  ScriptedChatModelAssert(ScriptedChatModel actual) {
    super(actual, ScriptedChatModelAssert.class);
  }

  /** The model was called exactly {@code times} times. */
  public ScriptedChatModelAssert wasCalledTimes(int times) {
    isNotNull();
    if (actual.callCount() != times) {
      failWithMessage("Expected %d calls of %s but there were %d", times, actual.modelId(), actual.callCount());
    }
    return this;
  }

  /** The model was never called. */
  public ScriptedChatModelAssert wasNotCalled() {
    return wasCalledTimes(0);
  }

  /** The last request's last user message contains {@code text}. */
  public ScriptedChatModelAssert lastUserMessageContains(String text) {
    isNotNull();
    List<ChatRequest> requests = actual.requests();
    if (requests.isEmpty()) {
      failWithMessage("Expected a request whose last user message contains \"%s\" but the model was not called", text);
    }
    String last = requests.get(requests.size() - 1).lastUserText();
    if (!last.contains(text)) {
      failWithMessage("Expected the last user message to contain%n  \"%s\"%nbut it was%n  \"%s\"", text, last);
    }
    return this;
  }

  /** Every script step was used. */
  public ScriptedChatModelAssert usedWholeScript() {
    isNotNull();
    if (actual.remainingSteps() != 0) {
      failWithMessage("Expected the whole script to be used but %d steps are left", actual.remainingSteps());
    }
    return this;
  }
}
