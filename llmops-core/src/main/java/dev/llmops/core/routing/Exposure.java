package dev.llmops.core.routing;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A unit was served an experiment arm: the record an analysis joins outcomes with.
 *
 * @param experiment the experiment
 * @param arm the arm's release
 * @param unitId the unit, or {@code null} for calls without one
 * @param requestId the call
 * @param time when it was assigned
 */
public record Exposure(String experiment, String arm, @Nullable String unitId, String requestId, Instant time) {}
