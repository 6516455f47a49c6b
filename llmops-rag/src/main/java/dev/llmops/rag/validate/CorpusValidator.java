package dev.llmops.rag.validate;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.CheckVerdict;
import dev.llmops.rag.validate.ValidationReport.DuplicateGroup;
import dev.llmops.rag.validate.ValidationReport.DuplicateId;
import dev.llmops.rag.validate.ValidationReport.DuplicateIds;
import dev.llmops.rag.validate.ValidationReport.EmptyDocuments;
import dev.llmops.rag.validate.ValidationReport.EncodingFinding;
import dev.llmops.rag.validate.ValidationReport.EncodingProblems;
import dev.llmops.rag.validate.ValidationReport.ExactDuplicates;
import dev.llmops.rag.validate.ValidationReport.IssueCount;
import dev.llmops.rag.validate.ValidationReport.LanguageShare;
import dev.llmops.rag.validate.ValidationReport.Languages;
import dev.llmops.rag.validate.ValidationReport.LengthOutlier;
import dev.llmops.rag.validate.ValidationReport.LengthOutliers;
import dev.llmops.rag.validate.ValidationReport.Limit;
import dev.llmops.rag.validate.ValidationReport.NearDuplicateGroup;
import dev.llmops.rag.validate.ValidationReport.NearDuplicates;
import dev.llmops.rag.validate.ValidationReport.OutlierReason;
import dev.llmops.rag.validate.ValidationReport.ShortDocuments;
import dev.llmops.rag.validate.ValidationReport.SimilarPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a corpus before it is indexed: empty and very short documents, duplicate ids, exact and near duplicates,
 * encoding damage, documents of outlying length, and the mix of languages; then measures the findings against
 * {@link ValidationThresholds} so that a CI step can fail on a bad corpus.
 *
 * <pre>{@code
 * CorpusValidator validator = CorpusValidator.defaults();
 * CorpusValidator.Accumulator run = validator.start();
 * for (Document d : loader) {
 *   run.add(d);                       // streaming: documents are not kept
 * }
 * ValidationReport report = run.finish();
 * System.out.print(report.toText());
 * if (!report.passed()) { ... report.violations() ... }
 * }</pre>
 *
 * <p>The documents are read once and not kept: per document the accumulator holds its id, a 64-bit hash of its
 * normalised text, its length in words and characters, its language and, unless it is empty or an exact duplicate,
 * a 256-byte MinHash signature: about 400 bytes with the maps that index them, plus the id itself.
 *
 * <p>Near duplicates are found with MinHash over the 5-character shingles of the document's words (lower-cased,
 * joined by single spaces, punctuation dropped) and locality-sensitive hashing, in O(n log n) rather than comparing
 * every pair; see {@link #nearDuplicateThreshold()}. Character rather than word shingles: one word changed in 60
 * touches 5 of 56 word 5-shingles (Jaccard 0.84, under the 0.9 threshold) but only about 10 of 350 character
 * 5-shingles (0.95); they also need no word segmentation for Chinese and Japanese. The price is one shingle per
 * character instead of one per word, which makes MinHash the most expensive part of a run.
 *
 * <p>Immutable and safe to share across threads; each {@link Accumulator} belongs to one thread.
 */
public final class CorpusValidator {

  /** Non-empty documents needed before length bounds are estimated. */
  static final int MIN_DOCUMENTS_FOR_LENGTH_BOUNDS = 10;

  private final int minWords;
  private final int maxCharacters;
  private final double nearDuplicateThreshold;
  private final double outlierIqrFactor;
  private final int maxExamples;
  private final ValidationThresholds thresholds;
  private final LanguageDetector languageDetector;

  private CorpusValidator(Builder b) {
    this.minWords = b.minWords;
    this.maxCharacters = b.maxCharacters;
    this.nearDuplicateThreshold = b.nearDuplicateThreshold;
    this.outlierIqrFactor = b.outlierIqrFactor;
    this.maxExamples = b.maxExamples;
    this.thresholds = b.thresholds;
    this.languageDetector = b.languageDetector;
  }

  /** A validator with every default (see the {@link Builder} methods) and {@link ValidationThresholds#defaults()}. */
  public static CorpusValidator defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this validator's settings. */
  public Builder toBuilder() {
    return new Builder()
        .minWords(minWords)
        .maxCharacters(maxCharacters)
        .nearDuplicateThreshold(nearDuplicateThreshold)
        .outlierIqrFactor(outlierIqrFactor)
        .maxExamples(maxExamples)
        .thresholds(thresholds)
        .languageDetector(languageDetector);
  }

  /** Starts validating a corpus: add its documents to the accumulator, then {@link Accumulator#finish()}. */
  public Accumulator start() {
    return new Accumulator(this);
  }

  /**
   * Validates {@code documents}, reading each once.
   *
   * @return the report; {@link ValidationReport#passed()} tells whether the corpus is within the thresholds
   */
  public ValidationReport validate(Iterable<? extends Document> documents) {
    Accumulator run = start();
    for (Document d : documents) {
      run.add(d);
    }
    return run.finish();
  }

  /** Documents with fewer words than this (and not empty) are short. */
  public int minWords() {
    return minWords;
  }

  /** Documents with more characters than this are length outliers whatever the rest of the corpus. */
  public int maxCharacters() {
    return maxCharacters;
  }

  /**
   * The estimated Jaccard similarity of shingle sets at which two documents are near duplicates. Estimates from
   * 128 MinHash positions have a standard error of {@code sqrt(J (1 - J) / 128)}, about 0.026 at 0.9, so pairs
   * within a few hundredths of the threshold may fall on either side. One word changed in a 60-word paragraph gives
   * about 0.96 ({@code NearDuplicateTest} checks that at least 95 of 100 such pairs reach 0.9); unrelated paragraphs
   * share few 5-character shingles and score near 0.
   */
  public double nearDuplicateThreshold() {
    return nearDuplicateThreshold;
  }

  /** {@code k} in the length bounds {@code [Q1 - k * IQR, Q3 + k * IQR]} of {@code log(1 + words)}. */
  public double outlierIqrFactor() {
    return outlierIqrFactor;
  }

  /** The most documents, groups or findings each check lists; counts are never capped. */
  public int maxExamples() {
    return maxExamples;
  }

  /** The limits the report's verdict applies. */
  public ValidationThresholds thresholds() {
    return thresholds;
  }

  /** Tells each document's language. */
  public LanguageDetector languageDetector() {
    return languageDetector;
  }

  /** Builds a {@link CorpusValidator}; every setter rejects a bad value at once, naming it. Not thread-safe. */
  public static final class Builder {
    private int minWords = 3;
    private int maxCharacters = 1_000_000;
    private double nearDuplicateThreshold = 0.9;
    private double outlierIqrFactor = 3.0;
    private int maxExamples = 20;
    private ValidationThresholds thresholds = ValidationThresholds.defaults();
    private LanguageDetector languageDetector = LanguageDetector.builtIn();

    private Builder() {}

    /** See {@link CorpusValidator#minWords()}; default 3, 0 turns the check off. */
    public Builder minWords(int words) {
      if (words < 0) {
        throw new IllegalArgumentException("minWords must not be negative but was " + words);
      }
      this.minWords = words;
      return this;
    }

    /** See {@link CorpusValidator#maxCharacters()}; default 1,000,000. */
    public Builder maxCharacters(int characters) {
      if (characters <= 0) {
        throw new IllegalArgumentException("maxCharacters must be positive but was " + characters);
      }
      this.maxCharacters = characters;
      return this;
    }

    /** See {@link CorpusValidator#nearDuplicateThreshold()}; default 0.9, above 0 and at most 1. */
    public Builder nearDuplicateThreshold(double similarity) {
      if (!(similarity > 0 && similarity <= 1)) {
        throw new IllegalArgumentException(
            "nearDuplicateThreshold must be above 0 and at most 1 but was " + similarity);
      }
      this.nearDuplicateThreshold = similarity;
      return this;
    }

    /** See {@link CorpusValidator#outlierIqrFactor()}; default 3 (far out, as in Tukey's fences). */
    public Builder outlierIqrFactor(double factor) {
      if (!(factor > 0 && factor < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("outlierIqrFactor must be positive and finite but was " + factor);
      }
      this.outlierIqrFactor = factor;
      return this;
    }

    /** See {@link CorpusValidator#maxExamples()}; default 20. */
    public Builder maxExamples(int examples) {
      if (examples < 0) {
        throw new IllegalArgumentException("maxExamples must not be negative but was " + examples);
      }
      this.maxExamples = examples;
      return this;
    }

    /** See {@link CorpusValidator#thresholds()}; default {@link ValidationThresholds#defaults()}. */
    public Builder thresholds(ValidationThresholds thresholds) {
      this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
      return this;
    }

    /** See {@link CorpusValidator#languageDetector()}; default {@link LanguageDetector#builtIn()}. */
    public Builder languageDetector(LanguageDetector detector) {
      this.languageDetector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * Builds the validator.
     *
     * @throws IllegalArgumentException when the thresholds allow a language the detector never reports
     */
    public CorpusValidator build() {
      for (String language : thresholds.allowedLanguages()) {
        if (!languageDetector.languages().contains(language)) {
          throw new IllegalArgumentException("allowed language '" + language + "' is never reported by the language "
              + "detector, which reports " + new TreeSet<>(languageDetector.languages()));
        }
      }
      return new CorpusValidator(this);
    }
  }

  /**
   * Validates one corpus, document by document. Not thread-safe: one thread adds, then finishes. Single use: after
   * {@link #finish()} it accepts nothing more.
   */
  public static final class Accumulator {
    private final CorpusValidator settings;
    private final MinHasher hasher = new MinHasher();
    private final NearDuplicateIndex nearDuplicates = new NearDuplicateIndex();
    private final int[] issueFirst = new int[EncodingScanner.ISSUES];
    private final int[] issueCounts = new int[EncodingScanner.ISSUES];

    private final List<String> ids = new ArrayList<>();
    private final IntList words = new IntList();
    private final IntList characters = new IntList();
    private final IntList languages = new IntList();
    private final BitSet empty = new BitSet();

    private final Map<String, Integer> seenIds = new HashMap<>();
    private final Map<String, Integer> repeatedIds = new LinkedHashMap<>();
    private int duplicateIdDocuments;

    private int emptyDocuments;
    private final List<String> emptyExamples = new ArrayList<>();
    private int shortDocuments;
    private final List<String> shortExamples = new ArrayList<>();

    private final LongIntMap firstByText = new LongIntMap();
    private final IntList exactCopies = new IntList();
    private final IntList exactOriginals = new IntList();

    private int encodingDocuments;
    private final int[] documentsByIssue = new int[EncodingScanner.ISSUES];
    private final List<EncodingFinding> encodingExamples = new ArrayList<>();

    private final Map<String, Integer> languageIndex = new HashMap<>();
    private final List<String> languageNames = new ArrayList<>();

    private boolean finished;

    private Accumulator(CorpusValidator settings) {
      this.settings = settings;
    }

    /** Documents added so far. */
    public int documents() {
      return ids.size();
    }

    /**
     * Adds one document; it is read now and not kept.
     *
     * @throws IllegalStateException after {@link #finish()}, or when the language detector returns a language
     *     outside its {@link LanguageDetector#languages()}
     */
    public void add(Document document) {
      Objects.requireNonNull(document, "document");
      if (finished) {
        throw new IllegalStateException("this validation finished after " + ids.size()
            + " documents; start another with CorpusValidator.start()");
      }
      String text = document.text();
      String nfc = Texts.nfc(text);
      boolean blank = Texts.isBlank(nfc);
      int language = languageIndex(blank ? LanguageDetector.UNKNOWN : settings.languageDetector.detect(nfc));

      int index = ids.size();
      String id = document.id();
      ids.add(id);
      characters.add(text.length());
      languages.add(language);
      Integer first = seenIds.putIfAbsent(id, index);
      if (first != null) {
        duplicateIdDocuments++;
        repeatedIds.merge(id, 2, (occurrences, two) -> occurrences + 1);
      }
      checkEncoding(id, text);
      if (blank) {
        words.add(0);
        empty.set(index);
        emptyDocuments++;
        example(emptyExamples, id);
        return;
      }
      int wordCount = Texts.countWords(nfc);
      words.add(wordCount);
      if (wordCount < settings.minWords) {
        shortDocuments++;
        example(shortExamples, id);
      }
      int original = firstByText.putIfAbsent(Texts.exactKey(nfc), index);
      if (original >= 0) {
        exactCopies.add(index);
        exactOriginals.add(original);
        return;
      }
      hasher.reset();
      Texts.shingle(nfc, hasher);
      if (!hasher.isEmpty()) {
        nearDuplicates.add(index, hasher);
      }
    }

    /** Adds every document of {@code documents}. */
    public void addAll(Iterable<? extends Document> documents) {
      for (Document d : documents) {
        add(d);
      }
    }

    private int languageIndex(String language) {
      Integer known = languageIndex.get(language);
      if (known != null) {
        return known;
      }
      if (!settings.languageDetector.languages().contains(language)) {
        throw new IllegalStateException("the language detector " + settings.languageDetector + " returned '"
            + language + "', which is not among the languages it reports " + settings.languageDetector.languages());
      }
      languageIndex.put(language, languageNames.size());
      languageNames.add(language);
      return languageNames.size() - 1;
    }

    private void checkEncoding(String id, String text) {
      if (!EncodingScanner.scan(text, issueFirst, issueCounts)) {
        return;
      }
      encodingDocuments++;
      EncodingIssue[] issues = EncodingIssue.values();
      for (int i = 0; i < issues.length; i++) {
        if (issueCounts[i] > 0) {
          documentsByIssue[i]++;
          if (encodingExamples.size() < settings.maxExamples) {
            encodingExamples.add(new EncodingFinding(id, issues[i], issueFirst[i], issueCounts[i]));
          }
        }
      }
    }

    private void example(List<String> examples, String id) {
      if (examples.size() < settings.maxExamples) {
        examples.add(id);
      }
    }

    /**
     * Runs the checks that need the whole corpus (near duplicates, length bounds, languages) and reports.
     *
     * @throws IllegalStateException when called twice
     */
    public ValidationReport finish() {
      if (finished) {
        throw new IllegalStateException("this validation already finished after " + ids.size() + " documents");
      }
      finished = true;
      int total = ids.size();
      ValidationThresholds limits = settings.thresholds;

      EmptyDocuments emptyResult = new EmptyDocuments(emptyDocuments, emptyExamples);
      ShortDocuments shortResult = new ShortDocuments(settings.minWords, shortDocuments, shortExamples);
      DuplicateIds duplicateIdResult = new DuplicateIds(duplicateIdDocuments, repeatedIds.size(),
          repeatedIds.entrySet().stream().limit(settings.maxExamples)
              .map(e -> new DuplicateId(e.getKey(), e.getValue())).toList());
      ExactDuplicates exact = exactDuplicates();
      NearDuplicates near = nearDuplicates();
      List<IssueCount> byIssue = new ArrayList<>();
      for (EncodingIssue issue : EncodingIssue.values()) {
        byIssue.add(new IssueCount(issue, documentsByIssue[issue.ordinal()]));
      }
      EncodingProblems encoding = new EncodingProblems(encodingDocuments, byIssue, encodingExamples);
      LengthOutliers outliers = lengthOutliers();
      Languages languageResult = languages(limits);

      List<CheckVerdict> verdicts = new ArrayList<>();
      verdicts.add(atMost("empty documents", emptyDocuments, total, limits.maxEmptyShare()));
      verdicts.add(atMost("short documents", shortDocuments, total, limits.maxShortShare()));
      verdicts.add(atMost("duplicate ids", duplicateIdDocuments, total, limits.maxDuplicateIdShare()));
      verdicts.add(atMost("exact duplicates", exact.documents(), total, limits.maxExactDuplicateShare()));
      verdicts.add(atMost("near duplicates", near.documents(), total, limits.maxNearDuplicateShare()));
      verdicts.add(atMost("encoding problems", encodingDocuments, total, limits.maxEncodingProblemShare()));
      verdicts.add(atMost("length outliers", outliers.documents(), total, limits.maxOutlierShare()));
      Double minDominant = limits.minDominantLanguageShare();
      if (minDominant != null) {
        double share = languageResult.dominantShare();
        verdicts.add(new CheckVerdict("dominant language", languageResult.dominantDocuments(), share, Limit.AT_LEAST,
            minDominant, share >= minDominant));
      }
      if (!limits.allowedLanguages().isEmpty()) {
        verdicts.add(atMost("disallowed languages", languageResult.disallowedDocuments(), total,
            limits.maxDisallowedLanguageShare()));
      }

      List<String> violations = new ArrayList<>();
      if (total == 0) {
        violations.add("no documents: the corpus is empty");
      }
      for (CheckVerdict v : verdicts) {
        if (v.passed()) {
          continue;
        }
        String measured = ValidationReport.percent(v.share()) + " of documents (" + v.documents() + " of " + total
            + ")";
        String limit = ValidationReport.percent(v.threshold());
        switch (v.check()) {
          case "dominant language" -> violations.add("dominant language: " + languageResult.dominant() + " has "
              + measured + ", below the minimum " + limit);
          case "disallowed languages" -> violations.add("disallowed languages: " + measured
              + " are in languages outside " + limits.allowedLanguages() + ", above the maximum " + limit);
          default -> violations.add(v.check() + ": " + measured + " exceeds the maximum " + limit);
        }
      }
      return new ValidationReport(total, emptyResult, shortResult, duplicateIdResult, exact, near, encoding, outliers,
          languageResult, limits, verdicts, violations);
    }

    private static CheckVerdict atMost(String check, int documents, int total, double max) {
      double share = share(documents, total);
      return new CheckVerdict(check, documents, share, Limit.AT_MOST, max, share <= max);
    }

    private static double share(int documents, int total) {
      return total == 0 ? 0 : documents / (double) total;
    }

    private ExactDuplicates exactDuplicates() {
      TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
      Map<Integer, Integer> sizes = new HashMap<>();
      for (int i = 0; i < exactCopies.size(); i++) {
        sizes.merge(exactOriginals.get(i), 2, (size, two) -> size + 1);
      }
      for (Integer original : new TreeSet<>(sizes.keySet())) {
        if (groups.size() == settings.maxExamples) {
          break;
        }
        groups.put(original, new ArrayList<>(List.of(original)));
      }
      for (int i = 0; i < exactCopies.size(); i++) {
        List<Integer> members = groups.get(exactOriginals.get(i));
        if (members != null && members.size() < settings.maxExamples) {
          members.add(exactCopies.get(i));
        }
      }
      List<DuplicateGroup> examples = new ArrayList<>();
      for (Map.Entry<Integer, List<Integer>> e : groups.entrySet()) {
        List<Integer> members = e.getValue();
        examples.add(new DuplicateGroup(sizes.get(e.getKey()),
            members.subList(0, Math.min(members.size(), settings.maxExamples)).stream().map(ids::get).toList()));
      }
      return new ExactDuplicates(exactCopies.size(), sizes.size(), examples);
    }

    private NearDuplicates nearDuplicates() {
      NearDuplicateIndex index = nearDuplicates;
      NearDuplicateIndex.UnionFind union = new NearDuplicateIndex.UnionFind(index.size());
      List<NearDuplicateIndex.Edge> edges = index.findPairs(settings.nearDuplicateThreshold, union);
      // Members by root; slots ascend with the order documents were added.
      TreeMap<Integer, List<Integer>> byFirstSlot = new TreeMap<>();
      Map<Integer, List<Integer>> byRoot = new HashMap<>();
      BitSet linked = new BitSet();
      for (NearDuplicateIndex.Edge e : edges) {
        linked.set(e.first());
        linked.set(e.second());
      }
      for (int slot = linked.nextSetBit(0); slot >= 0; slot = linked.nextSetBit(slot + 1)) {
        List<Integer> members = byRoot.computeIfAbsent(union.find(slot), r -> new ArrayList<>());
        if (members.isEmpty()) {
          byFirstSlot.put(slot, members);
        }
        members.add(slot);
      }
      Map<Integer, List<NearDuplicateIndex.Edge>> edgesByRoot = new HashMap<>();
      for (NearDuplicateIndex.Edge e : edges) {
        edgesByRoot.computeIfAbsent(union.find(e.first()), r -> new ArrayList<>()).add(e);
      }
      int documents = 0;
      List<NearDuplicateGroup> examples = new ArrayList<>();
      for (List<Integer> members : byFirstSlot.values()) {
        documents += members.size() - 1;
        if (examples.size() == settings.maxExamples) {
          continue;
        }
        List<NearDuplicateIndex.Edge> groupEdges = edgesByRoot.get(union.find(members.get(0)));
        groupEdges.sort(Comparator.comparingInt(NearDuplicateIndex.Edge::first)
            .thenComparingInt(NearDuplicateIndex.Edge::second));
        double min = 1;
        double max = 0;
        List<SimilarPair> pairs = new ArrayList<>();
        for (NearDuplicateIndex.Edge e : groupEdges) {
          min = Math.min(min, e.similarity());
          max = Math.max(max, e.similarity());
          if (pairs.size() < settings.maxExamples) {
            pairs.add(new SimilarPair(idOfSlot(e.first()), idOfSlot(e.second()), e.similarity()));
          }
        }
        List<String> groupIds = members.subList(0, Math.min(members.size(), settings.maxExamples)).stream()
            .map(this::idOfSlot).toList();
        examples.add(new NearDuplicateGroup(members.size(), groupIds, min, max, pairs));
      }
      return new NearDuplicates(settings.nearDuplicateThreshold, documents, byFirstSlot.size(), examples);
    }

    private String idOfSlot(int slot) {
      return ids.get(nearDuplicates.document(slot));
    }

    private LengthOutliers lengthOutliers() {
      int total = ids.size();
      int[] sorted = new int[total - emptyDocuments];
      int n = 0;
      for (int i = 0; i < total; i++) {
        if (!empty.get(i)) {
          sorted[n++] = words.get(i);
        }
      }
      Arrays.sort(sorted);
      double low = Double.NEGATIVE_INFINITY;
      double high = Double.POSITIVE_INFINITY;
      Double lowerWords = null;
      Double upperWords = null;
      if (n >= MIN_DOCUMENTS_FOR_LENGTH_BOUNDS) {
        double q1 = logQuantile(sorted, 0.25);
        double q3 = logQuantile(sorted, 0.75);
        double iqr = q3 - q1;
        low = q1 - settings.outlierIqrFactor * iqr;
        high = q3 + settings.outlierIqrFactor * iqr;
        lowerWords = Math.max(0, Math.expm1(low));
        upperWords = Math.expm1(high);
      }
      int documents = 0;
      int tooFew = 0;
      int tooMany = 0;
      int overMax = 0;
      List<LengthOutlier> examples = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        int w = words.get(i);
        int chars = characters.get(i);
        double length = Math.log1p(w);
        boolean few = !empty.get(i) && length < low;
        boolean many = !empty.get(i) && length > high;
        boolean over = chars > settings.maxCharacters;
        tooFew += few ? 1 : 0;
        tooMany += many ? 1 : 0;
        overMax += over ? 1 : 0;
        if (few || many || over) {
          documents++;
          if (examples.size() < settings.maxExamples) {
            OutlierReason reason = over ? OutlierReason.OVER_MAX_CHARACTERS
                : many ? OutlierReason.TOO_MANY_WORDS : OutlierReason.TOO_FEW_WORDS;
            examples.add(new LengthOutlier(ids.get(i), w, chars, reason));
          }
        }
      }
      return new LengthOutliers(documents, lowerWords, upperWords, settings.outlierIqrFactor, settings.maxCharacters,
          tooFew, tooMany, overMax, examples);
    }

    /** The {@code p} quantile of {@code log(1 + words)}, interpolating linearly between order statistics. */
    private static double logQuantile(int[] sortedWords, double p) {
      double h = (sortedWords.length - 1) * p;
      int below = (int) Math.floor(h);
      int above = Math.min(below + 1, sortedWords.length - 1);
      double a = Math.log1p(sortedWords[below]);
      double b = Math.log1p(sortedWords[above]);
      return a + (h - below) * (b - a);
    }

    private Languages languages(ValidationThresholds limits) {
      int total = ids.size();
      int[] counts = new int[languageNames.size()];
      for (int i = 0; i < total; i++) {
        counts[languages.get(i)]++;
      }
      List<LanguageShare> distribution = new ArrayList<>();
      for (int l = 0; l < counts.length; l++) {
        distribution.add(new LanguageShare(languageNames.get(l), counts[l], share(counts[l], total)));
      }
      distribution.sort(Comparator.comparingInt(LanguageShare::documents).reversed()
          .thenComparing(LanguageShare::language));
      LanguageShare dominant = distribution.stream().filter(l -> !l.language().equals(LanguageDetector.UNKNOWN))
          .findFirst().orElse(null);
      String dominantLanguage = dominant == null ? LanguageDetector.UNKNOWN : dominant.language();
      int dominantDocuments = dominant == null ? 0 : dominant.documents();
      int disallowed = 0;
      List<String> disallowedExamples = new ArrayList<>();
      if (!limits.allowedLanguages().isEmpty()) {
        for (int i = 0; i < total; i++) {
          String language = languageNames.get(languages.get(i));
          if (!language.equals(LanguageDetector.UNKNOWN) && !limits.allowedLanguages().contains(language)) {
            disallowed++;
            example(disallowedExamples, ids.get(i));
          }
        }
      }
      return new Languages(distribution, dominantLanguage, dominantDocuments, share(dominantDocuments, total),
          disallowed, disallowedExamples);
    }
  }
}
