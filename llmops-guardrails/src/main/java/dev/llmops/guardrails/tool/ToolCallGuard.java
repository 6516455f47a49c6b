package dev.llmops.guardrails.tool;

import dev.llmops.guardrails.chain.WholeAnswerGuard;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.schema.JsonCheck;
import dev.llmops.guardrails.tool.ToolApprover.Approval;
import dev.llmops.guardrails.tool.ToolDecision.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Guards the tool calls a model asks for ({@link OutputContext#toolCalls()}): an allow-list of
 * {@link ToolPolicy}s, arguments validated against each tool's JSON Schema, per-tenant rate limits, per-conversation
 * call and cost budgets, and an approval hook for dangerous tools. Every decision, one per call, goes to the
 * {@link ToolDecisionLog}.
 *
 * <pre>{@code
 * ToolCallGuard guard = ToolCallGuard.builder()
 *     .tool(ToolPolicy.builder("search").argumentsSchema(searchSchema).rateLimit(30, Duration.ofMinutes(1)).build())
 *     .tool(ToolPolicy.builder("issue_refund").argumentsSchema(refundSchema).dangerous(true).build())
 *     .approver(myApprover)
 *     .build();
 * }</pre>
 *
 * <p>The calls of one answer are checked in three steps, and the answer's verdict is the worst of them:
 * <ol>
 *   <li>Allow-list and arguments: a tool that is not listed is {@code UNKNOWN_TOOL} (block); arguments that are not
 *       JSON, too large or too deep, or do not conform to the schema are {@code INVALID_TOOL_ARGUMENTS} (re-ask, the
 *       instruction carries the errors and the schema).</li>
 *   <li>Limits, only when every call passed step 1: each call takes a slot of its tool's rate limit (keyed by tool
 *       and tenant) and of the conversation's budget (keyed by tenant and the {@link Builder#conversationAttribute
 *       conversation attribute}, or the tenant alone when the request has none); one over a limit is
 *       {@code TOOL_RATE_LIMITED} or {@code TOOL_BUDGET_EXCEEDED} (block, or escalate per {@link LimitAction}).</li>
 *   <li>Approval, only when every call passed steps 1 and 2: each dangerous tool's call goes to the
 *       {@link ToolApprover}; deny is {@code TOOL_DENIED} (block), escalate is {@code TOOL_NEEDS_APPROVAL}
 *       (escalate).</li>
 * </ol>
 * Slots taken for an answer that does not pass are given back, except when the approver escalated it (those
 * calls may still run once a human approves), so only calls that run or await approval count against limits. Calls not decided because another call of the answer was rejected are logged
 * as {@link Outcome#SKIPPED}. Findings have no span (tool calls are not part of the answer text) and never quote
 * the arguments.
 *
 * <p>Thread safe: rate limits and budgets hold exactly under concurrent checks (each key is updated atomically).
 * Time comes from the injected {@link Clock}. State for idle keys is forgotten once more than
 * {@link Builder#maxTrackedKeys(int)} keys are tracked: windows with no call inside them, and budgets unused for
 * {@link Builder#budgetIdleExpiry(Duration)} (so a conversation idle that long starts a new budget).
 */
public final class ToolCallGuard implements WholeAnswerGuard {

  /** The default message for a blocked answer. */
  public static final String DEFAULT_BLOCK_MESSAGE = "Sorry, that action is not allowed.";

  private final Map<String, ToolPolicy> tools;
  private final ToolApprover approver;
  private final ToolDecisionLog log;
  private final Clock clock;
  private final LimitAction limitAction;
  private final String conversationAttribute;
  private final double costBudget;
  private final int maxErrors;
  private final int maxTrackedKeys;
  private final long budgetIdleNanos;
  private final String blockMessage;
  private final ConcurrentHashMap<String, SlidingWindow> windows = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

  private ToolCallGuard(Builder b) {
    this.tools = Map.copyOf(b.tools);
    this.approver = b.approver;
    this.log = b.log;
    this.clock = b.clock;
    this.limitAction = b.limitAction;
    this.conversationAttribute = b.conversationAttribute;
    this.costBudget = b.costBudget;
    this.maxErrors = b.maxErrors;
    this.maxTrackedKeys = b.maxTrackedKeys;
    this.budgetIdleNanos = b.budgetIdleExpiry.toNanos();
    this.blockMessage = b.blockMessage;
  }

  /** A builder with an empty allow-list (every tool is unknown until added). */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "tool-calls";
  }

  @Override
  public String version() {
    return "1";
  }

  /** The allowed tools by name. */
  public Map<String, ToolPolicy> tools() {
    return tools;
  }

  /** Where decisions go. */
  public ToolDecisionLog decisionLog() {
    return log;
  }

  private enum Severity { PASS, ESCALATE, REASK, BLOCK }

  /** A call's decision in the making. */
  private static final class Pending {
    final ToolCall call;
    final @Nullable ToolPolicy policy;
    Outcome outcome = Outcome.SKIPPED;
    String reason = "not decided because another call in the same answer was rejected";
    @Nullable JsonCheck argumentCheck;
    long windowStamp;
    @Nullable String windowKey;
    @Nullable String budgetKey;

    Pending(ToolCall call, @Nullable ToolPolicy policy) {
      this.call = call;
      this.policy = policy;
    }
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    if (output.toolCalls().isEmpty()) {
      return GuardVerdict.pass();
    }
    Instant time = clock.instant();
    long now = time.getEpochSecond() * 1_000_000_000L + time.getNano();
    List<Pending> calls = new ArrayList<>(output.toolCalls().size());
    for (ToolCall call : output.toolCalls()) {
      calls.add(new Pending(call, tools.get(call.name())));
    }
    List<Finding> findings = new ArrayList<>();
    Severity severity = validate(calls, findings);
    if (severity == Severity.PASS) {
      severity = reserve(calls, output, now, findings);
      if (severity != Severity.PASS) {
        releaseAll(calls);
      }
    }
    if (severity == Severity.PASS) {
      try {
        severity = approve(calls, output, findings);
      } catch (RuntimeException e) {
        releaseAll(calls);
        throw e;
      }
      if (severity == Severity.BLOCK) {
        releaseAll(calls);
      }
    }
    for (Pending p : calls) {
      log.record(new ToolDecision(p.call.name(), p.call.id(), output.tenant(), p.outcome, p.reason, time));
    }
    sweep(now);
    return switch (severity) {
      case PASS -> GuardVerdict.pass();
      case ESCALATE -> GuardVerdict.escalate(escalationReason(calls), riskOf(findings), findings);
      case REASK -> GuardVerdict.reask(reaskInstruction(calls), riskOf(findings), findings);
      case BLOCK -> GuardVerdict.block(blockMessage, riskOf(findings), findings);
    };
  }

  private Severity validate(List<Pending> calls, List<Finding> findings) {
    Severity severity = Severity.PASS;
    for (Pending p : calls) {
      ToolPolicy policy = p.policy;
      if (policy == null) {
        p.outcome = Outcome.UNKNOWN_TOOL;
        p.reason = "tool '" + shortName(p.call.name()) + "' is not on the allow-list";
        findings.add(new Finding("UNKNOWN_TOOL", null, 1.0, "call '" + shortName(p.call.id()) + "': " + p.reason));
        severity = Severity.BLOCK;
        continue;
      }
      JsonCheck check = policy.checker().check(p.call.argumentsJson());
      if (!check.valid()) {
        p.argumentCheck = check;
        p.outcome = Outcome.INVALID_ARGUMENTS;
        p.reason = "arguments " + describe(check.status()) + " (" + check.errors().size() + " errors)";
        List<JsonCheck.SchemaError> errors = check.errors();
        for (int i = 0; i < errors.size() && i < maxErrors; i++) {
          findings.add(new Finding("INVALID_TOOL_ARGUMENTS", null, 0.6,
              "tool '" + policy.name() + "' call '" + shortName(p.call.id()) + "': " + errors.get(i)));
        }
        if (severity != Severity.BLOCK) {
          severity = Severity.REASK;
        }
      }
    }
    return severity;
  }

  private Severity reserve(List<Pending> calls, OutputContext output, long now, List<Finding> findings) {
    String tenant = output.tenant() == null ? "" : output.tenant();
    String conversation = output.attributes().get(conversationAttribute);
    String budgetKey = tenant + '\u0000' + (conversation == null ? "" : conversation);
    for (Pending p : calls) {
      ToolPolicy policy = Objects.requireNonNull(p.policy);
      if (policy.rateLimitCalls() > 0) {
        boolean[] taken = new boolean[1];
        long windowNanos = policy.rateLimitWindow().toNanos();
        String windowKey = policy.name() + '\u0000' + tenant;
        windows.compute(windowKey, (k, w) -> {
          SlidingWindow window = w != null ? w : new SlidingWindow(policy.rateLimitCalls(), windowNanos);
          taken[0] = window.tryAcquire(now);
          return window;
        });
        if (!taken[0]) {
          return overLimit(p, Outcome.RATE_LIMITED, "TOOL_RATE_LIMITED", "tool '" + policy.name() + "' is over its limit of "
              + policy.rateLimitCalls() + " calls per " + policy.rateLimitWindow() + " for this tenant", findings);
        }
        p.windowStamp = now;
        p.windowKey = windowKey;
      }
      if (policy.maxCallsPerConversation() > 0 || costBudget > 0) {
        String[] refusal = new String[1];
        budgets.compute(budgetKey, (k, b) -> {
          Budget budget = b != null ? b : new Budget();
          refusal[0] = budget.tryReserve(policy.name(), policy.maxCallsPerConversation(), policy.cost(), costBudget, now);
          return budget;
        });
        if (refusal[0] != null) {
          return overLimit(p, Outcome.BUDGET_EXCEEDED, "TOOL_BUDGET_EXCEEDED", refusal[0], findings);
        }
        p.budgetKey = budgetKey;
      }
    }
    return Severity.PASS;
  }

  private Severity overLimit(Pending p, Outcome outcome, String type, String reason, List<Finding> findings) {
    p.outcome = limitAction == LimitAction.ESCALATE ? Outcome.ESCALATED : outcome;
    p.reason = reason;
    findings.add(new Finding(type, null, 0.8, "call '" + shortName(p.call.id()) + "': " + reason));
    return limitAction == LimitAction.ESCALATE ? Severity.ESCALATE : Severity.BLOCK;
  }

  private Severity approve(List<Pending> calls, OutputContext output, List<Finding> findings) {
    Severity severity = Severity.PASS;
    for (Pending p : calls) {
      ToolPolicy policy = Objects.requireNonNull(p.policy);
      if (!policy.dangerous()) {
        p.outcome = Outcome.ALLOWED;
        p.reason = "allowed";
        continue;
      }
      Approval approval = Objects.requireNonNull(approver.decide(p.call, output), "the tool approver returned null");
      switch (approval) {
        case APPROVE -> {
          p.outcome = Outcome.APPROVED;
          p.reason = "dangerous tool approved";
        }
        case DENY -> {
          p.outcome = Outcome.DENIED;
          p.reason = "dangerous tool '" + policy.name() + "' denied by the approver";
          findings.add(new Finding("TOOL_DENIED", null, 1.0, "call '" + shortName(p.call.id()) + "': " + p.reason));
          severity = Severity.BLOCK;
        }
        case ESCALATE -> {
          p.outcome = Outcome.ESCALATED;
          p.reason = "dangerous tool '" + policy.name() + "' needs a human's approval";
          findings.add(new Finding("TOOL_NEEDS_APPROVAL", null, 0.5, "call '" + shortName(p.call.id()) + "': " + p.reason));
          if (severity == Severity.PASS) {
            severity = Severity.ESCALATE;
          }
        }
      }
    }
    if (severity == Severity.BLOCK) {
      for (Pending p : calls) {
        if (p.outcome == Outcome.ESCALATED) {
          p.outcome = Outcome.SKIPPED;
          p.reason = "not held for approval because another call in the same answer was denied";
        }
      }
    }
    return severity;
  }

  private void releaseAll(List<Pending> calls) {
    for (Pending p : calls) {
      ToolPolicy policy = p.policy;
      if (policy == null) {
        continue;
      }
      String windowKey = p.windowKey;
      if (windowKey != null) {
        long stamp = p.windowStamp;
        windows.computeIfPresent(windowKey, (k, w) -> {
          w.release(stamp);
          return w;
        });
        p.windowKey = null;
      }
      String budgetKey = p.budgetKey;
      if (budgetKey != null) {
        budgets.computeIfPresent(budgetKey, (k, b) -> {
          b.release(policy.name(), policy.cost());
          return b;
        });
        p.budgetKey = null;
      }
      if (p.outcome == Outcome.ALLOWED || p.outcome == Outcome.APPROVED) {
        p.outcome = Outcome.SKIPPED;
        p.reason = "not run because another call in the same answer was rejected";
      }
    }
  }

  private void sweep(long now) {
    if (windows.size() + budgets.size() <= maxTrackedKeys) {
      return;
    }
    long next = nextSweep.get();
    if (now < next || !nextSweep.compareAndSet(next, now + 1_000_000_000L)) {
      return;
    }
    for (String key : windows.keySet()) {
      windows.computeIfPresent(key, (k, w) -> w.idle(now) ? null : w);
    }
    for (String key : budgets.keySet()) {
      budgets.computeIfPresent(key, (k, b) -> now - b.lastUsed() >= budgetIdleNanos ? null : b);
    }
  }

  private String reaskInstruction(List<Pending> calls) {
    StringBuilder b = new StringBuilder("Some tool calls had invalid arguments. Call the tools again with corrected arguments.\n");
    for (Pending p : calls) {
      JsonCheck check = p.argumentCheck;
      ToolPolicy policy = p.policy;
      if (check == null || policy == null) {
        continue;
      }
      b.append("Call '").append(shortName(p.call.id())).append("' to tool '").append(policy.name()).append("':\n");
      List<JsonCheck.SchemaError> errors = check.errors();
      for (int i = 0; i < errors.size() && i < maxErrors; i++) {
        b.append("- ").append(errors.get(i)).append('\n');
      }
      if (errors.size() > maxErrors) {
        b.append("- and ").append(errors.size() - maxErrors).append(" more\n");
      }
      policy.argumentsSchema().ifPresent(s -> b.append("The arguments must conform to this JSON Schema: ")
          .append(s.schemaJson()).append('\n'));
    }
    return b.toString().strip();
  }

  private static String escalationReason(List<Pending> calls) {
    StringBuilder b = new StringBuilder();
    for (Pending p : calls) {
      if (p.outcome == Outcome.ESCALATED) {
        b.append(b.length() == 0 ? "" : "; ").append("call '").append(shortName(p.call.id())).append("': ").append(p.reason);
      }
    }
    return b.length() == 0 ? "a tool call needs a human's approval" : b.toString();
  }

  private static double riskOf(List<Finding> findings) {
    double max = 0;
    for (Finding f : findings) {
      max = Math.max(max, f.score());
    }
    return max;
  }

  private static String describe(JsonCheck.Status status) {
    return switch (status) {
      case NOT_FOUND -> "are empty";
      case INVALID_JSON -> "are not valid JSON";
      case TOO_DEEP -> "are nested too deeply";
      case TOO_LARGE -> "are too large";
      case SCHEMA_VIOLATION -> "do not conform to the tool's schema";
      case VALID -> "are valid";
    };
  }

  private static String shortName(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  @Override
  public String toString() {
    return "ToolCallGuard[" + tools.keySet() + ", limits " + limitAction + "]";
  }

  /** Builds a {@link ToolCallGuard}; options are plain values so a JSON policy can set them. */
  public static final class Builder {
    private final Map<String, ToolPolicy> tools = new LinkedHashMap<>();
    private ToolApprover approver = ToolApprover.escalateAll();
    private ToolDecisionLog log = new InMemoryToolDecisionLog(10_000);
    private Clock clock = Clock.systemUTC();
    private LimitAction limitAction = LimitAction.BLOCK;
    private String conversationAttribute = "conversation_id";
    private double costBudget;
    private int maxErrors = 10;
    private int maxTrackedKeys = 100_000;
    private Duration budgetIdleExpiry = Duration.ofHours(24);
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;

    private Builder() {}

    /**
     * Allows a tool.
     *
     * @throws IllegalArgumentException if a tool of the same name was already added
     */
    public Builder tool(ToolPolicy policy) {
      if (tools.containsKey(policy.name())) {
        throw new IllegalArgumentException("tool '" + policy.name() + "' was already added");
      }
      tools.put(policy.name(), policy);
      return this;
    }

    /** Allows each of {@code policies}. */
    public Builder tools(List<ToolPolicy> policies) {
      policies.forEach(this::tool);
      return this;
    }

    /** Decides about dangerous tools' calls; {@link ToolApprover#escalateAll()} by default. */
    public Builder approver(ToolApprover approver) {
      this.approver = Objects.requireNonNull(approver, "approver");
      return this;
    }

    /** Receives every decision; an {@link InMemoryToolDecisionLog} of 10,000 by default. */
    public Builder decisionLog(ToolDecisionLog log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /** The clock for rate-limit windows and decision times; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What a call over a rate limit or budget does; {@link LimitAction#BLOCK} by default. */
    public Builder limitAction(LimitAction action) {
      this.limitAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /** The request attribute naming the conversation budgets are kept for; {@code conversation_id} by default. */
    public Builder conversationAttribute(String attribute) {
      if (attribute.isBlank()) {
        throw new IllegalArgumentException("the conversation attribute must not be blank");
      }
      this.conversationAttribute = attribute;
      return this;
    }

    /** The total {@linkplain ToolPolicy#cost() cost} of calls allowed per conversation; 0 (the default) for none. */
    public Builder costBudget(double budget) {
      if (!(budget >= 0) || Double.isInfinite(budget)) {
        throw new IllegalArgumentException("cost budget must be a finite number >= 0 but was " + budget);
      }
      this.costBudget = budget;
      return this;
    }

    /** The most argument errors listed per call, 1 to 1000; 10 by default. */
    public Builder maxErrors(int maxErrors) {
      if (maxErrors < 1 || maxErrors > 1000) {
        throw new IllegalArgumentException("maxErrors must be between 1 and 1000 but was " + maxErrors);
      }
      this.maxErrors = maxErrors;
      return this;
    }

    /** How many rate-limit and budget keys are tracked before idle ones are forgotten; 100,000 by default. */
    public Builder maxTrackedKeys(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("maxTrackedKeys must be at least 1 but was " + maxKeys);
      }
      this.maxTrackedKeys = maxKeys;
      return this;
    }

    /** How long an unused conversation budget is kept once the key limit is reached; 24 hours by default. */
    public Builder budgetIdleExpiry(Duration expiry) {
      if (expiry.isNegative() || expiry.isZero()) {
        throw new IllegalArgumentException("budget idle expiry must be positive but was " + expiry);
      }
      this.budgetIdleExpiry = expiry;
      return this;
    }

    /** The message shown to the user when an answer's tool calls are blocked. */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("the block message must not be blank");
      }
      this.blockMessage = message;
      return this;
    }

    /** Builds the guard. */
    public ToolCallGuard build() {
      return new ToolCallGuard(this);
    }
  }
}
