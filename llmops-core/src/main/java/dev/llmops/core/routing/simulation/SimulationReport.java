package dev.llmops.core.routing.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.routing.CanaryAction;
import dev.llmops.core.routing.CanaryEvent;
import dev.llmops.core.routing.CanaryState;
import dev.llmops.core.routing.MetricEvidence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What one run of a {@link RouteSimulation} did: every canary decision with its evidence, where the canary and the
 * route ended up, and what each side of the split saw. Immutable; {@link #toJson()} is the form
 * {@code llmops route simulate} prints, byte-identical for the same scenario and seed.
 *
 * @param origin where the scenario came from (a file name), as given to {@link RouteSimulation#parse}
 * @param seed the seed the run used
 * @param requests how many requests were sent
 * @param start the simulated time of the start
 * @param simulatedDuration the simulated time from the start to the last request's arrival
 * @param decisions every canary decision, oldest first
 * @param finalState where the canary and the route stand after the last request
 * @param arms for each arm label ({@code "route"}, {@code "baseline"}, {@code "canary"}, in that order) what its
 *     calls did
 * @param canaryRequestsUntilDecision canary calls up to the first {@link CanaryAction#ROLLBACK} or
 *     {@link CanaryAction#COMPLETE} (the call that triggered it included), or {@code null} when neither happened
 * @param refusedManualActions manual actions of the scenario the canary refused (say, a promotion after an
 *     automatic rollback), each with the reason; a refused action changes nothing
 */
public record SimulationReport(
    String origin, long seed, long requests, Instant start, Duration simulatedDuration, List<Decision> decisions,
    FinalState finalState, Map<String, ArmCounts> arms, @Nullable Long canaryRequestsUntilDecision,
    List<String> refusedManualActions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the lists and the map, keeping the map's order. */
  public SimulationReport {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(simulatedDuration, "simulatedDuration");
    Objects.requireNonNull(finalState, "finalState");
    decisions = List.copyOf(decisions);
    arms = Collections.unmodifiableMap(new LinkedHashMap<>(arms));
    refusedManualActions = List.copyOf(refusedManualActions);
  }

  /**
   * One canary decision as the simulation saw it.
   *
   * @param event the decision, with its evidence
   * @param secondsSinceStart the simulated seconds from the start to the decision
   * @param canaryCalls the calls the canary arm had taken up to the decision, the triggering call included
   */
  public record Decision(CanaryEvent event, double secondsSinceStart, long canaryCalls) {

    /** Checks the event is there. */
    public Decision {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * Where things stand after the last request.
   *
   * @param canaryState the canary's state, or {@code null} when the scenario has no canary
   * @param canaryPercent the candidate's share of the traffic in percent (0 without a canary)
   * @param split the route's current split: each release's share in percent
   */
  public record FinalState(@Nullable CanaryState canaryState, double canaryPercent, Map<String, Double> split) {

    /** Copies the split, keeping its order. */
    public FinalState {
      split = Collections.unmodifiableMap(new LinkedHashMap<>(split));
    }
  }

  /**
   * What the calls of one arm did.
   *
   * @param calls calls assigned to the arm
   * @param tries tries of deployments for those calls, retries and failovers included
   * @param errors tries that failed
   * @param answered calls that got an answer
   */
  public record ArmCounts(long calls, long tries, long errors, long answered) {}

  /** The canary's final state, or {@code null} when the scenario has no canary. */
  public @Nullable CanaryState finalCanaryState() {
    return finalState.canaryState();
  }

  /** The first decision with {@code action}, if there was one. */
  public Optional<Decision> firstDecision(CanaryAction action) {
    for (Decision d : decisions) {
      if (d.event().action() == action) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /**
   * The canary calls up to the first decision with {@code action} (the call that triggered it included); empty when
   * there was no such decision.
   */
  public OptionalLong canaryCallsBefore(CanaryAction action) {
    Optional<Decision> d = firstDecision(action);
    return d.isPresent() ? OptionalLong.of(d.get().canaryCalls()) : OptionalLong.empty();
  }

  /** The actions of the decisions, oldest first. */
  public List<CanaryAction> actions() {
    List<CanaryAction> actions = new ArrayList<>();
    for (Decision d : decisions) {
      actions.add(d.event().action());
    }
    return actions;
  }

  /**
   * The report as pretty-printed JSON with a fixed key order and {@code \n} line ends, the same bytes for the same
   * report on every platform. Numbers that are not finite (a value without samples) are {@code null}.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("scenario", origin);
    root.put("seed", seed);
    root.put("requests", requests);
    root.put("start", start.toString());
    root.put("simulatedDuration", simulatedDuration.toString());
    root.put("simulatedSeconds", simulatedDuration.toNanos() / 1e9);
    ArrayNode list = root.putArray("decisions");
    for (Decision d : decisions) {
      CanaryEvent e = d.event();
      ObjectNode node = list.addObject();
      node.put("requestNumber", e.requestNumber());
      node.put("time", e.time().toString());
      node.put("secondsSinceStart", d.secondsSinceStart());
      node.put("action", e.action().name());
      node.put("step", e.step());
      node.put("fromPercent", e.fromPercent());
      node.put("toPercent", e.toPercent());
      node.put("dryRun", e.dryRun());
      node.put("actor", e.actor());
      node.put("reason", e.reason());
      node.put("canaryCalls", d.canaryCalls());
      ArrayNode evidence = node.putArray("evidence");
      for (MetricEvidence m : e.evidence()) {
        ObjectNode ev = evidence.addObject();
        ev.put("metric", m.metric().name());
        ev.put("verdict", m.verdict().name());
        ev.put("canarySamples", m.canarySamples());
        ev.put("baselineSamples", m.baselineSamples());
        number(ev, "canaryValue", m.canaryValue());
        number(ev, "baselineValue", m.baselineValue());
        ev.put("threshold", m.threshold());
        ev.put("test", m.test());
        number(ev, "pValue", m.pValue());
      }
    }
    ObjectNode last = root.putObject("finalState");
    last.put("canaryState", finalState.canaryState() == null ? null : finalState.canaryState().name());
    last.put("canaryPercent", finalState.canaryPercent());
    ObjectNode split = last.putObject("split");
    finalState.split().forEach(split::put);
    ObjectNode armsNode = root.putObject("arms");
    arms.forEach((label, counts) -> armsNode.putObject(label).put("calls", counts.calls()).put("tries", counts.tries())
        .put("errors", counts.errors()).put("answered", counts.answered()));
    if (canaryRequestsUntilDecision == null) {
      root.putNull("canaryRequestsUntilDecision");
    } else {
      root.put("canaryRequestsUntilDecision", canaryRequestsUntilDecision.longValue());
    }
    ArrayNode refused = root.putArray("refusedManualActions");
    refusedManualActions.forEach(refused::add);
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    try {
      return JSON.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written: " + e.getOriginalMessage(), e);
    }
  }

  private static void number(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "SimulationReport[%s, seed %d, %d requests, %d decisions, canary %s]", origin,
        seed, requests, decisions.size(), finalState.canaryState());
  }
}
