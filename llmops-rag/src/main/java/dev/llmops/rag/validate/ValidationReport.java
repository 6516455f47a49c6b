package dev.llmops.rag.validate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CorpusValidator} found in a corpus: per check, how many documents it flagged and the first few of
 * them, the language distribution, and the verdict against the {@link ValidationThresholds}.
 *
 * <p>A plain tree of records, lists, strings, numbers and enums, so it serialises to JSON as it is (Jackson writes
 * and reads it without annotations). Example lists hold at most the validator's {@code maxExamples} entries, in the
 * order the documents were added; the counts always cover every document. Shares are of {@link #totalDocuments()}.
 *
 * @param totalDocuments documents validated
 * @param empty documents blank after trimming
 * @param shortDocuments non-empty documents under the minimum number of words
 * @param duplicateIds ids that more than one document has
 * @param exactDuplicates documents with the same text after NFC, whitespace collapsing and lower-casing
 * @param nearDuplicates documents whose estimated Jaccard similarity reaches the threshold, exact duplicates excluded
 * @param encodingProblems documents with {@link EncodingIssue}s
 * @param lengthOutliers documents of outlying length
 * @param languages the language distribution
 * @param thresholds the limits the verdict applied
 * @param verdicts each limited check: what it measured, its limit and whether it passed
 * @param violations one sentence per failed verdict, naming the check, the measured share and the limit (and one
 *     when the corpus has no documents at all); empty when the corpus passed
 */
public record ValidationReport(
    int totalDocuments,
    EmptyDocuments empty,
    ShortDocuments shortDocuments,
    DuplicateIds duplicateIds,
    ExactDuplicates exactDuplicates,
    NearDuplicates nearDuplicates,
    EncodingProblems encodingProblems,
    LengthOutliers lengthOutliers,
    Languages languages,
    ValidationThresholds thresholds,
    List<CheckVerdict> verdicts,
    List<String> violations) {

  /** Examples per check that {@link #toText()} prints. */
  private static final int TEXT_EXAMPLES = 5;

  /** Copies the lists. */
  public ValidationReport {
    verdicts = List.copyOf(verdicts);
    violations = List.copyOf(violations);
  }

  /** Whether the corpus is within every limit (no {@link #violations()}); an empty corpus never passes. */
  public boolean passed() {
    return violations.isEmpty();
  }

  /**
   * @param documents how many
   * @param exampleIds the first of their ids
   */
  public record EmptyDocuments(int documents, List<String> exampleIds) {
    /** Copies the ids. */
    public EmptyDocuments {
      exampleIds = List.copyOf(exampleIds);
    }
  }

  /**
   * @param minWords the minimum a document needs not to be short
   * @param documents how many non-empty documents have fewer words
   * @param exampleIds the first of their ids
   */
  public record ShortDocuments(int minWords, int documents, List<String> exampleIds) {
    /** Copies the ids. */
    public ShortDocuments {
      exampleIds = List.copyOf(exampleIds);
    }
  }

  /**
   * @param documents documents whose id an earlier document already has (all occurrences but the first)
   * @param ids how many distinct ids occur more than once
   * @param examples the first of those ids
   */
  public record DuplicateIds(int documents, int ids, List<DuplicateId> examples) {
    /** Copies the examples. */
    public DuplicateIds {
      examples = List.copyOf(examples);
    }
  }

  /**
   * @param id the id
   * @param occurrences how many documents have it
   */
  public record DuplicateId(String id, int occurrences) {}

  /**
   * @param documents documents whose normalised text an earlier document already has
   * @param groups how many distinct texts occur more than once
   * @param examples the first groups
   */
  public record ExactDuplicates(int documents, int groups, List<DuplicateGroup> examples) {
    /** Copies the examples. */
    public ExactDuplicates {
      examples = List.copyOf(examples);
    }
  }

  /**
   * @param size documents in the group
   * @param ids the first of their ids, the first added first
   */
  public record DuplicateGroup(int size, List<String> ids) {
    /** Copies the ids. */
    public DuplicateGroup {
      ids = List.copyOf(ids);
    }
  }

  /**
   * Documents linked by pairs whose estimated Jaccard similarity reaches the threshold; a group is what those pairs
   * connect, so its ends may be less similar to each other than the threshold. A document that is an exact duplicate
   * of an earlier one is counted there and not here.
   *
   * @param threshold the similarity a pair needs
   * @param documents documents in groups, beyond one per group
   * @param groups how many groups
   * @param examples the first groups
   */
  public record NearDuplicates(double threshold, int documents, int groups, List<NearDuplicateGroup> examples) {
    /** Copies the examples. */
    public NearDuplicates {
      examples = List.copyOf(examples);
    }
  }

  /**
   * @param size documents in the group
   * @param ids the first of their ids, the first added first
   * @param minSimilarity the lowest similarity among the pairs that linked the group
   * @param maxSimilarity the highest
   * @param pairs the first of those pairs
   */
  public record NearDuplicateGroup(
      int size, List<String> ids, double minSimilarity, double maxSimilarity, List<SimilarPair> pairs) {
    /** Copies the lists. */
    public NearDuplicateGroup {
      ids = List.copyOf(ids);
      pairs = List.copyOf(pairs);
    }
  }

  /**
   * @param first one document's id
   * @param second the other's
   * @param similarity their estimated Jaccard similarity, 0 to 1
   */
  public record SimilarPair(String first, String second, double similarity) {}

  /**
   * @param documents documents with at least one issue
   * @param byIssue documents per issue, for every issue
   * @param examples the first findings, one per document and issue
   */
  public record EncodingProblems(int documents, List<IssueCount> byIssue, List<EncodingFinding> examples) {
    /** Copies the lists. */
    public EncodingProblems {
      byIssue = List.copyOf(byIssue);
      examples = List.copyOf(examples);
    }
  }

  /**
   * @param issue the issue
   * @param documents documents that have it
   */
  public record IssueCount(EncodingIssue issue, int documents) {}

  /**
   * @param documentId the document
   * @param issue what is wrong
   * @param firstOffset the {@code char} offset in the document's text where it first occurs
   * @param occurrences how often it occurs in the document
   */
  public record EncodingFinding(String documentId, EncodingIssue issue, int firstOffset, int occurrences) {}

  /**
   * Documents whose length in words is outside {@code [Q1 - k * IQR, Q3 + k * IQR]} of {@code log(1 + words)} over
   * the non-empty documents, or whose text has more characters than allowed.
   *
   * @param documents documents flagged for either reason
   * @param lowerBoundWords the lower bound in words, or {@code null} when there were too few documents (under 10
   *     non-empty ones) to estimate it
   * @param upperBoundWords the upper bound in words, or {@code null} likewise
   * @param iqrFactor {@code k}
   * @param maxCharacters the absolute limit in characters
   * @param tooFewWords documents under the lower bound
   * @param tooManyWords documents over the upper bound
   * @param overMaxCharacters documents over the absolute limit
   * @param examples the first of them
   */
  public record LengthOutliers(
      int documents, @Nullable Double lowerBoundWords, @Nullable Double upperBoundWords, double iqrFactor,
      int maxCharacters, int tooFewWords, int tooManyWords, int overMaxCharacters, List<LengthOutlier> examples) {
    /** Copies the examples. */
    public LengthOutliers {
      examples = List.copyOf(examples);
    }
  }

  /**
   * @param documentId the document
   * @param words its length in words
   * @param characters its length in {@code char}s
   * @param reason why it is flagged (over the character limit wins when both apply)
   */
  public record LengthOutlier(String documentId, int words, int characters, OutlierReason reason) {}

  /** Why a document's length is an outlier. */
  public enum OutlierReason {
    /** Fewer words than the lower bound. */
    TOO_FEW_WORDS,
    /** More words than the upper bound. */
    TOO_MANY_WORDS,
    /** More characters than the absolute limit. */
    OVER_MAX_CHARACTERS
  }

  /**
   * @param distribution documents per detected language, most documents first ({@code unknown} included, empty
   *     documents count as {@code unknown})
   * @param dominant the known language with the most documents (ties: alphabetically first), or {@code unknown}
   *     when no document has a known language
   * @param dominantDocuments documents in it (0 when it is {@code unknown})
   * @param dominantShare their share of all documents
   * @param disallowedDocuments documents in a known language outside the allowed ones (0 when all are allowed)
   * @param disallowedExampleIds the first of them
   */
  public record Languages(
      List<LanguageShare> distribution, String dominant, int dominantDocuments, double dominantShare,
      int disallowedDocuments,
      List<String> disallowedExampleIds) {
    /** Copies the lists. */
    public Languages {
      distribution = List.copyOf(distribution);
      disallowedExampleIds = List.copyOf(disallowedExampleIds);
    }
  }

  /**
   * @param language the language as the detector names it
   * @param documents documents detected in it
   * @param share their share of all documents
   */
  public record LanguageShare(String language, int documents, double share) {}

  /**
   * One check measured against its limit.
   *
   * @param check the check's name, as in the violations
   * @param documents documents it counted
   * @param share their share of all documents
   * @param limit whether the share must stay at most or at least at {@code threshold}
   * @param threshold the limit
   * @param passed whether the share is within it
   */
  public record CheckVerdict(
      String check, int documents, double share, Limit limit, double threshold, boolean passed) {}

  /** Which side of its threshold a share must stay on. */
  public enum Limit {
    /** The share may not exceed the threshold. */
    AT_MOST,
    /** The share may not fall below the threshold. */
    AT_LEAST
  }

  /**
   * A compact summary for people: a header with the verdict, a line or two per check with the first few examples,
   * and the violations.
   */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("Corpus validation of ").append(totalDocuments).append(" documents: ")
        .append(passed() ? "passed" : "FAILED, " + plural(violations.size(), "violation"))
        .append('\n');
    line(out, "empty documents", empty.documents(), "", examples(empty.exampleIds()));
    line(out, "short documents", shortDocuments.documents(), "under " + shortDocuments.minWords() + " words",
        examples(shortDocuments.exampleIds()));
    line(out, "duplicate ids", duplicateIds.documents(), plural(duplicateIds.ids(), "id"),
        examples(duplicateIds.examples().stream().map(d -> d.id() + " x" + d.occurrences()).toList()));
    line(out, "exact duplicates", exactDuplicates.documents(), plural(exactDuplicates.groups(), "group"),
        examples(exactDuplicates.examples().stream().map(g -> groupText(g.size(), g.ids())).toList()));
    line(out, "near duplicates", nearDuplicates.documents(),
        plural(nearDuplicates.groups(), "group") + ", Jaccard >= " + number(nearDuplicates.threshold()),
        examples(nearDuplicates.examples().stream()
            .map(g -> groupText(g.size(), g.ids()) + " " + number(g.minSimilarity())
                + (g.minSimilarity() == g.maxSimilarity() ? "" : "-" + number(g.maxSimilarity())))
            .toList()));
    line(out, "encoding problems", encodingProblems.documents(),
        encodingProblems.byIssue().stream().filter(c -> c.documents() > 0)
            .map(c -> c.issue().description() + " " + c.documents()).collect(Collectors.joining(", ")),
        examples(encodingProblems.examples().stream()
            .map(f -> f.documentId() + " " + words(f.issue().name()) + " at " + f.firstOffset())
            .toList()));
    LengthOutliers o = lengthOutliers;
    String bounds = o.lowerBoundWords() == null || o.upperBoundWords() == null
        ? "too few documents for length bounds"
        : "usual length " + number(o.lowerBoundWords()) + " to " + number(o.upperBoundWords()) + " words";
    line(out, "length outliers", o.documents(), bounds + ", at most " + o.maxCharacters() + " characters",
        examples(o.examples().stream()
            .map(x -> x.documentId() + " " + plural(x.words(), "word") + "/" + x.characters() + " chars "
                + words(x.reason().name()))
            .toList()));
    out.append("languages: ").append(languages.distribution().stream().limit(8)
            .map(l -> l.language() + " " + l.documents() + " (" + percent(l.share()) + ")")
            .collect(Collectors.joining(", ")))
        .append(languages.distribution().size() > 8 ? ", ..." : "")
        .append("; dominant ").append(languages.dominant()).append(' ').append(percent(languages.dominantShare()));
    verdict(out, "dominant language");
    out.append('\n');
    if (languages.disallowedDocuments() > 0) {
      out.append("  in languages outside ").append(thresholds.allowedLanguages()).append(": ")
          .append(languages.disallowedDocuments());
      verdict(out, "disallowed languages");
      out.append(examples(languages.disallowedExampleIds())).append('\n');
    }
    if (!violations.isEmpty()) {
      out.append("Violations:\n");
      for (String v : violations) {
        out.append("- ").append(v).append('\n');
      }
    }
    return out.toString();
  }

  private void line(StringBuilder out, String check, int documents, String detail, String examples) {
    out.append(check).append(": ").append(documents);
    if (totalDocuments > 0) {
      out.append(" (").append(percent(documents / (double) totalDocuments)).append(')');
    }
    if (!detail.isEmpty()) {
      out.append(", ").append(detail);
    }
    verdict(out, check);
    out.append(examples).append('\n');
  }

  private void verdict(StringBuilder out, String check) {
    for (CheckVerdict v : verdicts) {
      if (v.check().equals(check)) {
        out.append(" - ").append(v.passed() ? "ok" : "FAIL").append(" (")
            .append(v.limit() == Limit.AT_MOST ? "max " : "min ").append(percent(v.threshold())).append(')');
      }
    }
  }

  private static String groupText(int size, List<String> ids) {
    return "[" + String.join(", ", ids.subList(0, Math.min(ids.size(), TEXT_EXAMPLES)))
        + (size > Math.min(ids.size(), TEXT_EXAMPLES) ? ", ... " + size + " in all" : "") + "]";
  }

  private static String examples(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    return "; e.g. " + String.join(", ", items.subList(0, Math.min(items.size(), TEXT_EXAMPLES)));
  }

  /** {@code TOO_FEW_WORDS} as {@code too few words}. */
  private static String words(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** {@code 0.1234} as {@code "0.12"}: two decimals, trailing zeros dropped. */
  static String number(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /**
   * A share as a percentage that never hides a non-zero share as 0: one decimal from 1% up ({@code "12.5%"}), two
   * significant digits below ({@code "0.015%"}), trailing zeros dropped.
   */
  static String percent(double share) {
    double value = share * 100;
    if (value == 0) {
      return "0%";
    }
    BigDecimal d = BigDecimal.valueOf(value);
    BigDecimal rounded = value >= 1
        ? d.setScale(1, RoundingMode.HALF_UP)
        : d.round(new java.math.MathContext(2, RoundingMode.HALF_UP));
    return rounded.stripTrailingZeros().toPlainString() + "%";
  }
}
