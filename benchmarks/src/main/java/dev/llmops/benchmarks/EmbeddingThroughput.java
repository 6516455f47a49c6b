package dev.llmops.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.llmops.inference.BatchingSettings;
import dev.llmops.inference.EmbeddingAgreement;
import dev.llmops.inference.InferenceStats;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import dev.llmops.inference.quantize.ActivationQuantization;
import dev.llmops.inference.quantize.Agreement;
import dev.llmops.inference.quantize.ModelQuantizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process embedding throughput and latency: llmops' {@link OnnxEmbeddingModel} (dynamic batching) against
 * LangChain4j's {@code AllMiniLmL6V2EmbeddingModel} and {@code AllMiniLmL6V2QuantizedEmbeddingModel}, on the same
 * model files (from the same Maven artifacts), the same ONNX Runtime, in the same JVM run.
 *
 * <p>Workloads from {@code ../shared/data/scifact}: short texts are the SciFact training claims, long texts the
 * corpus abstracts (title and text). Every caller embeds one text per call, as an application serving requests
 * does. Measured per precision (fp32, int8) and side:
 * <ul>
 *   <li>texts/s with 1 caller and with N callers (closed loop) on short texts;
 *   <li>texts/s and tokens/s with N callers on long texts (tokens each side actually encoded: llmops every token,
 *       LangChain4j what its tokenizer keeps);
 *   <li>p50/p99 latency at a fixed offered load (Poisson arrivals at a fraction of LangChain4j's measured N-caller
 *       throughput, the same rate for both sides; latency from the scheduled arrival, so a stall is not hidden);
 *   <li>llmops' padding ratio and mean batch size; useful GFLOP/s (real tokens x the model's FLOPs per token)
 *       against this machine's ceiling, measured in the same run as a 1024x1024x1024 MatMul through ONNX Runtime.
 * </ul>
 */
final class EmbeddingThroughput {

  private static final ObjectMapper JSON = new ObjectMapper();
  // all-MiniLM-L6-v2: 6 layers, hidden 384, feed-forward 1536. Per token and layer: Q, K, V and output
  // projections (4 x 384 x 384) and the feed-forward (2 x 384 x 1536) multiply-adds; attention adds
  // 2 x 384 x sequence length. Two FLOPs per multiply-add.
  private static final double FLOPS_PER_TOKEN = 6 * 2.0 * (4 * 384 * 384 + 2 * 384 * 1536);
  private static final double FLOPS_PER_TOKEN_PER_POSITION = 6 * 2.0 * 2 * 384;

  private EmbeddingThroughput() {}

  record Settings(Path data, int callers, int shortTexts, int longTexts, double load, Duration latencyRun,
      Set<String> precisions, Path out, BatchingSettings batching) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args, Set.of("--data", "--callers", "--short", "--long", "--load",
          "--latency-seconds", "--precisions", "--out", "--workers", "--run-overhead", "--max-batch-tokens"));
      BatchingSettings d = BatchingSettings.defaults();
      BatchingSettings batching = d.toBuilder()
          .workers(Integer.parseInt(o.getOrDefault("--workers", Integer.toString(d.workers()))))
          .runOverheadTokens(Integer.parseInt(o.getOrDefault("--run-overhead", Integer.toString(d.runOverheadTokens()))))
          .maxBatchTokens(Integer.parseInt(o.getOrDefault("--max-batch-tokens", Integer.toString(d.maxBatchTokens()))))
          .build();
      Settings s = new Settings(Path.of(o.getOrDefault("--data", "../../shared/data/scifact")),
          Integer.parseInt(o.getOrDefault("--callers", "16")),
          Integer.parseInt(o.getOrDefault("--short", "1600")),
          Integer.parseInt(o.getOrDefault("--long", "240")),
          Double.parseDouble(o.getOrDefault("--load", "0.7")),
          Duration.ofSeconds(Long.parseLong(o.getOrDefault("--latency-seconds", "8"))),
          Set.of(o.getOrDefault("--precisions", "fp32,int8").split(",")),
          Path.of(o.getOrDefault("--out", "target/results")), batching);
      if (s.callers < 1 || s.shortTexts < 1 || s.longTexts < 1 || !(s.load > 0)) {
        throw new IllegalArgumentException("callers, text counts and load must be positive");
      }
      return s;
    }
  }

  /** One side under test: embeds one text per call and says how many tokens it encoded. */
  interface Side extends AutoCloseable {
    String name();

    /** Embeds {@code text}; returns the number of tokens encoded. */
    int embed(String text);

    @Override
    void close();
  }

  static final class Llmops implements Side {
    final OnnxEmbeddingModel model;

    final String name;

    Llmops(String name, ModelSource source, BatchingSettings batching) {
      this.name = name;
      model = OnnxEmbeddingModel.builder().source(source).batching(batching)
          .meterRegistry(new SimpleMeterRegistry()).build();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int embed(String text) {
      return model.embed(text).tokenCount();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  static final class LangChain4j implements Side {
    final dev.langchain4j.model.embedding.EmbeddingModel model;

    LangChain4j(boolean quantized) {
      model = quantized ? new AllMiniLmL6V2QuantizedEmbeddingModel() : new AllMiniLmL6V2EmbeddingModel();
    }

    @Override
    public String name() {
      return "langchain4j";
    }

    @Override
    public int embed(String text) {
      Response<dev.langchain4j.data.embedding.Embedding> r = model.embed(text);
      if (r.content().vector().length != 384) {
        throw new IllegalStateException("LangChain4j returned " + r.content().vector().length + " dimensions");
      }
      return r.tokenUsage() == null || r.tokenUsage().inputTokenCount() == null ? 0
          : r.tokenUsage().inputTokenCount();
    }

    @Override
    public void close() {}
  }

  /** One measured figure. */
  record Row(String precision, String workload, String side, double textsPerSecond, double tokensPerSecond,
      double p50Ms, double p99Ms, double paddingRatio, double meanBatch, double gflops) {}

  /** One int8 file: its size, how its embeddings agree with fp32 on short texts, and its speed with llmops. */
  record QuantRow(String file, long bytes, double meanCosine, double minCosine, double textsPerSecond) {}

  record Report(Settings settings, List<Row> rows, List<QuantRow> quantRows, double ceilingGflops, String machine,
      String notes) {
    Row find(String precision, String workload, String side) {
      return rows.stream().filter(r -> r.precision().equals(precision) && r.workload().equals(workload)
          && r.side().equals(side)).findFirst().orElse(null);
    }

    String table() {
      StringBuilder t = new StringBuilder();
      t.append(String.format(Locale.ROOT, "embeddings: all-MiniLM-L6-v2, SciFact; %s; MatMul ceiling %.1f GFLOP/s%n",
          machine, ceilingGflops));
      t.append(String.format(Locale.ROOT, "%-6s %-22s %-12s %9s %11s %8s %8s %7s %6s %7s %9s%n", "prec", "workload",
          "side", "texts/s", "tokens/s", "p50 ms", "p99 ms", "padding", "batch", "GFLOP/s", "llmops/x"));
      for (Row r : rows) {
        Row ours = find(r.precision(), r.workload(), "llmops");
        String ratio = ours == null || r.textsPerSecond() == 0 ? "" : String.format(Locale.ROOT, "%.2f",
            r.workload().startsWith("latency") ? r.p99Ms() / ours.p99Ms() : ours.textsPerSecond() / r.textsPerSecond());
        t.append(String.format(Locale.ROOT, "%-6s %-22s %-12s %9.1f %11.0f %8s %8s %7s %6s %7.1f %9s%n",
            r.precision(), r.workload(), r.side(), r.textsPerSecond(), r.tokensPerSecond(), fmt(r.p50Ms()),
            fmt(r.p99Ms()), r.side().equals("llmops") ? String.format(Locale.ROOT, "%.3f", r.paddingRatio()) : "-",
            r.side().equals("llmops") ? String.format(Locale.ROOT, "%.1f", r.meanBatch()) : "1", r.gflops(), ratio));
      }
      t.append("llmops/x: throughput ratio (llmops / that side); for latency rows, that side's p99 / llmops' p99.\n");
      if (!quantRows.isEmpty()) {
        t.append(String.format(Locale.ROOT, "%nint8 files (llmops engine, short texts, %d callers; cosine vs fp32 on "
            + "the same short texts)%n", settings.callers()));
        t.append(String.format(Locale.ROOT, "%-34s %12s %12s %12s %9s%n", "file", "bytes", "mean cosine",
            "min cosine", "texts/s"));
        for (QuantRow q : quantRows) {
          t.append(String.format(Locale.ROOT, "%-34s %,12d %12.4f %12.4f %9.1f%n", q.file(), q.bytes(),
              q.meanCosine(), q.minCosine(), q.textsPerSecond()));
        }
      }
      t.append(notes);
      return t.toString();
    }

    private static String fmt(double ms) {
      return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.1f", ms);
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("embeddings.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row r : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "embeddings");
        line.put("time", when);
        line.put("machine", machine);
        line.put("precision", r.precision());
        line.put("workload", r.workload());
        line.put("side", r.side());
        line.put("texts_per_second", r.textsPerSecond());
        line.put("tokens_per_second", r.tokensPerSecond());
        line.put("p50_ms", Double.isNaN(r.p50Ms()) ? null : r.p50Ms());
        line.put("p99_ms", Double.isNaN(r.p99Ms()) ? null : r.p99Ms());
        line.put("padding_ratio", r.paddingRatio());
        line.put("mean_batch", r.meanBatch());
        line.put("gflops", r.gflops());
        line.put("ceiling_gflops", ceilingGflops);
        lines.add(JSON.writeValueAsString(line));
      }
      for (QuantRow q : quantRows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "embeddings-int8-files");
        line.put("time", when);
        line.put("machine", machine);
        line.put("file", q.file());
        line.put("bytes", q.bytes());
        line.put("mean_cosine_vs_fp32", q.meanCosine());
        line.put("min_cosine_vs_fp32", q.minCosine());
        line.put("texts_per_second", q.textsPerSecond());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws Exception {
    Path queries = settings.data().resolve("queries-train.jsonl");
    Path corpus = settings.data().resolve("corpus.jsonl");
    if (!Files.isRegularFile(queries) || !Files.isRegularFile(corpus)) {
      throw new IllegalStateException("the embeddings benchmark needs SciFact in " + settings.data().toAbsolutePath()
          + " (queries-train.jsonl and corpus.jsonl, from ../shared/data/scifact); it is missing. Pass --data DIR.");
    }
    List<String> shortTexts = read(queries, false);
    List<String> longTexts = read(corpus, true).subList(0, Math.min(settings.longTexts(), 5000));
    double ceiling = matMulCeiling();
    String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version() + ", "
        + System.getProperty("os.arch");
    List<Row> rows = new ArrayList<>();
    for (String precision : List.of("fp32", "int8")) {
      if (!settings.precisions().contains(precision)) {
        continue;
      }
      boolean q = precision.equals("int8");
      String builtIn = q ? "all-minilm-l6-v2-q" : "all-minilm-l6-v2";
      try (Llmops ours = new Llmops("llmops", ModelSource.builtIn(builtIn), settings.batching()); LangChain4j theirs = new LangChain4j(q)) {
        List<Side> sides = List.of(theirs, ours);
        for (Side side : sides) {
          closedLoop(side, shortTexts.subList(0, Math.min(64, shortTexts.size())), settings.callers()); // warm-up
        }
        for (Side side : sides) {
          rows.add(measure(precision, "short, 1 caller", side, shortTexts, Math.min(300, settings.shortTexts()), 1));
        }
        for (Side side : sides) {
          rows.add(measure(precision, "short, " + settings.callers() + " callers", side, shortTexts,
              settings.shortTexts(), settings.callers()));
        }
        for (Side side : sides) {
          rows.add(measure(precision, "long, " + settings.callers() + " callers", side, longTexts, longTexts.size(),
              settings.callers()));
        }
        double rate = settings.load() * find(rows, precision, "short, " + settings.callers() + " callers",
            "langchain4j").textsPerSecond();
        for (Side side : sides) {
          rows.add(latency(precision, String.format(Locale.ROOT, "latency @ %.0f texts/s", rate), side, shortTexts,
              rate, settings.latencyRun()));
        }
      }
    }
    List<QuantRow> quantRows = settings.precisions().contains("int8")
        ? compareInt8Files(settings, shortTexts) : List.of();
    String notes = String.format(Locale.ROOT, "short: %d SciFact claims (%d per closed-loop run); long: %d SciFact "
        + "abstracts; latency rows: Poisson arrivals for %ds at %.0f%% of LangChain4j's %d-caller throughput.%n",
        shortTexts.size(), settings.shortTexts(), longTexts.size(), settings.latencyRun().toSeconds(),
        settings.load() * 100, settings.callers());
    return new Report(settings, rows, quantRows, ceiling, machine, notes);
  }

  /**
   * The published int8 file against llmops' quantizer (per-token and per-tensor activations), all made from or
   * compared with the same fp32 file in this run.
   */
  private static List<QuantRow> compareInt8Files(Settings settings, List<String> shortTexts) throws Exception {
    Path dir = Files.createTempDirectory("llmops-bench-int8");
    try {
      ModelSource fp32 = ModelSource.builtIn("all-minilm-l6-v2");
      Path original = dir.resolve("fp32.onnx");
      fp32.writeModelFile(original);
      Path published = dir.resolve("published.onnx");
      ModelSource.builtIn("all-minilm-l6-v2-q").writeModelFile(published);
      List<String> sample = shortTexts.subList(0, Math.min(200, shortTexts.size()));
      EmbeddingAgreement check = EmbeddingAgreement.onTexts(fp32, sample, 0.9);
      Path perToken = dir.resolve("per-token.onnx");
      ModelQuantizer.int8Dynamic().activations(ActivationQuantization.PER_TOKEN).build()
          .quantize(original, perToken, check);
      Path perTensor = dir.resolve("per-tensor.onnx");
      ModelQuantizer.int8Dynamic().activations(ActivationQuantization.PER_TENSOR).build()
          .quantize(original, perTensor, check);
      List<QuantRow> rows = new ArrayList<>();
      Map<String, Path> files = new LinkedHashMap<>();
      files.put("published (langchain4j artifact)", published);
      files.put("llmops quantize, per-token", perToken);
      files.put("llmops quantize, per-tensor", perTensor);
      for (Map.Entry<String, Path> f : files.entrySet()) {
        Agreement agreement = check.measure(original, f.getValue());
        double speed;
        try (Llmops side = new Llmops("llmops", fp32.withModelFile(f.getValue()), settings.batching())) {
          closedLoop(side, shortTexts.subList(0, Math.min(64, shortTexts.size())), settings.callers());
          speed = measure("int8", "file", side, shortTexts, settings.shortTexts(), settings.callers())
              .textsPerSecond();
        }
        rows.add(new QuantRow(f.getKey(), Files.size(f.getValue()), agreement.meanCosine(), agreement.minCosine(),
            speed));
      }
      return rows;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static Row find(List<Row> rows, String precision, String workload, String side) {
    return rows.stream().filter(r -> r.precision().equals(precision) && r.workload().equals(workload)
        && r.side().equals(side)).findFirst().orElseThrow();
  }

  private static Row measure(String precision, String workload, Side side, List<String> texts, int count,
      int callers) throws Exception {
    InferenceStats before = side instanceof Llmops l ? l.model.stats() : null;
    List<String> work = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      work.add(texts.get(i % texts.size()));
    }
    long start = System.nanoTime();
    long tokens = closedLoop(side, work, callers);
    double seconds = (System.nanoTime() - start) / 1e9;
    double padding = 0;
    double batch = 1;
    long realTokens = tokens;
    if (side instanceof Llmops l) {
      InferenceStats s = l.model.stats().since(before);
      padding = s.paddingRatio();
      batch = s.meanBatchSize();
      realTokens = s.realTokens();
    }
    double averageLength = (double) tokens / count;
    double gflops = realTokens * (FLOPS_PER_TOKEN + FLOPS_PER_TOKEN_PER_POSITION * averageLength) / seconds / 1e9;
    System.err.printf(Locale.ROOT, "%s %s %s: %.1f texts/s%n", precision, workload, side.name(), count / seconds);
    return new Row(precision, workload, side.name(), count / seconds, tokens / seconds, Double.NaN, Double.NaN,
        padding, batch, gflops);
  }

  /** Callers each take the next text and embed it until none is left; returns the tokens encoded. */
  private static long closedLoop(Side side, List<String> texts, int callers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    AtomicInteger next = new AtomicInteger();
    AtomicLong tokens = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        futures.add(pool.submit(() -> {
          go.await();
          for (int i; (i = next.getAndIncrement()) < texts.size(); ) {
            tokens.addAndGet(side.embed(texts.get(i)));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
      return tokens.get();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Poisson arrivals at {@code rate} for {@code duration}; latency from each scheduled arrival to its answer. */
  private static Row latency(String precision, String workload, Side side, List<String> texts, double rate,
      Duration duration) throws Exception {
    int count = (int) Math.max(20, rate * duration.toSeconds());
    Random random = new Random(42);
    long[] arrivals = new long[count];
    double t = 0;
    for (int i = 0; i < count; i++) {
      t += -Math.log(1 - random.nextDouble()) / rate;
      arrivals[i] = (long) (t * 1e9);
    }
    long[] latencies = new long[count];
    ExecutorService pool = Executors.newFixedThreadPool(256);
    long start = System.nanoTime() + 20_000_000;
    try {
      List<Future<?>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long due = start + arrivals[i];
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        int index = i;
        futures.add(pool.submit(() -> {
          side.embed(texts.get(index % texts.size()));
          latencies[index] = System.nanoTime() - due;
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    double p50 = latencies[count / 2] / 1e6;
    double p99 = latencies[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)] / 1e6;
    System.err.printf(Locale.ROOT, "%s %s %s: p50 %.1f ms, p99 %.1f ms%n", precision, workload, side.name(), p50, p99);
    return new Row(precision, workload, side.name(), count / seconds, 0, p50, p99, 0, 0, 0);
  }

  private static List<String> read(Path file, boolean withTitle) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode row = JSON.readTree(line);
      String text = row.path("text").asText();
      if (withTitle && !row.path("title").asText().isBlank()) {
        text = row.path("title").asText() + ". " + text;
      }
      if (!text.isBlank()) {
        texts.add(text);
      }
    }
    return texts;
  }

  /** GFLOP/s of a 1024 x 1024 x 1024 fp32 MatMul through ONNX Runtime with default CPU settings (best of 20). */
  static double matMulCeiling() throws Exception {
    int n = 1024;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(matMulModel(n), options)) {
      float[] data = new float[n * n];
      Random random = new Random(1);
      for (int i = 0; i < data.length; i++) {
        data[i] = random.nextFloat() - 0.5f;
      }
      try (OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {n, n});
          OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {n, n})) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
          long start = System.nanoTime();
          try (OrtSession.Result r = session.run(Map.of("A", a, "B", b))) {
            best = Math.min(best, System.nanoTime() - start);
            if (r.size() != 1) {
              throw new IllegalStateException("the MatMul model gave " + r.size() + " outputs");
            }
          }
        }
        return 2.0 * n * n * n / best;
      }
    }
  }

  /** The bytes of an ONNX model computing {@code C = MatMul(A, B)} for float [n, n] inputs. */
  private static byte[] matMulModel(int n) throws IOException {
    byte[] node = message(out -> {
      out.writeString(1, "A");
      out.writeString(1, "B");
      out.writeString(2, "C");
      out.writeString(4, "MatMul");
    });
    byte[] graph = message(out -> {
      out.writeByteArray(1, node);
      out.writeString(2, "matmul");
      out.writeByteArray(11, valueInfo("A", n));
      out.writeByteArray(11, valueInfo("B", n));
      out.writeByteArray(12, valueInfo("C", n));
    });
    byte[] opset = message(out -> out.writeInt64(2, 17));
    return message(out -> {
      out.writeInt64(1, 8);
      out.writeByteArray(8, opset);
      out.writeByteArray(7, graph);
    });
  }

  private static byte[] valueInfo(String name, int n) throws IOException {
    byte[] dim = message(out -> out.writeInt64(1, n));
    byte[] shape = message(out -> {
      out.writeByteArray(1, dim);
      out.writeByteArray(1, dim);
    });
    byte[] tensor = message(out -> {
      out.writeInt32(1, 1);
      out.writeByteArray(2, shape);
    });
    byte[] type = message(out -> out.writeByteArray(1, tensor));
    return message(out -> {
      out.writeString(1, name);
      out.writeByteArray(2, type);
    });
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }
}
