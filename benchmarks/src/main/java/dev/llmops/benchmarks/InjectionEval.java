package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.guardrails.injection.InjectionClassifier;
import dev.llmops.guardrails.injection.InjectionGuard;
import dev.llmops.guardrails.injection.InjectionScore;
import dev.llmops.guardrails.injection.LabelledText;
import dev.llmops.guardrails.injection.TrainingSettings;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The prompt-injection guard on {@code ../shared/data/guardrails/injection-dev.jsonl} (2,337 texts from four
 * sources: CyberSecEval and Tensor Trust injections, wildguard benign prompts, NotInject benign hard negatives),
 * and the trainer of the weights that ship with llmops-guardrails.
 *
 * <p>{@code injection-eval}: leave-one-source-out. For each source, the classifier is trained on the other three and
 * scores the held-out one; predictions are pooled over the four folds. A held-out injection-only source measures
 * recall, a held-out benign-only source false positives. The decision threshold is fixed at 0.5 (with balanced
 * class weights in training) and never tuned on a held-out fold. Three systems: the rules alone, the embedding
 * classifier alone (embedding features only), and the guard as shipped (rules, plus the classifier with the rule
 * signals as extra features, risk = the higher of the two). Then the shipped weights (trained on all rows) scored
 * in-sample, labelled as such. Embeddings are computed once per run (all-MiniLM-L6-v2 through llmops-inference)
 * and cached in memory.
 *
 * <p>{@code injection-train}: trains on every row with {@link TrainingSettings#defaults()} and writes the weights
 * JSON (with the data file's SHA-256 and this command) to {@code --weights}.
 */
final class InjectionEval {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DEFAULT_WEIGHTS =
      "../llmops-guardrails/src/main/resources/dev/llmops/guardrails/injection/"
          + InjectionClassifier.SHIPPED_RESOURCE;
  static final String TRAIN_COMMAND = "./mvnw -o -B -q -Pbench -pl llmops-guardrails,benchmarks package -DskipTests "
      + "-Dbench.args=\"injection-train\"";

  /**
   * The default L2: fixed at 1e-2 with the classifier threshold at 0.5. {@code --l2 cv} chooses both by nested
   * leave-one-source-out cross-validation instead; on this data that choice transferred worse (see the notes).
   */
  static final String DEFAULT_L2 = "0.01";

  private InjectionEval() {}

  record Settings(Path data, String model, Path out, Path weights, double l2, boolean written) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--model", "--out", "--weights", "--l2",
          "--written"));
      String written = o.getOrDefault("--written", "on");
      if (!written.equals("on") && !written.equals("off")) {
        throw new IllegalArgumentException("--written must be on or off but was '" + written + "'");
      }
      return new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/guardrails/injection-dev.jsonl")),
          o.getOrDefault("--model", "all-minilm-l6-v2"), Path.of(o.getOrDefault("--out", "target/results")),
          Path.of(o.getOrDefault("--weights", DEFAULT_WEIGHTS)),
          o.getOrDefault("--l2", DEFAULT_L2).equals("cv") ? Double.NaN
              : Double.parseDouble(o.getOrDefault("--l2", DEFAULT_L2)),
          written.equals("on"));
    }

    /** Whether L2 and the classifier threshold are chosen by cross-validation on the training rows only. */
    boolean crossValidated() {
      return Double.isNaN(l2);
    }

    /** The texts added to every training set: {@link WrittenInjectionData} with --written on, else none. */
    List<LabelledText> extraTraining() {
      return written ? WrittenInjectionData.generate() : List.of();
    }
  }

  record Row(String id, String text, boolean injection, String source) {}

  /** What is missing for a run, said so that whoever runs it knows what to fetch; empty when nothing is. */
  static Optional<String> missingData(Settings settings) {
    if (Files.isRegularFile(settings.data())) {
      return Optional.empty();
    }
    return Optional.of("injection data not found at " + settings.data().toAbsolutePath().normalize()
        + "; injection-eval and injection-train need ../shared/data/guardrails/injection-dev.jsonl (rows {id, text, "
        + "label: injection|benign, source, system}: CyberSecEval 251 and Tensor Trust 776 injections, wildguard 971 "
        + "and NotInject 339 benign). Nothing was measured: no precision, recall, F1 or false-positive rate, and the "
        + "shipped weights were not retrained.");
  }

  static List<Row> read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      String label = n.path("label").asText();
      if (!label.equals("injection") && !label.equals("benign")) {
        throw new IllegalArgumentException("row " + n.path("id").asText() + " of " + file + " has label '" + label
            + "'; expected injection or benign");
      }
      rows.add(new Row(n.path("id").asText(), n.path("text").asText(), label.equals("injection"),
          n.path("source").asText()));
    }
    return rows;
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An embedding model that remembers every text's embedding, so the folds share one embedding pass. */
  static final class CachingModel implements EmbeddingModel {
    private final EmbeddingModel delegate;
    private final Map<String, Embedding> cache = new ConcurrentHashMap<>();

    CachingModel(EmbeddingModel delegate) {
      this.delegate = delegate;
    }

    @Override
    public EmbeddingResult embedAll(List<String> texts) {
      List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts.stream().filter(t -> !cache.containsKey(t))
          .toList()));
      for (int from = 0; from < missing.size(); from += 32) {
        List<String> batch = missing.subList(from, Math.min(missing.size(), from + 32));
        EmbeddingResult r = delegate.embedAll(batch);
        for (int i = 0; i < batch.size(); i++) {
          cache.put(batch.get(i), r.get(i));
        }
      }
      return new EmbeddingResult(texts.stream().map(cache::get).toList(), delegate.modelId(), -1);
    }

    @Override
    public String modelId() {
      return delegate.modelId();
    }

    @Override
    public OptionalInt dimension() {
      return delegate.dimension();
    }
  }

  /** Confusion counts of one system over some rows. */
  record Counts(int tp, int fp, int fn, int tn) {
    double precision() {
      return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double fpr() {
      return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
    }

    static Counts of(List<Row> rows, List<Boolean> predicted, Function<Row, Boolean> include) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      int tn = 0;
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        if (!include.apply(r)) {
          continue;
        }
        boolean p = predicted.get(i);
        if (r.injection()) {
          if (p) {
            tp++;
          } else {
            fn++;
          }
        } else if (p) {
          fp++;
        } else {
          tn++;
        }
      }
      return new Counts(tp, fp, fn, tn);
    }
  }

  /** One system's pooled result, with the per-source rates. */
  record Result(String evaluation, String system, Counts all, Map<String, Counts> bySource) {}

  record Report(Settings settings, String dataSha256, int rows, Map<String, Integer> sources, List<Result> results,
      String machine, double embedSeconds, String notes) {

    String table() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "injection-eval: %d rows of %s (sha256 %s), model %s, rule threshold 0.5%n",
          rows, settings.data().getFileName(), dataSha256, settings.model()));
      b.append("sources: ").append(sources).append('\n');
      b.append(settings.written() ? "training folds: the other three sources + " + settings.extraTraining().size()
          + " written texts (WrittenInjectionData, seed " + WrittenInjectionData.SEED + "; never scored)\n"
          : "training folds: the other three sources only (--written off)\n");
      b.append("machine: ").append(machine).append(String.format(Locale.ROOT, "; embedding all texts once: %.1f s%n",
          embedSeconds));
      b.append("\n| evaluation | system | precision | recall | F1 | FPR NotInject | FPR wildguard | recall CyberSecEval"
          + " | recall Tensor Trust | TP | FP | FN | TN |\n");
      b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Result r : results) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %d | %d"
                + " | %d |%n", r.evaluation(), r.system(), r.all().precision(), r.all().recall(), r.all().f1(),
            rate(r, "NotInject", false), rate(r, "wildguard", false), rate(r, "CyberSecEval", true),
            rate(r, "Tensor Trust", true), r.all().tp(), r.all().fp(), r.all().fn(), r.all().tn()));
      }
      b.append('\n').append(notes);
      return b.toString();
    }

    private static double rate(Result r, String sourcePart, boolean recall) {
      for (Map.Entry<String, Counts> e : r.bySource().entrySet()) {
        if (e.getKey().contains(sourcePart)) {
          return recall ? e.getValue().recall() : e.getValue().fpr();
        }
      }
      return Double.NaN;
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("injection-eval.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Result r : results) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "injection-eval");
        line.put("when", when);
        line.put("data_sha256", dataSha256);
        line.put("model", settings.model());
        line.put("l2", settings.crossValidated() ? "nested cv" : String.valueOf(settings.l2()));
        line.put("written_training_texts", settings.written() ? WrittenInjectionData.generate().size() : 0);
        line.put("threshold", 0.5);
        line.put("evaluation", r.evaluation());
        line.put("system", r.system());
        line.put("precision", r.all().precision());
        line.put("recall", r.all().recall());
        line.put("f1", r.all().f1());
        line.put("fpr_notinject", rate(r, "NotInject", false));
        line.put("fpr_wildguard", rate(r, "wildguard", false));
        line.put("recall_cyberseceval", rate(r, "CyberSecEval", true));
        line.put("recall_tensor_trust", rate(r, "Tensor Trust", true));
        line.put("counts", r.all());
        line.put("machine", machine);
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("injection-eval.md"), table(), StandardCharsets.UTF_8);
      return file;
    }
  }

  static final String ANCHORS = """
      Published anchors, for context only (not measured by us, and on a different benchmark: Lakera's PINT, whose
      score is balanced accuracy over its own private mix of injections, jailbreaks, hard negatives and chats):
      Lakera Guard 95.2%, Azure AI Prompt Shield 89.1%, ProtectAI deberta-v3-base-prompt-injection-v2 79.1%,
      Llama Prompt Guard 2 78.8%. The numbers above are not comparable to these.
      """;

  static Report run(Settings settings) throws IOException {
    Optional<String> missing = missingData(settings);
    if (missing.isPresent()) {
      throw new IllegalStateException(missing.get());
    }
    List<Row> rows = read(settings.data());
    String sha = sha256(settings.data());
    Map<String, Integer> sources = new LinkedHashMap<>();
    rows.forEach(r -> sources.merge(r.source(), 1, Integer::sum));
    List<Result> results = new ArrayList<>();
    double embedSeconds;
    String selection;
    try (OnnxEmbeddingModel onnx = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(settings.model())).build()) {
      CachingModel model = new CachingModel(onnx);
      long start = System.nanoTime();
      InjectionGuard rulesOnly = InjectionGuard.defaults();
      // warm the cache with the exact windows the classifier embeds, through a guard (the same code path)
      List<LabelledText> extra = settings.extraTraining();
      InjectionClassifier all = InjectionClassifier.train(model, plus(labelled(rows), extra),
          TrainingSettings.defaults().withL2(settings.crossValidated() ? TrainingSettings.defaults().l2()
              : settings.l2()));
      InjectionGuard warm = InjectionGuard.builder().embeddingModel(model).classifier(all).build();
      rows.forEach(r -> warm.score(r.text()));
      embedSeconds = (System.nanoTime() - start) / 1e9;

      double[] ruleScore = new double[rows.size()];
      double[] plainScore = new double[rows.size()];
      double[] withRulesScore = new double[rows.size()];
      double[] sentenceScore = new double[rows.size()];
      double[] plainThreshold = new double[rows.size()];
      double[] withRulesThreshold = new double[rows.size()];
      Map<String, InjectionGuard[]> guards = new LinkedHashMap<>();
      Map<String, Choice[]> choices = new LinkedHashMap<>();
      for (String source : sources.keySet()) {
        List<Row> trainRows = rows.stream().filter(r -> !r.source().equals(source)).toList();
        List<LabelledText> train = plus(labelled(trainRows), extra);
        Choice plainChoice = settings.crossValidated()
            ? choose(model, trainRows, extra, false, TrainingSettings.defaults())
            : new Choice(settings.l2(), 0.5, Double.NaN);
        Choice withRulesChoice = settings.crossValidated()
            ? choose(model, trainRows, extra, true, TrainingSettings.defaults())
            : new Choice(settings.l2(), 0.5, Double.NaN);
        choices.put(source, new Choice[] {plainChoice, withRulesChoice});
        InjectionClassifier plain = InjectionClassifier.train(model, train,
            TrainingSettings.defaults().withL2(plainChoice.l2()).withRuleFeatures(false))
            .withThreshold(plainChoice.threshold());
        InjectionClassifier withRules = InjectionClassifier.train(model, train,
            TrainingSettings.defaults().withL2(withRulesChoice.l2())).withThreshold(withRulesChoice.threshold());
        guards.put(source, new InjectionGuard[] {
            InjectionGuard.builder().embeddingModel(model).classifier(plain).rules(false).build(),
            InjectionGuard.builder().embeddingModel(model).classifier(withRules).build(),
            InjectionGuard.builder().embeddingModel(model).classifier(withRules.withSentenceWindows(true)).build()});
      }
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        InjectionGuard[] g = guards.get(r.source());
        ruleScore[i] = rulesOnly.score(r.text()).ruleScore();
        plainScore[i] = g[0].score(r.text()).classifierScore().orElse(0);
        withRulesScore[i] = g[1].score(r.text()).classifierScore().orElse(0);
        sentenceScore[i] = g[2].score(r.text()).classifierScore().orElse(0);
        plainThreshold[i] = g[0].classifierThreshold();
        withRulesThreshold[i] = g[1].classifierThreshold();
      }
      String loso = "leave-one-source-out";
      results.add(result(loso, "rules only", rows, decide(ruleScore, constant(rows.size(), 0.5), null, null)));
      results.add(result(loso, "classifier only (embedding features)", rows,
          decide(plainScore, plainThreshold, null, null)));
      results.add(result(loso, "classifier with rule features, alone", rows,
          decide(withRulesScore, withRulesThreshold, null, null)));
      results.add(result(loso, "rules OR classifier only", rows,
          decide(ruleScore, constant(rows.size(), 0.5), plainScore, plainThreshold)));
      results.add(result(loso, "combined as shipped (rules OR classifier with rule features)", rows,
          decide(ruleScore, constant(rows.size(), 0.5), withRulesScore, withRulesThreshold)));
      results.add(result(loso, "combined, classifier also max over single sentences (InjectionClassifier"
          + ".withSentenceWindows; not the shipped default)", rows,
          decide(ruleScore, constant(rows.size(), 0.5), sentenceScore, withRulesThreshold)));
      for (double t : new double[] {0.7, 0.9, 0.95, 0.99}) {
        results.add(result("SWEEP on held-out folds (not a selection)", "combined, classifierThreshold " + t, rows,
            decide(ruleScore, constant(rows.size(), 0.5), withRulesScore, constant(rows.size(), t))));
      }

      Choice allChoice = settings.crossValidated() ? choose(model, rows, extra, true, TrainingSettings.defaults())
          : new Choice(settings.l2(), 0.5, Double.NaN);
      InjectionClassifier inAllClassifier = InjectionClassifier.train(model, plus(labelled(rows), extra),
          TrainingSettings.defaults().withL2(allChoice.l2())).withThreshold(allChoice.threshold());
      InjectionClassifier allPlain = InjectionClassifier.train(model, plus(labelled(rows), extra),
          TrainingSettings.defaults().withL2(allChoice.l2()).withRuleFeatures(false));
      InjectionGuard inAll = InjectionGuard.builder().embeddingModel(model).classifier(inAllClassifier).build();
      // the weights file in the guardrails jar, as a user gets it: InjectionGuard.builder().embeddingModel(m).build()
      InjectionGuard shippedGuard = InjectionGuard.builder().embeddingModel(model).build();
      InjectionGuard inPlain = InjectionGuard.builder().embeddingModel(model).classifier(allPlain).rules(false).build();
      StringBuilder chosen = new StringBuilder();
      for (Map.Entry<String, Choice[]> e : choices.entrySet()) {
        chosen.append("  held out ").append(e.getKey()).append(": classifier only ").append(e.getValue()[0])
            .append("; with rule features ").append(e.getValue()[1]).append('\n');
      }
      chosen.append("  all rows (injection-train, IN-SAMPLE rows): with rule features ").append(allChoice)
          .append('\n');
      selection = chosen.toString();
      results.add(result("IN-SAMPLE (trained on all rows)", "classifier only (embedding features, L2 of the "
          + "all-rows choice, threshold 0.5)", rows,
          rows.stream().map(r -> inPlain.score(r.text()).injection()).toList()));
      results.add(result("IN-SAMPLE (trained on all rows)", "combined, weights trained in this run", rows,
          rows.stream().map(r -> inAll.score(r.text()).injection()).toList()));
      results.add(result("IN-SAMPLE (trained on all rows)", "combined, shipped weights file (defaults)", rows,
          rows.stream().map(r -> shippedGuard.score(r.text()).injection()).toList()));
    }
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version() + ", "
        + System.getProperty("os.arch");
    String notes = (settings.crossValidated() ? """
        Leave-one-source-out: each source is scored by a classifier trained on the other three sources plus the
        %d written texts of WrittenInjectionData (never scored); the predictions of the four folds are pooled. The
        classifier's L2 (from %s) and its threshold (from %s) are chosen inside each fold by a nested
        leave-one-source-out over that fold's three training sources only (written texts always in training),
        maximising the pooled inner F1 of the same decision; the held-out source is never seen by the choice. The
        rule threshold is 0.5 throughout. Choices:
        %s""".formatted(settings.extraTraining().size(),
            java.util.Arrays.toString(L2_CANDIDATES), java.util.Arrays.toString(THRESHOLD_CANDIDATES), selection)
        : """
        Leave-one-source-out: each source is scored by a classifier trained on the other three sources (plus %d
        written texts); the predictions of the four folds are pooled. Threshold 0.5 on every score; L2 %s fixed by
        --l2 (default 1e-2). The alternative, --l2 cv (L2 from {1e-3 .. 1e-1} and classifier threshold from
        {0.3 .. 0.8} chosen inside each fold by a nested leave-one-source-out over its training sources), was run
        with the first 1,400 written texts and transferred worse (combined F1 0.763, NotInject FPR 0.239, wildguard
        FPR 0.140, against 0.835 / 0.088 / 0.014 for the fixed 1e-2 and 0.5): each inner fold holds out a source of
        one class, so the inner F1 rewards low thresholds. Keeping the fixed values was decided after seeing both
        LOSO results.
        """.formatted(settings.extraTraining().size(), settings.l2())) + """
        Disclosure of what saw the held-out folds: the earlier default L2 (1e-2) was picked after running 1e-4 and
        1e-2 through this evaluation; the decision to add written training data, nested selection, and the candidate
        grids were made after seeing LOSO results of the earlier versions (not tuned row by row, but not blind
        either); the written texts' author had read three sample rows of each source. FPR NotInject / wildguard:
        share of that benign source flagged; recall CyberSecEval / Tensor Trust: share of that injection source
        flagged. The rules are hand-written; their author read samples of all four sources, so "rules only" is not
        a blind held-out measurement in the same sense.
        SWEEP rows read the same pooled held-out predictions at fixed classifier thresholds; they show the trade-off
        and were not used to choose anything. The sentence-window row uses each fold's classifier with rule features
        unchanged (trained on whole texts) and also scores every sentence; it is reported, not shipped.
        IN-SAMPLE rows score the weights trained on every row on those same rows: an upper bound, not a quality claim.
        """ + ANCHORS;
    return new Report(settings, sha, rows.size(), sources, results, machine, embedSeconds, notes);
  }

  private static List<Boolean> decide(double[] a, double[] ta, double @Nullable [] b, double @Nullable [] tb) {
    List<Boolean> out = new ArrayList<>(a.length);
    for (int i = 0; i < a.length; i++) {
      out.add(a[i] >= ta[i] || (b != null && tb != null && b[i] >= tb[i]));
    }
    return out;
  }

  private static double[] constant(int n, double value) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, value);
    return out;
  }

  private static Result result(String evaluation, String system, List<Row> rows, List<Boolean> predicted) {
    Map<String, Counts> bySource = new LinkedHashMap<>();
    for (String source : rows.stream().map(Row::source).distinct().toList()) {
      bySource.put(source, Counts.of(rows, predicted, r -> r.source().equals(source)));
    }
    return new Result(evaluation, system, Counts.of(rows, predicted, r -> true), bySource);
  }

  /** The L2 penalties that cross-validation chooses from. */
  static final double[] L2_CANDIDATES = {1e-3, 3e-3, 1e-2, 3e-2, 1e-1};

  /** The classifier thresholds that cross-validation chooses from. */
  static final double[] THRESHOLD_CANDIDATES = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8};

  /** A cross-validated choice, with its pooled inner F1. */
  record Choice(double l2, double threshold, double innerF1) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "l2 %s, threshold %s (inner F1 %.3f)", l2, threshold, innerF1);
    }
  }

  /**
   * Chooses L2 and the classifier threshold by leave-one-source-out cross-validation over {@code train} alone
   * (each of its sources held out in turn, the classifier trained on the others plus {@code extra}); the score is
   * the pooled F1 of the decision "rule score >= 0.5 (if {@code ruleFeatures}) or classifier probability >=
   * threshold". Ties go to the larger L2 and the higher threshold. Never sees rows outside {@code train}.
   */
  static Choice choose(EmbeddingModel model, List<Row> train, List<LabelledText> extra, boolean ruleFeatures,
      TrainingSettings base) {
    List<String> inner = train.stream().map(Row::source).distinct().toList();
    Choice best = null;
    InjectionGuard rulesOnly = InjectionGuard.defaults();
    for (double l2 : L2_CANDIDATES) {
      List<Row> scored = new ArrayList<>();
      List<double[]> scores = new ArrayList<>();
      for (String held : inner) {
        List<LabelledText> fit = plus(labelled(train.stream().filter(r -> !r.source().equals(held)).toList()), extra);
        InjectionClassifier c = InjectionClassifier.train(model, fit, base.withL2(l2).withRuleFeatures(ruleFeatures));
        InjectionGuard g = InjectionGuard.builder().embeddingModel(model).classifier(c).rules(false).build();
        for (Row r : train) {
          if (r.source().equals(held)) {
            scored.add(r);
            scores.add(new double[] {ruleFeatures ? rulesOnly.score(r.text()).ruleScore() : 0,
                g.score(r.text()).classifierScore().orElse(0)});
          }
        }
      }
      for (double t : THRESHOLD_CANDIDATES) {
        List<Boolean> predicted = new ArrayList<>();
        for (double[] sc : scores) {
          predicted.add((ruleFeatures && sc[0] >= 0.5) || sc[1] >= t);
        }
        double f1 = Counts.of(scored, predicted, r -> true).f1();
        if (best == null || f1 >= best.innerF1() - 1e-12) {
          best = new Choice(l2, t, f1);
        }
      }
    }
    return best;
  }

  static List<LabelledText> plus(List<LabelledText> a, List<LabelledText> b) {
    List<LabelledText> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static List<LabelledText> labelled(List<Row> rows) {
    return rows.stream().map(r -> new LabelledText(r.text(), r.injection())).toList();
  }

  /** Trains on every row and writes the weights file; returns its path. */
  static Path train(Settings settings) throws IOException {
    Optional<String> missing = missingData(settings);
    if (missing.isPresent()) {
      throw new IllegalStateException(missing.get());
    }
    List<Row> rows = read(settings.data());
    try (OnnxEmbeddingModel onnx = OnnxEmbeddingModel.builder().source(ModelSource.builtIn(settings.model())).build()) {
      List<LabelledText> extra = settings.extraTraining();
      String dataFile = settings.data().getFileName().toString() + (extra.isEmpty() ? ""
          : " + " + extra.size() + " texts of dev.llmops.benchmarks.WrittenInjectionData (seed "
              + WrittenInjectionData.SEED + ", written by the llmops authors)");
      CachingModel model = new CachingModel(onnx);
      Choice choice = settings.crossValidated() ? choose(model, rows, extra, true, TrainingSettings.defaults())
          : new Choice(settings.l2(), 0.5, Double.NaN);
      InjectionClassifier c = InjectionClassifier.train(model, plus(labelled(rows), extra),
          TrainingSettings.defaults().withL2(choice.l2())).withThreshold(choice.threshold())
          .withProvenance(dataFile, sha256(settings.data()), TRAIN_COMMAND)
          .withTrainingNote("selection", settings.crossValidated() ? "L2 from "
              + java.util.Arrays.toString(L2_CANDIDATES) + " and threshold from "
              + java.util.Arrays.toString(THRESHOLD_CANDIDATES) + " by leave-one-source-out cross-validation over "
              + "the four sources (written texts always in training), maximising pooled F1 of 'rule score >= 0.5 or "
              + "classifier >= threshold': " + choice : "L2 " + settings.l2() + " given by --l2, threshold 0.5");
      Files.createDirectories(settings.weights().toAbsolutePath().getParent());
      c.write(settings.weights());
      System.out.println("trained " + c + " on " + rows.size() + " rows + " + extra.size() + " written texts: "
          + c.trainingInfo());
      return settings.weights();
    }
  }
}
