package dev.llmops.guardrails.tool;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.tool.ToolApprover.Approval;
import dev.llmops.guardrails.tool.ToolDecision.Outcome;
import dev.llmops.test.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ToolCallGuardTest {

  private static final String SEARCH_SCHEMA = ToolCallGuardContractTest.SEARCH_SCHEMA;
  private static final String REFUND_SCHEMA = """
      {"type":"object","required":["order","amount"],
       "properties":{"order":{"type":"string","pattern":"^[A-Z]{2}-[0-9]{1,10}$"},"amount":{"type":"number","exclusiveMinimum":0}}}""";

  private final FakeClock clock = FakeClock.create();
  private final InMemoryToolDecisionLog log = ToolDecisionLog.inMemory(100_000);

  private static OutputContext calls(String tenant, Map<String, String> attributes, ToolCall... calls) {
    return new OutputContext("", "", List.of(), List.of(calls), tenant, attributes);
  }

  private static ToolCall search(String id) {
    return new ToolCall(id, "search", "{\"query\":\"refunds\"}");
  }

  @Test
  void allowedToolWithValidArgumentsPassesAndIsLogged() {
    ToolCallGuard guard = ToolCallGuard.builder().tool(ToolPolicy.builder("search").argumentsSchema(SEARCH_SCHEMA).build())
        .decisionLog(log).clock(clock).build();
    assertThat(guard.check(calls("t1", Map.of(), search("c1")))).isPass().hasNoFindings();
    assertThat(log.decisions()).singleElement().satisfies(d -> {
      assertThat(d.tool()).isEqualTo("search");
      assertThat(d.callId()).isEqualTo("c1");
      assertThat(d.tenant()).isEqualTo("t1");
      assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
      assertThat(d.time()).isEqualTo(FakeClock.DEFAULT_START);
      assertThat(d.runs()).isTrue();
    });
  }

  @Test
  void noToolCallsPass() {
    ToolCallGuard guard = ToolCallGuard.builder().build();
    assertThat(guard.check(OutputContext.of("hello"))).isPass().hasNoFindings();
  }

  @Test
  void unknownToolIsBlocked() {
    ToolCallGuard guard = ToolCallGuard.builder().tool(ToolPolicy.allow("search")).decisionLog(log).build();
    GuardVerdict verdict = guard.check(calls("t1", Map.of(), search("c1"), new ToolCall("c2", "rm_rf", "{}")));
    assertThat(verdict).isBlock().hasFindingOfType("UNKNOWN_TOOL");
    assertThat(((GuardVerdict.Block) verdict).safeMessage()).doesNotContain("rm_rf");
    assertThat(log.decisions()).extracting(ToolDecision::outcome).containsExactly(Outcome.SKIPPED, Outcome.UNKNOWN_TOOL);
  }

  @Test
  void invalidArgumentsAreReaskedWithTheErrorsAndSchema() {
    ToolCallGuard guard = ToolCallGuard.builder()
        .tool(ToolPolicy.builder("issue_refund").argumentsSchema(REFUND_SCHEMA).build()).decisionLog(log).build();
    GuardVerdict verdict = guard.check(calls("t1", Map.of(),
        new ToolCall("c1", "issue_refund", "{\"order\":\"12345\",\"amount\":-5}")));
    assertThat(verdict).isReask().hasFindingOfType("INVALID_TOOL_ARGUMENTS");
    String instruction = ((GuardVerdict.Reask) verdict).instruction();
    assertThat(instruction).contains("issue_refund").contains("$.order").contains("$.amount").contains("exclusiveMinimum");
    assertThat(log.decisions()).extracting(ToolDecision::outcome).containsExactly(Outcome.INVALID_ARGUMENTS);

    GuardVerdict notJson = guard.check(calls("t1", Map.of(), new ToolCall("c2", "issue_refund", "{order: AB-1}")));
    assertThat(notJson).isReask();
    assertThat(notJson.findings().get(0).detail()).contains("line 1, column");
  }

  @Test
  void rateLimitHoldsPerTenantAndSlidesWithTheClock() {
    ToolCallGuard guard = ToolCallGuard.builder()
        .tool(ToolPolicy.builder("search").rateLimit(3, Duration.ofMinutes(1)).build()).clock(clock).decisionLog(log).build();
    for (int i = 0; i < 3; i++) {
      assertThat(guard.check(calls("a", Map.of(), search("c" + i)))).isPass();
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(guard.check(calls("a", Map.of(), search("c3")))).isBlock().hasFindingOfType("TOOL_RATE_LIMITED");
    assertThat(guard.check(calls("b", Map.of(), search("c4")))).isPass();
    clock.advance(Duration.ofSeconds(30)); // the first call (t=0) leaves the window at t=60
    assertThat(guard.check(calls("a", Map.of(), search("c5")))).isPass();
    assertThat(guard.check(calls("a", Map.of(), search("c6")))).isBlock();
    assertThat(log.decisions()).extracting(ToolDecision::outcome).containsExactly(Outcome.ALLOWED, Outcome.ALLOWED,
        Outcome.ALLOWED, Outcome.RATE_LIMITED, Outcome.ALLOWED, Outcome.ALLOWED, Outcome.RATE_LIMITED);
  }

  @Test
  void limitsCanEscalateInsteadOfBlocking() {
    ToolCallGuard guard = ToolCallGuard.builder().limitAction(LimitAction.ESCALATE)
        .tool(ToolPolicy.builder("search").rateLimit(1, Duration.ofMinutes(1)).build()).clock(clock).decisionLog(log).build();
    assertThat(guard.check(calls("a", Map.of(), search("c1")))).isPass();
    assertThat(guard.check(calls("a", Map.of(), search("c2")))).isEscalate().hasFindingOfType("TOOL_RATE_LIMITED");
    assertThat(log.decisions().get(1).outcome()).isEqualTo(Outcome.ESCALATED);
  }

  @Test
  void callBudgetIsPerConversationAndCostBudgetSpansTools() {
    ToolCallGuard guard = ToolCallGuard.builder()
        .tool(ToolPolicy.builder("search").maxCallsPerConversation(2).cost(1).build())
        .tool(ToolPolicy.builder("translate").cost(2.5).build())
        .costBudget(5).clock(clock).decisionLog(log).build();
    Map<String, String> conv1 = Map.of("conversation_id", "conv-1");
    Map<String, String> conv2 = Map.of("conversation_id", "conv-2");
    assertThat(guard.check(calls("a", conv1, search("1")))).isPass();
    assertThat(guard.check(calls("a", conv1, search("2")))).isPass();
    assertThat(guard.check(calls("a", conv1, search("3")))).isBlock().hasFindingOfType("TOOL_BUDGET_EXCEEDED");
    assertThat(guard.check(calls("a", conv2, search("4")))).isPass();
    // conv-1 spent 2 of 5: one translate (2.5) fits, a second does not
    ToolCall translate = new ToolCall("t", "translate", "{}");
    assertThat(guard.check(calls("a", conv1, translate))).isPass();
    GuardVerdict over = guard.check(calls("a", conv1, translate));
    assertThat(over).isBlock();
    assertThat(over.findings()).extracting(Finding::detail).anySatisfy(d -> assertThat(d).contains("cost budget"));
  }

  @Test
  void slotsOfARejectedAnswerAreGivenBack() {
    ToolCallGuard guard = ToolCallGuard.builder()
        .tool(ToolPolicy.builder("search").rateLimit(2, Duration.ofMinutes(1)).build())
        .tool(ToolPolicy.builder("delete").dangerous(true).build())
        .approver(ToolApprover.denyAll()).clock(clock).decisionLog(log).build();
    // search takes a slot, then delete is denied: the whole answer is blocked and the slot returned
    assertThat(guard.check(calls("a", Map.of(), search("1"), new ToolCall("2", "delete", "{}")))).isBlock()
        .hasFindingOfType("TOOL_DENIED");
    assertThat(guard.check(calls("a", Map.of(), search("3")))).isPass();
    assertThat(guard.check(calls("a", Map.of(), search("4")))).isPass();
    assertThat(guard.check(calls("a", Map.of(), search("5")))).isBlock();
    assertThat(log.decisions().subList(0, 2)).extracting(ToolDecision::outcome).containsExactly(Outcome.SKIPPED, Outcome.DENIED);
  }

  @Test
  void dangerousToolsGoToTheApprover() {
    List<String> asked = new ArrayList<>();
    ToolApprover approver = (call, context) -> {
      asked.add(call.id() + "@" + context.tenant());
      return call.argumentsJson().contains("\"amount\":10") ? Approval.APPROVE : Approval.ESCALATE;
    };
    ToolCallGuard guard = ToolCallGuard.builder()
        .tool(ToolPolicy.builder("issue_refund").argumentsSchema(REFUND_SCHEMA).dangerous(true).build())
        .approver(approver).decisionLog(log).build();
    assertThat(guard.check(calls("a", Map.of(), new ToolCall("r1", "issue_refund", "{\"order\":\"AB-1\",\"amount\":10}"))))
        .isPass().hasNoFindings();
    GuardVerdict big = guard.check(calls("a", Map.of(), new ToolCall("r2", "issue_refund", "{\"order\":\"AB-1\",\"amount\":900}")));
    assertThat(big).isEscalate().hasFindingOfType("TOOL_NEEDS_APPROVAL");
    assertThat(((GuardVerdict.Escalate) big).reason()).contains("r2").contains("issue_refund");
    assertThat(asked).containsExactly("r1@a", "r2@a");
    assertThat(log.decisions()).extracting(ToolDecision::outcome).containsExactly(Outcome.APPROVED, Outcome.ESCALATED);
  }

  @Test
  void defaultApproverEscalates() {
    ToolCallGuard guard = ToolCallGuard.builder().tool(ToolPolicy.builder("delete").dangerous(true).build()).build();
    assertThat(guard.check(calls("a", Map.of(), new ToolCall("1", "delete", "{}")))).isEscalate();
  }

  @Test
  void invalidPoliciesFailFast() {
    assertThatThrownBy(() -> ToolPolicy.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ToolPolicy.builder("x").rateLimit(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> ToolPolicy.builder("x").rateLimit(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> ToolPolicy.builder("x").argumentsSchema("{\"type\":7}").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool 'x'");
    assertThatThrownBy(() -> ToolCallGuard.builder().tool(ToolPolicy.allow("x")).tool(ToolPolicy.allow("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already added");
    assertThatThrownBy(() -> ToolCallGuard.builder().costBudget(-1)).hasMessageContaining("-1");
  }

  @Test
  void idleConversationBudgetsAreForgottenOnceTooManyKeysAreTracked() {
    ToolCallGuard guard = ToolCallGuard.builder().tool(ToolPolicy.builder("book").maxCallsPerConversation(1).build())
        .maxTrackedKeys(1).budgetIdleExpiry(Duration.ofHours(1)).clock(clock).decisionLog(log).build();
    Map<String, String> conv1 = Map.of("conversation_id", "conv-1");
    ToolCall book = new ToolCall("b", "book", "{}");
    assertThat(guard.check(calls("a", conv1, book))).isPass();
    assertThat(guard.check(calls("a", conv1, book))).isBlock();
    clock.advance(Duration.ofHours(2));
    assertThat(guard.check(calls("a", Map.of("conversation_id", "conv-2"), book))).isPass(); // sweeps conv-1
    assertThat(guard.check(calls("a", conv1, book))).isPass();
  }

  @Test
  void inMemoryLogKeepsTheLatestDecisions() {
    InMemoryToolDecisionLog small = ToolDecisionLog.inMemory(2);
    ToolCallGuard guard = ToolCallGuard.builder().tool(ToolPolicy.allow("search")).decisionLog(small).build();
    for (int i = 0; i < 5; i++) {
      guard.check(calls("a", Map.of(), search("c" + i)));
    }
    assertThat(small.recorded()).isEqualTo(5);
    assertThat(small.decisions()).extracting(ToolDecision::callId).containsExactly("c3", "c4");
  }

  @Test
  void rateLimitsAndBudgetsHoldExactlyUnderConcurrency() throws Exception {
    ToolCallGuard guard = ToolCallGuard.builder()
        .tool(ToolPolicy.builder("search").rateLimit(100, Duration.ofMinutes(1)).build())
        .tool(ToolPolicy.builder("book").maxCallsPerConversation(25).build())
        .clock(clock).decisionLog(log).build();
    int threads = 16;
    int perThread = 500;
    AtomicInteger searchPassed = new AtomicInteger();
    AtomicInteger bookPassed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 2; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          Callable<Void> work = () -> {
            start.await();
            for (int i = 0; i < perThread; i++) {
              String tenant = (i % 2 == 0) ? "a" : "b";
              if (guard.check(calls(tenant, Map.of(), search(thread + "-" + i))).allowsContinuing()) {
                searchPassed.incrementAndGet();
              }
              Map<String, String> conv = Map.of("conversation_id", "conv-" + (i % 4));
              if (guard.check(calls("a", conv, new ToolCall("b" + i, "book", "{}"))).allowsContinuing()) {
                bookPassed.incrementAndGet();
              }
            }
            return null;
          };
          futures.add(pool.submit(work));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get();
        }
        clock.advance(Duration.ofMinutes(1));
      }
    } finally {
      pool.shutdownNow();
    }
    // 100 per tenant per window, two tenants, two windows; budgets never refill: 25 per conversation, 4 conversations
    assertThat(searchPassed.get()).isEqualTo(2 * 2 * 100);
    assertThat(bookPassed.get()).isEqualTo(4 * 25);
    long allowed = log.decisions().stream().filter(ToolDecision::runs).count();
    assertThat(allowed).isEqualTo(400 + 100);
    assertThat(log.recorded()).isEqualTo(2L * 2 * threads * perThread);
  }
}
