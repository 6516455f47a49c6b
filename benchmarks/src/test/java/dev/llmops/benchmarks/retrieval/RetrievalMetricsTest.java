package dev.llmops.benchmarks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed trec_eval values. nDCG: gain = grade, discount log2(rank + 1); the ideal ranking from the qrels.
 */
class RetrievalMetricsTest {

  // q1: graded; d3 judged not relevant. q2: nothing relevant (skipped). q3: relevant but not in the run (scores 0).
  private static final Qrels QRELS = Qrels.parse(List.of(
      "query-id\tcorpus-id\tscore",
      "q1\td1\t2",
      "q1\td2\t1",
      "q1\td3\t0",
      "q1\td4\t1",
      "q2\te1\t0",
      "q3\tf1\t1"), "qrels");

  // trec_eval order for q1: d3 (0.9), then the tie at 0.8 by descending id: d5 before d1, then d2, d4.
  private static final TrecRun RUN = TrecRun.parse(List.of(
      "q1 Q0 d1 1 0.8 t",
      "q1 Q0 d2 2 0.5 t",
      "q1 Q0 d3 3 0.9 t",
      "q1 Q0 d4 4 0.1 t",
      "q1 Q0 d5 5 0.8 t",
      "q2 Q0 e1 1 1.0 t",
      "q4 Q0 h1 1 1.0 t"), "run");

  private static final double IDCG = 2 + 1 / log2(3) + 1 / log2(4);

  @Test
  void ndcgUsesGradesAsGainsAndTrecEvalTieOrder() {
    RetrievalMetrics.Scores at3 = RetrievalMetrics.ndcg(QRELS, RUN, 3);
    // Ranks: d3 (0), d5 (unjudged), d1 (2) at rank 3: 2 / log2(4) = 1. Ties broken the other way would put d1 at
    // rank 2 and give 2 / log2(3) / IDCG = 0.4030.
    assertThat(at3.perQuery().get("q1")).isCloseTo(1.0 / IDCG, within(1e-12)).isCloseTo(0.3193939, within(1e-6));

    RetrievalMetrics.Scores at5 = RetrievalMetrics.ndcg(QRELS, RUN, 5);
    double dcg5 = 2 / log2(4) + 1 / log2(5) + 1 / log2(6);
    assertThat(at5.perQuery().get("q1")).isCloseTo(dcg5 / IDCG, within(1e-12)).isCloseTo(0.5805079, within(1e-6));
    assertThat(at5.measure()).isEqualTo("ndcg_cut_5");
  }

  @Test
  void averagesOverQrelsQueriesWithARelevantDocumentCountingMissingOnesAsZero() {
    RetrievalMetrics.Scores ndcg = RetrievalMetrics.ndcg(QRELS, RUN, 5);

    assertThat(ndcg.perQuery()).containsOnlyKeys("q1", "q3");
    assertThat(ndcg.perQuery().get("q3")).isZero();
    assertThat(ndcg.missingFromRun()).isEqualTo(1);
    assertThat(ndcg.queries()).isEqualTo(2);
    assertThat(ndcg.mean()).isCloseTo(0.5805079 / 2, within(1e-6));
  }

  @Test
  void recallCountsRelevantDocumentsInTheFirstK() {
    assertThat(RetrievalMetrics.recall(QRELS, RUN, 2).perQuery().get("q1")).isZero();
    assertThat(RetrievalMetrics.recall(QRELS, RUN, 3).perQuery().get("q1")).isCloseTo(1.0 / 3, within(1e-12));
    RetrievalMetrics.Scores at100 = RetrievalMetrics.recall(QRELS, RUN, 100);
    assertThat(at100.perQuery()).containsEntry("q1", 1.0).containsEntry("q3", 0.0).hasSize(2);
    assertThat(at100.mean()).isEqualTo(0.5);
    assertThat(at100.measure()).isEqualTo("recall_100");
  }

  @Test
  void gradesOfZeroOrBelowGiveNoGainAndNoIdealGain() {
    Map<String, Integer> judgements = Map.of("g1", -1, "g2", 3, "g3", 0);

    assertThat(RetrievalMetrics.ndcg(List.of("g1", "g3", "g2"), judgements, 10))
        .isCloseTo(3 / log2(4) / 3, within(1e-12));
    assertThat(RetrievalMetrics.ndcg(List.of("g2", "g1"), judgements, 1)).isEqualTo(1.0);
    assertThat(RetrievalMetrics.recall(List.of("g1", "g3"), judgements, 10)).isZero();
    assertThat(RetrievalMetrics.ndcg(List.of("g1"), Map.of("g1", 0), 10)).isZero();
  }

  @Test
  void theIdealIsCutAtKToo() {
    // Three relevant documents, k = 1: the ideal DCG is the top grade only, so a perfect first document scores 1.
    assertThat(RetrievalMetrics.ndcg(List.of("a", "x"), Map.of("a", 2, "b", 2, "c", 1), 1)).isEqualTo(1.0);
    // At k = 2 the same ranking misses b: 2 / (2 + 2 / log2(3)).
    assertThat(RetrievalMetrics.ndcg(List.of("a", "x"), Map.of("a", 2, "b", 2, "c", 1), 2))
        .isCloseTo(2 / (2 + 2 / log2(3)), within(1e-12));
  }

  @Test
  void rejectsAnEmptyEvaluationAndABadCutoff() {
    Qrels nothingRelevant = Qrels.parse(List.of("q\td\t0"), "none");
    assertThatThrownBy(() -> RetrievalMetrics.ndcg(nothingRelevant, RUN, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no query");
    assertThatThrownBy(() -> RetrievalMetrics.recall(QRELS, RUN, 0)).hasMessageContaining("k must be at least 1");
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
