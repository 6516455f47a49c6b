package dev.llmops.benchmarks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.benchmarks.retrieval.TrecRun.ScoredDoc;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrecRunTest {

  @TempDir Path dir;

  @Test
  void ranksByScoreThenDocIdDescendingIgnoringTheRankColumn() {
    TrecRun run = TrecRun.parse(List.of(
        "q1 Q0 d1 1 0.80 bm25",
        "q1 Q0 d3 2 0.90 bm25",
        "q1 Q0 d5 3 0.80 bm25",
        "q2 Q0 a 1 1 bm25",
        "q2 Q0 B 2 1 bm25",
        "q2 Q0 b 3 1.5 bm25"), "run");

    assertThat(run.tag()).isEqualTo("bm25");
    assertThat(run.queries()).containsExactly("q1", "q2");
    assertThat(run.rankedIds("q1")).as("equal scores: the greater id first, as trec_eval's strcmp")
        .containsExactly("d3", "d5", "d1");
    assertThat(run.rankedIds("q2")).as("byte order: 'a' (97) is greater than 'B' (66)").containsExactly("b", "a", "B");
    assertThat(run.ranking("q9")).isEmpty();
  }

  @Test
  void writesLinesInEvaluationOrderAndReadsThemBack() throws Exception {
    Map<String, List<ScoredDoc>> retrieved = new LinkedHashMap<>();
    retrieved.put("7", List.of(new ScoredDoc("x", 0.25), new ScoredDoc("y", 1e-7), new ScoredDoc("z", 0.75)));
    retrieved.put("3", List.of(new ScoredDoc("x", -2.0)));
    TrecRun run = TrecRun.of("dense", retrieved);
    StringWriter text = new StringWriter();

    run.write(text);

    assertThat(text.toString().lines()).containsExactly(
        "7 Q0 z 1 0.75 dense",
        "7 Q0 x 2 0.25 dense",
        "7 Q0 y 3 1.0E-7 dense",
        "3 Q0 x 1 -2.0 dense");
    Path file = dir.resolve("run.txt");
    run.write(file);
    TrecRun back = TrecRun.read(file);
    assertThat(back.queries()).containsExactly("7", "3");
    assertThat(back.ranking("7")).isEqualTo(run.ranking("7"));
    assertThat(back.ranking("3")).isEqualTo(run.ranking("3"));
    assertThat(back.tag()).isEqualTo("dense");
  }

  @Test
  void errorsNameTheFileAndLine() throws Exception {
    Path file = dir.resolve("bad.run");
    Files.write(file, List.of("q1 Q0 d1 1 0.5 t", "q1 Q0 d2 2 0.4"));
    assertThatThrownBy(() -> TrecRun.read(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + ":2:").hasMessageContaining("6 fields");
    assertThatThrownBy(() -> TrecRun.parse(List.of("q1 Q0 d1 1 0.5 t", "", "q1 Q0 d1 3 0.2 t"), "r"))
        .hasMessageStartingWith("r:3:").hasMessageContaining("document d1 again (first on line 1)");
    assertThatThrownBy(() -> TrecRun.parse(List.of("q1 Q0 d1 one 0.5 t"), "r")).hasMessageStartingWith("r:1:")
        .hasMessageContaining("rank 'one'");
    assertThatThrownBy(() -> TrecRun.parse(List.of("q1 Q0 d1 1 high t"), "r")).hasMessageStartingWith("r:1:")
        .hasMessageContaining("score 'high'");
    assertThatThrownBy(() -> TrecRun.parse(List.of("q1 Q0 d1 1 NaN t"), "r")).hasMessageStartingWith("r:1:")
        .hasMessageContaining("not finite");
    assertThatThrownBy(() -> TrecRun.parse(List.of(""), "empty")).hasMessageContaining("no lines");
  }

  @Test
  void rejectsWhatCannotBeWritten() {
    assertThatThrownBy(() -> TrecRun.of("t", Map.of("q", List.of(new ScoredDoc("d", 1), new ScoredDoc("d", 2)))))
        .hasMessageContaining("retrieves document d twice");
    assertThatThrownBy(() -> new ScoredDoc("two words", 1)).hasMessageContaining("whitespace");
    assertThatThrownBy(() -> TrecRun.of("my run", Map.of())).hasMessageContaining("run tag");
    assertThatThrownBy(() -> new ScoredDoc("d", Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
  }
}
