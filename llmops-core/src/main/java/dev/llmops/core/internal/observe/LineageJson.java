package dev.llmops.core.internal.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.observe.ChunkRef;
import dev.llmops.core.observe.GuardDecision;
import dev.llmops.core.observe.LineageRecord;
import dev.llmops.core.observe.ToolCallRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of {@link LineageRecord}: stable snake_case names, durations as decimal milliseconds (exact to the
 * nanosecond), times ISO-8601, enums by name. Written with a streaming generator (no reflection), read strictly from a
 * tree. Thread-safe.
 */
public final class LineageJson {

  /** The schema version written in {@code schema_version}; a reader refuses any other. */
  public static final int SCHEMA_VERSION = 1;

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private LineageJson() {}

  /** {@code record} as one line of JSON. */
  public static String write(LineageRecord r) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("schema_version", SCHEMA_VERSION);
      g.writeStringField("request_id", r.requestId());
      g.writeStringField("time", r.time().toString());
      g.writeStringField("tenant", r.tenant());
      g.writeStringField("user_hash", r.userHash());
      g.writeStringField("route", r.route());
      g.writeStringField("release", r.release());
      g.writeStringField("arm", r.arm());
      g.writeStringField("prompt", r.prompt());
      g.writeStringField("deployment", r.deployment());
      g.writeStringField("model_version", r.modelVersion());
      g.writeStringField("index_snapshot", r.indexSnapshot());
      g.writeArrayFieldStart("chunks");
      for (ChunkRef c : r.chunks()) {
        g.writeStartObject();
        g.writeStringField("chunk_id", c.chunkId());
        g.writeStringField("document_id", c.documentId());
        g.writeNumberField("score", c.score());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("guard_policy", r.guardPolicy());
      g.writeArrayFieldStart("guards");
      for (GuardDecision d : r.guards()) {
        g.writeStartObject();
        g.writeStringField("guard", d.guard());
        g.writeStringField("version", d.version());
        g.writeStringField("stage", d.stage().name());
        g.writeStringField("outcome", d.outcome());
        g.writeStringField("action", d.action());
        g.writeNumberField("findings", d.findings());
        g.writeEndObject();
      }
      g.writeEndArray();
      TokenUsage u = r.usage();
      if (u == null) {
        g.writeNullField("usage");
      } else {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", u.inputTokens());
        g.writeNumberField("output_tokens", u.outputTokens());
        g.writeNumberField("cached_tokens", u.cachedInputTokens());
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
      }
      g.writeBooleanField("usage_estimated", r.usageEstimated());
      g.writeNumberField("cost", r.cost());
      g.writeObjectFieldStart("stage_latencies_ms");
      for (Map.Entry<String, Duration> e : r.stageLatencies().entrySet()) {
        g.writeFieldName(e.getKey());
        g.writeNumber(millis(e.getValue()));
      }
      g.writeEndObject();
      g.writeFieldName("latency_ms");
      g.writeNumber(millis(r.latency()));
      g.writeStringField("finish_reason", r.finishReason() == null ? null : r.finishReason().name());
      g.writeStringField("output_hash", r.outputHash());
      g.writeArrayFieldStart("tool_calls");
      for (ToolCallRecord t : r.toolCalls()) {
        g.writeStartObject();
        g.writeNumberField("step", t.step());
        g.writeStringField("tool", t.tool());
        g.writeStringField("arguments_hash", t.argumentsHash());
        g.writeStringField("guard_decision", t.guardDecision());
        g.writeFieldName("duration_ms");
        g.writeNumber(millis(t.duration()));
        g.writeStringField("status", t.status());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("steps", r.steps());
      g.writeStringField("outcome", r.outcome().name());
      g.writeStringField("error_class", r.errorClass());
      LineageRecord.Content c = r.content();
      if (c == null) {
        g.writeNullField("content");
      } else {
        g.writeObjectFieldStart("content");
        g.writeStringField("prompt", c.prompt());
        g.writeStringField("answer", c.answer());
        g.writeEndObject();
      }
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> e : r.attributes().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return out.toString();
  }

  /** {@code values} as a one-line JSON array of strings. */
  public static String stringArray(List<String> values) {
    try {
      return MAPPER.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serialises", e);
    }
  }

  /** A diff as one JSON object: {@code {"a":..,"b":..,"differences":[{"field","before","after"}],"description":..}}. */
  public static String diff(String a, String b, List<dev.llmops.core.observe.LineageDiff.Difference> differences,
      String description) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("a", a).put("b", b);
    var array = root.putArray("differences");
    for (var d : differences) {
      array.addObject().put("field", d.field()).put("before", d.before()).put("after", d.after());
    }
    root.put("description", description);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  /** Milliseconds, exact to the nanosecond, without trailing zeros. */
  static BigDecimal millis(Duration d) {
    BigDecimal nanos = BigDecimal.valueOf(d.getSeconds()).movePointRight(9).add(BigDecimal.valueOf(d.getNano()));
    BigDecimal ms = nanos.movePointLeft(6).stripTrailingZeros();
    return ms.scale() < 0 ? ms.setScale(0) : ms;
  }

  /**
   * Parses one record strictly.
   *
   * @throws CorruptDataException naming the field when the JSON is malformed, has unknown or duplicate fields, misses
   *     a required field, has a wrong type or an invalid value
   */
  public static LineageRecord read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("lineage record is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CorruptDataException("lineage record must be a JSON object but was " + (root == null ? "empty" : root.getNodeType()), null);
    }
    Obj o = new Obj((ObjectNode) root, "");
    try {
      Integer schema = o.optInt("schema_version");
      if (schema != null && schema != SCHEMA_VERSION) {
        throw o.bad("schema_version", "is " + schema + " but this reader knows version " + SCHEMA_VERSION);
      }
      LineageRecord.Builder b = LineageRecord.builder(o.reqText("request_id"), o.instant("time"));
      b.tenant(o.optText("tenant")).userHash(o.optText("user_hash")).route(o.optText("route"))
          .release(o.optText("release")).arm(o.optText("arm")).prompt(o.optText("prompt"))
          .deployment(o.optText("deployment")).modelVersion(o.optText("model_version"))
          .indexSnapshot(o.optText("index_snapshot"));
      for (Obj c : o.objects("chunks")) {
        b.chunk(c.done(new ChunkRef(c.reqText("chunk_id"), c.reqText("document_id"), c.reqDouble("score"))));
      }
      b.guardPolicy(o.optText("guard_policy"));
      for (Obj d : o.objects("guards")) {
        b.guard(d.done(new GuardDecision(d.reqText("guard"), d.optText("version"),
            d.reqEnum("stage", GuardDecision.Stage::valueOf), d.reqText("outcome"), d.reqText("action"),
            d.reqInt("findings"))));
      }
      Obj u = o.optObject("usage");
      TokenUsage usage = null;
      if (u != null) {
        usage = u.done(new TokenUsage(u.reqInt("input_tokens"), u.reqInt("output_tokens"), u.reqInt("cached_tokens"),
            u.reqInt("reasoning_tokens")));
      }
      Boolean estimated = o.optBoolean("usage_estimated");
      b.usage(usage, estimated != null && estimated);
      Double cost = o.optDouble("cost");
      b.cost(cost == null ? 0 : cost);
      Obj stages = o.optObject("stage_latencies_ms");
      if (stages != null) {
        for (String name : stages.names()) {
          b.stage(name, stages.reqMillis(name));
        }
        stages.done(null);
      }
      Duration latency = o.optMillis("latency_ms");
      if (latency != null) {
        b.latency(latency);
      }
      b.finishReason(o.optEnum("finish_reason", FinishReason::valueOf));
      b.outputHash(o.optText("output_hash"));
      for (Obj t : o.objects("tool_calls")) {
        b.toolCall(t.done(new ToolCallRecord(t.reqInt("step"), t.reqText("tool"), t.reqText("arguments_hash"),
            t.optText("guard_decision"), t.reqMillis("duration_ms"), t.reqText("status"))));
      }
      Integer steps = o.optInt("steps");
      b.steps(steps == null ? 0 : steps);
      b.outcome(o.reqEnum("outcome", LineageRecord.Outcome::valueOf));
      b.errorClass(o.optText("error_class"));
      Obj c = o.optObject("content");
      if (c != null) {
        b.content(c.done(new LineageRecord.Content(c.optText("prompt"), c.optText("answer"))));
      }
      Obj attributes = o.optObject("attributes");
      if (attributes != null) {
        for (String name : attributes.names()) {
          b.attribute(name, attributes.reqText(name));
        }
        attributes.done(null);
      }
      return o.done(b.build());
    } catch (CorruptDataException e) {
      throw e;
    } catch (LlmOpsException | IllegalArgumentException e) {
      String id = root.path("request_id").asText("?");
      throw new CorruptDataException("lineage record " + id + " has an invalid value: " + e.getMessage(), e);
    }
  }

  /** One JSON object being read; remembers which fields were read so that {@link #done} can refuse the rest. */
  private static final class Obj {
    private final ObjectNode node;
    private final String path;
    private final Set<String> seen = new HashSet<>();

    Obj(ObjectNode node, String path) {
      this.node = node;
      this.path = path;
    }

    CorruptDataException bad(String field, String problem) {
      return new CorruptDataException("lineage record field '" + path + field + "' " + problem, null);
    }

    List<String> names() {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      return names;
    }

    <T> T done(T value) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!seen.contains(name)) {
          throw bad(name, "is not a known field");
        }
      }
      return value;
    }

    private @Nullable JsonNode get(String field) {
      seen.add(field);
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : v;
    }

    private JsonNode req(String field) {
      JsonNode v = get(field);
      if (v == null) {
        throw bad(field, "is required");
      }
      return v;
    }

    @Nullable String optText(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        throw bad(field, "must be a string but was " + v.getNodeType());
      }
      return v.textValue();
    }

    String reqText(String field) {
      req(field);
      return java.util.Objects.requireNonNull(optText(field));
    }

    Instant instant(String field) {
      String text = reqText(field);
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw bad(field, "must be an ISO-8601 instant but was '" + text + "'");
      }
    }

    @Nullable Integer optInt(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw bad(field, "must be an integer but was " + v);
      }
      return v.intValue();
    }

    int reqInt(String field) {
      req(field);
      return java.util.Objects.requireNonNull(optInt(field));
    }

    @Nullable Double optDouble(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isNumber()) {
        throw bad(field, "must be a number but was " + v);
      }
      return v.doubleValue();
    }

    double reqDouble(String field) {
      req(field);
      return java.util.Objects.requireNonNull(optDouble(field));
    }

    @Nullable Boolean optBoolean(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isBoolean()) {
        throw bad(field, "must be true or false but was " + v);
      }
      return v.booleanValue();
    }

    @Nullable Duration optMillis(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isNumber()) {
        throw bad(field, "must be a number of milliseconds but was " + v);
      }
      BigDecimal nanos = v.decimalValue().movePointRight(6);
      if (nanos.signum() < 0) {
        throw bad(field, "must not be negative but was " + v);
      }
      try {
        return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
      } catch (ArithmeticException e) {
        throw bad(field, "is out of range: " + v);
      }
    }

    Duration reqMillis(String field) {
      req(field);
      return java.util.Objects.requireNonNull(optMillis(field));
    }

    <E> @Nullable E optEnum(String field, Function<String, E> valueOf) {
      String text = optText(field);
      if (text == null) {
        return null;
      }
      try {
        return valueOf.apply(text);
      } catch (IllegalArgumentException e) {
        throw bad(field, "has an unknown value '" + text + "'");
      }
    }

    <E> E reqEnum(String field, Function<String, E> valueOf) {
      req(field);
      return java.util.Objects.requireNonNull(optEnum(field, valueOf));
    }

    @Nullable Obj optObject(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw bad(field, "must be an object but was " + v.getNodeType());
      }
      return new Obj((ObjectNode) v, path + field + ".");
    }

    List<Obj> objects(String field) {
      JsonNode v = get(field);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw bad(field, "must be an array but was " + v.getNodeType());
      }
      List<Obj> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        if (!e.isObject()) {
          throw bad(field + "[" + i + "]", "must be an object but was " + e.getNodeType());
        }
        out.add(new Obj((ObjectNode) e, path + field + "[" + i + "]."));
      }
      return out;
    }
  }
}
