package dev.llmops.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.NotFoundException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of a {@link BiasAudit}: per group statistics and a significance test of every pair of groups on every
 * metric. Immutable.
 *
 * @param target what was audited
 * @param groups the group terms, in the audit's order
 * @param cases how many counterfactual cases were asked per group
 * @param repeat how many times each was asked
 * @param alpha the family-wise significance level
 * @param stats one entry per group, in {@code groups} order
 * @param tests every pairwise test, by metric then pair
 */
public record BiasReport(
    String target, List<String> groups, int cases, int repeat, double alpha, List<GroupStats> stats,
    List<PairTest> tests) {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies. */
  public BiasReport {
    Objects.requireNonNull(target, "target");
    groups = List.copyOf(groups);
    stats = List.copyOf(stats);
    tests = List.copyOf(tests);
  }

  /** What a pairwise test compares. */
  public enum BiasMetric {
    /** The share of answers the refusal detector flags; two-sided two-proportion z-test. */
    REFUSAL_RATE,
    /** The mean answer length in characters (code points); Welch's t-test. */
    ANSWER_LENGTH,
    /** The mean weighted assertion score; Welch's t-test. Only when the audit has assertions. */
    SCORE
  }

  /**
   * One group's answers.
   *
   * @param group the group's term
   * @param answers how many answers came back
   * @param failures how many calls failed (not counted in the statistics)
   * @param refusals how many answers were refusals
   * @param meanLength the mean answer length in code points
   * @param lengthVariance its sample variance (0 with fewer than 2 answers)
   * @param meanScore the mean assertion score, or {@code null} without assertions
   * @param scoreVariance its sample variance, or {@code null} without assertions
   */
  public record GroupStats(
      String group, int answers, int failures, int refusals, double meanLength, double lengthVariance,
      @Nullable Double meanScore, @Nullable Double scoreVariance) {

    /** The share of answers that were refusals; 0 with no answers. */
    public double refusalRate() {
      return answers == 0 ? 0 : (double) refusals / answers;
    }
  }

  /**
   * One metric compared between two groups.
   *
   * @param metric what was compared
   * @param groupA the first group
   * @param groupB the second group
   * @param valueA the first group's value (rate or mean)
   * @param valueB the second group's value
   * @param pValue the two-sided p-value of the test
   * @param adjustedPValue the p-value times the number of pairs (Bonferroni), at most 1
   * @param significant whether the adjusted p-value is below the audit's alpha
   * @param test the test's name
   */
  public record PairTest(
      BiasMetric metric, String groupA, String groupB, double valueA, double valueB, double pValue,
      double adjustedPValue, boolean significant, String test) {

    /** valueA minus valueB. */
    public double difference() {
      return valueA - valueB;
    }
  }

  /** The tests whose differences are significant after the Bonferroni correction. */
  public List<PairTest> significant() {
    return tests.stream().filter(PairTest::significant).toList();
  }

  /** Whether any difference is significant. */
  public boolean biased() {
    return tests.stream().anyMatch(PairTest::significant);
  }

  /**
   * The statistics of one group.
   *
   * @throws NotFoundException if the audit had no such group
   */
  public GroupStats group(String group) {
    return stats.stream().filter(s -> s.group().equals(group)).findFirst()
        .orElseThrow(() -> new NotFoundException("no group '" + group + "' in " + groups));
  }

  /** The report as indented JSON. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("target", target);
    root.put("cases", cases);
    root.put("repeat", repeat);
    root.put("alpha", alpha);
    root.put("biased", biased());
    ArrayNode g = root.putArray("groups");
    for (GroupStats s : stats) {
      ObjectNode n = g.addObject().put("group", s.group()).put("answers", s.answers()).put("failures", s.failures())
          .put("refusals", s.refusals()).put("refusal_rate", s.refusalRate()).put("mean_length", s.meanLength());
      if (s.meanScore() == null) {
        n.putNull("mean_score");
      } else {
        n.put("mean_score", s.meanScore().doubleValue());
      }
    }
    ArrayNode t = root.putArray("tests");
    for (PairTest p : tests) {
      t.addObject().put("metric", p.metric().name().toLowerCase(Locale.ROOT)).put("group_a", p.groupA())
          .put("group_b", p.groupB()).put("value_a", p.valueA()).put("value_b", p.valueB())
          .put("p_value", p.pValue()).put("adjusted_p_value", p.adjustedPValue()).put("significant", p.significant())
          .put("test", p.test());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** The report as Markdown: a table of groups and a table of tests, significant ones in bold. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "# Bias audit\n\nTarget: %s. %d cases x %d repeats per group; alpha %.3f "
        + "(Bonferroni over pairs). %s\n\n", target, cases, repeat, alpha,
        biased() ? "**Significant differences found.**" : "No significant difference."));
    md.append("| group | answers | failures | refusal rate | mean length | mean score |\n| --- | --- | --- | --- | --- | --- |\n");
    for (GroupStats s : stats) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.1f | %s |\n", EvalReport.cell(s.group()),
          s.answers(), s.failures(), s.refusalRate(), s.meanLength(),
          s.meanScore() == null ? "" : String.format(Locale.ROOT, "%.3f", s.meanScore())));
    }
    md.append("\n| metric | groups | values | p-value | adjusted | test |\n| --- | --- | --- | --- | --- | --- |\n");
    for (PairTest p : tests) {
      String b = p.significant() ? "**" : "";
      md.append(String.format(Locale.ROOT, "| %s%s%s | %s vs %s | %.3f vs %.3f | %.3g | %s%.3g%s | %s |\n", b,
          p.metric().name().toLowerCase(Locale.ROOT), b, EvalReport.cell(p.groupA()), EvalReport.cell(p.groupB()),
          p.valueA(), p.valueB(), p.pValue(), b, p.adjustedPValue(), b, p.test()));
    }
    return md.toString();
  }
}
