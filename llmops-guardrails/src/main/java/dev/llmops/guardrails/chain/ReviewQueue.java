package dev.llmops.guardrails.chain;

import java.util.List;

/**
 * Where escalated requests wait for a human. A chain submits every enforced {@code Escalate} verdict and puts the
 * returned ticket into its {@link ChainResult}. Implementations are safe to share across threads; a ticketing
 * system, a database table or a message queue sit behind this interface in production.
 */
public interface ReviewQueue {

  /**
   * Queues a request for review.
   *
   * @param request what to review
   * @return the ticket id under which the request can be found
   */
  String submit(ReviewRequest request);

  /** A thread-safe in-memory queue of at most 10,000 pending requests, for tests and single-process tools. */
  static InMemoryReviewQueue inMemory() {
    return inMemory(10_000);
  }

  /** A thread-safe in-memory queue of at most {@code capacity} pending requests. */
  static InMemoryReviewQueue inMemory(int capacity) {
    return new InMemoryReviewQueue(capacity);
  }

  /**
   * A request held for review.
   *
   * @param policy the chain's policy name
   * @param policyVersion its version
   * @param stage input or output
   * @param text the text the chain was given
   * @param reason the escalating guard's reason
   * @param findings every finding of the chain run
   */
  record ReviewRequest(
      String policy, String policyVersion, Stage stage, String text, String reason, List<ChainFinding> findings) {
    /** Copies the findings. */
    public ReviewRequest {
      findings = List.copyOf(findings);
    }
  }
}
