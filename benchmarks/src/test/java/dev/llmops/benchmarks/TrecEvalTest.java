package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecEvalTest {

  @TempDir Path dir;

  @Test
  void scoresEveryRunAgainstTheQrels() throws Exception {
    Path qrels = dir.resolve("qrels.tsv");
    Files.write(qrels, List.of("query-id\tcorpus-id\tscore", "1\ta\t1", "1\tb\t1", "2\tc\t1"));
    Path perfect = dir.resolve("perfect.run");
    Files.write(perfect, List.of("1 Q0 a 1 3 perfect", "1 Q0 b 2 2 perfect", "2 Q0 c 1 1 perfect"));
    Path partial = dir.resolve("partial.run");
    Files.write(partial, List.of("1 Q0 x 1 3 partial", "1 Q0 a 2 2 partial"));

    TrecEval.Report report = TrecEval.run(TrecEval.Settings.parse(new String[] {"--qrels", qrels.toString(),
        "--run", perfect.toString(), "--run", partial.toString(), "--out", dir.toString()}));

    assertThat(report.rows()).hasSize(2);
    TrecEval.Row first = report.rows().get(0);
    assertThat(first.ndcg().mean()).isEqualTo(1.0);
    assertThat(first.recall().mean()).isEqualTo(1.0);
    TrecEval.Row second = report.rows().get(1);
    // Query 1: a at rank 2 of two relevant: (1 / log2 3) / (1 + 1 / log2 3); query 2 has no line: 0.
    double log3 = Math.log(3) / Math.log(2);
    assertThat(second.ndcg().mean()).isCloseTo((1 / log3) / (1 + 1 / log3) / 2, within(1e-12));
    assertThat(second.recall().mean()).isEqualTo(0.25);
    assertThat(second.missing()).isEqualTo(1);
    assertThat(second.tag()).isEqualTo("partial");
    assertThat(report.table()).contains("nDCG@10", "recall@100", "partial.run");
    assertThat(Files.readAllLines(report.write(dir))).hasSize(2).first().asString()
        .contains("\"ndcg_cut_10\":1.0", "\"recall_100\":1.0");
  }

  @Test
  void needsQrelsAndARun() {
    assertThatThrownBy(() -> TrecEval.Settings.parse(new String[] {"--run", "a.run"}))
        .hasMessageContaining("one --qrels FILE and at least one --run FILE");
  }
}
