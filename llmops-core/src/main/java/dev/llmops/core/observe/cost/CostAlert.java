package dev.llmops.core.observe.cost;

import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CostThreshold} was exceeded.
 *
 * @param threshold the threshold
 * @param key the route or tenant it was exceeded for; {@code null} for {@link CostScope#ALL}
 * @param day the UTC day
 * @param amount the query's cost ({@link CostThreshold.Kind#PER_QUERY}) or the day's total right after the query
 *     that crossed it ({@link CostThreshold.Kind#PER_DAY})
 * @param requestId the query that crossed it, when the caller gave its id
 * @param time when that query was recorded
 */
public record CostAlert(
    CostThreshold threshold, @Nullable String key, LocalDate day, double amount, @Nullable String requestId,
    Instant time) {}
