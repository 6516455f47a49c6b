package dev.llmops.guardrails.content;

import dev.llmops.core.TextSpan;
import dev.llmops.core.classify.Classification;
import dev.llmops.core.classify.TextClassifier;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.internal.FoldedText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds insults, profanity, threats, slurs, sexual language and self-harm statements with a lexicon (shipped as
 * the resource {@code toxicity-lexicon.tsv} in this package, about 150 English terms with a category and a
 * severity each) and, optionally, a {@link TextClassifier}.
 *
 * <p>Terms match whole words of the text folded for case, accents, look-alike letters, leet ({@code sh1t},
 * {@code $hit}) and spaced-out letters ({@code f.u.c.k}, {@code s h i t}); letters may repeat ({@code fuuuck});
 * self-censored words match when their first and last letters and every unmasked letter agree with a term
 * ({@code f*ck}, {@code sh*t}). Because matching is by whole word, {@code Scunthorpe}, {@code class},
 * {@code assassin}, {@code cocktail}, {@code therapist} and {@code grape} pass.
 *
 * <p>Each match is a finding whose type is its {@link ToxicityCategory} name and whose score is the term's
 * severity. A classifier, when set, scores the text (or, for long texts, its sentences) for one label; a score at
 * or above its threshold is a {@code TOXICITY} finding. The verdict's risk is the highest score. Findings at or
 * above {@link Builder#minSeverity(double)} (and classifier findings) trigger the {@link ContentAction}: block
 * (default), mask the matched words with asterisks, or report; lower ones are only reported. Details name the
 * category and severity, never the word.
 *
 * <p>Immutable and thread-safe if the classifier is. Lexicon matching is linear in the text length.
 */
public final class ToxicityGuard implements InputGuard, OutputGuard {

  private static final String NAME = "toxicity";
  private static final String VERSION = "1";
  private static final String LEXICON = "toxicity-lexicon.tsv";

  private record Term(String text, ToxicityCategory category, double severity) {}

  private record Hit(Term term, TextSpan span) {}

  private final List<Term> terms;
  private final @Nullable Pattern pattern;
  /** The term of each capturing group of {@link #pattern}, in group order. */
  private final List<Term> groupTerms;
  private final Map<String, List<Term>> maskable;
  private final double minSeverity;
  private final ContentAction action;
  private final String blockMessage;
  private final @Nullable TextClassifier classifier;
  private final String classifierLabel;
  private final double classifierThreshold;
  private final int maxClassifierChars;

  private ToxicityGuard(Builder b, List<Term> terms) {
    this.terms = List.copyOf(terms);
    List<Term> groups = new ArrayList<>();
    this.pattern = terms.isEmpty() ? null : compile(terms, groups);
    this.groupTerms = List.copyOf(groups);
    this.maskable = maskable(terms);
    this.minSeverity = b.minSeverity;
    this.action = b.action;
    this.blockMessage = b.blockMessage;
    this.classifier = b.classifier;
    this.classifierLabel = b.classifierLabel;
    this.classifierThreshold = b.classifierThreshold;
    this.maxClassifierChars = b.maxClassifierChars;
  }

  /** A guard with the shipped lexicon, every category, minimum severity 0.5 and {@link ContentAction#BLOCK}. */
  public static ToxicityGuard defaults() {
    return builder().build();
  }

  /** A builder with the defaults of {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public GuardVerdict check(InputContext input) {
    return decide(input.text());
  }

  @Override
  public GuardVerdict check(OutputContext output) {
    return decide(output.text());
  }

  /** The number of lexicon terms in use (after category filtering, additions and removals). */
  public int termCount() {
    return terms.size();
  }

  private GuardVerdict decide(String text) {
    List<Hit> hits = lexicon(text);
    List<Finding> findings = new ArrayList<>();
    double risk = 0;
    boolean act = false;
    for (Hit h : hits) {
      Term t = h.term();
      findings.add(new Finding(t.category().name(), h.span(), t.severity(), String.format(Locale.ROOT,
          "%s term, severity %.2f", t.category().name().toLowerCase(Locale.ROOT).replace('_', ' '), t.severity())));
      risk = Math.max(risk, t.severity());
      act |= t.severity() >= minSeverity;
    }
    boolean classifierFlagged = false;
    if (classifier != null && !text.isBlank()) {
      for (Finding f : classify(text)) {
        findings.add(f);
        risk = Math.max(risk, f.score());
        classifierFlagged = true;
      }
    }
    if (findings.isEmpty()) {
      return GuardVerdict.pass();
    }
    if (!(act || classifierFlagged) || action == ContentAction.REPORT) {
      return new GuardVerdict.Pass(risk, findings);
    }
    if (action == ContentAction.BLOCK || !act) {
      return GuardVerdict.block(blockMessage, risk, findings);
    }
    char[] masked = text.toCharArray();
    for (Hit h : hits) {
      if (h.term().severity() >= minSeverity) {
        for (int i = h.span().start(); i < h.span().end(); i++) {
          if (!Character.isWhitespace(masked[i])) {
            masked[i] = '*';
          }
        }
      }
    }
    return GuardVerdict.rewrite(new String(masked), risk, findings);
  }

  private List<Finding> classify(String text) {
    TextClassifier c = Objects.requireNonNull(classifier);
    List<TextSpan> pieces = text.length() <= maxClassifierChars ? List.of(new TextSpan(0, text.length()))
        : Segments.of(text, maxClassifierChars, 64);
    List<String> inputs = new ArrayList<>(pieces.size());
    for (TextSpan s : pieces) {
      inputs.add(s.of(text));
    }
    List<Classification> results = c.classifyAll(inputs);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < results.size() && i < pieces.size(); i++) {
      double score = results.get(i).score(classifierLabel).orElse(0);
      if (score >= classifierThreshold) {
        TextSpan span = pieces.size() == 1 ? null : pieces.get(i);
        findings.add(new Finding("TOXICITY", span, score, String.format(Locale.ROOT,
            "classifier label '%s' scored %.2f >= %.2f", classifierLabel, score, classifierThreshold)));
      }
    }
    return findings;
  }

  private List<Hit> lexicon(String text) {
    if (pattern == null || text.isEmpty()) {
      return List.of();
    }
    List<Hit> hits = new ArrayList<>();
    for (FoldedText view : Keywords.views(text)) {
      String folded = view.folded();
      Matcher m = pattern.matcher(folded);
      while (m.find()) {
        for (int g = 1; g <= groupTerms.size(); g++) {
          if (m.start(g) >= 0) {
            hits.add(new Hit(groupTerms.get(g - 1), view.toOriginal(m.start(), m.end())));
            break;
          }
        }
      }
      masked(view, hits);
    }
    return withoutOverlaps(hits);
  }

  /** Words with asterisks inside ({@code f*ck}, {@code sh**}): first and last letters and unmasked ones must agree. */
  private void masked(FoldedText view, List<Hit> hits) {
    if (maskable.isEmpty()) {
      return;
    }
    String s = view.folded();
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (!(Character.isLetter(c) || c == '*')) {
        i++;
        continue;
      }
      int start = i;
      boolean star = false;
      while (i < n && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '*')) {
        star |= s.charAt(i) == '*';
        i++;
      }
      int end = i;
      if (!star || end - start < 3 || end - start > 24 || !Character.isLetter(s.charAt(start))
          || !Character.isLetter(s.charAt(end - 1))) {
        continue;
      }
      String word = s.substring(start, end);
      List<Term> candidates = maskable.get(maskKey(word));
      if (candidates == null) {
        continue;
      }
      Term best = null;
      for (Term t : candidates) {
        if (agrees(word, t.text()) && (best == null || t.severity() > best.severity())) {
          best = t;
        }
      }
      if (best != null) {
        hits.add(new Hit(best, view.toOriginal(start, end)));
      }
    }
  }

  private static boolean agrees(String masked, String term) {
    for (int k = 0; k < masked.length(); k++) {
      char c = masked.charAt(k);
      if (c != '*' && c != term.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static String maskKey(String word) {
    return word.length() + ":" + word.charAt(0) + word.charAt(word.length() - 1);
  }

  private static Map<String, List<Term>> maskable(List<Term> terms) {
    Map<String, List<Term>> map = new HashMap<>();
    for (Term t : terms) {
      String root = t.text().endsWith("*") ? t.text().substring(0, t.text().length() - 1) : t.text();
      if (root.length() >= 3 && root.chars().allMatch(Character::isLetter)) {
        Term asTerm = new Term(root, t.category(), t.severity());
        map.computeIfAbsent(maskKey(root), k -> new ArrayList<>()).add(asTerm);
      }
    }
    return map;
  }

  private static List<Hit> withoutOverlaps(List<Hit> hits) {
    if (hits.size() <= 1) {
      return hits;
    }
    List<Hit> byPriority = new ArrayList<>(hits);
    byPriority.sort(Comparator.comparingDouble((Hit h) -> -h.term().severity())
        .thenComparingInt(h -> -h.span().length()).thenComparingInt(h -> h.span().start()));
    TreeMap<Integer, Hit> accepted = new TreeMap<>();
    for (Hit h : byPriority) {
      var floor = accepted.floorEntry(h.span().start());
      if (floor != null && floor.getValue().span().end() > h.span().start()) {
        continue;
      }
      var ceiling = accepted.ceilingEntry(h.span().start());
      if (ceiling != null && ceiling.getKey() < h.span().end()) {
        continue;
      }
      accepted.put(h.span().start(), h);
    }
    return new ArrayList<>(accepted.values());
  }

  /**
   * One alternation with a capturing group per term, guarded by a one-letter look-ahead per first letter so each
   * position tries only the terms that can start there. Letters are possessive ({@code f++u++c++k++}), separators
   * bounded, so matching is linear.
   */
  private static Pattern compile(List<Term> terms, List<Term> groupTerms) {
    Map<Character, List<Term>> byFirst = new LinkedHashMap<>();
    for (Term t : terms) {
      byFirst.computeIfAbsent(t.text().charAt(0), k -> new ArrayList<>()).add(t);
    }
    StringBuilder all = new StringBuilder();
    for (Map.Entry<Character, List<Term>> e : byFirst.entrySet()) {
      StringBuilder alt = new StringBuilder();
      for (Term t : e.getValue()) {
        alt.append(alt.length() == 0 ? "" : "|").append('(').append(body(t.text())).append(')');
        groupTerms.add(t);
      }
      all.append(all.length() == 0 ? "" : "|").append("(?=").append(Pattern.quote(String.valueOf(e.getKey())))
          .append(")(?:").append(alt).append(')');
    }
    return Keywords.wholeWords(all.toString());
  }

  private static String body(String term) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < term.length()) {
      char c = term.charAt(i);
      if (c == '*' && i == term.length() - 1) {
        b.append("\\p{L}{0,24}+");
        i++;
      } else if (Character.isLetter(c)) {
        int run = 1;
        while (i + run < term.length() && term.charAt(i + run) == c) {
          run++;
        }
        b.append(Pattern.quote(String.valueOf(c))).append(run == 1 ? "++" : "{" + run + ",}+");
        i += run;
      } else if (Character.isWhitespace(c) || c == '-' || c == '_') {
        while (i < term.length() && (Character.isWhitespace(term.charAt(i)) || term.charAt(i) == '-'
            || term.charAt(i) == '_')) {
          i++;
        }
        b.append("[\\s_\\-.*]{1,4}+");
      } else if (c == '\'' || c == '\u2019') {
        b.append("['\u2019]?+");
        i++;
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "ToxicityGuard[terms=" + terms.size() + ", minSeverity=" + minSeverity + ", action=" + action
        + ", classifier=" + (classifier == null ? "none" : classifierLabel + ">=" + classifierThreshold) + "]";
  }

  /** Builds a {@link ToxicityGuard}. Every option is a plain value so a JSON policy maps onto it. Not thread-safe. */
  public static final class Builder {
    private boolean useLexicon = true;
    private Set<ToxicityCategory> categories = EnumSet.allOf(ToxicityCategory.class);
    private final Map<String, Term> added = new LinkedHashMap<>();
    private final Set<String> removed = new java.util.HashSet<>();
    private double minSeverity = 0.5;
    private ContentAction action = ContentAction.BLOCK;
    private String blockMessage = "Sorry, this message can't be processed because it breaks the content policy.";
    private @Nullable TextClassifier classifier;
    private String classifierLabel = "toxic";
    private double classifierThreshold = 0.5;
    private int maxClassifierChars = 2000;

    private Builder() {}

    /** Whether to use the shipped lexicon (default true); terms added with {@link #addTerm} are used either way. */
    public Builder useLexicon(boolean use) {
      this.useLexicon = use;
      return this;
    }

    /**
     * The categories to look for, by {@link ToxicityCategory} name (case-insensitive); default all.
     *
     * @throws IllegalArgumentException naming an unknown category, or if the list is empty
     */
    public Builder categories(List<String> names) {
      if (names.isEmpty()) {
        throw new IllegalArgumentException("categories must name at least one of "
            + List.of(ToxicityCategory.values()));
      }
      Set<ToxicityCategory> set = EnumSet.noneOf(ToxicityCategory.class);
      for (String n : names) {
        set.add(category(n));
      }
      this.categories = set;
      return this;
    }

    private static ToxicityCategory category(String name) {
      try {
        return ToxicityCategory.valueOf(name.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown toxicity category '" + name + "'; known: "
            + List.of(ToxicityCategory.values()), e);
      }
    }

    /**
     * Adds a term (or replaces the lexicon's entry for it).
     *
     * @param term a word or phrase; a trailing {@code *} lets any letters follow
     * @param category a {@link ToxicityCategory} name
     * @param severity in {@code (0, 1]}
     * @throws IllegalArgumentException naming the bad value
     */
    public Builder addTerm(String term, String category, double severity) {
      String folded = fold(term);
      if (folded.isEmpty() || !Character.isLetter(folded.charAt(0))) {
        throw new IllegalArgumentException("a term must start with a letter but was '" + term + "'");
      }
      checkSeverity("severity of term '" + term + "'", severity);
      added.put(folded, new Term(folded, category(category), severity));
      return this;
    }

    /** Removes terms of the lexicon (for example a word that is innocent in your domain); unknown terms are ignored. */
    public Builder removeTerms(List<String> terms) {
      for (String t : terms) {
        removed.add(fold(t));
      }
      return this;
    }

    private static String fold(String term) {
      String folded = Keywords.foldNoLeet(term).replaceAll("\\s+", " ");
      return folded.strip();
    }

    private static void checkSeverity(String what, double v) {
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException(what + " must be in (0, 1] but was " + v);
      }
    }

    /** The lowest severity that triggers the action; lower findings are only reported. Default 0.5. */
    public Builder minSeverity(double severity) {
      checkSeverity("minSeverity", severity);
      this.minSeverity = severity;
      return this;
    }

    /** What to do: {@link ContentAction#BLOCK} (default), {@link ContentAction#MASK} or {@link ContentAction#REPORT}. */
    public Builder action(ContentAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** What a blocked user is told. */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("blockMessage must not be blank but was '" + message + "'");
      }
      this.blockMessage = message;
      return this;
    }

    /** A classifier whose score for {@link #classifierLabel(String)} is combined with the lexicon's. */
    public Builder classifier(TextClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /** The classifier label that means toxic; default {@code toxic}. */
    public Builder classifierLabel(String label) {
      if (label.isBlank()) {
        throw new IllegalArgumentException("classifierLabel must not be blank");
      }
      this.classifierLabel = label;
      return this;
    }

    /** The classifier score at or above which a text is toxic; default 0.5, in {@code (0, 1]}. */
    public Builder classifierThreshold(double threshold) {
      checkSeverity("classifierThreshold", threshold);
      this.classifierThreshold = threshold;
      return this;
    }

    /** The longest text classified whole; longer ones are classified in sentence runs this long. Default 2000. */
    public Builder maxClassifierChars(int chars) {
      if (chars < 50) {
        throw new IllegalArgumentException("maxClassifierChars must be at least 50 but was " + chars);
      }
      this.maxClassifierChars = chars;
      return this;
    }

    /**
     * Builds the guard.
     *
     * @throws IllegalArgumentException if the classifier does not know the label, or nothing is left to detect
     * @throws UncheckedIOException if the shipped lexicon cannot be read
     */
    public ToxicityGuard build() {
      Map<String, Term> all = new LinkedHashMap<>();
      if (useLexicon) {
        for (Term t : load()) {
          all.put(t.text(), t);
        }
      }
      all.putAll(added);
      List<Term> terms = new ArrayList<>();
      for (Term t : all.values()) {
        if (categories.contains(t.category()) && !removed.contains(t.text())) {
          terms.add(t);
        }
      }
      if (classifier != null && !classifier.labels().contains(classifierLabel)) {
        throw new IllegalArgumentException("classifier labels " + classifier.labels() + " do not include '"
            + classifierLabel + "'");
      }
      if (terms.isEmpty() && classifier == null) {
        throw new IllegalArgumentException("a toxicity guard needs lexicon terms or a classifier");
      }
      terms.sort(Comparator.comparingInt((Term t) -> -t.text().length()));
      return new ToxicityGuard(this, terms);
    }

    private static List<Term> load() {
      try (InputStream in = ToxicityGuard.class.getResourceAsStream(LEXICON)) {
        if (in == null) {
          throw new UncheckedIOException(new IOException("resource " + LEXICON + " is missing"));
        }
        List<Term> terms = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lineNo++;
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          String[] parts = line.split("\t");
          if (parts.length != 3) {
            throw new IllegalStateException(LEXICON + " line " + lineNo + " needs 3 tab-separated fields: " + line);
          }
          terms.add(new Term(fold(parts[0]), category(parts[1]), Double.parseDouble(parts[2])));
        }
        return terms;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + LEXICON, e);
      }
    }
  }
}
