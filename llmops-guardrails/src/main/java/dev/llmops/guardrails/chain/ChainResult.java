package dev.llmops.guardrails.chain;

import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.observe.GuardDecision;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a chain decided about one text.
 *
 * @param policy the chain's policy name
 * @param policyVersion the chain's policy version
 * @param stage input or output
 * @param verdict the combined verdict; its findings' spans point into the chain's input text, and a
 *     {@link GuardVerdict.Rewrite} carries the text after every enforced rewrite
 * @param text the text to go on with: the rewritten text, or the input text unchanged when nothing rewrote it
 * @param records one record per guard, in chain order, including skipped and monitor-only guards
 * @param reviewTicket the review queue's ticket when the verdict escalated and a queue is configured
 */
public record ChainResult(
    String policy, String policyVersion, Stage stage, GuardVerdict verdict, String text, List<GuardRecord> records,
    @Nullable String reviewTicket) {

  /** Copies the records. */
  public ChainResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(text, "text");
    records = List.copyOf(records);
  }

  /** Whether the request may go on (the verdict passed or rewrote). */
  public boolean allowed() {
    return verdict.allowsContinuing();
  }

  /** Every finding of every guard that ran (enforced or monitoring), in chain order. */
  public List<ChainFinding> findings() {
    return records.stream().flatMap(r -> r.findings().stream()).toList();
  }

  /**
   * Every guard's record as lineage keeps it ({@link GuardRecord#toLineage()}), in chain order: pass them to
   * {@code LineageRecord.Builder.guards(...)} so the answer's lineage names each guard's verdict.
   */
  public List<GuardDecision> lineageDecisions() {
    return records.stream().map(GuardRecord::toLineage).toList();
  }

  /** The record of the guard named {@code guard}, if it is in the chain. */
  public Optional<GuardRecord> record(String guard) {
    return records.stream().filter(r -> r.guard().equals(guard)).findFirst();
  }
}
