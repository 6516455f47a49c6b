/**
 * The router: releases, routes, fallbacks, circuit breaking, canary releases with automatic rollback, A/B
 * experiments, rate limits, budgets and a response cache.
 */
@NullMarked
package dev.llmops.core.routing;

import org.jspecify.annotations.NullMarked;
