/**
 * Cost: prices per model and running totals with alerts.
 *
 * <p>Entry points: {@link dev.llmops.core.observe.cost.PriceTables#load} reads per-model prices from JSON (input,
 * cached input and output, per million tokens); {@link dev.llmops.core.observe.cost.CostTracker#builder} keeps exact
 * running totals per route, tenant and UTC day and calls its listeners when a
 * {@link dev.llmops.core.observe.cost.CostThreshold} (per query or per day) is exceeded, once per day per key.
 *
 * <pre>{@code
 * PriceTables prices = PriceTables.load(Path.of("prices.json"));
 * CostTracker costs = CostTracker.builder(prices)
 *     .threshold(CostThreshold.perDay(CostScope.ROUTE, 100))
 *     .listener(alert -> log.warn("route {} passed {} on {}", alert.key(), alert.threshold().amount(), alert.day()))
 *     .build();
 * double cost = costs.record("support-bot", "acme", "gpt-4o-mini", response.usage().orElseThrow(), requestId);
 * }</pre>
 */
@NullMarked
package dev.llmops.core.observe.cost;

import org.jspecify.annotations.NullMarked;
