/**
 * A deterministic simulator of the router's canary releases: scenarios of deployments, releases, traffic,
 * degradations and manual actions run through the real {@link dev.llmops.core.routing.Router} on simulated time.
 *
 * <p>Entry point: {@link dev.llmops.core.routing.simulation.RouteSimulation#run(String, String)} (or
 * {@link dev.llmops.core.routing.simulation.RouteSimulation#parse} then {@code run()}), which returns a
 * {@link dev.llmops.core.routing.simulation.SimulationReport}. Its parts are reusable in tests:
 * {@link dev.llmops.core.routing.simulation.SimulatedClock} (a clock, ticker and sleeper that move only when told)
 * and {@link dev.llmops.core.routing.simulation.SimulatedModel} (a chat model with an error rate and a log-normal
 * latency).
 */
@NullMarked
package dev.llmops.core.routing.simulation;

import org.jspecify.annotations.NullMarked;
