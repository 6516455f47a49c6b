package dev.llmops.core.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.core.openai.ScriptedHttpServer.RecordedRequest;
import dev.llmops.core.openai.ScriptedHttpServer.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Embeddings through a real loopback HTTP server: request shape, ordering, batching, token counts. */
class OpenAiEmbeddingModelTest extends LoopbackServerTest {

  private OpenAiClient client(int batchSize) {
    client = OpenAiClient.builder().baseUrl(server.baseUrl()).apiKey("sk-embed-key")
        .requestTimeout(Duration.ofSeconds(5)).embeddingBatchSize(batchSize).build();
    return client;
  }

  /** An embeddings response whose data items are listed in {@code order} (indices into the inputs). */
  private static String response(List<float[]> vectors, List<Integer> order, int promptTokens) {
    StringBuilder data = new StringBuilder();
    for (int index : order) {
      if (data.length() > 0) {
        data.append(',');
      }
      StringBuilder values = new StringBuilder();
      for (float v : vectors.get(index)) {
        values.append(values.length() == 0 ? "" : ",").append(v);
      }
      data.append("{\"object\":\"embedding\",\"index\":").append(index).append(",\"embedding\":[").append(values).append("]}");
    }
    return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-test-v2\","
        + "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + promptTokens + "}}";
  }

  /** A handler that embeds input "tN" as [N, N + 0.5] and counts 3 tokens per input. */
  private static Script embedByNumber(RecordedRequest request) {
    JsonNode input = request.json().path("input");
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode text : input) {
      float n = Float.parseFloat(text.asText().substring(1));
      vectors.add(new float[] {n, n + 0.5f});
    }
    return Script.json(200, response(vectors, IntStream.range(0, vectors.size()).boxed().toList(), 3 * vectors.size()));
  }

  @Test
  void sendsInputArrayEncodingFormatAndModel() {
    server.enqueue(Script.json(200, response(List.of(new float[] {1, 0}, new float[] {0, 1}), List.of(0, 1), 7)));

    client(256).embeddingModel("text-embedding-test").embedAll(List.of("first", "second"));

    RecordedRequest sent = server.onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/embeddings");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-embed-key");
    JsonNode body = sent.json();
    assertThat(body.path("model").asText()).isEqualTo("text-embedding-test");
    assertThat(body.path("encoding_format").asText()).isEqualTo("float");
    assertThat(body.path("input").isArray()).isTrue();
    assertThat(body.path("input").get(0).asText()).isEqualTo("first");
    assertThat(body.path("input").get(1).asText()).isEqualTo("second");
    assertThat(body.has("dimensions")).isFalse();
  }

  @Test
  void sendsDimensionsWhenSet() {
    server.enqueue(Script.json(200, response(List.of(new float[] {1, 2, 3}), List.of(0), 2)));

    EmbeddingModel model = client(256).embeddingModel("text-embedding-3-small", 3);
    model.embed("hello");

    assertThat(server.onlyRequest().json().path("dimensions").asInt()).isEqualTo(3);
    assertThat(model.dimension()).isEqualTo(OptionalInt.of(3));
    assertThat(model.modelId()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void returnsVectorsInIndexOrderWhenTheServerShufflesThem() {
    List<float[]> vectors = List.of(new float[] {0, 0.1f}, new float[] {1, 1.1f}, new float[] {2, 2.1f});
    server.enqueue(Script.json(200, response(vectors, List.of(2, 0, 1), 9)));

    EmbeddingResult result = client(256).embeddingModel("m").embedAll(List.of("a", "b", "c"));

    assertThat(result.size()).isEqualTo(3);
    assertThat(result.get(0).vector()).containsExactly(0f, 0.1f);
    assertThat(result.get(1).vector()).containsExactly(1f, 1.1f);
    assertThat(result.get(2).vector()).containsExactly(2f, 2.1f);
    assertThat(result.modelId()).isEqualTo("text-embedding-test-v2");
    assertThat(result.totalTokens()).isEqualTo(9);
  }

  @Test
  void splitsLargeBatchesIntoSeveralRequestsKeepingInputOrder() {
    server.otherwise(OpenAiEmbeddingModelTest::embedByNumber);
    List<String> inputs = IntStream.range(0, 7).mapToObj(i -> "t" + i).toList();

    EmbeddingResult result = client(3).embeddingModel("m").embedAll(inputs);

    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(server.requests()).extracting(r -> r.json().path("input").size()).containsExactly(3, 3, 1);
    assertThat(server.requests().get(1).json().path("input").get(0).asText()).isEqualTo("t3");
    assertThat(result.size()).isEqualTo(7);
    for (int i = 0; i < 7; i++) {
      assertThat(result.get(i).vector()).as("embedding %d", i).containsExactly((float) i, i + 0.5f);
    }
    assertThat(result.totalTokens()).as("the sum of the batches' counts").isEqualTo(21);
  }

  @Test
  void tokenCountIsKnownForASingleInputAndUnknownInABatch() {
    server.enqueue(
        Script.json(200, response(List.of(new float[] {1, 2}), List.of(0), 5)),
        Script.json(200, response(List.of(new float[] {1, 2}, new float[] {3, 4}), List.of(0, 1), 8)));
    EmbeddingModel model = client(256).embeddingModel("m");

    Embedding single = model.embed("hello world");
    EmbeddingResult batch = model.embedAll(List.of("a", "b"));

    assertThat(single.tokenCount()).isEqualTo(5);
    assertThat(single.tokens()).isEqualTo(OptionalInt.of(5));
    assertThat(single.handling()).isEqualTo(InputHandling.WHOLE);
    assertThat(batch.embeddings()).extracting(Embedding::tokenCount).containsExactly(-1, -1);
    assertThat(batch.get(0).tokens()).isEmpty();
    assertThat(batch.totalTokens()).isEqualTo(8);
  }

  @Test
  void anEmptyInputIsRefusedBeforeAnyHttpCall() {
    EmbeddingModel model = client(256).embeddingModel("m");

    assertThatThrownBy(() -> model.embedAll(List.of("fine", "")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("input 1 of 2 is empty");
    assertThatThrownBy(() -> model.embed(""))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("input 0 of 1 is empty");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void noInputsNeedNoHttpCall() {
    EmbeddingResult result = client(256).embeddingModel("m").embedAll(List.of());

    assertThat(result.size()).isZero();
    assertThat(result.totalTokens()).isZero();
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void theWrongNumberOfVectorsIsMalformed() {
    server.enqueue(Script.json(200, response(List.of(new float[] {1, 2}), List.of(0), 4)));

    assertThatThrownBy(() -> client(256).embeddingModel("m").embedAll(List.of("a", "b")))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("asked for 2 embeddings but the response has 1");
  }

  @Test
  void aRepeatedIndexIsMalformed() {
    server.enqueue(Script.json(200, response(List.of(new float[] {1, 2}, new float[] {3, 4}), List.of(1, 1), 4)));

    assertThatThrownBy(() -> client(256).embeddingModel("m").embedAll(List.of("a", "b")))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("index 1 is out of range or repeated");
  }

  @Test
  void vectorsOfDifferentDimensionsAreMalformed() {
    server.enqueue(Script.json(200, response(List.of(new float[] {1, 2}, new float[] {3, 4, 5}), List.of(0, 1), 4)));

    assertThatThrownBy(() -> client(256).embeddingModel("m").embedAll(List.of("a", "b")))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("different dimensions");
  }

  @Test
  void vectorsOfDifferentDimensionsAcrossBatchesAreMalformed() {
    server.enqueue(
        Script.json(200, response(List.of(new float[] {1, 2}), List.of(0), 1)),
        Script.json(200, response(List.of(new float[] {1, 2, 3}), List.of(0), 1)));

    assertThatThrownBy(() -> client(1).embeddingModel("m").embedAll(List.of("a", "b")))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("dimensions 2 and 3");
  }

  @Test
  void aResponseWithoutDataIsMalformed() {
    server.enqueue(Script.json(200, "{\"object\":\"list\"}"));

    assertThatThrownBy(() -> client(256).embeddingModel("m").embed("a"))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("no 'data' array");
  }

  @Test
  void aNonNumberInAVectorIsMalformed() {
    server.enqueue(Script.json(200, "{\"data\":[{\"index\":0,\"embedding\":[0.1,\"x\"]}]}"));

    assertThatThrownBy(() -> client(256).embeddingModel("m").embed("a"))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("non-number at position 1");
  }

  @Test
  void aServerThatIgnoresTheRequestedDimensionsIsCaught() {
    server.enqueue(Script.json(200, response(List.of(new float[] {1, 2, 3, 4}), List.of(0), 2)));
    EmbeddingModel model = client(256).embeddingModel("text-embedding-3-small", 3);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.embed("x"))
        .isInstanceOf(dev.llmops.core.MalformedResponseException.class)
        .hasMessageContaining("3 dimensions").hasMessageContaining("returned 4");
  }
}
