package dev.llmops.test;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.eval.Assertion;
import dev.llmops.core.eval.EvalCase;
import dev.llmops.core.eval.EvalDataset;
import dev.llmops.core.eval.EvalReport;
import dev.llmops.core.eval.EvalTarget;
import dev.llmops.core.eval.Evaluation;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalReportAssertTest {

  private static final EvalDataset GOLDEN = EvalDataset.of("golden", List.of(
      EvalCase.builder("capital").prompt("Capital of France?").assertion(Assertion.contains("Paris")).build(),
      EvalCase.builder("refund").prompt("How long do refunds take?").assertion(Assertion.contains("five days")).build(),
      EvalCase.builder("greeting").prompt("Say hi").assertion(Assertion.contains("hi")).build()));

  private static EvalReport run(String name, ScriptedChatModel model) {
    return Evaluation.builder().name(name).dataset(GOLDEN).target(EvalTarget.of(model)).run();
  }

  private static ScriptedChatModel model(String refundAnswer) {
    return ScriptedChatModel.builder().when(r -> r.lastUserText().contains("France"), "Paris")
        .when(r -> r.lastUserText().contains("refunds"), refundAnswer).otherwise("hi there").build();
  }

  @Test
  void passesAGoodRun() {
    EvalReport good = run("v1", model("It takes five days."));
    assertThat(good).hasNoBadRows().hasPassRateAtLeast(1.0).hasNoRegressionsAgainst(good);
  }

  @Test
  void aLowPassRateFailsWithTheFailingCasesListed() {
    EvalReport bad = run("v2", model("Soon."));

    assertThatThrownBy(() -> assertThat(bad).hasPassRateAtLeast(0.9))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected evaluation 'v2' to have a weighted pass rate of at least 0.9000 but it was 0.6667")
        .hasMessageContaining("(2 of 3 cases passed)")
        .hasMessageContaining("- refund (0/1 attempts passed): contains(\"five days\"): the answer does not contain "
            + "\"five days\": \"Soon.\"")
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("capital"));
    assertThat(bad).hasPassRateAtLeast(0.6);

    EvalReport allWrong = run("v3", ScriptedChatModel.alwaysReplying("no"));
    assertThatThrownBy(() -> assertThat(allWrong).hasPassRateAtLeast(0.5))
        .hasMessageContaining(String.join(System.lineSeparator(),
            "  - capital (0/1 attempts passed): contains(\"Paris\"): the answer does not contain \"Paris\": \"no\"",
            "  - refund (0/1 attempts passed)"));
  }

  @Test
  void aRegressionFailsWithTheRegressedCasesListed() {
    EvalReport baseline = run("v1", model("It takes five days."));
    EvalReport candidate = run("v2", model("Soon."));

    assertThatThrownBy(() -> assertThat(candidate).hasNoRegressionsAgainst(baseline))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected evaluation 'v2' to have no regressions against 'v1' but 1 case regressed")
        .hasMessageContaining("- refund: 100% -> 0% (passed -> failed): contains(\"five days\")");
    assertThat(baseline).hasNoRegressionsAgainst(candidate); // it improved on everything candidate did
  }

  @Test
  void badRowsFailHasNoBadRows() {
    EvalDataset withBadRow = EvalDataset.parse("{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\"}", "golden.jsonl");
    EvalReport report = Evaluation.builder().dataset(withBadRow).target(EvalTarget.of(model("x"))).run();
    assertThatThrownBy(() -> assertThat(report).hasNoBadRows()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("golden.jsonl:2 (case b): \"input\" is missing");
  }
}
