package dev.llmops.benchmarks.retrieval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nDCG@k and recall@k with trec_eval's definitions ({@code ndcg_cut.k}, {@code recall.k}), averaged as BEIR reports
 * them.
 *
 * <ul>
 *   <li>A query's ranking is the run's documents in trec_eval's order ({@link TrecRun#TREC_EVAL_ORDER}), cut at k.
 *   <li>nDCG@k: DCG = sum over ranks r = 1..k of grade / log2(r + 1), with gain = the qrels grade (linear, not
 *       2^grade - 1) and grades of 0 or below adding nothing; divided by the DCG of the ideal ranking, the query's
 *       judged grades sorted highest first, cut at k.
 *   <li>recall@k: relevant documents (grade 1 or more) in the first k, over all relevant documents of the query.
 *   <li>The mean is over the queries of the qrels that have at least one relevant document; a query with no relevant
 *       document is skipped (pytrec_eval gives it no value), and one that the run has no line for counts 0. Queries
 *       of the run that the qrels do not judge are ignored.
 * </ul>
 */
public final class RetrievalMetrics {

  private RetrievalMetrics() {}

  /**
   * One measure over a run.
   *
   * @param measure trec_eval's name, such as {@code ndcg_cut_10} or {@code recall_100}
   * @param mean the mean over {@code perQuery}
   * @param perQuery the value for each evaluated query, in the order of the qrels
   * @param missingFromRun how many of the evaluated queries had no line in the run (each counted as 0)
   */
  public record Scores(String measure, int k, double mean, Map<String, Double> perQuery, int missingFromRun) {
    /** How many queries were averaged. */
    public int queries() {
      return perQuery.size();
    }
  }

  /**
   * nDCG@k of {@code run} against {@code qrels}.
   *
   * @throws IllegalArgumentException when {@code k < 1} or no query in {@code qrels} has a relevant document
   */
  public static Scores ndcg(Qrels qrels, TrecRun run, int k) {
    return evaluate("ndcg_cut_" + k, qrels, run, k, RetrievalMetrics::ndcg);
  }

  /**
   * recall@k of {@code run} against {@code qrels}.
   *
   * @throws IllegalArgumentException when {@code k < 1} or no query in {@code qrels} has a relevant document
   */
  public static Scores recall(Qrels qrels, TrecRun run, int k) {
    return evaluate("recall_" + k, qrels, run, k, RetrievalMetrics::recall);
  }

  /**
   * nDCG@k of one ranking (best first, already in the order to evaluate) against one query's judgements; 0 when
   * nothing is relevant.
   */
  public static double ndcg(List<String> ranking, Map<String, Integer> judgements, int k) {
    requirePositive(k);
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranking.size()); i++) {
      int grade = judgements.getOrDefault(ranking.get(i), 0);
      if (grade > 0) {
        dcg += grade / log2(i + 2);
      }
    }
    int[] ideal = judgements.values().stream().mapToInt(Integer::intValue).filter(g -> g > 0)
        .map(g -> -g).sorted().map(g -> -g).toArray();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.length); i++) {
      idcg += ideal[i] / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  /**
   * recall@k of one ranking (best first) against one query's judgements; 0 when nothing is relevant.
   */
  public static double recall(List<String> ranking, Map<String, Integer> judgements, int k) {
    requirePositive(k);
    long relevant = judgements.values().stream().filter(g -> g > 0).count();
    if (relevant == 0) {
      return 0;
    }
    int found = 0;
    for (int i = 0; i < Math.min(k, ranking.size()); i++) {
      if (judgements.getOrDefault(ranking.get(i), 0) > 0) {
        found++;
      }
    }
    return (double) found / relevant;
  }

  private interface PerQuery {
    double apply(List<String> ranking, Map<String, Integer> judgements, int k);
  }

  private static Scores evaluate(String measure, Qrels qrels, TrecRun run, int k, PerQuery metric) {
    requirePositive(k);
    Map<String, Double> perQuery = new LinkedHashMap<>();
    int missing = 0;
    double sum = 0;
    for (String query : qrels.queries()) {
      if (qrels.relevantCount(query) == 0) {
        continue;
      }
      if (run.ranking(query).isEmpty()) {
        missing++;
      }
      double value = metric.apply(run.rankedIds(query), qrels.judgements(query), k);
      perQuery.put(query, value);
      sum += value;
    }
    if (perQuery.isEmpty()) {
      throw new IllegalArgumentException("no query in " + qrels + " has a relevant document; " + measure
          + " is undefined");
    }
    return new Scores(measure, k, sum / perQuery.size(), Collections.unmodifiableMap(perQuery), missing);
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  private static void requirePositive(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("cutoff k must be at least 1, was " + k);
    }
  }
}
