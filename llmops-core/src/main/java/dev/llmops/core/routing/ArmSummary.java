package dev.llmops.core.routing;

/**
 * One arm's numbers in an {@link ExperimentReport}.
 *
 * @param arm the arm's release
 * @param calls calls answered or failed on this arm
 * @param tries tries of the arm's deployments (the error rate's denominator)
 * @param errors tries that failed against a deployment
 * @param errorRate errors per try; NaN without tries
 * @param latencyP50Millis median latency of answered calls; NaN without any
 * @param latencyP95Millis 95th percentile latency; NaN without any
 * @param guardChecks answers whose guard outcome was reported
 * @param guardBlocks of those, the blocked ones
 * @param qualityScores quality scores reported
 * @param qualityMean their mean; NaN without any
 * @param costMean mean cost per answered call; NaN without any
 */
public record ArmSummary(
    String arm, long calls, long tries, long errors, double errorRate, double latencyP50Millis, double latencyP95Millis,
    long guardChecks, long guardBlocks, long qualityScores, double qualityMean, double costMean) {}
