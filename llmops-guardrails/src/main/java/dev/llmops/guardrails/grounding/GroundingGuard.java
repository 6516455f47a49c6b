package dev.llmops.guardrails.grounding;

import dev.llmops.guardrails.chain.WholeAnswerGuard;
import dev.llmops.core.TextSpan;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.core.retrieval.RetrievedChunk;
import dev.llmops.guardrails.grounding.Citations.Marker;
import dev.llmops.guardrails.grounding.GroundingReport.UnknownCitation;
import dev.llmops.guardrails.grounding.SentenceSupport.Status;
import dev.llmops.guardrails.internal.Sentences;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks that an answer is supported by the retrieved chunks it cites ({@link OutputContext#sources()}): splits
 * the answer into sentences, reads each sentence's citation markers ({@link CitationStyle}), reports citations of
 * chunks that were not retrieved, and scores each claim's support in its cited chunks.
 *
 * <pre>{@code
 * GroundingGuard guard = GroundingGuard.builder()
 *     .embeddingModel(model)            // optional; without it support is word overlap alone
 *     .action(GroundingAction.STRIP)
 *     .build();
 * GroundingReport report = guard.assess(context);   // per-sentence support, for lineage or evaluation
 * }</pre>
 *
 * <p><b>Citations.</b> A marker belongs to the sentence it is in; markers that open a sentence (the answer put
 * them after the full stop, as in {@code Refunds take 30 days. [handbook.md#2]}) belong to the sentence before.
 * A cited id is resolved against the retrieved chunk ids, then, with numbered citations on, {@code [n]} is the
 * n-th retrieved chunk. Any other id is an {@code UNKNOWN_CITATION}, handled per {@link UnknownCitationAction}.
 *
 * <p><b>Claims.</b> Sentences that are not claims are skipped and do not count: questions (ending with
 * {@code ?}); Markdown headings ({@code #}) and lead-ins ending with {@code :}; abstentions ("I don't know", "the
 * sources do not say", ... see {@link Builder#abstentionPhrases(List)}); sentences made only of citation markers;
 * and short connectives: fewer than {@link Builder#minContentWords(int) minContentWords} content words (words that
 * are not stop words), unless the sentence has a number and at least one content word ("Founded in 1999."). A
 * leading list marker ({@code 1.}, {@code -}, {@code *}) is not part of the claim.
 *
 * <p><b>Support.</b> A claim is scored against its cited chunks that were retrieved, or, if it cites none, per
 * {@link UncitedSentences}. Lexical support is the fraction of its content words (stop words removed, light
 * stemming) found in those chunks. With an {@link EmbeddingModel}, the embedding similarity is the best cosine
 * between the claim and the chunks' sentences, and support is {@code lexicalWeight * lexical + (1 - lexicalWeight)
 * * max(0, cosine)}; without one, support is the lexical score. A claim is supported when support reaches
 * {@link Builder#minSupport(double) minSupport} and every number in it (thousands separators and trailing zeros
 * normalised) appears in those chunks: a claim with a number not in its sources is a {@code NUMBER_MISMATCH}
 * whatever its overlap. A claim citing only chunks that were not retrieved, or with no chunk to check, is
 * unsupported.
 *
 * <p><b>Verdict.</b> The grounded fraction is supported claims over claims (1 with no claims); it is the risk
 * score's complement and is stated in every {@code UNSUPPORTED_CLAIM} / {@code NUMBER_MISMATCH} finding (span: the
 * sentence). Below {@link Builder#minGroundedFraction(double) minGroundedFraction} the {@link GroundingAction}
 * applies; otherwise unsupported sentences are passed with findings. Unknown citations and unsupported claims are
 * decided separately and the stricter outcome wins (block, then re-ask, then rewrite, then pass). Answers with more
 * than {@link Builder#maxSentences(int) maxSentences} sentences have the rest reported as one
 * {@code GROUNDING_NOT_ASSESSED} finding and counted as one unsupported claim.
 *
 * <p>Immutable and safe to share across threads (the embedding model must be too). Embedding failures propagate
 * as the model's {@link dev.llmops.core.LlmOpsException}.
 */
public final class GroundingGuard implements WholeAnswerGuard {

  /** The default message for a blocked answer. */
  public static final String DEFAULT_BLOCK_MESSAGE =
      "Sorry, I couldn't find support for an answer in the available sources.";

  /** The default abstention phrases (matched case-insensitively, anywhere in a sentence). */
  public static final List<String> DEFAULT_ABSTENTIONS = List.of(
      "i don't know", "i do not know", "i'm not sure", "i am not sure", "i cannot answer", "i can't answer",
      "i couldn't find", "i could not find", "i was unable to find", "i'm unable to", "i am unable to",
      "not enough information", "no information about", "do not mention", "does not mention", "don't mention",
      "doesn't mention", "do not say", "does not say", "don't say", "doesn't say", "is not mentioned",
      "are not mentioned", "not covered in");

  private static final int MAX_EMBED_CHARS = 1000;
  private static final int MAX_CHUNK_SENTENCES = 200;
  private static final int MAX_FINDINGS_PER_TYPE = 100;

  private final Set<CitationStyle> styles;
  private final boolean numberedCitations;
  private final UncitedSentences uncited;
  private final GroundingAction action;
  private final UnknownCitationAction unknownCitationAction;
  private final double minSupport;
  private final double minGroundedFraction;
  private final double lexicalWeight;
  private final @Nullable EmbeddingModel embeddingModel;
  private final int minContentWords;
  private final int maxSentences;
  private final List<String> abstentions;
  private final String blockMessage;

  private GroundingGuard(Builder b) {
    this.styles = Set.copyOf(b.styles);
    this.numberedCitations = b.numberedCitations;
    this.uncited = b.uncited;
    this.action = b.action;
    this.unknownCitationAction = b.unknownCitationAction;
    this.minSupport = b.minSupport;
    this.minGroundedFraction = b.minGroundedFraction;
    this.lexicalWeight = b.lexicalWeight;
    this.embeddingModel = b.embeddingModel;
    this.minContentWords = b.minContentWords;
    this.maxSentences = b.maxSentences;
    this.abstentions = b.abstentions.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    this.blockMessage = b.blockMessage;
  }

  /** A builder with the defaults described on {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A guard with every default: lexical support only, flagging unsupported sentences, re-asking on unknown citations. */
  public static GroundingGuard defaults() {
    return builder().build();
  }

  @Override
  public String name() {
    return "grounding";
  }

  @Override
  public String version() {
    return "1";
  }

  /** One sentence during assessment. */
  private static final class Work {
    final TextSpan span;
    final List<Marker> own = new ArrayList<>();
    final List<Marker> attached = new ArrayList<>();
    final List<Marker> inside = new ArrayList<>();
    int cutStart;
    Status status = Status.SKIPPED;
    String reason = "";
    String claim = "";
    Lexicon.@Nullable Terms terms;
    final List<Integer> chunks = new ArrayList<>();
    final List<String> unknown = new ArrayList<>();
    double lexical;
    @Nullable Double embedding;
    double support;
    List<String> unmatched = List.of();

    Work(TextSpan span) {
      this.span = span;
      this.cutStart = span.start();
    }

    List<Marker> markers() {
      List<Marker> all = new ArrayList<>(own);
      all.addAll(attached);
      return all;
    }
  }

  private record Assessment(GroundingReport report, List<Work> work, @Nullable TextSpan notAssessed) {}

  /**
   * Assesses every sentence of the answer without deciding a verdict.
   *
   * @param output the answer and its retrieved chunks
   * @return the per-sentence support, unknown citations and grounded fraction
   * @throws dev.llmops.core.LlmOpsException if the embedding model fails
   */
  public GroundingReport assess(OutputContext output) {
    return assessment(output).report();
  }

  private Assessment assessment(OutputContext output) {
    String text = output.text();
    List<RetrievedChunk> sources = output.sources();
    Map<String, Integer> byId = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      byId.putIfAbsent(sources.get(i).chunkId(), i);
    }
    List<TextSpan> spans = Sentences.split(text);
    int n = Math.min(spans.size(), maxSentences);
    TextSpan rest = n < spans.size() ? new TextSpan(spans.get(n).start(), text.length()) : null;
    int scanLimit = n < spans.size() ? spans.get(n).end() : text.length();
    List<Marker> markers = Citations.find(text, scanLimit, styles, byId.keySet(), numberedCitations);

    List<Work> work = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      work.add(new Work(spans.get(k)));
    }
    assignMarkers(text, work, markers, rest);

    List<UnknownCitation> unknownCitations = new ArrayList<>();
    Set<Integer> neededChunks = new LinkedHashSet<>();
    for (Work w : work) {
      for (Marker m : w.markers()) {
        for (String id : m.ids()) {
          Integer index = resolve(id, byId, sources.size());
          if (index == null) {
            w.unknown.add(id);
            unknownCitations.add(new UnknownCitation(id, new TextSpan(m.start(), m.end())));
          } else if (!w.chunks.contains(index)) {
            w.chunks.add(index);
          }
        }
      }
      classify(text, w, sources.size());
      if (w.status == Status.SUPPORTED) {
        neededChunks.addAll(w.chunks);
      }
    }
    unknownCitations.sort(Comparator.comparingInt(u -> u.span().start()));

    Lexicon.Terms[] chunkTerms = new Lexicon.Terms[sources.size()];
    for (int index : neededChunks) {
      String chunkText = sources.get(index).text();
      chunkTerms[index] = Lexicon.terms(chunkText, 0, chunkText.length());
    }
    Map<Integer, List<Embedding>> chunkVectors = new HashMap<>();
    Map<Work, Embedding> claimVectors = new HashMap<>();
    if (embeddingModel != null) {
      embed(work, sources, neededChunks, chunkVectors, claimVectors);
    }
    int claims = 0;
    int supported = 0;
    List<SentenceSupport> sentences = new ArrayList<>(work.size() + 1);
    for (Work w : work) {
      if (w.status == Status.SUPPORTED) {
        score(w, chunkTerms, chunkVectors, claimVectors.get(w));
      }
      if (w.status != Status.SKIPPED) {
        claims++;
      }
      if (w.status == Status.SUPPORTED) {
        supported++;
      }
      List<String> ids = w.chunks.stream().map(i -> sources.get(i).chunkId()).toList();
      sentences.add(new SentenceSupport(w.span, w.status, w.support, w.lexical, w.embedding, ids, w.unknown,
          w.unmatched, w.reason));
    }
    if (rest != null) {
      claims++;
      sentences.add(new SentenceSupport(rest, Status.NOT_ASSESSED, 0, 0, null, List.of(), List.of(), List.of(),
          (spans.size() - n) + " sentences beyond the limit of " + maxSentences + " were not assessed"));
    }
    return new Assessment(new GroundingReport(sentences, unknownCitations, claims, supported), work, rest);
  }

  /** Gives each sentence the markers inside it; markers opening a sentence go to the sentence before. */
  private static void assignMarkers(String text, List<Work> work, List<Marker> markers, @Nullable TextSpan rest) {
    int m = 0;
    for (int k = 0; k < work.size() && m < markers.size(); k++) {
      Work w = work.get(k);
      while (m < markers.size() && markers.get(m).start() < w.span.start()) {
        m++; // between sentences (cannot happen with trimmed spans, kept for safety)
      }
      int pos = w.span.start();
      boolean leading = k > 0;
      while (m < markers.size() && markers.get(m).start() < w.span.end()) {
        Marker marker = markers.get(m);
        w.inside.add(marker);
        if (leading && text.substring(pos, marker.start()).isBlank()) {
          work.get(k - 1).attached.add(marker);
          pos = marker.end();
          w.cutStart = pos;
        } else {
          leading = false;
          w.own.add(marker);
        }
        m++;
      }
    }
    if (rest != null && !work.isEmpty()) {
      int pos = rest.start();
      for (; m < markers.size(); m++) {
        Marker marker = markers.get(m);
        if (marker.start() < rest.start() || !text.substring(pos, marker.start()).isBlank()) {
          break;
        }
        work.get(work.size() - 1).attached.add(marker);
        pos = marker.end();
      }
    }
  }

  private @Nullable Integer resolve(String id, Map<String, Integer> byId, int sourceCount) {
    Integer index = byId.get(id);
    if (index != null || !numberedCitations || id.length() > 6) {
      return index;
    }
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return null;
      }
    }
    int number = Integer.parseInt(id);
    return number >= 1 && number <= sourceCount ? number - 1 : null;
  }

  /** Decides whether a sentence is a claim and which chunks it is checked against; SUPPORTED means "to score". */
  private void classify(String text, Work w, int sourceCount) {
    StringBuilder claim = new StringBuilder(text.substring(w.span.start(), w.span.end()));
    for (Marker m : w.inside) {
      for (int i = m.start(); i < Math.min(m.end(), w.span.end()); i++) {
        claim.setCharAt(i - w.span.start(), ' ');
      }
    }
    blankListMarker(claim);
    blankUrls(claim);
    String c = claim.toString().strip();
    w.claim = c;
    if (c.isEmpty()) {
      w.reason = "not a claim: citation markers only";
      return;
    }
    String lower = c.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    if (endsWithQuestionMark(c)) {
      w.reason = "not a claim: question";
      return;
    }
    if (c.charAt(0) == '#' || c.charAt(c.length() - 1) == ':') {
      w.reason = "not a claim: heading or lead-in";
      return;
    }
    for (String phrase : abstentions) {
      if (lower.contains(phrase)) {
        w.reason = "not a claim: abstention";
        return;
      }
    }
    Lexicon.Terms terms = Lexicon.terms(c, 0, c.length());
    w.terms = terms;
    boolean shortButFactual = !terms.numbers().isEmpty() && !terms.words().isEmpty();
    if (terms.words().size() < minContentWords && !shortButFactual) {
      w.reason = "not a claim: fewer than " + minContentWords + " content words";
      return;
    }
    boolean cites = !w.own.isEmpty() || !w.attached.isEmpty();
    if (!cites) {
      switch (uncited) {
        case IGNORE -> {
          w.reason = "cites no chunk (ignored by policy)";
          return;
        }
        case UNSUPPORTED -> {
          w.status = Status.UNSUPPORTED;
          w.reason = "cites no chunk";
          return;
        }
        case CHECK_ALL_SOURCES -> {
          for (int i = 0; i < sourceCount; i++) {
            w.chunks.add(i);
          }
        }
      }
    }
    if (w.chunks.isEmpty()) {
      w.status = Status.UNSUPPORTED;
      w.reason = cites ? "cites only chunks that were not retrieved" : "no retrieved chunks to check against";
      return;
    }
    w.status = Status.SUPPORTED;
  }

  private static void blankListMarker(StringBuilder s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    int j = i;
    if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '*' || s.charAt(j) == '\u2022')) {
      j++;
    } else {
      while (j < s.length() && j - i < 3 && Character.isDigit(s.charAt(j))) {
        j++;
      }
      if (j == i || j >= s.length() || (s.charAt(j) != '.' && s.charAt(j) != ')')) {
        return;
      }
      j++;
    }
    if (j < s.length() && Character.isWhitespace(s.charAt(j))) {
      for (int k = i; k < j; k++) {
        s.setCharAt(k, ' ');
      }
    }
  }

  /** Blanks {@code http://} and {@code https://} URLs, whose words say nothing about support. */
  private static void blankUrls(StringBuilder s) {
    int from = 0;
    while (true) {
      int at = s.indexOf("http", from);
      if (at < 0) {
        return;
      }
      int scheme = s.indexOf("://", at);
      if (scheme != at + 4 && scheme != at + 5) {
        from = at + 4;
        continue;
      }
      int end = scheme + 3;
      while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != ')' && s.charAt(end) != ']') {
        end++;
      }
      for (int k = at; k < end; k++) {
        s.setCharAt(k, ' ');
      }
      from = end;
    }
  }

  private static boolean endsWithQuestionMark(String c) {
    for (int i = c.length() - 1; i >= 0; i--) {
      char ch = c.charAt(i);
      if (ch == '?' || ch == '\uFF1F') {
        return true;
      }
      if (ch != '"' && ch != '\'' && ch != ')' && ch != '*' && ch != '_' && !Character.isWhitespace(ch)
          && ch != '\u201D' && ch != '\u2019') {
        return false;
      }
    }
    return false;
  }

  private void embed(List<Work> work, List<RetrievedChunk> sources, Set<Integer> neededChunks,
      Map<Integer, List<Embedding>> chunkVectors, Map<Work, Embedding> claimVectors) {
    EmbeddingModel model = Objects.requireNonNull(embeddingModel);
    List<String> texts = new ArrayList<>();
    List<Work> claims = new ArrayList<>();
    for (Work w : work) {
      if (w.status == Status.SUPPORTED) {
        claims.add(w);
        texts.add(cut(w.claim));
      }
    }
    if (claims.isEmpty()) {
      return;
    }
    List<Integer> owners = new ArrayList<>();
    for (int index : neededChunks) {
      String chunkText = sources.get(index).text();
      List<TextSpan> chunkSentences = Sentences.split(chunkText);
      for (int s = 0; s < chunkSentences.size() && s < MAX_CHUNK_SENTENCES; s++) {
        texts.add(cut(chunkSentences.get(s).of(chunkText)));
        owners.add(index);
      }
    }
    EmbeddingResult result = model.embedAll(texts);
    if (result.size() != texts.size()) {
      throw new IllegalStateException("embedding model " + model.modelId() + " returned " + result.size()
          + " embeddings for " + texts.size() + " texts");
    }
    for (int i = 0; i < claims.size(); i++) {
      claimVectors.put(claims.get(i), result.get(i));
    }
    for (int i = 0; i < owners.size(); i++) {
      chunkVectors.computeIfAbsent(owners.get(i), k -> new ArrayList<>()).add(result.get(claims.size() + i));
    }
  }

  private static String cut(String s) {
    return s.length() <= MAX_EMBED_CHARS ? s : s.substring(0, MAX_EMBED_CHARS);
  }

  private void score(Work w, Lexicon.Terms[] chunkTerms, Map<Integer, List<Embedding>> chunkVectors,
      @Nullable Embedding claimVector) {
    Lexicon.Terms terms = Objects.requireNonNull(w.terms);
    Set<String> words = new HashSet<>();
    Set<String> numbers = new HashSet<>();
    for (int index : w.chunks) {
      words.addAll(chunkTerms[index].words());
      numbers.addAll(chunkTerms[index].numbers());
    }
    int found = 0;
    for (String word : terms.words()) {
      if (words.contains(word)) {
        found++;
      }
    }
    w.lexical = terms.words().isEmpty() ? 1.0 : (double) found / terms.words().size();
    w.support = w.lexical;
    if (claimVector != null) {
      double best = 0;
      for (int index : w.chunks) {
        for (Embedding e : chunkVectors.getOrDefault(index, List.of())) {
          best = Math.max(best, claimVector.cosine(e));
        }
      }
      w.embedding = best;
      w.support = lexicalWeight * w.lexical + (1 - lexicalWeight) * Math.max(0, Math.min(1, best));
    }
    w.support = Math.max(0, Math.min(1, w.support));
    List<String> unmatched = new ArrayList<>();
    for (String number : terms.numbers()) {
      if (!numbers.contains(number)) {
        unmatched.add(number);
      }
    }
    w.unmatched = unmatched;
    if (!unmatched.isEmpty()) {
      w.status = Status.UNSUPPORTED;
      w.reason = "numbers not in the " + (w.chunks.size() == 1 ? "chunk" : "chunks") + " checked: "
          + String.join(", ", unmatched.subList(0, Math.min(5, unmatched.size())));
    } else if (w.support < minSupport) {
      w.status = Status.UNSUPPORTED;
      w.reason = String.format(Locale.ROOT, "support %.2f below %.2f", w.support, minSupport);
    } else {
      w.reason = String.format(Locale.ROOT, "support %.2f", w.support);
    }
  }

  private enum Severity { PASS, REWRITE, REASK, BLOCK }

  @Override
  public GuardVerdict check(OutputContext output) {
    Assessment assessment = assessment(output);
    GroundingReport report = assessment.report();
    List<Finding> findings = new ArrayList<>();
    int unknownCount = 0;
    for (UnknownCitation u : report.unknownCitations()) {
      if (unknownCount++ < MAX_FINDINGS_PER_TYPE) {
        findings.add(new Finding("UNKNOWN_CITATION", u.span(), 1.0, "cites '" + shorten(u.id(), 80)
            + "', which is not among the " + output.sources().size() + " retrieved chunks"));
      }
    }
    String fraction = String.format(Locale.ROOT, "grounded %d of %d claims (%.2f)", report.supported(),
        report.claims(), report.groundedFraction());
    int unsupportedCount = 0;
    for (SentenceSupport s : report.sentences()) {
      if (s.status() == Status.UNSUPPORTED && unsupportedCount++ < MAX_FINDINGS_PER_TYPE) {
        boolean numbers = !s.unmatchedNumbers().isEmpty();
        findings.add(new Finding(numbers ? "NUMBER_MISMATCH" : "UNSUPPORTED_CLAIM", s.span(),
            numbers ? 1.0 : 1.0 - s.support(), s.reason() + "; " + fraction));
      } else if (s.status() == Status.NOT_ASSESSED) {
        findings.add(new Finding("GROUNDING_NOT_ASSESSED", s.span(), 1.0, s.reason() + "; " + fraction));
      }
    }
    if (unknownCount > MAX_FINDINGS_PER_TYPE) {
      findings.add(new Finding("UNKNOWN_CITATION", null, 1.0,
          (unknownCount - MAX_FINDINGS_PER_TYPE) + " more unknown citations not listed"));
    }
    if (unsupportedCount > MAX_FINDINGS_PER_TYPE) {
      findings.add(new Finding("UNSUPPORTED_CLAIM", null, 1.0,
          (unsupportedCount - MAX_FINDINGS_PER_TYPE) + " more unsupported sentences not listed; " + fraction));
    }
    if (findings.isEmpty()) {
      return GuardVerdict.pass();
    }
    boolean unknown = !report.unknownCitations().isEmpty();
    boolean ungrounded = report.groundedFraction() < minGroundedFraction;
    double risk = Math.max(1.0 - report.groundedFraction(), unknown ? 0.9 : 0.0);
    Severity severity = Severity.PASS;
    if (unknown) {
      severity = switch (unknownCitationAction) {
        case FLAG -> Severity.PASS;
        case REASK -> Severity.REASK;
        case BLOCK -> Severity.BLOCK;
      };
    }
    if (ungrounded) {
      Severity grounding = switch (action) {
        case FLAG -> Severity.PASS;
        case STRIP -> Severity.REWRITE;
        case REASK -> Severity.REASK;
        case BLOCK -> Severity.BLOCK;
      };
      severity = grounding.compareTo(severity) > 0 ? grounding : severity;
    }
    return switch (severity) {
      case PASS -> new GuardVerdict.Pass(risk, findings);
      case BLOCK -> GuardVerdict.block(blockMessage, risk, findings);
      case REASK -> GuardVerdict.reask(instruction(output, report), risk, findings);
      case REWRITE -> {
        if (report.supported() == 0) {
          yield GuardVerdict.block(blockMessage, risk, findings);
        }
        yield GuardVerdict.rewrite(strip(output.text(), assessment), risk, findings);
      }
    };
  }

  private static String strip(String text, Assessment assessment) {
    List<TextSpan> cut = new ArrayList<>();
    for (Work w : assessment.work()) {
      if (w.status == Status.UNSUPPORTED) {
        int start = w.cutStart;
        while (start < w.span.end() && Character.isWhitespace(text.charAt(start))) {
          start++;
        }
        cut.add(new TextSpan(start, w.span.end()));
        for (Marker m : w.attached) {
          cut.add(new TextSpan(m.start(), m.end()));
        }
      }
    }
    TextSpan rest = assessment.notAssessed();
    if (rest != null) {
      cut.add(rest);
    }
    cut.sort(Comparator.comparingInt(TextSpan::start));
    StringBuilder out = new StringBuilder(text.length());
    int pos = 0;
    for (TextSpan span : cut) {
      if (span.start() < pos) {
        pos = Math.max(pos, span.end());
        continue;
      }
      out.append(text, pos, span.start());
      pos = span.end();
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }
    out.append(text, pos, text.length());
    return out.toString().strip();
  }

  private String instruction(OutputContext output, GroundingReport report) {
    StringBuilder b = new StringBuilder();
    String text = output.text();
    List<SentenceSupport> unsupported = report.sentences().stream()
        .filter(s -> s.status() == Status.UNSUPPORTED).toList();
    if (!unsupported.isEmpty()) {
      b.append("These sentences of your answer are not supported by the sources they cite (or by any source):\n");
      for (int i = 0; i < unsupported.size() && i < 10; i++) {
        SentenceSupport s = unsupported.get(i);
        b.append("- \"").append(shorten(s.span().of(text), 200)).append("\" (").append(s.reason()).append(")\n");
      }
      if (unsupported.size() > 10) {
        b.append("- and ").append(unsupported.size() - 10).append(" more\n");
      }
    }
    if (!report.unknownCitations().isEmpty()) {
      Set<String> ids = new LinkedHashSet<>();
      report.unknownCitations().forEach(u -> ids.add(shorten(u.id(), 80)));
      b.append("These cited ids are not among the retrieved sources: ")
          .append(String.join(", ", ids.stream().limit(20).toList())).append(".\n");
    }
    List<String> allowed = output.sources().stream().map(RetrievedChunk::chunkId).limit(20).toList();
    b.append("Answer again using only information in the sources, citing each claim with the id of its source")
        .append(allowed.isEmpty() ? "." : " in brackets, from: " + String.join(", ", allowed) + ".")
        .append(" If the sources do not contain the answer, say so.");
    return b.toString();
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  @Override
  public String toString() {
    return "GroundingGuard[" + action + ", unknown citations " + unknownCitationAction + ", minSupport " + minSupport
        + (embeddingModel == null ? "" : ", " + embeddingModel.modelId()) + "]";
  }

  /** Builds a {@link GroundingGuard}; every option but the embedding model is a plain value for JSON policies. */
  public static final class Builder {
    private Set<CitationStyle> styles = EnumSet.allOf(CitationStyle.class);
    private boolean numberedCitations = true;
    private UncitedSentences uncited = UncitedSentences.CHECK_ALL_SOURCES;
    private GroundingAction action = GroundingAction.FLAG;
    private UnknownCitationAction unknownCitationAction = UnknownCitationAction.REASK;
    private double minSupport = 0.5;
    private double minGroundedFraction = 1.0;
    private double lexicalWeight = 0.5;
    private @Nullable EmbeddingModel embeddingModel;
    private int minContentWords = 3;
    private int maxSentences = 500;
    private List<String> abstentions = DEFAULT_ABSTENTIONS;
    private String blockMessage = DEFAULT_BLOCK_MESSAGE;

    private Builder() {}

    /** The citation styles recognised; all of {@link CitationStyle} by default. */
    public Builder citationStyles(Set<CitationStyle> styles) {
      if (styles.isEmpty()) {
        throw new IllegalArgumentException("at least one citation style is needed");
      }
      this.styles = EnumSet.copyOf(styles);
      return this;
    }

    /** Whether {@code [n]} cites the n-th retrieved chunk when no chunk has the id {@code n}; true by default. */
    public Builder numberedCitations(boolean numbered) {
      this.numberedCitations = numbered;
      return this;
    }

    /** How claims without a citation are treated; {@link UncitedSentences#CHECK_ALL_SOURCES} by default. */
    public Builder uncitedSentences(UncitedSentences policy) {
      this.uncited = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** What to do below the minimum grounded fraction; {@link GroundingAction#FLAG} by default. */
    public Builder action(GroundingAction action) {
      this.action = Objects.requireNonNull(action, "action");
      return this;
    }

    /** What to do with citations of chunks that were not retrieved; {@link UnknownCitationAction#REASK} by default. */
    public Builder unknownCitationAction(UnknownCitationAction action) {
      this.unknownCitationAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /** The support a claim needs, in {@code [0, 1]}; 0.5 by default. */
    public Builder minSupport(double minSupport) {
      this.minSupport = unit("minSupport", minSupport);
      return this;
    }

    /** The grounded fraction below which the action applies, in {@code [0, 1]}; 1.0 (any unsupported claim) by default. */
    public Builder minGroundedFraction(double fraction) {
      this.minGroundedFraction = unit("minGroundedFraction", fraction);
      return this;
    }

    /** The weight of lexical support when an embedding model is set, in {@code [0, 1]}; 0.5 by default. */
    public Builder lexicalWeight(double weight) {
      this.lexicalWeight = unit("lexicalWeight", weight);
      return this;
    }

    /** An embedding model for semantic similarity; none by default (lexical support only). */
    public Builder embeddingModel(@Nullable EmbeddingModel model) {
      this.embeddingModel = model;
      return this;
    }

    /** The content words a sentence needs to count as a claim, 1 to 20; 3 by default. */
    public Builder minContentWords(int words) {
      if (words < 1 || words > 20) {
        throw new IllegalArgumentException("minContentWords must be between 1 and 20 but was " + words);
      }
      this.minContentWords = words;
      return this;
    }

    /** The most sentences assessed, 1 to 100,000; 500 by default. The rest count as one unsupported claim. */
    public Builder maxSentences(int max) {
      if (max < 1 || max > 100_000) {
        throw new IllegalArgumentException("maxSentences must be between 1 and 100000 but was " + max);
      }
      this.maxSentences = max;
      return this;
    }

    /** Phrases that mark a sentence as an abstention, not a claim; {@link #DEFAULT_ABSTENTIONS} by default. */
    public Builder abstentionPhrases(List<String> phrases) {
      for (String p : phrases) {
        if (p.isBlank()) {
          throw new IllegalArgumentException("abstention phrases must not be blank but were " + phrases);
        }
      }
      this.abstentions = List.copyOf(phrases);
      return this;
    }

    /** The message shown to the user when the answer is blocked. */
    public Builder blockMessage(String message) {
      if (message.isBlank()) {
        throw new IllegalArgumentException("the block message must not be blank");
      }
      this.blockMessage = message;
      return this;
    }

    /** Builds the guard. */
    public GroundingGuard build() {
      return new GroundingGuard(this);
    }

    private static double unit(String name, double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1] but was " + value);
      }
      return value;
    }
  }
}
