/**
 * Evaluation: golden datasets with assertions run against a model or a router release, reports that gate CI, bias
 * audits over counterfactual requests, and online scores that feed the canary controller.
 *
 * <p>Entry points: {@link dev.llmops.core.eval.Evaluation#builder()} runs an
 * {@link dev.llmops.core.eval.EvalDataset} (JSON Lines, see its Javadoc for the format) against an
 * {@link dev.llmops.core.eval.EvalTarget} and returns an {@link dev.llmops.core.eval.EvalReport};
 * {@link dev.llmops.core.eval.Assertion} has the checks; {@link dev.llmops.core.eval.BiasAudit#builder()} runs a
 * bias audit; {@link dev.llmops.core.eval.OnlineEvaluator#builder} scores live answers for the router.
 *
 * <pre>{@code
 * EvalReport report = Evaluation.builder()
 *     .dataset(EvalDataset.load(Path.of("golden/support.jsonl")))
 *     .target(EvalTarget.release(router, "support-bot", "support-v8"))
 *     .repeat(3)
 *     .run();
 * Files.writeString(Path.of("eval.md"), report.toMarkdown());
 * EvalComparison diff = EvalReport.compare(EvalReport.read(Path.of("baseline.json")), report);
 * if (report.weightedPassRate() < 0.95 || diff.hasRegressions()) { ... }
 * }</pre>
 */
@NullMarked
package dev.llmops.core.eval;

import org.jspecify.annotations.NullMarked;
