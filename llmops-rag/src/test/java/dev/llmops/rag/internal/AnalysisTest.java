package dev.llmops.rag.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.rag.index.TextAnalysis;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;

class AnalysisTest {

  @Test
  void termCountsAreInFirstSeenOrder() {
    try (Analyzer analyzer = Analysis.analyzer(TextAnalysis.STANDARD)) {
      assertThat(Analysis.termCounts(analyzer, "f", "b a b c a b", 10))
          .containsExactly(Map.entry("b", 3), Map.entry("a", 2), Map.entry("c", 1));
      assertThat(Analysis.termCounts(analyzer, "f", " ,; ", 10)).isEmpty();
    }
  }

  @Test
  void aCapKeepsTheMostFrequentTermsAndAmongEqualOnesTheFirstSeen() {
    try (Analyzer analyzer = Analysis.analyzer(TextAnalysis.STANDARD)) {
      // d and e occur twice; of the once-only a, b, c, f the first two seen fill the four; first-seen order stays.
      assertThat(Analysis.termCounts(analyzer, "f", "a b c d e d e f", 4))
          .containsExactly(Map.entry("a", 1), Map.entry("b", 1), Map.entry("d", 2), Map.entry("e", 2));
      assertThatThrownBy(() -> Analysis.termCounts(analyzer, "f", "a", 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
  }
}
