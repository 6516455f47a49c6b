package dev.llmops.core.observe;

import dev.llmops.core.internal.observe.LineageJson;
import dev.llmops.core.routing.GenerationParameters;
import dev.llmops.core.routing.Release;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * "Why did this answer change?": what differs between two lineage records, or two releases. Immutable.
 *
 * <p>Compared for records, in this order: release, arm, prompt version, deployment, model version, index snapshot,
 * retrieved chunks (removed and added by {@code documentId#chunkId}, then rescored, then reordered), guard policy,
 * guard verdicts (by stage and guard: action, outcome, findings), attributes (generation parameters and the like),
 * finish reason, outcome, error class and output hash. Not compared: ids, times, tenant, user, usage, cost and
 * latencies, which differ between any two calls.
 *
 * <pre>{@code
 * LineageDiff diff = LineageDiff.between(yesterday, today);
 * diff.describe();   // "prompt support-answer@7 -> @8; index snapshot s41 -> s42; chunks: -doc3#2, +doc9#1; ..."
 * }</pre>
 *
 * @param differences what differs, in the order above; empty when nothing compared differs
 */
public record LineageDiff(List<Difference> differences) {

  /**
   * One difference.
   *
   * @param field what differs: a record field ({@code prompt}, {@code index_snapshot}, ...), {@code chunks} (an added
   *     or removed chunk), {@code chunks[doc#chunk].score}, {@code chunks.order}, {@code guards[stage:guard]},
   *     {@code attributes.NAME}, or for releases {@code deployments}, {@code strategy}, {@code parameters.NAME}
   * @param before the value in the first, or {@code null} when absent there
   * @param after the value in the second, or {@code null} when absent there
   */
  public record Difference(String field, @Nullable String before, @Nullable String after) {
    /** Validates. */
    public Difference {
      Objects.requireNonNull(field, "field");
    }
  }

  /** Copies. */
  public LineageDiff {
    differences = List.copyOf(differences);
  }

  /** What differs between {@code a} (before) and {@code b} (after). */
  public static LineageDiff between(LineageRecord a, LineageRecord b) {
    List<Difference> out = new ArrayList<>();
    compare(out, "release", a.release(), b.release());
    compare(out, "arm", a.arm(), b.arm());
    compare(out, "prompt", a.prompt(), b.prompt());
    compare(out, "deployment", a.deployment(), b.deployment());
    compare(out, "model_version", a.modelVersion(), b.modelVersion());
    compare(out, "index_snapshot", a.indexSnapshot(), b.indexSnapshot());
    chunks(out, a.chunks(), b.chunks());
    compare(out, "guard_policy", a.guardPolicy(), b.guardPolicy());
    guards(out, a.guards(), b.guards());
    attributes(out, "attributes.", a.attributes(), b.attributes());
    compare(out, "finish_reason", name(a.finishReason()), name(b.finishReason()));
    compare(out, "outcome", a.outcome().name(), b.outcome().name());
    compare(out, "error_class", a.errorClass(), b.errorClass());
    compare(out, "output_hash", a.outputHash(), b.outputHash());
    return new LineageDiff(out);
  }

  /** What differs between two releases: name, deployments, strategy, prompt, index snapshot, guard policy, parameters. */
  public static LineageDiff releases(Release a, Release b) {
    List<Difference> out = new ArrayList<>();
    compare(out, "release", a.name(), b.name());
    compare(out, "deployments", String.join(",", a.deployments()), String.join(",", b.deployments()));
    compare(out, "strategy", a.strategy().name(), b.strategy().name());
    compare(out, "prompt", a.prompt(), b.prompt());
    compare(out, "index_snapshot", a.indexSnapshot(), b.indexSnapshot());
    compare(out, "guard_policy", a.guardPolicy(), b.guardPolicy());
    attributes(out, "parameters.", parameters(a.parameters()), parameters(b.parameters()));
    return new LineageDiff(out);
  }

  /** Whether nothing compared differs. */
  public boolean isEmpty() {
    return differences.isEmpty();
  }

  /**
   * One line for people: {@code "prompt support-answer@7 -> @8; index snapshot s41 -> s42; chunks: -doc3#2, +doc9#1"};
   * {@code "no differences"} when empty. Absent values show as {@code (none)}, hashes by their first 12 digits.
   */
  public String describe() {
    if (differences.isEmpty()) {
      return "no differences";
    }
    List<String> parts = new ArrayList<>();
    List<String> chunkChanges = new ArrayList<>();
    int chunkPart = -1;
    for (Difference d : differences) {
      if (d.field().equals("chunks")) {
        chunkChanges.add(d.after() == null ? "-" + d.before() : "+" + d.after());
        if (chunkPart < 0) {
          chunkPart = parts.size();
          parts.add("");
        }
        continue;
      }
      parts.add(describe(d));
    }
    if (chunkPart >= 0) {
      parts.set(chunkPart, "chunks: " + String.join(", ", chunkChanges));
    }
    return String.join("; ", parts);
  }

  /** The differences as one JSON object, with {@code a} and {@code b} naming the sides. */
  public String toJson(String a, String b) {
    return LineageJson.diff(a, b, differences, describe());
  }

  private static String describe(Difference d) {
    String field = d.field();
    String before = show(field, d.before());
    String after = show(field, d.after());
    if (field.equals("prompt") && d.before() != null && d.after() != null) {
      String nameBefore = d.before().substring(0, d.before().lastIndexOf('@'));
      String nameAfter = d.after().substring(0, d.after().lastIndexOf('@'));
      if (nameBefore.equals(nameAfter)) {
        return "prompt " + d.before() + " -> " + d.after().substring(d.after().lastIndexOf('@'));
      }
    }
    String label;
    if (field.startsWith("attributes.")) {
      label = "attribute " + field.substring("attributes.".length());
    } else if (field.startsWith("parameters.")) {
      label = "parameter " + field.substring("parameters.".length());
    } else if (field.equals("output_hash")) {
      label = "output";
    } else if (field.startsWith("chunks[") || field.startsWith("guards[") || field.equals("chunks.order")) {
      label = field;
    } else {
      label = field.replace('_', ' ');
    }
    return label + " " + before + " -> " + after;
  }

  private static String show(String field, @Nullable String value) {
    if (value == null) {
      return "(none)";
    }
    if (field.equals("output_hash") && value.length() > 12) {
      return value.substring(0, 12);
    }
    return value;
  }

  private static void compare(List<Difference> out, String field, @Nullable String a, @Nullable String b) {
    if (!Objects.equals(a, b)) {
      out.add(new Difference(field, a, b));
    }
  }

  private static @Nullable String name(@Nullable Enum<?> value) {
    return value == null ? null : value.name();
  }

  private static void chunks(List<Difference> out, List<ChunkRef> a, List<ChunkRef> b) {
    Map<String, ChunkRef> before = new LinkedHashMap<>();
    a.forEach(c -> before.putIfAbsent(c.label(), c));
    Map<String, ChunkRef> after = new LinkedHashMap<>();
    b.forEach(c -> after.putIfAbsent(c.label(), c));
    for (String label : before.keySet()) {
      if (!after.containsKey(label)) {
        out.add(new Difference("chunks", label, null));
      }
    }
    for (String label : after.keySet()) {
      if (!before.containsKey(label)) {
        out.add(new Difference("chunks", null, label));
      }
    }
    for (Map.Entry<String, ChunkRef> e : before.entrySet()) {
      ChunkRef now = after.get(e.getKey());
      if (now != null && Double.compare(now.score(), e.getValue().score()) != 0) {
        out.add(new Difference("chunks[" + e.getKey() + "].score", Double.toString(e.getValue().score()),
            Double.toString(now.score())));
      }
    }
    List<String> commonBefore = new ArrayList<>(before.keySet());
    commonBefore.retainAll(after.keySet());
    List<String> commonAfter = new ArrayList<>(after.keySet());
    commonAfter.retainAll(before.keySet());
    if (!commonBefore.equals(commonAfter)) {
      out.add(new Difference("chunks.order", String.join(",", commonBefore), String.join(",", commonAfter)));
    }
  }

  private static void guards(List<Difference> out, List<GuardDecision> a, List<GuardDecision> b) {
    Map<String, String> before = guardMap(a);
    Map<String, String> after = guardMap(b);
    Set<String> keys = new LinkedHashSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      compare(out, "guards[" + key + "]", before.get(key), after.get(key));
    }
  }

  private static Map<String, String> guardMap(List<GuardDecision> decisions) {
    Map<String, String> map = new LinkedHashMap<>();
    for (GuardDecision d : decisions) {
      String key = d.stage().name().toLowerCase(java.util.Locale.ROOT) + ":" + d.guard();
      String value = d.action() + (d.outcome().equals(d.action()) ? "" : " (" + d.outcome() + ")")
          + ", " + d.findings() + (d.findings() == 1 ? " finding" : " findings")
          + (d.version() == null ? "" : ", v" + d.version());
      map.merge(key, value, (x, y) -> x + "; " + y);
    }
    return map;
  }

  private static void attributes(List<Difference> out, String prefix, Map<String, String> a, Map<String, String> b) {
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String key : keys) {
      compare(out, prefix + key, a.get(key), b.get(key));
    }
  }

  /** The pinned generation parameters by name ({@code temperature}, {@code top_p}, ...), for records and diffs. */
  static Map<String, String> parameters(GenerationParameters p) {
    Map<String, String> map = new LinkedHashMap<>();
    if (p.temperature() != null) {
      map.put("temperature", p.temperature().toString());
    }
    if (p.topP() != null) {
      map.put("top_p", p.topP().toString());
    }
    if (p.maxTokens() != null) {
      map.put("max_tokens", p.maxTokens().toString());
    }
    if (p.seed() != null) {
      map.put("seed", p.seed().toString());
    }
    if (!p.stop().isEmpty()) {
      map.put("stop", LineageJson.stringArray(p.stop()));
    }
    return map;
  }
}
