package dev.llmops.core.observe.feedback;

/**
 * What a {@link FeedbackExport} wrote.
 *
 * @param written dataset rows written, one per feedback
 * @param withoutRecord feedback skipped because the lookup found no lineage record for its request id
 * @param withoutContent feedback skipped because its record holds no prompt text (content capture was off)
 */
public record ExportSummary(int written, int withoutRecord, int withoutContent) {}
