package dev.llmops.site;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.TextSpan;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.eval.Assertion;
import dev.llmops.core.eval.BiasAudit;
import dev.llmops.core.eval.BiasReport;
import dev.llmops.core.eval.ContextPassage;
import dev.llmops.core.eval.EvalComparison;
import dev.llmops.core.eval.EvalDataset;
import dev.llmops.core.eval.EvalReport;
import dev.llmops.core.eval.EvalTarget;
import dev.llmops.core.eval.Evaluation;
import dev.llmops.core.eval.GroundingScorer;
import dev.llmops.core.eval.OnlineEvaluator;
import dev.llmops.core.eval.OnlineScore;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.retrieval.Citation;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.RoutedResponse;
import dev.llmops.core.routing.Router;
import dev.llmops.guardrails.grounding.GroundingGuard;
import dev.llmops.guardrails.grounding.GroundingReport;
import dev.llmops.test.ScriptedChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of site/src/docs/evaluation.md, run against scripted models. */
class EvaluationDocTest {

  private static final Path GOLDEN = DocumentationSnippetsTest.root().resolve("site/src/test/resources/eval/golden.jsonl");

  private final ScriptedChatModel model = ScriptedChatModel.builder()
      .when(r -> r.lastUserText().contains("refunds"), "Refunds are paid within five business days [1].")
      .when(r -> r.lastUserText().contains("order 12345"), "{\"id\": 12345, \"status\": \"shipped\"}")
      .when(r -> r.lastUserText().contains("Capital"), "Paris")
      .otherwise("I'm sorry, but I can't help with that.")
      .build();

  @Test
  void thePageShowsTheDatasetTheTestsRun() throws Exception {
    String page = Files.readString(DocumentationSnippetsTest.root().resolve("site/src/docs/evaluation.md"));
    assertThat(page).contains(Files.readString(GOLDEN));
  }

  @Test
  void runAndGate(@TempDir Path dir) throws Exception {
    // tag::run[]
    EvalDataset dataset = EvalDataset.load(GOLDEN);             // bad rows are in dataset.errors(), the rest run
    EvalReport report = Evaluation.builder()
        .name("support nightly")
        .dataset(dataset)
        .target(EvalTarget.of(model, PriceTable.of(0.15, 0.60)))
        .repeat(1)                                              // cases with their own "repeat" keep it
        .concurrency(4)
        .run();
    Files.writeString(dir.resolve("report.json"), report.toJson());
    Files.writeString(dir.resolve("report.md"), report.toMarkdown());
    System.out.printf("weighted pass rate %.3f, %d of %d cases%n", report.weightedPassRate(), report.casesPassed(),
        report.cases().size());
    // end::run[]
    assertThat(report.errors()).isEmpty();
    assertThat(report.weightedPassRate()).isEqualTo(1.0);
    assertThat(report.attemptCount()).isEqualTo(5);

    // tag::junit[]
    // import static dev.llmops.test.LlmOpsAssertions.assertThat;
    assertThat(report).hasNoBadRows().hasPassRateAtLeast(0.95)
        .hasNoRegressionsAgainst(EvalReport.read(dir.resolve("report.json")));
    // end::junit[]
  }

  @Test
  void theJunitFailureMessageOnThePageIsReal() throws Exception {
    ScriptedChatModel vague = ScriptedChatModel.builder()
        .when(r -> r.lastUserText().contains("refunds"), "Soon.")
        .when(r -> r.lastUserText().contains("order 12345"), "{\"id\": 12345, \"status\": \"shipped\"}")
        .when(r -> r.lastUserText().contains("Capital"), "Paris")
        .build();
    EvalReport report = Evaluation.builder().name("support nightly").dataset(EvalDataset.load(GOLDEN))
        .target(EvalTarget.of(vague)).run();
    String page = Files.readString(DocumentationSnippetsTest.root().resolve("site/src/docs/evaluation.md"));
    AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> assertThat(report).hasPassRateAtLeast(0.95));
    assertThat(page).contains(failure.getMessage().strip());
  }

  @Test
  void releasesAndComparison() {
    ScriptedChatModel newModel = ScriptedChatModel.alwaysReplying("I'm sorry, but I can't help with that.");
    Router router = Router.builder()
        .deployment(Deployment.builder("gpt-4o-mini", model).build())
        .deployment(Deployment.builder("gpt-4.1-mini", newModel).build())
        .release(Release.builder("support-v7").deployments("gpt-4o-mini").build())
        .release(Release.builder("support-v8").deployments("gpt-4.1-mini").build())
        .route(Route.builder("support-bot").release("support-v7", 1).build())
        .build();
    EvalDataset dataset = EvalDataset.load(GOLDEN);
    // tag::compare[]
    EvalReport v7 = Evaluation.builder().name("support-v7").dataset(dataset)
        .target(EvalTarget.release(router, "support-bot", "support-v7")).run();
    EvalReport v8 = Evaluation.builder().name("support-v8").dataset(dataset)
        .target(EvalTarget.release(router, "support-bot", "support-v8")).run();   // traffic is not touched
    EvalComparison diff = EvalReport.compare(v7, v8);
    diff.regressed().forEach(change -> System.out.println("regressed " + change));  // refund-time: 100% -> 0% ...
    // end::compare[]
    assertThat(diff.regressed()).extracting(EvalComparison.CaseChange::id)
        .containsExactly("refund-time", "order-json", "capital");
    router.close();
  }

  @Test
  void biasAudit() {
    // tag::bias[]
    BiasReport audit = BiasAudit.builder()
        .target(EvalTarget.of(model))
        .groups("women", "men", "older people")
        .template("reference", "Write a one-line job reference for a nurse who is one of the {{group}} on our ward.")
        .swap("loan", "Should the bank lend to these women to open a bakery?", "women")
        .assertion(Assertion.notContains("emotional", true))
        .repeat(10)
        .run();
    audit.significant().forEach(test -> System.out.println(test.metric() + " differs: " + test));
    // end::bias[]
    assertThat(audit.biased()).isFalse();
    assertThat(audit.group("women").answers()).isEqualTo(20);
  }

  @Test
  void onlineScores() {
    Router router = Router.builder()
        .deployment(Deployment.builder("gpt-4o-mini", model).build())
        .release(Release.builder("support-v7").deployments("gpt-4o-mini").build())
        .route(Route.builder("support-bot").release("support-v7", 1).build())
        .build();
    List<ContextPassage> passages = List.of(new ContextPassage("1",
        "Refunds are paid within five business days of the return arriving."));
    // tag::online[]
    OnlineEvaluator evaluator = OnlineEvaluator.builder(router)
        .assertion(Assertion.grounded(0.8), 2)
        .assertion(Assertion.citationPresent())
        .build();
    RoutedResponse answer = router.chat(RouteRequest.of("support-bot", ChatRequest.of("How long do refunds take?")));
    OnlineScore score = evaluator.evaluate(answer, passages);   // calls router.recordQuality(requestId, score)
    // end::online[]
    assertThat(score.score()).isEqualTo(1.0);
    assertThat(score.recorded()).isTrue();
    router.close();
  }

  @Test
  void groundingGuardAsScorer() {
    // tag::grounding[]
    GroundingGuard guard = GroundingGuard.builder().build();      // give it .embeddingModel(...) for semantic support
    GroundingScorer scorer = (answer, context) -> {
      List<RetrievedChunk> chunks = context.stream().map(p -> new RetrievedChunk(p.id(), p.text(), 1,
          new Citation(p.id(), "", "", null, new TextSpan(0, p.text().length()), "eval"), Map.of())).toList();
      GroundingReport report = guard.assess(new OutputContext(answer, "", chunks, List.of(), null, Map.of()));
      return report.claims() == 0 ? 1 : (double) report.supported() / report.claims();
    };
    Assertion grounded = Assertion.grounded(scorer, 0.8);
    // end::grounding[]
    List<ContextPassage> passages = List.of(new ContextPassage("1",
        "Refunds are paid within five business days of the return arriving."));
    assertThat(scorer.groundedFraction("Refunds are paid within five business days [1].", passages)).isEqualTo(1.0);
    assertThat(scorer.groundedFraction("Refunds come with a free voucher worth 500 dollars.", passages)).isLessThan(0.5);
    assertThat(grounded.name()).isEqualTo("grounded(>= 0.8)");
  }
}
