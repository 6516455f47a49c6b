package dev.llmops.guardrails.grounding;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.retrieval.Citation;
import dev.llmops.core.retrieval.RetrievedChunk;
import java.util.List;
import java.util.Map;

/** Retrieved chunks of a small support handbook, with ids as llmops-rag makes them (document id, '#', ordinal). */
final class Chunks {

  static final RetrievedChunk REFUNDS = chunk("handbook.md#0",
      "Refunds are available within 30 days of purchase. Customers must include the original receipt. "
          + "Refunds are paid to the original payment method within 5 business days.");
  static final RetrievedChunk SHIPPING = chunk("handbook.md#1",
      "Shipping is free for orders over 50 dollars. Express delivery costs 15 dollars and arrives in two business days. "
          + "We ship to 27 countries in the European Union.");
  static final RetrievedChunk SUPPORT = chunk("faq.md#3",
      "The support team answers emails Monday through Friday between 9:00 and 17:00 CET. "
          + "Premium customers can call the hotline at any time.");

  static final List<RetrievedChunk> ALL = List.of(REFUNDS, SHIPPING, SUPPORT);

  private Chunks() {}

  static RetrievedChunk chunk(String id, String text) {
    String doc = id.substring(0, id.indexOf('#'));
    return new RetrievedChunk(id, text, 1.0,
        new Citation(doc, doc, "docs/" + doc, null, new TextSpan(0, text.length()), "snapshot-1"), Map.of());
  }

  static OutputContext answer(String text) {
    return new OutputContext(text, "How do refunds and shipping work?", ALL, List.of(), "tenant-a", Map.of());
  }
}
