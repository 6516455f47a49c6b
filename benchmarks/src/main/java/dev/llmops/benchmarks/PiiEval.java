package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.guardrails.pii.PiiEntities;
import dev.llmops.guardrails.pii.PiiGuard;
import dev.llmops.guardrails.pii.PiiMatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Span-level quality of {@link PiiGuard}'s built-in recognizers on a labelled PII set (by default
 * {@code ../shared/data/guardrails/pii-dev.jsonl}, rows {@code {"id","text","spans":[{"type","start","end","value"}]}}
 * in the format of presidio-research's synthetic data), per structured entity type: precision, recall and F2.
 *
 * <p>Matching, per type and per row: predictions and gold spans are paired one to one, greedily in order of
 * position. Under the <b>overlap</b> rule (the one presidio-research's span evaluation uses and the headline
 * numbers) a prediction is a true positive when it shares at least one character with a not yet paired gold span
 * of the same type; under the <b>exact</b> rule only when start and end are both equal. Unpaired predictions are
 * false positives, unpaired gold spans false negatives. Predicted {@code URL}s count as {@code DOMAIN_NAME}, the
 * name the Presidio synthetic set gives to links. Gold types the recognizers do not cover (PERSON,
 * STREET_ADDRESS, ...) are ignored, and so are predictions of them; a structured prediction overlapping only such a
 * span is a false positive.
 */
final class PiiEval {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The types evaluated, in report order. */
  static final List<String> TYPES = List.of(PiiEntities.EMAIL_ADDRESS, PiiEntities.PHONE_NUMBER,
      PiiEntities.CREDIT_CARD, PiiEntities.IBAN_CODE, PiiEntities.US_SSN, PiiEntities.IP_ADDRESS,
      PiiEntities.DOMAIN_NAME, PiiEntities.DATE_TIME, PiiEntities.US_DRIVER_LICENSE);

  /** The target F2 for each structured type. */
  static final double TARGET_F2 = 0.90;

  private PiiEval() {}

  record Settings(Path data, double minScore, List<String> regions, int errors, Path out) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--min-score", "--regions", "--errors",
          "--out"));
      Settings s = new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/guardrails/pii-dev.jsonl")),
          Double.parseDouble(o.getOrDefault("--min-score", "0.5")),
          o.containsKey("--regions") ? Arrays.asList(o.get("--regions").split(",")) : PiiGuard.DEFAULT_REGIONS,
          Integer.parseInt(o.getOrDefault("--errors", "8")), Path.of(o.getOrDefault("--out", "target/results")));
      if (s.errors < 0) {
        throw new IllegalArgumentException("--errors must be 0 or more but was " + s.errors);
      }
      return s;
    }
  }

  static Optional<String> missingData(Settings settings) {
    if (Files.isRegularFile(settings.data())) {
      return Optional.empty();
    }
    return Optional.of("PII dev set not found at " + settings.data().toAbsolutePath().normalize() + "; pii-eval "
        + "needs ../shared/data/guardrails/pii-dev.jsonl (JSON lines {\"id\",\"text\",\"spans\":[{\"type\",\"start\","
        + "\"end\",\"value\"}]}, presidio-research's synthetic format), or another file given with --data FILE. "
        + "Nothing was measured.");
  }

  /** Counts of one type under one matching rule. */
  static final class Counts {
    int tp;
    int fp;
    int fn;

    double precision() {
      return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    double f2() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 5 * p * r / (4 * p + r);
    }
  }

  record Row(String type, int gold, Counts overlap, Counts exact) {}

  record Report(Settings settings, int rows, double seconds, List<Row> results) {
    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "pii-eval: %s (%d rows, min score %.2f, %d phone regions, %.1f s)%n",
          settings.data(), rows, settings.minScore(), settings.regions().size(), seconds));
      t.append(String.format(Locale.ROOT, "| %-17s | %4s | %5s | %5s | %5s | %5s | %5s | %5s | %5s | %5s | %s |%n",
          "type", "gold", "tp", "fp", "fn", "P", "R", "F2", "F2 ex", "R ex", "target F2 >= 0.90"));
      t.append("|-------------------|------|-------|-------|-------|-------|-------|-------|-------|-------|"
          + "-------------------|\n");
      for (Row r : results) {
        t.append(String.format(Locale.ROOT,
            "| %-17s | %4d | %5d | %5d | %5d | %5.3f | %5.3f | %5.3f | %5.3f | %5.3f | %-17s |%n", r.type(), r.gold(),
            r.overlap().tp, r.overlap().fp, r.overlap().fn, r.overlap().precision(), r.overlap().recall(),
            r.overlap().f2(), r.exact().f2(), r.exact().recall(),
            r.gold() == 0 ? "no gold spans" : r.overlap().f2() >= TARGET_F2 ? "met" : "MISSED"));
      }
      Counts micro = new Counts();
      Counts microExact = new Counts();
      int gold = 0;
      for (Row r : results) {
        micro.tp += r.overlap().tp;
        micro.fp += r.overlap().fp;
        micro.fn += r.overlap().fn;
        microExact.tp += r.exact().tp;
        microExact.fp += r.exact().fp;
        microExact.fn += r.exact().fn;
        gold += r.gold();
      }
      t.append(String.format(Locale.ROOT,
          "| %-17s | %4d | %5d | %5d | %5d | %5.3f | %5.3f | %5.3f | %5.3f | %5.3f | %-17s |%n", "all (micro)", gold,
          micro.tp, micro.fp, micro.fn, micro.precision(), micro.recall(), micro.f2(), microExact.f2(),
          microExact.recall(), ""));
      t.append("P/R/F2: overlap rule (a prediction is a true positive when it overlaps an unpaired gold span of the "
          + "same type); F2 ex / R ex: exact start and end.\n");
      t.append("Published anchor, not measured here: Presidio out of the box on its synthetic set, span F2 0.661 "
          + "(over all its entity types, PERSON and LOCATION included, so not directly comparable to these rows).\n");
      t.append("The recognizers were tuned on this file: these are in-sample numbers, not a held-out estimate.\n");
      return t.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("pii-eval.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : results) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "pii-eval");
        line.put("time", when);
        line.put("data", settings.data().toString());
        line.put("min_score", settings.minScore());
        line.put("regions", settings.regions());
        line.put("type", r.type());
        line.put("gold", r.gold());
        line.put("overlap", Map.of("tp", r.overlap().tp, "fp", r.overlap().fp, "fn", r.overlap().fn,
            "precision", r.overlap().precision(), "recall", r.overlap().recall(), "f2", r.overlap().f2()));
        line.put("exact", Map.of("tp", r.exact().tp, "fp", r.exact().fp, "fn", r.exact().fn,
            "precision", r.exact().precision(), "recall", r.exact().recall(), "f2", r.exact().f2()));
        line.put("target_f2", TARGET_F2);
        line.put("met", r.overlap().f2() >= TARGET_F2);
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      Files.writeString(dir.resolve("pii-eval.md"), table());
      return file;
    }
  }

  private record Span(String type, int start, int end) {}

  static Report run(Settings settings) throws IOException {
    Optional<String> missing = missingData(settings);
    if (missing.isPresent()) {
      throw new IllegalStateException(missing.get());
    }
    PiiGuard guard = PiiGuard.builder().entities(PiiEntities.STRUCTURED).minScore(settings.minScore())
        .regions(settings.regions()).build();
    Map<String, Counts> overlap = new LinkedHashMap<>();
    Map<String, Counts> exact = new LinkedHashMap<>();
    Map<String, Integer> gold = new LinkedHashMap<>();
    Map<String, Integer> shownFp = new LinkedHashMap<>();
    Map<String, Integer> shownFn = new LinkedHashMap<>();
    for (String t : TYPES) {
      overlap.put(t, new Counts());
      exact.put(t, new Counts());
      gold.put(t, 0);
    }
    int rows = 0;
    long started = System.nanoTime();
    try (BufferedReader in = Files.newBufferedReader(settings.data(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode row = JSON.readTree(line);
        rows++;
        String id = row.path("id").asText();
        String text = row.path("text").asText();
        List<Span> goldSpans = new ArrayList<>();
        for (JsonNode s : row.path("spans")) {
          String type = s.path("type").asText();
          if (TYPES.contains(type)) {
            goldSpans.add(new Span(type, s.path("start").asInt(), s.path("end").asInt()));
            gold.merge(type, 1, Integer::sum);
          }
        }
        List<Span> predicted = new ArrayList<>();
        for (PiiMatch m : guard.analyze(text)) {
          String type = m.type().equals(PiiEntities.URL) ? PiiEntities.DOMAIN_NAME : m.type();
          if (TYPES.contains(type)) {
            predicted.add(new Span(type, m.start(), m.end()));
          }
        }
        for (String type : TYPES) {
          List<Span> g = goldSpans.stream().filter(s -> s.type().equals(type)).toList();
          List<Span> p = predicted.stream().filter(s -> s.type().equals(type)).toList();
          if (g.isEmpty() && p.isEmpty()) {
            continue;
          }
          List<Span> unmatchedPred = pair(p, g, false, overlap.get(type));
          List<Span> unmatchedGold = pair(g, p, false, null);
          pair(p, g, true, exact.get(type));
          for (Span s : unmatchedPred) {
            if (shownFp.merge(type, 1, Integer::sum) <= settings.errors()) {
              System.out.println("FP " + type + " " + id + " [" + text.substring(s.start(), s.end()) + "] in: "
                  + excerpt(text, s));
            }
          }
          for (Span s : unmatchedGold) {
            if (shownFn.merge(type, 1, Integer::sum) <= settings.errors()) {
              System.out.println("FN " + type + " " + id + " [" + text.substring(s.start(), s.end()) + "] in: "
                  + excerpt(text, s));
            }
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<Row> table = new ArrayList<>();
    for (String t : TYPES) {
      table.add(new Row(t, gold.get(t), overlap.get(t), exact.get(t)));
    }
    return new Report(settings, rows, seconds, table);
  }

  /**
   * Pairs each of {@code from} with the first unpaired span of {@code to} it matches, in order of position;
   * counts true and false positives (and false negatives: the unpaired {@code to}) into {@code counts} when given.
   *
   * @return the spans of {@code from} left unpaired
   */
  private static List<Span> pair(List<Span> from, List<Span> to, boolean exactRule, Counts counts) {
    boolean[] used = new boolean[to.size()];
    List<Span> unpaired = new ArrayList<>();
    List<Span> sorted = from.stream().sorted((a, b) -> Integer.compare(a.start(), b.start())).toList();
    for (Span f : sorted) {
      int hit = -1;
      for (int i = 0; i < to.size() && hit < 0; i++) {
        Span t = to.get(i);
        boolean match = exactRule ? t.start() == f.start() && t.end() == f.end()
            : t.start() < f.end() && f.start() < t.end();
        if (!used[i] && match) {
          hit = i;
        }
      }
      if (hit >= 0) {
        used[hit] = true;
      } else {
        unpaired.add(f);
      }
    }
    if (counts != null) {
      counts.fp += unpaired.size();
      counts.tp += from.size() - unpaired.size();
      for (boolean u : used) {
        if (!u) {
          counts.fn++;
        }
      }
    }
    return unpaired;
  }

  private static String excerpt(String text, Span s) {
    int from = Math.max(0, s.start() - 50);
    int to = Math.min(text.length(), s.end() + 30);
    return "..." + text.substring(from, to).replace('\n', ' ') + "...";
  }
}
