package dev.llmops.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs a named comparison: {@code Benchmarks client-overhead [--rounds N] [--calls N] [--out DIR]},
 * {@code Benchmarks prompt-render [--rounds N] [--warmup N] [--iterations N] [--time 2s] [--forks N] [--out DIR]} or
 * {@code Benchmarks route-overhead [--rounds N] [--warmup N] [--iterations N] [--time 2s] [--forks N] [--out DIR]};
 * {@code generation} (sequential, static and continuous batching of a local decoder);
 * {@code vector-search}, {@code vector-data}, {@code retrieval-quality}, {@code solr-equivalence} (the embedded
 * Lucene index and SolrCloud on SciFact), {@code knn-segments}, {@code trec-eval} and
 * {@code pii-eval}
 * as in the usage text below. Run it through
 * {@code ./mvnw -q -Pbench -pl benchmarks -am package -DskipTests -Dbench.args="..."} (add
 * {@code -Dbench.jvm="-Xmx12g"} for vector-search at 1,000,000 vectors).
 */
public final class Benchmarks {

  private static final String USAGE = """
      usage: Benchmarks client-overhead [--rounds N] [--calls N] [--threads N] [--out DIR]
             Benchmarks prompt-render [--rounds N] [--warmup N] [--iterations N] [--time 2s] [--forks N] [--out DIR]
             Benchmarks route-overhead [--rounds N] [--warmup N] [--iterations N] [--time 2s] [--forks N] [--out DIR]
             Benchmarks generation [--requests 64] [--prompt 8,256] [--output 8,256] [--layers 4] [--hidden 256]
                                   [--heads 8] [--kv-heads 4] [--batch 16] [--continuous-batch 64] [--kv-tokens N]
                                   [--modes sequential,static,continuous-capped,continuous] [--seed N]
                                   [--device cpu|cuda] [--rounds 3] [--out DIR]
             Benchmarks embeddings [--data DIR] [--callers N] [--short N] [--long N] [--load F] [--latency-seconds N]
                                   [--precisions fp32,int8] [--out DIR]
             Benchmarks vector-search [--sizes 100000,1000000] [--queries N] [--k N] [--clusters N] [--spread F]
                                      [--rank N] [--isotropic F] [--seed N] [--budget-seconds N] [--warmup-seconds N]
                                      [--libraries langchain4j-inmemory,llmops-lucene-hnsw,llmops-lucene-hnsw-int8,
                                                   llmops-inmemory-exact]
                                      [--candidates 40,100,200] [--hnsw M,BEAM] [--index-dir DIR] [--out DIR]
             Benchmarks retrieval-quality [--data DIR] [--model all-minilm-l6-v2|all-minilm-l6-v2-q]
                                          [--modes bm25,dense,hybrid-rrf,hybrid-convex-0.5] [--candidates N] [--top N]
                                          [--langchain4j-segments 254,126|none] [--queries N] [--index-dir DIR]
                                          [--docs N] [--out DIR]
             Benchmarks solr-equivalence [--data DIR] [--model all-minilm-l6-v2|all-minilm-l6-v2-q]
                                         [--modes bm25,dense,hybrid-rrf] [--candidates N] [--top N] [--queries N]
                                         [--docs N] [--nodes 2] [--shards 2] [--replicas 2] [--index-dir DIR] [--out DIR]
             Benchmarks knn-segments [--size 300000] [--ram-mb 64] [--hnsw 16,50] [--candidates 40,100,200]
                                     [--queries N] [--k N] [--index-dir DIR] [--out DIR]
             Benchmarks vector-data [--data DIR] [--docs N] [--queries N] [--clusters N] [--spread F] [--rank N]
                                    [--isotropic F] [--seed N] [--out DIR]
             Benchmarks guard-throughput [--data FILE] [--policy default|FILE] [--prompts N] [--bytes N] [--callers N]
                                         [--warmup N] [--modes rules,classifier] [--model NAME|DIR] [--out DIR]
             Benchmarks trec-eval --qrels FILE --run FILE [--run FILE...] [--ndcg-at 10] [--recall-at 100]
                                  [--out DIR]
             Benchmarks grounding-quality [--data DIR] [--model all-minilm-l6-v2|all-minilm-l6-v2-q|none]
                                          [--thresholds 0.3,0.4,0.5,0.6,0.7] [--seed N] [--out DIR]
             Benchmarks pii-eval [--data FILE] [--min-score 0.5] [--regions US,GB,...] [--errors N] [--out DIR]
             Benchmarks secrets-scan [--dirs DIR,DIR] [--extensions java,py,...] [--max-file-chars N] [--out DIR]
             Benchmarks injection-eval [--data FILE] [--model all-minilm-l6-v2] [--l2 cv|F] [--written on|off] [--out DIR]
             Benchmarks injection-train [--data FILE] [--model all-minilm-l6-v2] [--l2 cv|F] [--written on|off] [--weights FILE]""";

  private Benchmarks() {}

  /** Runs the comparison named by the first argument. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(USAGE);
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "client-overhead" -> {
        ChatClientOverhead.Settings settings = ChatClientOverhead.Settings.parse(rest);
        ChatClientOverhead.Report report = ChatClientOverhead.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "prompt-render" -> {
        PromptRender.Settings settings = PromptRender.Settings.parse(rest);
        PromptRender.Report report = PromptRender.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "route-overhead" -> {
        RouteOverhead.Settings settings = RouteOverhead.Settings.parse(rest);
        RouteOverhead.Report report = RouteOverhead.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "generation" -> {
        GenerationThroughput.Settings settings = GenerationThroughput.Settings.parse(rest);
        GenerationThroughput.Report report = GenerationThroughput.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "embeddings" -> {
        EmbeddingThroughput.Settings settings = EmbeddingThroughput.Settings.parse(rest);
        EmbeddingThroughput.Report report = EmbeddingThroughput.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "vector-search" -> {
        VectorSearch.Settings settings = VectorSearch.Settings.parse(rest);
        VectorSearch.Report report = VectorSearch.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "guard-throughput" -> {
        GuardThroughput.Settings settings = GuardThroughput.Settings.parse(rest);
        GuardThroughput.Report report = GuardThroughput.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "vector-data" -> {
        VectorData.Settings settings = VectorData.Settings.parse(rest);
        VectorData.Report report = VectorData.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "retrieval-quality" -> {
        RetrievalQuality.Settings settings = RetrievalQuality.Settings.parse(rest);
        Optional<String> missing = RetrievalQuality.missingData(settings);
        if (missing.isPresent()) {
          System.err.println(missing.get());
          System.exit(1);
        }
        RetrievalQuality.Report report = RetrievalQuality.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "solr-equivalence" -> {
        SolrEquivalence.Settings settings = SolrEquivalence.Settings.parse(rest);
        Optional<String> missing = SolrEquivalence.missingData(settings);
        if (missing.isPresent()) {
          System.err.println(missing.get());
          System.exit(1);
        }
        SolrEquivalence.Report report = SolrEquivalence.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "knn-segments" -> {
        KnnSegments.Settings settings = KnnSegments.Settings.parse(rest);
        KnnSegments.Report report = KnnSegments.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "trec-eval" -> {
        TrecEval.Settings settings = TrecEval.Settings.parse(rest);
        TrecEval.Report report = TrecEval.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "grounding-quality" -> {
        GroundingQuality.Settings settings = GroundingQuality.Settings.parse(rest);
        Optional<String> missing = GroundingQuality.missingData(settings);
        if (missing.isPresent()) {
          System.err.println(missing.get());
          System.exit(1);
        }
        GroundingQuality.Report report = GroundingQuality.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "pii-eval" -> {
        PiiEval.Settings settings = PiiEval.Settings.parse(rest);
        Optional<String> missing = PiiEval.missingData(settings);
        if (missing.isPresent()) {
          System.err.println(missing.get());
          System.exit(1);
        }
        PiiEval.Report report = PiiEval.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "secrets-scan" -> {
        SecretsScan.Settings settings = SecretsScan.Settings.parse(rest);
        SecretsScan.Report report = SecretsScan.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "injection-eval" -> {
        InjectionEval.Settings settings = InjectionEval.Settings.parse(rest);
        Optional<String> missing = InjectionEval.missingData(settings);
        if (missing.isPresent()) {
          System.err.println(missing.get());
          System.exit(1);
        }
        InjectionEval.Report report = InjectionEval.run(settings);
        show(report.table(), report.write(settings.out()));
      }
      case "injection-train" -> {
        InjectionEval.Settings settings = InjectionEval.Settings.parse(rest);
        Optional<String> missing = InjectionEval.missingData(settings);
        if (missing.isPresent()) {
          System.err.println(missing.get());
          System.exit(1);
        }
        System.out.println("weights: " + InjectionEval.train(settings).toAbsolutePath().normalize());
      }
      default -> {
        System.err.println("unknown benchmark '" + args[0] + "'; known: client-overhead, prompt-render, route-overhead, "
            + "embeddings, vector-search, vector-data, retrieval-quality, knn-segments, trec-eval, guard-throughput, "
            + "grounding-quality, pii-eval, secrets-scan, injection-eval, injection-train");
        System.exit(2);
      }
    }
  }

  /** Prints a comparison's table and where its JSON lines were written. */
  private static void show(String table, Path results) {
    System.out.print(table);
    System.out.println("results: " + results.toAbsolutePath());
  }
}
