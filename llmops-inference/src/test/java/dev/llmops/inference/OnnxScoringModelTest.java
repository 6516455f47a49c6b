package dev.llmops.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.testing.TinyModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cross-encoder on a small generated model whose score grows with the words query and passage share. */
class OnnxScoringModelTest {

  @TempDir Path dir;

  @Test
  void passagesSharingTheQuerysWordsScoreHigherInTheGivenOrder() throws IOException {
    TinyModels.crossEncoder(dir);
    try (OnnxScoringModel reranker = OnnxScoringModel.builder().source(ModelSource.directory(dir))
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      List<String> passages = List.of("Bananas are yellow fruit rich in potassium.",
          "Dynamic batching groups inference requests into batches.",
          "Requests wait in a queue.");
      List<Double> scores = reranker.score("how does dynamic batching group requests", passages);
      assertThat(scores).hasSize(3).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
      // Three shared words, then one, then none.
      assertThat(scores.get(1)).isGreaterThan(scores.get(2));
      assertThat(scores.get(2)).isGreaterThan(scores.get(0));
    }
  }

  @Test
  void batchedScoresEqualScoresOneByOne() throws IOException {
    TinyModels.crossEncoder(dir);
    List<String> passages = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      passages.add(ModelFixtures.longText("Passage " + i, 5 + i * 7, i));
    }
    String query = "protein receptor pathway in the liver";
    try (OnnxScoringModel batched = OnnxScoringModel.builder().source(ModelSource.directory(dir))
            .activation(Activation.NONE).meterRegistry(new SimpleMeterRegistry()).build();
        OnnxScoringModel single = OnnxScoringModel.builder().source(ModelSource.directory(dir))
            .activation(Activation.NONE).batching(BatchingSettings.unbatched())
            .meterRegistry(new SimpleMeterRegistry()).build()) {
      List<Double> all = batched.score(query, passages);
      for (int i = 0; i < passages.size(); i++) {
        assertThat(single.score(query, List.of(passages.get(i))).get(0))
            .isCloseTo(all.get(i), org.assertj.core.data.Offset.offset(1e-4));
      }
      assertThat(batched.stats().meanBatchSize()).isGreaterThan(1.0);
    }
  }

  @Test
  void badQueriesAndPassagesAreRefused() throws IOException {
    TinyModels.crossEncoder(dir);
    try (OnnxScoringModel reranker = OnnxScoringModel.builder().source(ModelSource.directory(dir))
        .meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThatThrownBy(() -> reranker.score("", List.of("p"))).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("query is empty");
      assertThatThrownBy(() -> reranker.score("q", List.of("fine", " "))).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("passages[1]");
      String hugeQuery = "query word ".repeat(400);
      assertThatThrownBy(() -> reranker.score(hugeQuery, List.of("p"))).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("leaves no room for a passage");
      assertThat(reranker.score("q ok", List.of("fine")).get(0)).isBetween(0.0, 1.0);
    }
  }
}
