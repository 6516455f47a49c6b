package dev.llmops.guardrails.injection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.guardrails.internal.Invisible;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A logistic-regression prompt-injection classifier over sentence embeddings (the approach of NeMo Guardrails'
 * jailbreak detection), optionally with the {@link InjectionRules} signal scores as extra features. It records
 * the embedding model it was trained with, and refuses ({@link #requireCompatible(EmbeddingModel)}) a model with
 * another id or dimension, since its weights mean nothing in another model's space.
 *
 * <p>{@link #train(EmbeddingModel, List, TrainingSettings)} fits it deterministically; {@link #toJson()} and
 * {@link #fromJson(String)} save and load it; {@link #shipped()} loads the weights that ship with this module,
 * trained on all-MiniLM-L6-v2 embeddings ({@value #SHIPPED_MODEL_ID}, 384 dimensions) of the 2,337 texts of
 * {@code injection-dev.jsonl} plus 2,000 texts written by the llmops authors (the benchmarks'
 * {@code WrittenInjectionData}, generated with a fixed seed), by the benchmarks command {@code injection-train}
 * ({@link TrainingSettings#defaults()}, threshold 0.5); the file records the data's SHA-256, the hyper-parameters,
 * how they were chosen and the command.
 *
 * <p>Long texts are scored in windows of {@link TrainingSettings#windowChars()} chars (at most
 * {@link TrainingSettings#maxWindows()}: the first ones and the last), and the text's probability is the highest
 * window's. Invisible characters and unpaired surrogates are removed before embedding.
 *
 * <p>Immutable and thread-safe.
 */
public final class InjectionClassifier {

  /** The embedding model id of the shipped weights, as the llmops ONNX built-in reports it. */
  public static final String SHIPPED_MODEL_ID = "all-minilm-l6-v2";

  /** The class-path resource, next to this class, that holds the shipped weights. */
  public static final String SHIPPED_RESOURCE = "injection-classifier-all-minilm-l6-v2.json";

  /** The format tag written into every weights file. */
  public static final String FORMAT = "llmops-injection-classifier/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int BATCH = 64;

  private final String modelId;
  private final int dimension;
  private final boolean ruleFeatures;
  private final double[] weights;
  private final double bias;
  private final double threshold;
  private final int windowChars;
  private final int maxWindows;
  private final boolean sentenceWindows;
  private final ObjectNode training;

  /** Sentences scored at most per text when sentence windows are on. */
  public static final int MAX_SENTENCE_WINDOWS = 32;

  private InjectionClassifier(String modelId, int dimension, boolean ruleFeatures, double[] weights, double bias,
      double threshold, int windowChars, int maxWindows, ObjectNode training) {
    this(modelId, dimension, ruleFeatures, weights, bias, threshold, windowChars, maxWindows, false, training);
  }

  private InjectionClassifier(String modelId, int dimension, boolean ruleFeatures, double[] weights, double bias,
      double threshold, int windowChars, int maxWindows, boolean sentenceWindows, ObjectNode training) {
    this.sentenceWindows = sentenceWindows;
    this.modelId = modelId;
    this.dimension = dimension;
    this.ruleFeatures = ruleFeatures;
    this.weights = weights;
    this.bias = bias;
    this.threshold = threshold;
    this.windowChars = windowChars;
    this.maxWindows = maxWindows;
    this.training = training;
  }

  /**
   * Trains a classifier on {@code examples}, embedding them with {@code model}.
   *
   * @param model the embedding model the classifier will be used with
   * @param examples labelled texts; at least one of each class
   * @param settings the hyper-parameters
   * @return the fitted classifier, recording the model id, dimension, settings and a SHA-256 of the examples
   * @throws IllegalArgumentException if a class has no example
   * @throws dev.llmops.core.LlmOpsException if the model fails to embed
   */
  public static InjectionClassifier train(EmbeddingModel model, List<LabelledText> examples,
      TrainingSettings settings) {
    long injections = examples.stream().filter(LabelledText::injection).count();
    if (injections == 0 || injections == examples.size()) {
      throw new IllegalArgumentException("training needs injection and benign examples but got " + injections
          + " injections among " + examples.size());
    }
    List<String> texts = new ArrayList<>(examples.size());
    for (LabelledText e : examples) {
      List<String> windows = windows(e.text(), settings.windowChars(), 1);
      texts.add(windows.isEmpty() ? "" : windows.get(0));
    }
    float[][] vectors = embed(model, texts);
    int dim = vectors.length == 0 ? 0 : dimensionOf(vectors);
    int k = settings.ruleFeatures() ? InjectionSignal.values().length : 0;
    int p = dim + k;
    double[][] x = new double[examples.size()][];
    double[] y = new double[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      double[] row = new double[p];
      if (vectors[i] != null) {
        for (int d = 0; d < dim; d++) {
          row[d] = vectors[i][d];
        }
      }
      if (k > 0) {
        double[] s = InjectionRules.signalScores(InjectionRules.standard().scan(examples.get(i).text()));
        System.arraycopy(s, 0, row, dim, k);
      }
      x[i] = row;
      y[i] = examples.get(i).injection() ? 1 : 0;
    }
    double[] c = new double[y.length];
    double positiveWeight = settings.balanced() ? examples.size() / (2.0 * injections) : 1;
    double negativeWeight = settings.balanced() ? examples.size() / (2.0 * (examples.size() - injections)) : 1;
    for (int i = 0; i < y.length; i++) {
      c[i] = y[i] == 1 ? positiveWeight : negativeWeight;
    }
    Fit fit = newton(x, y, c, settings);
    ObjectNode info = JSON.createObjectNode();
    info.put("examples", examples.size());
    info.put("injections", injections);
    info.put("benign", examples.size() - injections);
    info.put("examplesSha256", sha256(examples));
    info.put("solver", "full-batch Newton (IRLS) with step halving, from zero weights");
    info.put("iterations", fit.iterations);
    info.put("finalLoss", fit.loss);
    ObjectNode hyper = info.putObject("hyperParameters");
    hyper.put("l2", settings.l2());
    hyper.put("ruleFeatures", settings.ruleFeatures());
    hyper.put("balanced", settings.balanced());
    hyper.put("maxIterations", settings.maxIterations());
    hyper.put("tolerance", settings.tolerance());
    hyper.put("windowChars", settings.windowChars());
    hyper.put("maxWindows", settings.maxWindows());
    double[] w = Arrays.copyOf(fit.w, p);
    return new InjectionClassifier(model.modelId(), dim, settings.ruleFeatures(), w, fit.w[p], 0.5,
        settings.windowChars(), settings.maxWindows(), info);
  }

  private static int dimensionOf(float[][] vectors) {
    for (float[] v : vectors) {
      if (v != null) {
        return v.length;
      }
    }
    throw new IllegalArgumentException("no example has any text to embed");
  }

  private record Fit(double[] w, int iterations, double loss) {}

  /** Minimises the weighted mean log-loss plus {@code l2/2 |w|^2} (bias unpenalised) by damped Newton steps. */
  private static Fit newton(double[][] x, double[] y, double[] c, TrainingSettings settings) {
    int n = x.length;
    int p = n == 0 ? 0 : x[0].length;
    double total = 0;
    for (double v : c) {
      total += v;
    }
    double l2 = settings.l2();
    double[] w = new double[p + 1];
    double loss = loss(x, y, c, total, l2, w);
    int iteration = 0;
    while (iteration < settings.maxIterations()) {
      iteration++;
      double[] g = new double[p + 1];
      double[][] h = new double[p + 1][p + 1];
      for (int i = 0; i < n; i++) {
        double z = w[p];
        double[] xi = x[i];
        for (int d = 0; d < p; d++) {
          z += w[d] * xi[d];
        }
        double s = sigmoid(z);
        double r = c[i] * (s - y[i]) / total;
        double q = c[i] * s * (1 - s) / total;
        for (int a = 0; a < p; a++) {
          double qa = q * xi[a];
          g[a] += r * xi[a];
          double[] ha = h[a];
          for (int b = 0; b <= a; b++) {
            ha[b] += qa * xi[b];
          }
          h[p][a] += qa;
        }
        g[p] += r;
        h[p][p] += q;
      }
      for (int a = 0; a < p; a++) {
        g[a] += l2 * w[a];
        h[a][a] += l2;
      }
      h[p][p] += 1e-10;
      double[] step = solve(h, g);
      double t = 1;
      double[] next = new double[p + 1];
      double nextLoss;
      while (true) {
        for (int a = 0; a <= p; a++) {
          next[a] = w[a] - t * step[a];
        }
        nextLoss = loss(x, y, c, total, l2, next);
        if (nextLoss <= loss || t < 1e-6) {
          break;
        }
        t /= 2;
      }
      double moved = 0;
      for (int a = 0; a <= p; a++) {
        moved = Math.max(moved, Math.abs(next[a] - w[a]));
      }
      w = next;
      loss = nextLoss;
      if (moved < settings.tolerance()) {
        break;
      }
    }
    return new Fit(w, iteration, loss);
  }

  private static double loss(double[][] x, double[] y, double[] c, double total, double l2, double[] w) {
    int p = w.length - 1;
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double z = w[p];
      for (int d = 0; d < p; d++) {
        z += w[d] * x[i][d];
      }
      double margin = y[i] == 1 ? z : -z;
      sum += c[i] * softplus(-margin);
    }
    double penalty = 0;
    for (int d = 0; d < p; d++) {
      penalty += w[d] * w[d];
    }
    return sum / total + l2 / 2 * penalty;
  }

  private static double softplus(double v) {
    return v > 30 ? v : Math.log1p(Math.exp(v));
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** Solves {@code h x = g} for a symmetric positive-definite {@code h} given by its lower triangle (Cholesky). */
  private static double[] solve(double[][] h, double[] g) {
    int m = g.length;
    double[][] l = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = h[i][j];
        double[] li = l[i];
        double[] lj = l[j];
        for (int k = 0; k < j; k++) {
          sum -= li[k] * lj[k];
        }
        if (i == j) {
          li[i] = Math.sqrt(Math.max(sum, 1e-300));
        } else {
          li[j] = sum / lj[j];
        }
      }
    }
    double[] z = new double[m];
    for (int i = 0; i < m; i++) {
      double sum = g[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * z[k];
      }
      z[i] = sum / l[i][i];
    }
    double[] out = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double sum = z[i];
      for (int k = i + 1; k < m; k++) {
        sum -= l[k][i] * out[k];
      }
      out[i] = sum / l[i][i];
    }
    return out;
  }

  /** Embeds texts in batches; a blank text gets {@code null}. */
  private static float[][] embed(EmbeddingModel model, List<String> texts) {
    float[][] out = new float[texts.size()][];
    List<Integer> index = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    for (int i = 0; i <= texts.size(); i++) {
      if (i < texts.size() && !texts.get(i).isBlank()) {
        index.add(i);
        batch.add(texts.get(i));
      }
      if (!batch.isEmpty() && (batch.size() == BATCH || i == texts.size())) {
        EmbeddingResult result = model.embedAll(batch);
        for (int j = 0; j < batch.size(); j++) {
          out[index.get(j)] = result.get(j).vector();
        }
        batch.clear();
        index.clear();
      }
    }
    return out;
  }

  /**
   * The windows of {@code text} that the classifier embeds: invisible characters and unpaired surrogates removed,
   * split at whitespace into pieces of at most {@code windowChars}, the first {@code maxWindows - 1} and the last
   * kept; empty for a text with nothing left to embed.
   */
  static List<String> windows(String text, int windowChars, int maxWindows) {
    String clean = clean(text);
    if (clean.isBlank()) {
      return List.of();
    }
    if (clean.length() <= windowChars) {
      return List.of(clean);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < clean.length() && out.size() < Math.max(1, maxWindows - 1)) {
      int end = cut(clean, start, windowChars);
      addWindow(out, clean.substring(start, end));
      start = end;
    }
    if (start < clean.length()) {
      int from = Math.max(start, clean.length() - windowChars);
      int space = clean.indexOf(' ', from);
      if (space > from && space < clean.length() - windowChars / 2) {
        from = space + 1;
      }
      if (from < clean.length() && Character.isLowSurrogate(clean.charAt(from))) {
        from++;
      }
      if (maxWindows == 1 && !out.isEmpty()) {
        return out;
      }
      addWindow(out, clean.substring(from));
    }
    return out;
  }

  /**
   * The sentences of a text of more than one sentence (after the same cleaning as {@link #windows}), those of at
   * least 20 chars, at most {@value #MAX_SENTENCE_WINDOWS} (the first ones); empty for a single sentence.
   */
  static List<String> sentenceWindows(String text) {
    String clean = clean(text);
    List<dev.llmops.core.TextSpan> spans = dev.llmops.guardrails.internal.Sentences.split(clean);
    List<String> out = new ArrayList<>();
    if (spans.size() < 2) {
      return out;
    }
    for (dev.llmops.core.TextSpan span : spans) {
      String sentence = clean.substring(span.start(), span.end()).strip();
      if (sentence.length() >= 20 && out.size() < MAX_SENTENCE_WINDOWS) {
        out.add(sentence.length() > 1500 ? sentence.substring(0, 1500) : sentence);
      }
    }
    return out;
  }

  private static void addWindow(List<String> out, String window) {
    if (!window.isBlank()) {
      out.add(window.strip());
    }
  }

  private static int cut(String text, int start, int windowChars) {
    int limit = start + windowChars;
    if (limit >= text.length()) {
      return text.length();
    }
    for (int i = limit; i > start + windowChars / 2; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return Character.isLowSurrogate(text.charAt(limit)) ? limit - 1 : limit;
  }

  private static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      boolean unpaired = width == 1 && Character.isSurrogate((char) cp);
      if (!unpaired && !Invisible.isInvisible(cp)) {
        out.appendCodePoint(cp);
      }
      i += width;
    }
    return out.toString();
  }

  /**
   * The probability that a text is an injection, from its embedding and (if the classifier uses them) its rule
   * signal scores.
   *
   * @param embedding the text's embedding by a model that passed {@link #requireCompatible(EmbeddingModel)}
   * @param signalScores {@link InjectionRules#signalScores(List)} of the text; ignored without rule features
   * @return a probability in {@code [0, 1]}
   * @throws IllegalArgumentException if the embedding has the wrong dimension
   */
  public double probability(Embedding embedding, double[] signalScores) {
    if (embedding.dimension() != dimension) {
      throw new IllegalArgumentException("embedding has dimension " + embedding.dimension() + " but the classifier "
          + "was trained on " + dimension + " (" + modelId + ")");
    }
    double z = bias;
    for (int d = 0; d < dimension; d++) {
      z += weights[d] * embedding.component(d);
    }
    if (ruleFeatures) {
      for (int s = 0; s < signalScores.length && dimension + s < weights.length; s++) {
        z += weights[dimension + s] * signalScores[s];
      }
    }
    return sigmoid(z);
  }

  /**
   * Scores a text: embeds its windows with {@code model} and returns the highest window probability, or 0 for a
   * text with nothing to embed.
   *
   * @param model a model that passes {@link #requireCompatible(EmbeddingModel)}
   * @param text any text
   * @param signalScores the rules' {@link InjectionRules#signalScores(List)} for {@code text}
   * @return a probability in {@code [0, 1]}
   */
  public double score(EmbeddingModel model, String text, double[] signalScores) {
    List<String> windows = windows(text, windowChars, maxWindows);
    if (sentenceWindows && !windows.isEmpty()) {
      windows = new ArrayList<>(windows);
      windows.addAll(sentenceWindows(text));
    }
    if (windows.isEmpty()) {
      return 0;
    }
    EmbeddingResult result = model.embedAll(windows);
    double best = 0;
    for (Embedding e : result.embeddings()) {
      best = Math.max(best, probability(e, signalScores));
    }
    return best;
  }

  /**
   * Checks that {@code model} is the model these weights were trained with.
   *
   * @throws IllegalArgumentException naming both ids or dimensions when they differ
   */
  public void requireCompatible(EmbeddingModel model) {
    if (!model.modelId().equals(modelId)) {
      throw new IllegalArgumentException("the injection classifier was trained on embeddings of '" + modelId
          + "' but the embedding model is '" + model.modelId() + "'; train weights for that model with "
          + "InjectionClassifier.train or pass the model the weights were trained with");
    }
    OptionalInt d = model.dimension();
    if (d.isPresent() && d.getAsInt() != dimension) {
      throw new IllegalArgumentException("the injection classifier expects " + dimension + "-dimensional embeddings "
          + "of '" + modelId + "' but the embedding model gives " + d.getAsInt());
    }
  }

  /** The embedding model id the weights were trained with. */
  public String modelId() {
    return modelId;
  }

  /** The embedding dimension the weights expect. */
  public int dimension() {
    return dimension;
  }

  /** Whether the rule signal scores are features. */
  public boolean usesRuleFeatures() {
    return ruleFeatures;
  }

  /**
   * The decision threshold recorded with the weights: 0.5 after {@link #train} (and in the shipped weights), or the
   * value set by {@link #withThreshold(double)}.
   */
  public double threshold() {
    return threshold;
  }

  /** The training record (counts, SHA-256s, solver, hyper-parameters, command), as JSON text. */
  public String trainingInfo() {
    return training.toString();
  }

  /**
   * This classifier with where its training data came from and the command that produced it added to its
   * training record.
   *
   * @param dataFile the training file's name
   * @param dataSha256 the training file's SHA-256, in hex
   * @param command the command that trains these weights
   */
  public InjectionClassifier withProvenance(String dataFile, String dataSha256, String command) {
    ObjectNode info = training.deepCopy();
    info.put("dataFile", dataFile);
    info.put("dataSha256", dataSha256);
    info.put("command", command);
    return new InjectionClassifier(modelId, dimension, ruleFeatures, weights, bias, threshold, windowChars,
        maxWindows, sentenceWindows, info);
  }

  /**
   * This classifier with another recorded decision threshold (the one {@link InjectionGuard} uses when its builder
   * sets no {@code classifierThreshold}).
   *
   * @param value the threshold, in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code value} is outside {@code (0, 1]}
   */
  public InjectionClassifier withThreshold(double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1] but was " + value);
    }
    return new InjectionClassifier(modelId, dimension, ruleFeatures, weights, bias, value, windowChars, maxWindows,
        sentenceWindows, training);
  }

  /**
   * This classifier scoring, besides its usual windows, each sentence of a multi-sentence text on its own (the text's
   * probability is still the highest window's), so that an instruction hidden in long benign text is judged
   * without the surrounding text diluting its embedding. Off in freshly trained and shipped weights.
   *
   * @param value whether sentences are scored too
   */
  public InjectionClassifier withSentenceWindows(boolean value) {
    return new InjectionClassifier(modelId, dimension, ruleFeatures, weights, bias, threshold, windowChars,
        maxWindows, value, training);
  }

  /** Whether each sentence of a multi-sentence text is scored too (see {@link #withSentenceWindows(boolean)}). */
  public boolean usesSentenceWindows() {
    return sentenceWindows;
  }

  /**
   * This classifier with one more text entry in its training record (for example how its hyper-parameters were
   * chosen).
   *
   * @param key the entry's name
   * @param value the entry's text
   */
  public InjectionClassifier withTrainingNote(String key, String value) {
    ObjectNode info = training.deepCopy();
    info.put(key, value);
    return new InjectionClassifier(modelId, dimension, ruleFeatures, weights, bias, threshold, windowChars,
        maxWindows, sentenceWindows, info);
  }

  /** The weights and their record as JSON; {@link #fromJson(String)} reads it back to an equal classifier. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("embeddingModelId", modelId);
    root.put("dimension", dimension);
    ArrayNode signals = root.putArray("ruleSignals");
    if (ruleFeatures) {
      for (InjectionSignal s : InjectionSignal.values()) {
        signals.add(s.name());
      }
    }
    root.put("threshold", threshold);
    root.put("windowChars", windowChars);
    root.put("maxWindows", maxWindows);
    if (sentenceWindows) {
      root.put("sentenceWindows", true);
    }
    root.put("bias", bias);
    ArrayNode w = root.putArray("weights");
    for (double v : weights) {
      w.add(v);
    }
    root.set("training", training);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write classifier JSON", e);
    }
  }

  /** Writes {@link #toJson()} to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  /**
   * Reads weights written by {@link #toJson()}.
   *
   * @throws CorruptDataException if the JSON is malformed, of another format, or inconsistent (weight count,
   *     rule signals this version does not have)
   */
  public static InjectionClassifier fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new CorruptDataException("not an injection classifier: format is '"
            + (root == null ? "" : root.path("format").asText()) + "', expected '" + FORMAT + "'", null);
      }
      String model = root.path("embeddingModelId").asText();
      int dim = root.path("dimension").asInt(-1);
      List<String> signals = new ArrayList<>();
      root.path("ruleSignals").forEach(n -> signals.add(n.asText()));
      boolean rules = !signals.isEmpty();
      List<String> known = Arrays.stream(InjectionSignal.values()).map(Enum::name).toList();
      if (rules && !signals.equals(known)) {
        throw new CorruptDataException("classifier was trained with rule signals " + signals
            + " but this version has " + known, null);
      }
      JsonNode w = root.path("weights");
      int expected = dim + (rules ? known.size() : 0);
      if (model.isBlank() || dim < 1 || !w.isArray() || w.size() != expected) {
        throw new CorruptDataException("classifier JSON is inconsistent: model '" + model + "', dimension " + dim
            + ", " + w.size() + " weights where " + expected + " were expected", null);
      }
      double[] weights = new double[expected];
      for (int i = 0; i < expected; i++) {
        weights[i] = w.get(i).asDouble();
      }
      JsonNode training = root.path("training");
      return new InjectionClassifier(model, dim, rules, weights, root.path("bias").asDouble(),
          root.path("threshold").asDouble(0.5), root.path("windowChars").asInt(1500),
          root.path("maxWindows").asInt(8), root.path("sentenceWindows").asBoolean(false),
          training.isObject() ? (ObjectNode) training : JSON.createObjectNode());
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("classifier JSON is malformed: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads weights from a file written by {@link #write(Path)}. */
  public static InjectionClassifier read(Path file) throws IOException {
    return fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * The weights that ship with this module, for {@value #SHIPPED_MODEL_ID} (384 dimensions).
   *
   * @throws CorruptDataException if the resource is missing or damaged
   */
  public static InjectionClassifier shipped() {
    try (InputStream in = InjectionClassifier.class.getResourceAsStream(SHIPPED_RESOURCE)) {
      if (in == null) {
        throw new CorruptDataException("resource " + SHIPPED_RESOURCE + " is missing from the guardrails jar", null);
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SHIPPED_RESOURCE, e);
    }
  }

  /** The SHA-256, in hex, of the examples (each text, a tab, its label, a line feed, in order). */
  static String sha256(List<LabelledText> examples) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (LabelledText e : examples) {
        digest.update(e.text().getBytes(StandardCharsets.UTF_8));
        digest.update((e.injection() ? "\tinjection\n" : "\tbenign\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InjectionClassifier c && modelId.equals(c.modelId) && dimension == c.dimension
        && ruleFeatures == c.ruleFeatures && Arrays.equals(weights, c.weights)
        && Double.compare(bias, c.bias) == 0 && Double.compare(threshold, c.threshold) == 0
        && windowChars == c.windowChars && maxWindows == c.maxWindows && sentenceWindows == c.sentenceWindows;
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelId, dimension, ruleFeatures, Arrays.hashCode(weights), bias, threshold);
  }

  @Override
  public String toString() {
    return "InjectionClassifier[" + modelId + ", dimension=" + dimension + ", ruleFeatures=" + ruleFeatures + "]";
  }
}
