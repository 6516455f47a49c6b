package dev.llmops.guardrails.chain;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.chain.TestGuards.WordGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GuardChainTest {

  private static GuardChain.Builder chain() {
    return GuardChain.builder("test-policy", "7").failurePolicy(FailurePolicy.FAIL_CLOSED);
  }

  @Test
  void requiresAnExplicitFailurePolicy() {
    assertThatThrownBy(() -> GuardChain.builder("p", "1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("explicit failure policy");
    assertThatThrownBy(() -> GuardChain.builder(" ", "1")).hasMessageContaining("policy name");
  }

  @Test
  void passesWhenNoGuardObjects() {
    try (GuardChain c = chain().input(WordGuard.blocking("bomb")).build()) {
      ChainResult r = c.checkInput(InputContext.of("hello there"));
      assertThat(r.verdict()).isPass();
      assertThat(r.text()).isEqualTo("hello there");
      assertThat(r.policy()).isEqualTo("test-policy");
      assertThat(r.policyVersion()).isEqualTo("7");
      assertThat(r.records()).singleElement().satisfies(g -> {
        assertThat(g.outcome()).isEqualTo(GuardOutcome.PASS);
        assertThat(g.guard()).isEqualTo("block-bomb");
        assertThat(g.version()).isEqualTo("1");
      });
    }
  }

  @Test
  void failFastSkipsTheGuardsAfterABlock() {
    try (GuardChain c = chain().input(WordGuard.blocking("bomb")).input(WordGuard.escalating("bomb")).build()) {
      ChainResult r = c.checkInput(InputContext.of("a bomb"));
      assertThat(r.verdict()).isBlock();
      assertThat(((GuardVerdict.Block) r.verdict()).safeMessage()).isEqualTo("blocked");
      assertThat(r.records()).extracting(GuardRecord::outcome).containsExactly(GuardOutcome.BLOCK, GuardOutcome.SKIPPED);
      // and as the answer's lineage keeps it
      assertThat(r.lineageDecisions()).extracting(dev.llmops.core.observe.GuardDecision::label)
          .containsExactly("input:block-bomb=block", "input:escalate-bomb=skipped");
      assertThat(r.lineageDecisions().get(0).findings()).isEqualTo(r.records().get(0).findings().size());
      assertThat(r.lineageDecisions().get(0).version()).isEqualTo("1");
    }
  }

  @Test
  void runAllRunsEveryGuardAndTheMostSevereVerdictWins() {
    try (GuardChain c = chain().mode(ChainMode.RUN_ALL)
        .input(WordGuard.reasking("x")).input(WordGuard.escalating("x")).input(WordGuard.blocking("x"))
        .input(WordGuard.reasking("x")).build()) {
      ChainResult r = c.checkInput(InputContext.of("x marks x"));
      assertThat(r.verdict()).isBlock();
      assertThat(r.records()).extracting(GuardRecord::outcome).containsExactly(
          GuardOutcome.REASK, GuardOutcome.ESCALATE, GuardOutcome.BLOCK, GuardOutcome.REASK);
      assertThat(r.verdict().findings()).hasSize(8);
      assertThat(r.verdict().riskScore()).isEqualTo(0.9);
    }
  }

  @Test
  void laterGuardsSeeTheRewrittenTextAndTheirSpansPointIntoTheOriginal() {
    // "alpha" (5 chars) becomes "[A]" (3 chars); "beta" found afterwards in the rewritten text
    try (GuardChain c = chain().input(WordGuard.replacing("alpha", "[A]")).input(WordGuard.replacing("beta", "[B]"))
        .input(WordGuard.blocking("gamma")).mode(ChainMode.RUN_ALL).build()) {
      String text = "alpha and beta and alpha then beta";
      ChainResult r = c.checkInput(InputContext.of(text));
      assertThat(r.verdict()).isRewriteTo("[A] and [B] and [A] then [B]");
      List<TextSpan> betaSpans = r.record("replace-beta").orElseThrow().findings().stream()
          .map(ChainFinding::span).toList();
      assertThat(betaSpans).extracting(s -> s.of(text)).containsExactly("beta", "beta");
      assertThat(r.verdict().findings()).extracting(f -> f.span().of(text))
          .containsExactly("alpha", "alpha", "beta", "beta");
    }
  }

  @Test
  void aThrowingGuardBlocksWhenClosedAndIsSkippedOverWhenOpen() {
    var broken = TestGuards.running("broken", () -> {
      throw new IllegalStateException("model unavailable");
    });
    try (GuardChain closed = chain().input(broken).build();
         GuardChain open = chain().failurePolicy(FailurePolicy.FAIL_OPEN).input(broken)
             .input(WordGuard.blocking("bomb")).build()) {
      ChainResult r = closed.checkInput(InputContext.of("hi"));
      assertThat(r.verdict()).isBlock().hasFindingOfType("GUARD_FAILED");
      assertThat(((GuardVerdict.Block) r.verdict()).safeMessage()).isEqualTo(GuardChain.DEFAULT_BLOCK_MESSAGE);
      assertThat(r.records().get(0).outcome()).isEqualTo(GuardOutcome.ERROR);
      assertThat(r.records().get(0).error()).contains("model unavailable");

      ChainResult o = open.checkInput(InputContext.of("hi"));
      assertThat(o.verdict()).isPass();
      assertThat(o.records().get(0).outcome()).isEqualTo(GuardOutcome.ERROR);
      assertThat(open.checkInput(InputContext.of("a bomb")).verdict()).isBlock();
    }
  }

  @Test
  void perGuardFailurePolicyOverridesTheChains() {
    var broken = TestGuards.running("broken", () -> {
      throw new IllegalStateException("down");
    });
    try (GuardChain c = chain().input(broken, GuardSettings.defaults().withFailurePolicy(FailurePolicy.FAIL_OPEN))
        .build()) {
      assertThat(c.checkInput(InputContext.of("hi")).verdict()).isPass();
    }
  }

  @Test
  void aHangingGuardTimesOutAndTheCallerGetsAVerdict() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    var hanging = TestGuards.running("hanging", () -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        Thread.currentThread().interrupt();
      }
    });
    try (GuardChain c = chain().input(hanging, GuardSettings.defaults().withTimeout(Duration.ofMillis(50))).build()) {
      ChainResult r = c.checkInput(InputContext.of("hi"));
      assertThat(r.verdict()).isBlock().hasFindingOfType("GUARD_TIMEOUT");
      assertThat(r.records().get(0).outcome()).isEqualTo(GuardOutcome.TIMEOUT);
    }
    // the hung guard's thread was interrupted so it does not leak
    for (int i = 0; i < 200 && !interrupted.get(); i++) {
      Thread.sleep(10);
    }
    assertThat(interrupted).isTrue();
  }

  @Test
  void monitorOnlyGuardsAreRecordedButNeverAct() {
    try (GuardChain c = chain().input(WordGuard.blocking("bomb"), GuardSettings.defaults().monitorOnly())
        .input(WordGuard.replacing("bomb", "b**b"), GuardSettings.defaults().monitorOnly()).build()) {
      ChainResult r = c.checkInput(InputContext.of("a bomb"));
      assertThat(r.verdict()).isPass();
      assertThat(r.verdict().findings()).isEmpty();
      assertThat(r.text()).isEqualTo("a bomb");
      assertThat(r.records()).extracting(GuardRecord::outcome).containsExactly(GuardOutcome.BLOCK, GuardOutcome.REWRITE);
      assertThat(r.records()).allSatisfy(g -> assertThat(g.enforced()).isFalse());
      assertThat(r.findings()).hasSize(2);
    }
  }

  @Test
  void escalationsGoToTheReviewQueue() {
    InMemoryReviewQueue queue = ReviewQueue.inMemory();
    try (GuardChain c = chain().input(WordGuard.escalating("refund")).reviewQueue(queue).build()) {
      ChainResult r = c.checkInput(InputContext.of("I want a refund"));
      assertThat(r.verdict()).isEscalate();
      assertThat(r.reviewTicket()).isNotNull();
      assertThat(queue.pending()).containsExactly(r.reviewTicket());
      ReviewQueue.ReviewRequest request = queue.take(r.reviewTicket()).orElseThrow();
      assertThat(request.text()).isEqualTo("I want a refund");
      assertThat(request.reason()).isEqualTo("needs a human");
      assertThat(request.findings()).singleElement().extracting(ChainFinding::guard).isEqualTo("escalate-refund");
      assertThat(queue.pending()).isEmpty();
    }
  }

  @Test
  void oversizedTextIsBlockedBeforeAnyGuardRuns() {
    try (GuardChain c = chain().maxTextLength(10).input(WordGuard.blocking("x")).build()) {
      ChainResult r = c.checkInput(InputContext.of("01234567890"));
      assertThat(r.verdict()).isBlock().hasFindingOfType("TEXT_TOO_LONG");
      assertThat(r.records()).extracting(GuardRecord::outcome).containsExactly(GuardOutcome.SKIPPED);
      assertThat(c.checkInput(InputContext.of("0123456789")).verdict()).isPass();
    }
  }

  @Test
  void countsVerdictsAndTimesEveryGuard() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GuardChain c = chain().meterRegistry(registry).input(WordGuard.replacing("a", "b"))
        .input(WordGuard.blocking("bomb")).build()) {
      c.checkInput(InputContext.of("a"));
      c.checkInput(InputContext.of("a"));
      c.checkInput(InputContext.of("bomb"));
      assertThat(registry.get("llmops.guard.verdicts").tags("guard", "replace-a", "outcome", "rewrite").counter()
          .count()).isEqualTo(2);
      assertThat(registry.get("llmops.guard.verdicts").tags("guard", "block-bomb", "outcome", "block").counter()
          .count()).isEqualTo(1);
      assertThat(registry.get("llmops.guard.duration").tags("guard", "block-bomb", "stage", "input").timer()
          .count()).isEqualTo(3);
      assertThat(registry.get("llmops.guard.chain.verdicts").tags("policy", "test-policy", "stage", "input",
          "outcome", "rewrite").counter().count()).isEqualTo(2);
    }
  }

  @Test
  void outputGuardsCheckAnswersWithTheirContext() {
    try (GuardChain c = chain().output(WordGuard.reasking("guarantee")).build()) {
      ChainResult r = c.checkOutput(OutputContext.of("We guarantee returns."));
      assertThat(r.stage()).isEqualTo(Stage.OUTPUT);
      assertThat(r.verdict()).isReask();
      assertThat(((GuardVerdict.Reask) r.verdict()).instruction()).isEqualTo("do not say guarantee");
    }
  }

  @Test
  void manyThreadsGetConsistentResultsAndEveryRunIsCounted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (GuardChain c = chain().meterRegistry(registry).input(WordGuard.replacing("cat", "dog"))
        .input(WordGuard.blocking("bomb"), GuardSettings.defaults().withTimeout(Duration.ofSeconds(30))).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          int wrong = 0;
          for (int i = 0; i < 250; i++) {
            boolean bomb = (i + thread) % 3 == 0;
            ChainResult r = c.checkInput(InputContext.of(bomb ? "cat bomb " + i : "cat " + i));
            if (bomb ? r.allowed() : !r.text().equals("dog " + i)) {
              wrong++;
            }
          }
          return wrong;
        }));
      }
      for (Future<Integer> f : futures) {
        assertThat(f.get()).isZero();
      }
      pool.shutdown();
      double total = registry.find("llmops.guard.chain.verdicts").counters().stream().mapToDouble(m -> m.count()).sum();
      assertThat(total).isEqualTo(2000);
    }
  }

  @Test
  void closeWaitsForRunningChecksAndRefusesNewOnes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    var slow = TestGuards.running("slow", () -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    GuardChain c = chain().input(slow).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<ChainResult> running = pool.submit(() -> c.checkInput(InputContext.of("hi")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<?> closing = pool.submit(c::close);
    Thread.sleep(100);
    assertThat(closing.isDone()).as("close waits for the running check").isFalse();
    release.countDown();
    assertThat(running.get().verdict()).isPass();
    closing.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> c.checkInput(InputContext.of("hi"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    pool.shutdown();
  }

  @Test
  void guardsThatIgnoreInterruptsCannotTakeMoreThanTheThreadLimit() {
    AtomicBoolean release = new AtomicBoolean();
    var stubborn = TestGuards.running("stubborn", () -> {
      while (!release.get()) {
        Thread.onSpinWait(); // ignores interruption, as a regex on a huge input would
      }
    });
    try (GuardChain c = chain().maxGuardThreads(1)
        .input(stubborn, GuardSettings.defaults().withTimeout(Duration.ofMillis(50))).build()) {
      ChainResult first = c.checkInput(InputContext.of("hi"));
      assertThat(first.records().get(0).outcome()).isEqualTo(GuardOutcome.TIMEOUT);
      ChainResult second = c.checkInput(InputContext.of("hi"));
      assertThat(second.records().get(0).outcome()).isEqualTo(GuardOutcome.ERROR);
      assertThat(second.records().get(0).error()).contains("no free guard thread (1 in use)");
      assertThat(second.verdict()).isBlock().hasFindingOfType("GUARD_FAILED");
    } finally {
      release.set(true);
    }
  }

  @Test
  void aFullReviewQueueKeepsTheRequestEscalatedWithoutATicket() {
    InMemoryReviewQueue queue = ReviewQueue.inMemory(1);
    try (GuardChain c = chain().input(WordGuard.escalating("refund")).reviewQueue(queue).build()) {
      assertThat(c.checkInput(InputContext.of("refund 1")).reviewTicket()).isNotNull();
      ChainResult second = c.checkInput(InputContext.of("refund 2"));
      assertThat(second.verdict()).isEscalate();
      assertThat(second.reviewTicket()).isNull();
      assertThat(queue.pending()).hasSize(1);
    }
  }

  @Test
  void spansBeyondTheTextAreCutToIt() {
    var sloppy = new dev.llmops.core.guard.InputGuard() {
      @Override
      public String name() {
        return "sloppy";
      }

      @Override
      public String version() {
        return "1";
      }

      @Override
      public GuardVerdict check(InputContext input) {
        return new GuardVerdict.Pass(0.1, List.of(new dev.llmops.core.guard.Finding("X",
            new TextSpan(2, input.text().length() + 10), 0.1, "too long")));
      }
    };
    try (GuardChain c = chain().input(sloppy).build()) {
      assertThat(c.checkInput(InputContext.of("hello")).findings().get(0).span()).isEqualTo(new TextSpan(2, 5));
    }
  }

  @Test
  void aGuardsLinkageErrorIsAGuardFailureNotACrash() {
    var broken = TestGuards.running("broken", () -> {
      throw new NoClassDefFoundError("dev/example/Missing");
    });
    try (GuardChain c = chain().input(broken).build()) {
      ChainResult r = c.checkInput(InputContext.of("hi"));
      assertThat(r.verdict()).isBlock().hasFindingOfType("GUARD_FAILED");
      assertThat(r.records().get(0).error()).contains("NoClassDefFoundError");
    }
  }
}
