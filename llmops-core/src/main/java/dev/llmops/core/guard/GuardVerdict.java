package dev.llmops.core.guard;

import java.util.List;
import java.util.Objects;

/**
 * What a guard decided. The set of outcomes is closed, so callers {@code switch} over it and the compiler
 * checks that every outcome is handled.
 */
public sealed interface GuardVerdict {

  /** The guard's risk estimate, in {@code [0, 1]}; 0 for nothing found. */
  double riskScore();

  /** What the guard found, with spans in the inspected text. */
  List<Finding> findings();

  /** Whether the request may go on (pass or rewrite). */
  default boolean allowsContinuing() {
    return this instanceof Pass || this instanceof Rewrite;
  }

  /** Nothing to object to. */
  static Pass pass() {
    return new Pass(0, List.of());
  }

  /** Go on, but with {@code text} instead of the original (for example with PII masked). */
  static Rewrite rewrite(String text, double riskScore, List<Finding> findings) {
    return new Rewrite(text, riskScore, findings);
  }

  /** Stop, and show the user {@code safeMessage}. */
  static Block block(String safeMessage, double riskScore, List<Finding> findings) {
    return new Block(safeMessage, riskScore, findings);
  }

  /** Ask the model again, telling it {@code instruction}. */
  static Reask reask(String instruction, double riskScore, List<Finding> findings) {
    return new Reask(instruction, riskScore, findings);
  }

  /** Hold the answer for a human reviewer, for {@code reason}. */
  static Escalate escalate(String reason, double riskScore, List<Finding> findings) {
    return new Escalate(reason, riskScore, findings);
  }

  /**
   * Nothing to object to, though the guard may report low-risk findings.
   *
   * @param riskScore the risk estimate
   * @param findings what was noticed
   */
  record Pass(double riskScore, List<Finding> findings) implements GuardVerdict {
    /** Validates and copies. */
    public Pass {
      findings = checked(riskScore, findings);
    }
  }

  /**
   * Continue with replacement text.
   *
   * @param text the text to use instead
   * @param riskScore the risk estimate
   * @param findings what was replaced, with spans in the original text
   */
  record Rewrite(String text, double riskScore, List<Finding> findings) implements GuardVerdict {
    /** Validates and copies. */
    public Rewrite {
      Objects.requireNonNull(text, "text");
      findings = checked(riskScore, findings);
    }
  }

  /**
   * Stop the request.
   *
   * @param safeMessage what to tell the end user; must not reveal what was detected
   * @param riskScore the risk estimate
   * @param findings why
   */
  record Block(String safeMessage, double riskScore, List<Finding> findings) implements GuardVerdict {
    /** Validates and copies. */
    public Block {
      if (safeMessage.isBlank()) {
        throw new IllegalArgumentException("a block verdict needs a message for the user");
      }
      findings = checked(riskScore, findings);
    }
  }

  /**
   * Ask the model for a new answer.
   *
   * @param instruction what to tell the model about what was wrong
   * @param riskScore the risk estimate
   * @param findings why
   */
  record Reask(String instruction, double riskScore, List<Finding> findings) implements GuardVerdict {
    /** Validates and copies. */
    public Reask {
      if (instruction.isBlank()) {
        throw new IllegalArgumentException("a re-ask verdict needs an instruction for the model");
      }
      findings = checked(riskScore, findings);
    }
  }

  /**
   * Hand the request to a human reviewer.
   *
   * @param reason why a human should look
   * @param riskScore the risk estimate
   * @param findings why
   */
  record Escalate(String reason, double riskScore, List<Finding> findings) implements GuardVerdict {
    /** Validates and copies. */
    public Escalate {
      if (reason.isBlank()) {
        throw new IllegalArgumentException("an escalate verdict needs a reason");
      }
      findings = checked(riskScore, findings);
    }
  }

  private static List<Finding> checked(double riskScore, List<Finding> findings) {
    if (!(riskScore >= 0 && riskScore <= 1)) {
      throw new IllegalArgumentException("risk score must be in [0, 1] but was " + riskScore);
    }
    return List.copyOf(findings);
  }
}
