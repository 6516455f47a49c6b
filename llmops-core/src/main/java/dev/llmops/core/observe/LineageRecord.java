package dev.llmops.core.observe;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.internal.observe.LineageJson;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.RoutedResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything that made one answer: which release, prompt version, model version, index snapshot, chunks and guard
 * verdicts, what it cost and how long each stage took, and a hash of the answer. Two records of the same question
 * are compared with {@link LineageDiff#between} to say why the answer changed.
 *
 * <p>Immutable and thread-safe; lists and maps are copied (maps keep their insertion order). Raw user ids and text
 * are never recorded: the user is an HMAC ({@link Lineage#hashUser}), the answer a SHA-256, and the text itself only
 * when a {@link ContentPolicy} turned content capture on (then redacted).
 *
 * <p>The JSON form ({@link #toJson()}, {@link #fromJson(String)}) has stable snake_case field names, one object per
 * line; durations are milliseconds with up to six decimals ({@code latency_ms}), times ISO-8601 UTC, enums by name.
 *
 * <pre>{@code
 * LineageRecord record = LineageRecord.builder(requestId, clock.instant())
 *     .tenant("acme").userHash(Lineage.hashUser(userId, key))
 *     .routed(routedResponse)                           // route, release, prompt, model, usage, cost, output hash
 *     .chunks(retrievedChunks).guard(new GuardDecision("pii", "2", Stage.OUTPUT, "rewrite", "rewrite", 1))
 *     .stage("retrieve", retrieveTime).stage("model", modelTime)
 *     .build();
 * }</pre>
 *
 * @param requestId the request's id; not blank
 * @param time when the request started
 * @param tenant the caller's tenant, or {@code null}
 * @param userHash HMAC-SHA256 hex of the user id ({@link Lineage#hashUser}), or {@code null}
 * @param route the route's name, or {@code null} when no router was involved
 * @param release the release's name, or {@code null}
 * @param arm the side of a split that served it ({@code route}, {@code baseline}, {@code canary}, an experiment
 *     arm), or {@code null}
 * @param prompt the concrete prompt version as {@code name@version}, or {@code null}
 * @param deployment the deployment that answered (or last failed), or {@code null}
 * @param modelVersion the model's exact version (a local artifact's SHA-256 or a remote model id), or {@code null}
 * @param indexSnapshot the retrieval index snapshot id, or {@code null}
 * @param chunks the retrieved chunks, in rank order
 * @param guardPolicy the guard policy as {@code name@version}, or {@code null}
 * @param guards every guard verdict, in the order the guards ran
 * @param usage the token usage, or {@code null} when unknown (cached and failed calls)
 * @param usageEstimated whether the usage was estimated because the model reported none
 * @param cost the cost in the price tables' currency; finite, not negative
 * @param stageLatencies time per stage ({@code retrieve}, {@code input_guards}, {@code model}, {@code output_guards},
 *     ...), in the order the stages ran
 * @param latency the total time; not negative
 * @param finishReason why generation stopped, or {@code null} when nothing was generated
 * @param outputHash SHA-256 hex of the answer text, or {@code null} when there was no answer
 * @param toolCalls every tool call, in order
 * @param steps agent steps taken (model calls), 0 when not an agent
 * @param outcome what the request came to
 * @param errorClass the class of the failure ({@code UNAVAILABLE}, {@code TIMEOUT}, ... or an exception's simple
 *     name) for failed and blocked requests, else {@code null}
 * @param content the redacted prompt and answer text, {@code null} unless content capture was on
 * @param attributes free-form low-volume facts (generation parameters, experiment name, app version)
 */
public record LineageRecord(
    String requestId, Instant time, @Nullable String tenant, @Nullable String userHash, @Nullable String route,
    @Nullable String release, @Nullable String arm, @Nullable String prompt, @Nullable String deployment,
    @Nullable String modelVersion, @Nullable String indexSnapshot, List<ChunkRef> chunks,
    @Nullable String guardPolicy, List<GuardDecision> guards, @Nullable TokenUsage usage, boolean usageEstimated,
    double cost, Map<String, Duration> stageLatencies, Duration latency, @Nullable FinishReason finishReason,
    @Nullable String outputHash, List<ToolCallRecord> toolCalls, int steps, Outcome outcome,
    @Nullable String errorClass, @Nullable Content content, Map<String, String> attributes) {

  /** What a request came to. */
  public enum Outcome {
    /** A model answered. */
    ANSWERED,
    /** A cache answered. */
    CACHED,
    /** It failed ({@link #errorClass()} says how). */
    FAILED,
    /** A guard blocked it. */
    BLOCKED
  }

  /**
   * The prompt and answer text, after redaction; recorded only when a {@link ContentPolicy} is on.
   *
   * @param prompt the rendered prompt (or the user's question), or {@code null}
   * @param answer the answer, or {@code null}
   */
  public record Content(@Nullable String prompt, @Nullable String answer) {}

  /**
   * Validates and copies.
   *
   * @throws InvalidRequestException naming the field and value when a value is out of range: a blank id, a user
   *     hash or output hash that is not SHA-256 hex (a raw user id is refused), a prompt not written
   *     {@code name@version}, a negative or non-finite cost, a negative duration or step count, a blank map key
   */
  public LineageRecord {
    if (requestId.isBlank()) {
      throw new InvalidRequestException("a lineage record needs a request id but got '" + requestId + "'");
    }
    Objects.requireNonNull(time, "time");
    if (userHash != null) {
      Lineage.checkSha256(userHash, "lineage record " + requestId + ": user_hash (use Lineage.hashUser)");
    }
    if (prompt != null && !prompt.matches(".+@[0-9]+")) {
      throw new InvalidRequestException(
          "lineage record " + requestId + ": prompt must be name@version but was '" + prompt + "'");
    }
    chunks = List.copyOf(chunks);
    guards = List.copyOf(guards);
    if (!(cost >= 0) || !Double.isFinite(cost)) {
      throw new InvalidRequestException("lineage record " + requestId + ": cost must be finite and not negative but was " + cost);
    }
    Map<String, Duration> stages = new LinkedHashMap<>();
    for (Map.Entry<String, Duration> e : stageLatencies.entrySet()) {
      String stage = Objects.requireNonNull(e.getKey(), "stage name");
      Duration d = Objects.requireNonNull(e.getValue(), "stage latency");
      if (stage.isBlank() || d.isNegative()) {
        throw new InvalidRequestException("lineage record " + requestId + ": stage latency '" + stage + "' = " + d
            + " needs a name and a non-negative duration");
      }
      stages.put(stage, d);
    }
    stageLatencies = Collections.unmodifiableMap(stages);
    if (latency.isNegative()) {
      throw new InvalidRequestException("lineage record " + requestId + ": latency must not be negative but was " + latency);
    }
    if (outputHash != null) {
      Lineage.checkSha256(outputHash, "lineage record " + requestId + ": output_hash");
    }
    toolCalls = List.copyOf(toolCalls);
    if (steps < 0) {
      throw new InvalidRequestException("lineage record " + requestId + ": steps must not be negative but was " + steps);
    }
    Objects.requireNonNull(outcome, "outcome");
    Map<String, String> attrs = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "attribute name");
      if (key.isBlank()) {
        throw new InvalidRequestException("lineage record " + requestId + ": attribute names must not be blank");
      }
      attrs.put(key, Objects.requireNonNull(e.getValue(), "attribute '" + key + "'"));
    }
    attributes = Collections.unmodifiableMap(attrs);
  }

  /**
   * Starts a record.
   *
   * @param requestId the request's id
   * @param time when the request started
   */
  public static Builder builder(String requestId, Instant time) {
    return new Builder(requestId, time);
  }

  /** A builder holding this record's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(requestId, time);
    b.tenant = tenant;
    b.userHash = userHash;
    b.route = route;
    b.release = release;
    b.arm = arm;
    b.prompt = prompt;
    b.deployment = deployment;
    b.modelVersion = modelVersion;
    b.indexSnapshot = indexSnapshot;
    b.chunks.addAll(chunks);
    b.guardPolicy = guardPolicy;
    b.guards.addAll(guards);
    b.usage = usage;
    b.usageEstimated = usageEstimated;
    b.cost = cost;
    b.stageLatencies.putAll(stageLatencies);
    b.latency = latency;
    b.finishReason = finishReason;
    b.outputHash = outputHash;
    b.toolCalls.addAll(toolCalls);
    b.steps = steps;
    b.outcome = outcome;
    b.errorClass = errorClass;
    b.content = content;
    b.attributes.putAll(attributes);
    return b;
  }

  /** The record as one line of JSON (no line breaks inside; string values escape them). */
  public String toJson() {
    return LineageJson.write(this);
  }

  /**
   * Parses one record from its JSON form. Strict: unknown fields, a wrong type, a missing required field
   * ({@code request_id}, {@code time}, {@code outcome}), an invalid value or trailing content are errors.
   * Absent optional fields read as {@code null}, empty or zero.
   *
   * @throws CorruptDataException naming the field and what is wrong with it
   */
  public static LineageRecord fromJson(String json) {
    return LineageJson.read(json);
  }

  /**
   * Builds a {@link LineageRecord}. Not thread-safe; meant to be filled in by one request's code as it runs.
   * Defaults: no chunks, guards, tool calls or attributes; no usage; cost 0; latency 0 (or the sum of the stages
   * when none is set); outcome {@link Outcome#ANSWERED}.
   */
  public static final class Builder {
    private final String requestId;
    private final Instant time;
    private @Nullable String tenant;
    private @Nullable String userHash;
    private @Nullable String route;
    private @Nullable String release;
    private @Nullable String arm;
    private @Nullable String prompt;
    private @Nullable String deployment;
    private @Nullable String modelVersion;
    private @Nullable String indexSnapshot;
    private final List<ChunkRef> chunks = new ArrayList<>();
    private @Nullable String guardPolicy;
    private final List<GuardDecision> guards = new ArrayList<>();
    private @Nullable TokenUsage usage;
    private boolean usageEstimated;
    private double cost;
    private final Map<String, Duration> stageLatencies = new LinkedHashMap<>();
    private @Nullable Duration latency;
    private @Nullable FinishReason finishReason;
    private @Nullable String outputHash;
    private final List<ToolCallRecord> toolCalls = new ArrayList<>();
    private int steps;
    private Outcome outcome = Outcome.ANSWERED;
    private @Nullable String errorClass;
    private @Nullable Content content;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(String requestId, Instant time) {
      this.requestId = Objects.requireNonNull(requestId, "requestId");
      this.time = Objects.requireNonNull(time, "time");
    }

    /** The caller's tenant. */
    public Builder tenant(@Nullable String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** The user's hash, from {@link Lineage#hashUser}; a raw id is refused by {@link #build()}. */
    public Builder userHash(@Nullable String userHash) {
      this.userHash = userHash;
      return this;
    }

    /** The route's name. */
    public Builder route(@Nullable String route) {
      this.route = route;
      return this;
    }

    /** The release's name. */
    public Builder release(@Nullable String release) {
      this.release = release;
      return this;
    }

    /**
     * The release's name and the versions it pins: prompt, index snapshot and guard policy (each only if the release
     * names one, so a version set before is kept otherwise).
     */
    public Builder release(Release release) {
      this.release = release.name();
      if (release.prompt() != null) {
        this.prompt = release.prompt();
      }
      if (release.indexSnapshot() != null) {
        this.indexSnapshot = release.indexSnapshot();
      }
      if (release.guardPolicy() != null) {
        this.guardPolicy = release.guardPolicy();
      }
      return this;
    }

    /** The side of the split that served the request. */
    public Builder arm(@Nullable String arm) {
      this.arm = arm;
      return this;
    }

    /** The concrete prompt version, {@code name@version}. */
    public Builder prompt(@Nullable String nameAtVersion) {
      this.prompt = nameAtVersion;
      return this;
    }

    /** The deployment that answered. */
    public Builder deployment(@Nullable String deployment) {
      this.deployment = deployment;
      return this;
    }

    /** The model's exact version. */
    public Builder modelVersion(@Nullable String modelVersion) {
      this.modelVersion = modelVersion;
      return this;
    }

    /** The index snapshot id. */
    public Builder indexSnapshot(@Nullable String snapshotId) {
      this.indexSnapshot = snapshotId;
      return this;
    }

    /** Adds a retrieved chunk. */
    public Builder chunk(ChunkRef chunk) {
      chunks.add(Objects.requireNonNull(chunk, "chunk"));
      return this;
    }

    /** Adds retrieved chunks, in rank order. */
    public Builder chunks(List<RetrievedChunk> retrieved) {
      retrieved.forEach(c -> chunks.add(ChunkRef.of(c)));
      return this;
    }

    /** The guard policy, {@code name@version}. */
    public Builder guardPolicy(@Nullable String nameAtVersion) {
      this.guardPolicy = nameAtVersion;
      return this;
    }

    /** Adds a guard verdict. */
    public Builder guard(GuardDecision decision) {
      guards.add(Objects.requireNonNull(decision, "decision"));
      return this;
    }

    /** The token usage and whether it was estimated. */
    public Builder usage(@Nullable TokenUsage usage, boolean estimated) {
      this.usage = usage;
      this.usageEstimated = estimated;
      return this;
    }

    /** The cost. */
    public Builder cost(double cost) {
      this.cost = cost;
      return this;
    }

    /** Records (or replaces) the time a stage took; stages keep the order they were first added in. */
    public Builder stage(String stage, Duration duration) {
      stageLatencies.put(Objects.requireNonNull(stage, "stage"), Objects.requireNonNull(duration, "duration"));
      return this;
    }

    /** The total latency; when never set, the sum of the stages. */
    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** Why generation stopped. */
    public Builder finishReason(@Nullable FinishReason finishReason) {
      this.finishReason = finishReason;
      return this;
    }

    /** The answer's hash, from {@link Lineage#sha256Hex}. */
    public Builder outputHash(@Nullable String outputHash) {
      this.outputHash = outputHash;
      return this;
    }

    /**
     * The answer: records its hash and, when {@code policy} is on, the redacted text (and {@code prompt}, if given).
     *
     * @param prompt the rendered prompt or question, or {@code null}
     * @param answer the answer text
     * @param policy whether and how to capture the text
     */
    public Builder answer(@Nullable String prompt, String answer, ContentPolicy policy) {
      this.outputHash = Lineage.sha256Hex(answer);
      this.content = policy.capture(prompt, answer);
      return this;
    }

    /** Adds a tool call. */
    public Builder toolCall(ToolCallRecord call) {
      toolCalls.add(Objects.requireNonNull(call, "call"));
      return this;
    }

    /** The number of agent steps. */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /** What the request came to. */
    public Builder outcome(Outcome outcome) {
      this.outcome = Objects.requireNonNull(outcome, "outcome");
      return this;
    }

    /** The class of the failure. */
    public Builder errorClass(@Nullable String errorClass) {
      this.errorClass = errorClass;
      return this;
    }

    /** The captured content; normally set through {@link #answer} or {@link ContentPolicy#capture}. */
    public Builder content(@Nullable Content content) {
      this.content = content;
      return this;
    }

    /** Adds (or replaces) an attribute. */
    public Builder attribute(String name, String value) {
      attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Fills in what a router answer knows: route, release (and its prompt, index snapshot, guard policy), arm,
     * deployment, model version, usage, cost, finish reason, output hash, the router's latency as stage
     * {@code model}, and {@link Outcome#CACHED} for a cached answer. Content is not captured; call {@link #answer}
     * for that.
     */
    public Builder routed(RoutedResponse response) {
      route(response.route());
      release(response.release());
      arm(response.arm());
      deployment(response.deployment());
      modelVersion(response.deploymentVersion());
      usage(response.response().usage(), response.usageEstimated());
      cost(response.cost());
      finishReason(response.response().finishReason());
      outputHash(Lineage.sha256Hex(response.text()));
      stage("model", response.latency());
      outcome(response.cached() ? Outcome.CACHED : Outcome.ANSWERED);
      return this;
    }

    /**
     * The record.
     *
     * @throws InvalidRequestException if a value is invalid (see {@link LineageRecord}'s constructor)
     */
    public LineageRecord build() {
      Duration total = latency;
      if (total == null) {
        total = stageLatencies.values().stream().reduce(Duration.ZERO, Duration::plus);
      }
      return new LineageRecord(requestId, time, tenant, userHash, route, release, arm, prompt, deployment,
          modelVersion, indexSnapshot, chunks, guardPolicy, guards, usage, usageEstimated, cost, stageLatencies, total,
          finishReason, outputHash, toolCalls, steps, outcome, errorClass, content, attributes);
    }
  }
}
