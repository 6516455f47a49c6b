package dev.llmops.guardrails.content;

import dev.llmops.core.TextSpan;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.internal.FoldedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a conversation to allowed topics and away from banned ones. Each topic has example phrases, keywords, or
 * both:
 * <ul>
 *   <li>examples are embedded once, when the guard is built, with the configured {@link EmbeddingModel}; a text
 *       is compared (cosine similarity) with every example of every topic, as a whole when it is short and
 *       sentence by sentence (see {@link Builder#maxEmbedChars(int)}) otherwise, and the best similarity is what
 *       counts;</li>
 *   <li>keywords match whole words of the text folded for case, accents, leet spelling, look-alike letters and
 *       spaced-out letters, so {@code "B1TC0IN"} and {@code "b i t c o i n"} match the keyword {@code bitcoin}.</li>
 * </ul>
 *
 * <p>A banned topic whose keyword occurs, or whose examples are at least its threshold similar to the text or one
 * of its sentences, gives a {@code BANNED_TOPIC} finding naming the topic. When allowed topics are configured, a
 * text that matches none of their keywords and is not at least their threshold similar to any of their examples
 * gives an {@code OFF_TOPIC} finding. Findings lead to the {@link ContentAction} ({@link ContentAction#BLOCK} by
 * default; {@link ContentAction#REPORT} passes with them). Blank texts pass. Without an embedding model the guard
 * uses keywords only.
 *
 * <p>Immutable and thread-safe if the embedding model is. A check embeds the text's pieces in one call per 64
 * pieces; a model failure is thrown as the model's {@link dev.llmops.core.LlmOpsException}.
 *
 * <pre>{@code
 * TopicGuard guard = TopicGuard.builder()
 *     .embeddingModel(model)
 *     .allowedTopic("billing", List.of("How do I update my credit card?", "Why was I charged twice?"), List.of("invoice"))
 *     .bannedTopic("investment-advice", List.of("Which stocks should I buy?"), List.of("stock tips"))
 *     .build();
 * }</pre>
 */
public final class TopicGuard implements InputGuard, OutputGuard {

  private static final String NAME = "topic";
  private static final String VERSION = "1";
  private static final int BATCH = 64;

  private final @Nullable EmbeddingModel model;
  private final List<Topic> allowed;
  private final List<Topic> banned;
  private final ContentAction action;
  private final String blockMessage;
  private final int maxEmbedChars;
  private final int maxSentences;

  private record Topic(String name, List<Embedding> examples, @Nullable Pattern keywords,
      @Nullable Pattern keywordsNoLeet, double threshold) {}

  /** The best similarity of a text to a topic, and the piece of the text that reached it. */
  private record Best(double similarity, @Nullable TextSpan span) {}

  private TopicGuard(Builder b, @Nullable EmbeddingModel model, List<Topic> allowed, List<Topic> banned) {
    this.model = model;
    this.allowed = List.copyOf(allowed);
    this.banned = List.copyOf(banned);
    this.action = b.action;
    this.blockMessage = b.blockMessage;
    this.maxEmbedChars = b.maxEmbedChars;
    this.maxSentences = b.maxSentences;
  }

  /** A builder; at least one allowed or banned topic must be added. */
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

  private GuardVerdict decide(String text) {
    if (text.isBlank()) {
      return GuardVerdict.pass();
    }
    List<FoldedText> folded = Keywords.views(text);
    List<TextSpan> pieces = null;
    List<Embedding> vectors = null;
    if (model != null && (hasExamples(banned) || hasExamples(allowed))) {
      pieces = pieces(text);
      vectors = embed(text, pieces);
    }
    List<Finding> findings = new ArrayList<>();
    for (Topic topic : banned) {
      TextSpan keyword = firstKeyword(topic, folded);
      if (keyword != null) {
        findings.add(new Finding("BANNED_TOPIC", keyword, 1.0,
            "banned topic '" + topic.name() + "': keyword"));
        continue;
      }
      if (vectors != null && !topic.examples().isEmpty()) {
        Best best = best(topic, pieces, vectors);
        if (best.similarity() >= topic.threshold()) {
          findings.add(new Finding("BANNED_TOPIC", best.span(), clamp(best.similarity()),
              String.format(java.util.Locale.ROOT, "banned topic '%s': similarity %.2f >= %.2f", topic.name(),
                  best.similarity(), topic.threshold())));
        }
      }
    }
    if (!allowed.isEmpty()) {
      String nearest = null;
      double nearestSim = -1;
      boolean onTopic = false;
      for (Topic topic : allowed) {
        if (firstKeyword(topic, folded) != null) {
          onTopic = true;
          break;
        }
        if (vectors != null && !topic.examples().isEmpty()) {
          Best best = best(topic, pieces, vectors);
          if (best.similarity() > nearestSim) {
            nearestSim = best.similarity();
            nearest = topic.name();
          }
          if (best.similarity() >= topic.threshold()) {
            onTopic = true;
            break;
          }
        }
      }
      if (!onTopic) {
        String detail = nearest == null ? "no allowed topic's keyword occurs"
            : String.format(java.util.Locale.ROOT, "off topic: nearest allowed topic '%s' at similarity %.2f",
                nearest, nearestSim);
        findings.add(new Finding("OFF_TOPIC", null, clamp(1 - Math.max(0, nearestSim)), detail));
      }
    }
    if (findings.isEmpty()) {
      return GuardVerdict.pass();
    }
    double risk = findings.stream().mapToDouble(Finding::score).max().orElse(0);
    if (action == ContentAction.REPORT) {
      return new GuardVerdict.Pass(risk, findings);
    }
    return GuardVerdict.block(blockMessage, risk, findings);
  }

  private static boolean hasExamples(List<Topic> topics) {
    return topics.stream().anyMatch(t -> !t.examples().isEmpty());
  }

  /** The whole text when it is short enough, followed by its sentences when it has more than one. */
  private List<TextSpan> pieces(String text) {
    List<TextSpan> sentences = Segments.of(text, maxEmbedChars, maxSentences);
    List<TextSpan> pieces = new ArrayList<>(sentences.size() + 1);
    if (text.length() <= maxEmbedChars) {
      pieces.add(new TextSpan(0, text.length()));
    }
    if (sentences.size() > 1 || pieces.isEmpty()) {
      pieces.addAll(sentences);
    }
    return pieces;
  }

  private List<Embedding> embed(String text, List<TextSpan> pieces) {
    EmbeddingModel m = Objects.requireNonNull(model);
    List<Embedding> out = new ArrayList<>(pieces.size());
    for (int from = 0; from < pieces.size(); from += BATCH) {
      List<String> batch = new ArrayList<>();
      for (TextSpan s : pieces.subList(from, Math.min(pieces.size(), from + BATCH))) {
        batch.add(s.of(text));
      }
      out.addAll(m.embedAll(batch).embeddings());
    }
    return out;
  }

  private static Best best(Topic topic, List<TextSpan> pieces, List<Embedding> vectors) {
    double best = -1;
    TextSpan span = null;
    for (int i = 0; i < vectors.size(); i++) {
      for (Embedding example : topic.examples()) {
        double sim = vectors.get(i).cosine(example);
        if (sim > best) {
          best = sim;
          span = pieces.get(i);
        }
      }
    }
    return new Best(best, span);
  }

  private static @Nullable TextSpan firstKeyword(Topic topic, List<FoldedText> views) {
    TextSpan first = null;
    for (int v = 0; v < views.size(); v++) {
      Pattern p = v == 0 ? topic.keywords() : topic.keywordsNoLeet();
      if (p == null) {
        return null;
      }
      FoldedText view = views.get(v);
      Matcher m = p.matcher(view.folded());
      if (m.find()) {
        TextSpan span = view.toOriginal(m.start(), m.end());
        if (first == null || span.start() < first.start()) {
          first = span;
        }
      }
    }
    return first;
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }

  @Override
  public String toString() {
    return "TopicGuard[allowed=" + allowed.stream().map(Topic::name).toList() + ", banned="
        + banned.stream().map(Topic::name).toList() + ", model=" + (model == null ? "none" : model.modelId()) + "]";
  }

  /** Builds a {@link TopicGuard}. Every option is a plain value so a JSON policy maps onto it. Not thread-safe. */
  public static final class Builder {
    private record Spec(String name, List<String> examples, List<String> keywords, double threshold) {}

    private @Nullable EmbeddingModel model;
    private final Map<String, Spec> allowed = new LinkedHashMap<>();
    private final Map<String, Spec> banned = new LinkedHashMap<>();
    private double allowedThreshold = 0.35;
    private double bannedThreshold = 0.45;
    private ContentAction action = ContentAction.BLOCK;
    private String blockMessage = "Sorry, I can't help with that topic here.";
    private int maxEmbedChars = 1000;
    private int maxSentences = 64;

    private Builder() {}

    /** The model that embeds examples and texts; without one, only keywords count. */
    public Builder embeddingModel(EmbeddingModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** Adds an allowed topic with the default allowed threshold (see {@link #allowedThreshold(double)}). */
    public Builder allowedTopic(String name, List<String> examples, List<String> keywords) {
      return allowedTopic(name, examples, keywords, Double.NaN);
    }

    /**
     * Adds an allowed topic.
     *
     * @param name the topic's name, used in findings; unique among allowed topics
     * @param examples example phrases of the topic (embedded at build time); may be empty if keywords are given
     * @param keywords words or phrases that put a text on this topic; may be empty if examples are given
     * @param threshold the similarity at or above which a text is on this topic, in {@code (0, 1]}
     * @throws IllegalArgumentException naming the topic if it has neither examples nor keywords, a blank entry,
     *     a bad threshold or a duplicate name
     */
    public Builder allowedTopic(String name, List<String> examples, List<String> keywords, double threshold) {
      add(allowed, "allowed", name, examples, keywords, threshold);
      return this;
    }

    /** Adds a banned topic with the default banned threshold (see {@link #bannedThreshold(double)}). */
    public Builder bannedTopic(String name, List<String> examples, List<String> keywords) {
      return bannedTopic(name, examples, keywords, Double.NaN);
    }

    /**
     * Adds a banned topic.
     *
     * @param name the topic's name, used in findings; unique among banned topics
     * @param examples example phrases of the topic; may be empty if keywords are given
     * @param keywords words or phrases that always mean this topic; may be empty if examples are given
     * @param threshold the similarity at or above which a text or sentence is on this topic, in {@code (0, 1]}
     * @throws IllegalArgumentException as for {@link #allowedTopic(String, List, List, double)}
     */
    public Builder bannedTopic(String name, List<String> examples, List<String> keywords, double threshold) {
      add(banned, "banned", name, examples, keywords, threshold);
      return this;
    }

    private static void add(Map<String, Spec> into, String kind, String name, List<String> examples,
        List<String> keywords, double threshold) {
      if (name.isBlank()) {
        throw new IllegalArgumentException(kind + " topic name must not be blank");
      }
      if (into.containsKey(name)) {
        throw new IllegalArgumentException(kind + " topic '" + name + "' was already added");
      }
      if (examples.isEmpty() && keywords.isEmpty()) {
        throw new IllegalArgumentException(kind + " topic '" + name + "' needs examples or keywords");
      }
      for (String s : examples) {
        if (s.isBlank()) {
          throw new IllegalArgumentException(kind + " topic '" + name + "' has a blank example");
        }
      }
      for (String s : keywords) {
        if (Keywords.fold(s).isBlank()) {
          throw new IllegalArgumentException(kind + " topic '" + name + "' has a blank keyword '" + s + "'");
        }
      }
      if (!Double.isNaN(threshold)) {
        checkThreshold(kind + " topic '" + name + "' threshold", threshold);
      }
      into.put(name, new Spec(name, List.copyOf(examples), List.copyOf(keywords), threshold));
    }

    private static void checkThreshold(String what, double t) {
      if (!(t > 0 && t <= 1)) {
        throw new IllegalArgumentException(what + " must be in (0, 1] but was " + t);
      }
    }

    /** The similarity an allowed topic needs when it sets none; default 0.35 (tuned for sentence embedders). */
    public Builder allowedThreshold(double threshold) {
      checkThreshold("allowedThreshold", threshold);
      this.allowedThreshold = threshold;
      return this;
    }

    /**
     * The similarity a banned topic needs when it sets none; default 0.45. Calibrated on all-MiniLM-L6-v2, where a
     * question on the same subject as an example scores about 0.45 to 0.55 and unrelated text below 0.2; other
     * models need their own value.
     */
    public Builder bannedThreshold(double threshold) {
      checkThreshold("bannedThreshold", threshold);
      this.bannedThreshold = threshold;
      return this;
    }

    /**
     * What to do with a banned or off-topic text: {@link ContentAction#BLOCK} (default) or
     * {@link ContentAction#REPORT}.
     *
     * @throws IllegalArgumentException for {@link ContentAction#MASK}, which has nothing to mask here
     */
    public Builder action(ContentAction action) {
      if (action == ContentAction.MASK) {
        throw new IllegalArgumentException("TopicGuard supports BLOCK or REPORT, not " + action);
      }
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

    /**
     * The longest piece embedded at once, in characters; default 1000. Longer texts are compared sentence by
     * sentence, and sentences longer than this are cut at spaces. At least 50.
     */
    public Builder maxEmbedChars(int chars) {
      if (chars < 50) {
        throw new IllegalArgumentException("maxEmbedChars must be at least 50 but was " + chars);
      }
      this.maxEmbedChars = chars;
      return this;
    }

    /**
     * The most sentences embedded one by one; texts with more are compared in runs of sentences packed up to
     * {@link #maxEmbedChars(int)}. Default 64; at least 1.
     */
    public Builder maxSentences(int sentences) {
      if (sentences < 1) {
        throw new IllegalArgumentException("maxSentences must be at least 1 but was " + sentences);
      }
      this.maxSentences = sentences;
      return this;
    }

    /**
     * Builds the guard, embedding every example phrase in one call.
     *
     * @throws IllegalArgumentException if no topic was added, or a topic has examples but no model was set
     * @throws dev.llmops.core.LlmOpsException if the model fails to embed the examples
     */
    public TopicGuard build() {
      if (allowed.isEmpty() && banned.isEmpty()) {
        throw new IllegalArgumentException("a topic guard needs at least one allowed or banned topic");
      }
      List<String> examples = new ArrayList<>();
      for (Spec s : allowed.values()) {
        examples.addAll(s.examples());
      }
      for (Spec s : banned.values()) {
        examples.addAll(s.examples());
      }
      if (model == null) {
        for (Spec s : allowed.values()) {
          requireKeywordsOnly(s);
        }
        for (Spec s : banned.values()) {
          requireKeywordsOnly(s);
        }
      }
      List<Embedding> vectors = examples.isEmpty() || model == null ? List.of() : model.embedAll(examples).embeddings();
      int[] next = {0};
      List<Topic> allowedTopics = new ArrayList<>();
      for (Spec s : allowed.values()) {
        allowedTopics.add(topic(s, vectors, next, allowedThreshold));
      }
      List<Topic> bannedTopics = new ArrayList<>();
      for (Spec s : banned.values()) {
        bannedTopics.add(topic(s, vectors, next, bannedThreshold));
      }
      return new TopicGuard(this, model, allowedTopics, bannedTopics);
    }

    private static void requireKeywordsOnly(Spec s) {
      if (!s.examples().isEmpty()) {
        throw new IllegalArgumentException("topic '" + s.name() + "' has example phrases but no embedding model "
            + "was set; set embeddingModel(...) or use keywords only");
      }
    }

    private static Topic topic(Spec s, List<Embedding> vectors, int[] next, double defaultThreshold) {
      List<Embedding> mine = vectors.isEmpty() ? List.of() : vectors.subList(next[0], next[0] + s.examples().size());
      next[0] += vectors.isEmpty() ? 0 : s.examples().size();
      Pattern keywords = null;
      Pattern keywordsNoLeet = null;
      if (!s.keywords().isEmpty()) {
        keywords = keywordPattern(s.keywords(), true);
        keywordsNoLeet = keywordPattern(s.keywords(), false);
      }
      double threshold = Double.isNaN(s.threshold()) ? defaultThreshold : s.threshold();
      return new Topic(s.name(), List.copyOf(mine), keywords, keywordsNoLeet, threshold);
    }

    private static Pattern keywordPattern(List<String> keywords, boolean leet) {
      StringBuilder alternation = new StringBuilder();
      keywords.stream().map(k -> leet ? Keywords.fold(k) : Keywords.foldNoLeet(k)).distinct()
          .sorted((a, b) -> Integer.compare(b.length(), a.length()))
          .forEach(k -> alternation.append(alternation.length() == 0 ? "" : "|").append(Keywords.wordsRegex(k)));
      return Keywords.wholeWords(alternation.toString());
    }
  }
}
