package dev.llmops.test;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterministicEmbeddingModelTest {

  private final DeterministicEmbeddingModel model = DeterministicEmbeddingModel.create();

  @Test
  void sameTextGivesTheSameVectorAcrossInstances() {
    Embedding a = model.embed("The quick brown fox");
    Embedding b = DeterministicEmbeddingModel.create().embed("The quick brown fox");
    assertThat(a).isEqualTo(b).hasDimension(256).wasHandledAs(InputHandling.WHOLE);
    assertThat(a.tokenCount()).isEqualTo(4);
    assertThat(a.cosine(b)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void vectorsAreStableAcrossJvms() {
    // Pinned values: a change of the hashing would silently change every fixture built on this model.
    float[] v = model.embed("refund policy").vector();
    assertThat(v[15]).isEqualTo(-0.2236068f);
    assertThat(v[23]).isEqualTo(0.2236068f);
    assertThat(v[66]).isEqualTo(-0.4472136f);
    assertThat(v[76]).isEqualTo(0.2236068f);
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(model.embed("refund policy").cosine(model.embed("Refund   POLICY!"))).isCloseTo(1.0,
        org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void textsSharingWordsAreCloserThanUnrelatedTexts() {
    Embedding query = model.embed("how long does a refund take");
    Embedding related = model.embed("refunds take five business days");
    Embedding unrelated = model.embed("the cathedral was built in the twelfth century");
    assertThat(query.cosine(related)).isGreaterThan(query.cosine(unrelated) + 0.2);
    assertThat(query).isCloserThan(0.3, related).isFurtherThan(0.2, unrelated);
  }

  @Test
  void neverTruncatesSilently() {
    String longText = "word ".repeat(20);
    DeterministicEmbeddingModel.Builder small = DeterministicEmbeddingModel.builder().maxTokens(8);

    assertThatThrownBy(() -> small.build().embedAll(List.of("short", longText)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("input 1 has 20 tokens");

    Embedding truncated = small.overflow(DeterministicEmbeddingModel.Overflow.TRUNCATE).build().embed(longText);
    assertThat(truncated).wasHandledAs(InputHandling.TRUNCATED);
    assertThat(truncated.tokenCount()).isEqualTo(20);

    Embedding chunked = small.overflow(DeterministicEmbeddingModel.Overflow.CHUNK).build().embed(longText);
    assertThat(chunked).wasHandledAs(InputHandling.CHUNKED);
  }

  @Test
  void chunkingSeesTheWholeText() {
    DeterministicEmbeddingModel chunking = DeterministicEmbeddingModel.builder().maxTokens(5)
        .overflow(DeterministicEmbeddingModel.Overflow.CHUNK).build();
    String shared = "alpha beta gamma delta epsilon ";
    Embedding a = chunking.embed(shared + "zeta eta theta iota kappa");
    Embedding b = chunking.embed(shared + "lambda mu nu xi omicron");
    // Two texts that share only their first window must not look identical (the LangChain4j truncation bug).
    assertThat(a.cosine(b)).isLessThan(0.9);
  }

  @Test
  void batchesKeepInputOrderAndCountTokens() {
    EmbeddingResult result = model.embedAll(List.of("one", "two words", "three little words"));
    assertThat(result.size()).isEqualTo(3);
    assertThat(result.totalTokens()).isEqualTo(6);
    assertThat(result.get(1)).isEqualTo(model.embed("two words"));
    assertThat(result.modelId()).isEqualTo("deterministic-embedding");
  }
}
