package dev.llmops.core.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetrievalQueryTest {

  @Test
  void buildsWithDefaultsAndToleratesRepeatedGroups() {
    RetrievalQuery query = RetrievalQuery.builder("refund policy").tenant("acme").groups("eng", "eng", "sales")
        .filter("lang", "en").snapshot("snap-7").build();
    assertThat(query.topK()).isEqualTo(5);
    assertThat(query.groups()).containsExactlyInAnyOrder("eng", "sales");
    assertThat(query.filters()).containsEntry("lang", "en");
    assertThat(query.snapshotId()).isEqualTo("snap-7");
  }

  @Test
  void refusesBlankTextAndBadTopK() {
    assertThatThrownBy(() -> RetrievalQuery.of(" ", 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetrievalQuery.of("q", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
