package dev.llmops.core.routing;

import java.time.Instant;

/**
 * A budget's spend crossed one of its alert fractions.
 *
 * @param route the route the budget belongs to
 * @param budget the budget
 * @param scopeValue the tenant or API-key hash the spend belongs to, or the route name for a route-wide budget
 * @param periodStart the start of the period the spend counts in
 * @param fraction the alert fraction that was crossed
 * @param spent the spend after the request that crossed it
 * @param time when it was crossed
 */
public record BudgetAlert(
    String route, Budget budget, String scopeValue, Instant periodStart, double fraction, double spent, Instant time) {}
