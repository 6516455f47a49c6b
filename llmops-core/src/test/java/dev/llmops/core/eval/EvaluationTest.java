package dev.llmops.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.RetryPolicy;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

  private final EvalFixtures.ManualTime time = new EvalFixtures.ManualTime();

  private static EvalDataset dataset(EvalCase... cases) {
    return EvalDataset.of("test", List.of(cases));
  }

  @Test
  void aThrowingAssertionFailsItsCaseWithTheExceptionNamedAndTheRunGoesOn() {
    Assertion explodes = Assertion.of("explodes", o -> {
      throw new IllegalStateException("scorer lost its model");
    });
    EvalReport report = Evaluation.builder()
        .dataset(dataset(
            EvalCase.builder("first").prompt("a").assertion(Assertion.contains("answer")).build(),
            EvalCase.builder("throws").prompt("b").assertion(explodes).assertion(Assertion.contains("answer")).build(),
            EvalCase.builder("last").prompt("c").assertion(Assertion.contains("answer")).build()))
        .target(EvalTarget.of(EvalFixtures.model(r -> "the answer")))
        .run();

    assertThat(report.cases()).extracting(CaseResult::id).containsExactly("first", "throws", "last");
    assertThat(report.cases()).extracting(CaseResult::passed).containsExactly(true, false, true);
    AttemptResult failed = report.caseResult("throws").attempts().get(0);
    assertThat(failed.assertions()).hasSize(2);
    assertThat(failed.assertions().get(0).passed()).isFalse();
    assertThat(failed.assertions().get(0).reason())
        .isEqualTo("the assertion threw java.lang.IllegalStateException: scorer lost its model");
    assertThat(failed.assertions().get(1).passed()).isTrue(); // the other assertions still ran
    assertThat(report.toMarkdown()).contains("| throws | 0/1 |").contains("scorer lost its model");
  }

  @Test
  void aFailingTargetFailsThatAttemptAndTheOthersRun() {
    AtomicInteger calls = new AtomicInteger();
    EvalTarget flaky = request -> {
      if (calls.incrementAndGet() == 2) {
        throw new UnavailableException("server is down");
      }
      return TargetAnswer.of(EvalFixtures.response("ok"));
    };
    EvalReport report = Evaluation.builder()
        .dataset(dataset(EvalCase.builder("a").prompt("x").build(), EvalCase.builder("b").prompt("y").build(),
            EvalCase.builder("c").prompt("z").build()))
        .target(flaky).run();

    assertThat(report.cases()).extracting(CaseResult::passed).containsExactly(true, false, true);
    AttemptResult down = report.caseResult("b").attempts().get(0);
    assertThat(down.error()).isEqualTo("dev.llmops.core.UnavailableException: server is down");
    assertThat(down.answer()).isNull();
    assertThat(down.score()).isZero();
  }

  @Test
  void repeatGivesEachCaseAPassRateOverItsAttempts() {
    AtomicInteger calls = new AtomicInteger();
    // Every third answer is wrong: a flaky model.
    EvalTarget flaky = EvalTarget.of(EvalFixtures.model(r -> calls.incrementAndGet() % 3 == 0 ? "no idea" : "Paris"));
    EvalDataset data = dataset(EvalCase.builder("capital").prompt("Capital of France?")
        .assertion(Assertion.equalTo("Paris")).build());

    EvalReport strict = Evaluation.builder().dataset(data).target(flaky).repeat(3).run();

    CaseResult c = strict.cases().get(0);
    assertThat(c.attempts()).hasSize(3);
    assertThat(c.passedAttempts()).isEqualTo(2);
    assertThat(c.passRate()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(c.passed()).isFalse(); // by default every attempt must pass
    assertThat(strict.weightedPassRate()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(c.attempts()).extracting(AttemptResult::passed).containsExactly(true, true, false);

    EvalReport lenient = Evaluation.builder().dataset(data).target(flaky).repeat(3).minCasePassRate(2.0 / 3).run();
    assertThat(lenient.cases().get(0).passed()).isTrue();

    EvalDataset own = dataset(EvalCase.builder("capital").prompt("Capital of France?").repeat(5)
        .assertion(Assertion.equalTo("Paris")).build());
    assertThat(Evaluation.builder().dataset(own).target(flaky).repeat(3).run().cases().get(0).attempts()).hasSize(5);
  }

  @Test
  void weightsCountInTheCaseScoreAndInTheWeightedPassRate() {
    EvalTarget target = EvalTarget.of(EvalFixtures.model(r -> r.lastUserText().equals("good") ? "yes" : "no"));
    EvalReport report = Evaluation.builder()
        .dataset(dataset(
            EvalCase.builder("heavy").prompt("good").weight(3).assertion(Assertion.equalTo("yes")).build(),
            EvalCase.builder("light").prompt("bad").weight(1).assertion(Assertion.equalTo("yes")).build(),
            EvalCase.builder("mixed").prompt("good").weight(1)
                .assertion(Assertion.equalTo("yes"), 3)
                .assertion(Assertion.contains("maybe"), 1)
                .assertion(Assertion.contains("never"), 0) // informational: reported, not gating
                .build()))
        .target(target).run();

    assertThat(report.weightedPassRate()).isCloseTo(3.0 / 5, within(1e-12)); // heavy 3 of 5
    assertThat(report.casesPassed()).isEqualTo(1);
    AttemptResult mixed = report.caseResult("mixed").attempts().get(0);
    assertThat(mixed.score()).isCloseTo(0.75, within(1e-12)); // (3 * 1 + 1 * 0) / 4
    assertThat(mixed.passed()).isFalse();
    assertThat(mixed.assertions()).hasSize(3);

    EvalReport onlyInformational = Evaluation.builder()
        .dataset(dataset(EvalCase.builder("info").prompt("bad").assertion(Assertion.contains("never"), 0).build()))
        .target(target).run();
    assertThat(onlyInformational.cases().get(0).passed()).isTrue();
  }

  @Test
  void compareFindsTheRegressedAndImprovedCases() {
    EvalDataset data = dataset(
        EvalCase.builder("stays").prompt("a").assertion(Assertion.contains("ok")).build(),
        EvalCase.builder("breaks").prompt("b").assertion(Assertion.contains("ok")).build(),
        EvalCase.builder("heals").prompt("c").assertion(Assertion.contains("ok")).build());
    EvalReport baseline = Evaluation.builder().name("v1").dataset(data)
        .target(EvalTarget.of(EvalFixtures.model(r -> r.lastUserText().equals("c") ? "bad" : "ok"))).run();
    EvalReport candidate = Evaluation.builder().name("v2").dataset(data)
        .target(EvalTarget.of(EvalFixtures.model(r -> r.lastUserText().equals("b") ? "bad" : "ok"))).run();

    EvalComparison diff = EvalReport.compare(baseline, candidate);

    assertThat(diff.regressed()).extracting(EvalComparison.CaseChange::id).containsExactly("breaks");
    assertThat(diff.improved()).extracting(EvalComparison.CaseChange::id).containsExactly("heals");
    assertThat(diff.unchanged()).extracting(EvalComparison.CaseChange::id).containsExactly("stays");
    assertThat(diff.hasRegressions()).isTrue();
    assertThat(diff.regressed().get(0)).hasToString("breaks: 100% -> 0% (passed -> failed)");
    assertThat(diff.toMarkdown()).contains("### Regressed").contains("| breaks | 100% (pass) | 0% (fail) |");
    assertThat(EvalReport.compare(baseline, baseline).hasRegressions()).isFalse();
  }

  @Test
  void theReportRoundTripsThroughJsonAndListsBadRows(@TempDir Path dir) throws Exception {
    EvalDataset data = EvalDataset.parse(String.join("\n",
        "{\"id\": \"a\", \"input\": \"q\", \"assert\": [{\"type\": \"contains\", \"value\": \"ok\"}], \"tags\": [\"t\"]}",
        "{\"id\": \"b\", \"input\": }",
        "{\"id\": \"c\", \"input\": \"q\", \"assert\": [{\"type\": \"cost\", \"value\": 0.001}], \"repeat\": 2}"),
        "golden.jsonl");
    EvalReport report = Evaluation.builder().name("nightly").dataset(data).clock(time).ticker(time)
        .target(EvalTarget.of(EvalFixtures.model(r -> {
          time.advance(Duration.ofMillis(250));
          return "ok";
        }), PriceTable.of(1.0, 2.0)))
        .run();

    assertThat(report.errors()).extracting(DatasetError::line).containsExactly(2);
    assertThat(report.caseResult("a").attempts().get(0).latency()).isEqualTo(Duration.ofMillis(250));
    assertThat(report.caseResult("c").attempts().get(0).cost()).isCloseTo(100 * 1e-6 + 20 * 2e-6, within(1e-12));
    assertThat(report.elapsed()).isEqualTo(Duration.ofMillis(750));

    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.path("format").asText()).isEqualTo(EvalReport.FORMAT);
    assertThat(json.path("totals").path("weighted_pass_rate").asDouble()).isEqualTo(1.0);
    assertThat(json.path("totals").path("bad_rows").asInt()).isEqualTo(1);
    assertThat(json.path("bad_rows").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(json.path("cases").get(1).path("attempts")).hasSize(2);

    Path file = dir.resolve("report.json");
    Files.writeString(file, report.toJson());
    EvalReport back = EvalReport.read(file);
    assertThat(back).isEqualTo(report);
    assertThat(back.toJson()).isEqualTo(report.toJson());
    assertThat(report.toMarkdown()).contains("# Evaluation: nightly").contains("**Weighted pass rate 100.0%**")
        .contains("## Bad rows (not run)").contains("golden.jsonl:2");

    Files.writeString(file, "{\"format\": \"llmops-eval-report/1\", \"cases\": [{\"id\": 3}]}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvalReport.read(file))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("report.json");
  }

  @Test
  void concurrencyRunsThatManyAttemptsAtOnceAndNoMoreAndKeepsDatasetOrder() {
    int threads = 3;
    CyclicBarrier firstWave = new CyclicBarrier(threads);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    Map<String, String> threadsSeen = new ConcurrentHashMap<>();
    EvalTarget target = request -> {
      int now = inFlight.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      threadsSeen.put(Thread.currentThread().getName(), "");
      try {
        if (started.incrementAndGet() <= threads) {
          firstWave.await(30, TimeUnit.SECONDS); // the first three run together, or this times out
        }
        return TargetAnswer.of(EvalFixtures.response("answer to " + request.lastUserText()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    };
    EvalCase[] cases = new EvalCase[12];
    for (int i = 0; i < cases.length; i++) {
      cases[i] = EvalCase.builder("case-" + i).prompt("q" + i).repeat(2).assertion(Assertion.contains("q" + i)).build();
    }

    EvalReport report = Evaluation.builder().dataset(dataset(cases)).target(target).concurrency(threads).run();

    assertThat(most.get()).isEqualTo(threads);
    assertThat(threadsSeen).hasSize(threads);
    assertThat(report.cases()).extracting(CaseResult::id)
        .containsExactly(java.util.stream.IntStream.range(0, 12).mapToObj(i -> "case-" + i).toArray(String[]::new));
    assertThat(report.casesPassed()).isEqualTo(12);
    assertThat(report.attemptCount()).isEqualTo(24);
  }

  @Test
  void aRouterReleaseIsEvaluatedPinnedWithTheRoutersCost() {
    Router router = Router.builder().clock(time).ticker(time).sleeper(time).seed(1)
        .meterRegistry(new SimpleMeterRegistry())
        .deployment(Deployment.builder("old", EvalFixtures.model(r -> "old answer")).build())
        .deployment(Deployment.builder("new", EvalFixtures.model(r -> "new answer"))
            .prices(PriceTable.of(10.0, 30.0)).build())
        .release(Release.builder("v1").deployments("old").build())
        .release(Release.builder("v2").deployments("new").build())
        .route(Route.builder("bot").release("v1", 1).retry(RetryPolicy.NONE).build())
        .build();
    EvalDataset data = dataset(EvalCase.builder("a").prompt("q").repeat(2).assertion(Assertion.contains("new"))
        .assertion(Assertion.cost(0.01)).build());

    EvalReport report = Evaluation.builder().dataset(data).target(EvalTarget.release(router, "bot", "v2")).run();

    assertThat(report.target()).isEqualTo("release v2 on route bot");
    assertThat(report.casesPassed()).isEqualTo(1);
    AttemptResult attempt = report.cases().get(0).attempts().get(0);
    assertThat(attempt.cost()).isCloseTo(100 * 10e-6 + 20 * 30e-6, within(1e-12));
    assertThat(attempt.requestId()).isNotNull();
    assertThat(report.cases().get(0).attempts()).extracting(AttemptResult::requestId).doesNotHaveDuplicates();
    assertThat(router.currentSplit("bot")).containsOnlyKeys("v1"); // the evaluation moved no traffic
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EvalTarget.release(router, "bot", "v3"))
        .isInstanceOf(dev.llmops.core.NotFoundException.class);
  }

  @Test
  void aDatasetOfOnlyBadRowsPassesNoGate() {
    EvalReport report = Evaluation.builder().dataset(EvalDataset.parse("{\"id\": 1}", "x.jsonl"))
        .target(EvalTarget.of(EvalFixtures.model(r -> "a"))).run();
    assertThat(report.cases()).isEmpty();
    assertThat(report.weightedPassRate()).isZero();
    assertThat(report.errors()).hasSize(1);
  }

  @Test
  void requestsCarryTheCaseMessages() {
    java.util.List<ChatRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Evaluation.builder().dataset(dataset(EvalCase.builder("v").system("Be brief.").prompt("Hi {{who}}")
            .var("who", "Ana").build()))
        .target(request -> {
          seen.add(request);
          return TargetAnswer.of(EvalFixtures.response("hello"));
        }).run();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).messages()).extracting(m -> m.text()).containsExactly("Be brief.", "Hi Ana");
  }
}
