/**
 * llmops guardrails: guard chains and the built-in guards, implementing {@link dev.llmops.core.guard.InputGuard}
 * and {@link dev.llmops.core.guard.OutputGuard}.
 *
 * <p>Entry points, one per capability:
 * <ul>
 *   <li>{@link dev.llmops.guardrails.chain} – ordered guard chains, policies loaded from JSON, streaming output checks;</li>
 *   <li>{@link dev.llmops.guardrails.injection} – prompt injection and jailbreak rules plus an embedding classifier,
 *       and invisible-text detection;</li>
 *   <li>{@link dev.llmops.guardrails.pii} – PII recognizers with checksums, and redact/mask/hash/pseudonymise operators;</li>
 *   <li>{@link dev.llmops.guardrails.secrets} – cloud and SaaS keys, tokens, private keys, high-entropy strings;</li>
 *   <li>{@link dev.llmops.guardrails.content} – allowed and banned topics, toxicity;</li>
 *   <li>{@link dev.llmops.guardrails.grounding} – whether an answer is supported by the chunks it cites;</li>
 *   <li>{@link dev.llmops.guardrails.schema} – JSON output validated against a JSON Schema;</li>
 *   <li>{@link dev.llmops.guardrails.tool} – tool-call allow-lists, argument schemas, rate and budget limits, approval.</li>
 * </ul>
 *
 * <p>Guards that need a model take core interfaces ({@link dev.llmops.core.embedding.EmbeddingModel},
 * {@link dev.llmops.core.classify.TextClassifier}); this module never depends on llmops-inference.
 */
@org.jspecify.annotations.NullMarked
@SuppressWarnings("requires-automatic") // libphonenumber ships no module descriptor
module dev.llmops.guardrails {
  requires transitive dev.llmops.core;
  requires static transitive org.jspecify;
  requires com.fasterxml.jackson.databind;
  requires com.google.i18n.phonenumbers.libphonenumber;
  requires com.networknt.schema;
  requires org.slf4j;

  exports dev.llmops.guardrails.chain;
  exports dev.llmops.guardrails.injection;
  exports dev.llmops.guardrails.pii;
  exports dev.llmops.guardrails.secrets;
  exports dev.llmops.guardrails.content;
  exports dev.llmops.guardrails.grounding;
  exports dev.llmops.guardrails.schema;
  exports dev.llmops.guardrails.tool;
}
