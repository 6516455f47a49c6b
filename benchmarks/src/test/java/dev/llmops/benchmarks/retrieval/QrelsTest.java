package dev.llmops.benchmarks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrelsTest {

  @TempDir Path dir;

  @Test
  void readsBeirTsvWithGradedRelevance() throws Exception {
    Path file = dir.resolve("qrels.tsv");
    Files.write(file, List.of("query-id\tcorpus-id\tscore", "q1\td1\t2", "q1\td2\t0", "q2\td9\t1", "", "q1\td3\t1"));

    Qrels qrels = Qrels.read(file);

    assertThat(qrels.queries()).containsExactly("q1", "q2");
    assertThat(qrels.judgements("q1")).containsEntry("d1", 2).containsEntry("d2", 0).containsEntry("d3", 1)
        .hasSize(3);
    assertThat(qrels.grade("q1", "d1")).isEqualTo(2);
    assertThat(qrels.grade("q1", "unjudged")).isZero();
    assertThat(qrels.grade("q7", "d1")).isZero();
    assertThat(qrels.relevantCount("q1")).as("grade 0 is judged not relevant").isEqualTo(2);
    assertThat(qrels.size()).isEqualTo(4);
  }

  @Test
  void readsTrecQrelsAndHeaderlessBeir() {
    Qrels trec = Qrels.parse(List.of("301 0 FBIS3-10082 1", "301  0\tFBIS3-10169 0", "302 0 FT921-5 -1"), "trec");
    assertThat(trec.judgements("301")).containsEntry("FBIS3-10082", 1).containsEntry("FBIS3-10169", 0);
    assertThat(trec.grade("302", "FT921-5")).isEqualTo(-1);
    assertThat(trec.relevantCount("302")).isZero();

    Qrels beir = Qrels.parse(List.of("q1\td1\t1", "q1\td2\t3"), "beir");
    assertThat(beir.judgements("q1")).containsEntry("d2", 3).hasSize(2);
  }

  @Test
  void errorsNameTheFileAndLine() {
    assertThatThrownBy(() -> Qrels.parse(List.of("query-id\tcorpus-id\tscore", "q1\td1\t1", "q1\td2"), "a.tsv"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("a.tsv:3:");
    assertThatThrownBy(() -> Qrels.parse(List.of("q1\td1\t1", "q1\td2\thigh"), "b.tsv"))
        .hasMessageStartingWith("b.tsv:2:").hasMessageContaining("'high'");
    assertThatThrownBy(() -> Qrels.parse(List.of("1 0 d1 1", "1 0 d1 2"), "c.txt"))
        .hasMessageStartingWith("c.txt:2:").hasMessageContaining("line 1");
    assertThatThrownBy(() -> Qrels.parse(List.of("1 0 d1 1", "1 d2 1"), "d.txt"))
        .hasMessageStartingWith("d.txt:2:").hasMessageContaining("4 fields");
  }

  @Test
  void readsSciFactTrainingQrels() throws Exception {
    Path file = Path.of("../../shared/data/scifact/qrels-train.tsv");
    assumeThat(file).as("SciFact from ../shared/data").isRegularFile();

    Qrels qrels = Qrels.read(file);

    assertThat(qrels.size()).isEqualTo(Files.readAllLines(file).size() - 1);
    assertThat(qrels.queries()).hasSize(809);
    assertThat(qrels.queries()).allSatisfy(q -> assertThat(qrels.relevantCount(q)).isPositive());
  }
}
