package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.benchmarks.retrieval.TrecRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps retrieval-quality runnable without ../shared/data: a BEIR folder written here (twelve documents on distinct
 * topics, one long enough for several chunks, and a query for each of six) goes through both sides with the real
 * model and a real Lucene index.
 */
class RetrievalQualityTest {

  @TempDir Path dir;

  private static final String[][] TOPICS = {
      {"Volcanic ash and aviation", "Volcanic ash clouds damage jet engines because the glassy particles melt in the "
          + "combustion chamber.", "why does volcanic ash harm jet engines"},
      {"Honeybee navigation", "Honeybees communicate the direction and distance of flowers with a waggle dance on "
          + "the comb.", "how do bees tell each other where flowers are"},
      {"Sourdough fermentation", "Wild yeast and lactic acid bacteria in a sourdough starter leaven bread and give it "
          + "a sour taste.", "what makes sourdough bread sour"},
      {"Tidal locking of the Moon", "The Moon always shows the same face to Earth because tidal forces slowed its "
          + "rotation until it matched its orbit.", "why do we always see the same side of the moon"},
      {"Insulin and blood sugar", "The pancreas releases insulin, which lets muscle and fat cells take up glucose "
          + "from the blood.", "which hormone lowers blood glucose"},
      {"Lightning formation", "Collisions between ice crystals and graupel in thunderclouds separate electric "
          + "charge until lightning discharges it.", "how does a thundercloud build up electric charge"},
  };

  private static final String[] FILLER = {
      "Medieval castles were built with thick stone walls and narrow windows for defence.",
      "Container shipping lowered the cost of moving goods across oceans after the 1950s.",
      "Chess engines evaluate millions of positions per second with alpha-beta search.",
      "Coral reefs grow slowly from the calcium carbonate skeletons of tiny polyps.",
      "Violin makers in Cremona selected spruce and maple for their instruments.",
      "The printing press spread literacy across Europe in the fifteenth century."};

  private void writeDataSet() throws Exception {
    List<String> corpus = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    List<String> qrels = new ArrayList<>(List.of("query-id\tcorpus-id\tscore"));
    for (int i = 0; i < TOPICS.length; i++) {
      // The first document is long: its topic sentence comes first, then filler enough for several chunks.
      String text = i == 0 ? TOPICS[i][1] + " " + String.join(" ", FILLER).repeat(6) : TOPICS[i][1];
      corpus.add(String.format("{\"_id\": \"t%d\", \"title\": \"%s\", \"text\": \"%s\"}", i, TOPICS[i][0], text));
      queries.add(String.format("{\"_id\": \"q%d\", \"text\": \"%s\", \"metadata\": {}}", i, TOPICS[i][2]));
      qrels.add("q" + i + "\tt" + i + "\t1");
    }
    for (int i = 0; i < FILLER.length; i++) {
      corpus.add(String.format("{\"_id\": \"f%d\", \"title\": \"\", \"text\": \"%s\"}", i, FILLER[i]));
    }
    Files.write(dir.resolve("corpus.jsonl"), corpus);
    Files.write(dir.resolve("queries-train.jsonl"), queries);
    Files.write(dir.resolve("qrels-train.tsv"), qrels);
  }

  @Test
  void aTinyDataSetRunsEveryModeOnBothSides() throws Exception {
    writeDataSet();
    Path out = dir.resolve("out");
    RetrievalQuality.Settings settings = RetrievalQuality.Settings.parse(new String[] {"--data", dir.toString(),
        "--top", "5", "--candidates", "20", "--modes", "bm25,dense,hybrid-rrf,hybrid-convex-0.5",
        "--langchain4j-segments", "254,48", "--index-dir", dir.resolve("indexes").toString(), "--out",
        out.toString()});

    RetrievalQuality.Report report = RetrievalQuality.run(settings);

    assertThat(report.corpusDocuments()).isEqualTo(12);
    assertThat(report.ingestions()).hasSize(3);
    RetrievalQuality.Ingestion ours = report.ingestions().get(0);
    assertThat(ours.side()).startsWith("llmops");
    assertThat(ours.documents()).isEqualTo(12);
    assertThat(ours.chunks()).as("the long document is cut into several chunks").isGreaterThan(13);
    assertThat(ours.embeddingSeconds()).isPositive().isLessThan(ours.totalSeconds());
    assertThat(ours.indexBytes()).isPositive();
    RetrievalQuality.Ingestion wide = report.ingestions().get(1);
    RetrievalQuality.Ingestion narrow = report.ingestions().get(2);
    assertThat(wide.side()).startsWith("langchain4j").contains("254 tok");
    assertThat(wide.documents()).isEqualTo(12);
    assertThat(wide.chunks()).isGreaterThan(12);
    assertThat(narrow.chunks()).as("smaller segments, more of them").isGreaterThan(wide.chunks());
    assertThat(wide.embeddingSeconds()).isPositive().isLessThan(wide.totalSeconds());

    assertThat(report.qualities()).extracting(RetrievalQuality.Quality::mode)
        .containsExactly("bm25", "dense", "hybrid-rrf", "hybrid-convex-0.5", "dense", "dense");
    assertThat(report.qualities()).allSatisfy(q -> {
      // Each query has one relevant document on a topic no other document shares.
      assertThat(q.ndcg10()).as(q.side() + " " + q.mode()).isGreaterThan(0.8);
      assertThat(q.recall100()).isEqualTo(1.0);
      assertThat(q.queries()).isEqualTo(6);
      assertThat(q.missing()).isZero();
      assertThat(q.p99Ms()).isGreaterThanOrEqualTo(q.p50Ms());
      assertThat(q.queriesPerSecond()).isPositive();
      TrecRun run = TrecRun.read(q.run());
      assertThat(run.queries()).hasSize(6);
      for (String query : run.queries()) {
        List<String> ids = run.rankedIds(query);
        assertThat(ids).hasSizeLessThanOrEqualTo(5).doesNotHaveDuplicates();
      }
    });
    assertThat(report.table()).contains("nDCG@10", "docs/s other", "hybrid-rrf", "langchain4j in-memory");
    assertThat(Files.readAllLines(report.write(out))).hasSize(9);
    try (Stream<Path> left = Files.list(dir.resolve("indexes"))) {
      assertThat(left).as("the temporary index is deleted").isEmpty();
    }
  }

  @Test
  void theLongDocumentIsReturnedOncePerQuery() throws Exception {
    writeDataSet();
    RetrievalQuality.Settings settings = RetrievalQuality.Settings.parse(new String[] {"--data", dir.toString(),
        "--top", "12", "--candidates", "40", "--modes", "dense", "--langchain4j-segments", "none", "--index-dir",
        dir.resolve("indexes").toString(), "--out", dir.resolve("out").toString()});

    RetrievalQuality.Report report = RetrievalQuality.run(settings);

    RetrievalQuality.Quality dense = report.qualities().get(0);
    TrecRun run = TrecRun.read(dense.run());
    Set<String> seen = new HashSet<>();
    for (String query : run.queries()) {
      List<String> ids = run.rankedIds(query);
      assertThat(ids).as("12 documents, each once").hasSize(12);
      seen.addAll(ids);
    }
    assertThat(seen).hasSize(12);
  }

  @Test
  void modesAndMissingDataAreNamed() {
    assertThat(RetrievalQuality.Mode.parse("hybrid-convex-0.3").fusion())
        .isEqualTo(dev.llmops.rag.index.Fusion.convex(0.3));
    assertThatThrownBy(() -> RetrievalQuality.Mode.parse("splade")).hasMessageContaining("unknown mode 'splade'");
    assertThatThrownBy(() -> RetrievalQuality.Settings.parse(new String[] {"--model", "bge-small"}))
        .hasMessageContaining("all-minilm-l6-v2-q");
    RetrievalQuality.Settings settings = RetrievalQuality.Settings.parse(new String[] {"--data",
        dir.resolve("nowhere").toString()});
    assertThat(RetrievalQuality.missingData(settings)).hasValueSatisfying(message -> assertThat(message)
        .startsWith("SciFact not found at " + dir.resolve("nowhere").toAbsolutePath())
        .contains("this benchmark needs ../shared/data/scifact", "corpus.jsonl"));
    assertThatThrownBy(() -> RetrievalQuality.run(settings)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SciFact not found");
  }

  @Test
  void percentilesAreNearestRank() {
    long[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(RetrievalQuality.percentile(values, 0.5)).isEqualTo(5);
    assertThat(RetrievalQuality.percentile(values, 0.99)).isEqualTo(10);
    assertThat(RetrievalQuality.percentile(new long[] {7}, 0.99)).isEqualTo(7);
  }
}
