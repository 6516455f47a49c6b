/**
 * llmops core: the contracts every other llmops module implements, the error hierarchy and an
 * OpenAI-compatible HTTP client.
 *
 * <p>Entry points, one per capability:
 * <ul>
 *   <li>{@link dev.llmops.core.chat.ChatModel} – chat completion, blocking and streaming;</li>
 *   <li>{@link dev.llmops.core.embedding.EmbeddingModel} – batch text embeddings, never silently truncated;</li>
 *   <li>{@link dev.llmops.core.classify.TextClassifier} and {@link dev.llmops.core.scoring.ScoringModel};</li>
 *   <li>{@link dev.llmops.core.retrieval.Retriever} – chunks with citations;</li>
 *   <li>{@link dev.llmops.core.guard.InputGuard} and {@link dev.llmops.core.guard.OutputGuard};</li>
 *   <li>{@link dev.llmops.core.openai.OpenAiClient} – any server speaking the OpenAI protocol;</li>
 *   <li>{@link dev.llmops.core.prompt.PromptRegistry} – versioned prompts, labels, rollback, A/B splits;</li>
 *   <li>{@link dev.llmops.core.routing.Router} – releases, fallbacks, circuit breaking, canaries with automatic
 *       rollback, A/B experiments, rate limits, budgets, a response cache;</li>
 *   <li>{@link dev.llmops.core.observe.LineageRecord} – what made each answer, its sinks, reader and diff;</li>
 *   <li>{@link dev.llmops.core.observe.drift.DriftMonitor} – input and output drift against a reference window;</li>
 *   <li>{@link dev.llmops.core.observe.feedback.FeedbackStore} and
 *       {@link dev.llmops.core.observe.feedback.FeedbackExport} – feedback on answers, exported as a dataset;</li>
 *   <li>{@link dev.llmops.core.observe.cost.PriceTables} and {@link dev.llmops.core.observe.cost.CostTracker} –
 *       prices from JSON, exact running cost totals per route, tenant and day, and alerts;</li>
 *   <li>{@link dev.llmops.core.observe.metrics.LlmOpsObservations} and
 *       {@link dev.llmops.core.observe.metrics.RouterMetrics} – an observation per pipeline stage, meters per call;</li>
 *   <li>{@link dev.llmops.core.eval.Evaluation} – golden datasets, assertions, reports that gate CI, bias audits,
 *       online scores for canaries.</li>
 * </ul>
 */
@org.jspecify.annotations.NullMarked
module dev.llmops.core {
  requires java.net.http;
  requires transitive java.sql; // PromptStore.jdbc takes a javax.sql.DataSource
  requires static transitive org.jspecify;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires com.samskivert.jmustache;
  requires com.github.benmanes.caffeine;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  requires com.networknt.schema; // json-schema assertions of dev.llmops.core.eval
  requires transitive micrometer.core; // CacheSettings and PromptRegistry.Builder take a MeterRegistry
  requires transitive micrometer.observation; // LlmOpsObservations takes an ObservationRegistry
  requires transitive micrometer.commons; // StageObservationConvention returns KeyValues

  exports dev.llmops.core;
  exports dev.llmops.core.chat;
  exports dev.llmops.core.embedding;
  exports dev.llmops.core.classify;
  exports dev.llmops.core.scoring;
  exports dev.llmops.core.retrieval;
  exports dev.llmops.core.guard;
  exports dev.llmops.core.openai;
  exports dev.llmops.core.prompt;
  exports dev.llmops.core.routing;
  exports dev.llmops.core.routing.simulation;
  exports dev.llmops.core.observe;
  exports dev.llmops.core.observe.drift;
  exports dev.llmops.core.observe.feedback;
  exports dev.llmops.core.observe.cost;
  exports dev.llmops.core.observe.metrics;
  exports dev.llmops.core.eval;
  // The OpenAI wire format is shared with the test kit's loopback server; users don't see it.
  exports dev.llmops.core.internal.openai to dev.llmops.test;
}
