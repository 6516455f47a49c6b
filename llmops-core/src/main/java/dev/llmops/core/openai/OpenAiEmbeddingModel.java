package dev.llmops.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.MalformedResponseException;
import dev.llmops.core.embedding.Embedding;
import dev.llmops.core.embedding.EmbeddingModel;
import dev.llmops.core.embedding.EmbeddingResult;
import dev.llmops.core.embedding.InputHandling;
import dev.llmops.core.internal.openai.OpenAiWire;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * {@link EmbeddingModel} over {@code /embeddings}. Batches larger than the client's batch size are split
 * into several requests; the results keep input order. The server refuses inputs longer than its window
 * (OpenAI answers 400), so every embedding is {@link InputHandling#WHOLE}. Per-input token counts are known
 * only for single-input requests (the protocol reports a batch total). Thread-safe.
 */
final class OpenAiEmbeddingModel implements EmbeddingModel {

  private static final String PATH = "/embeddings";

  private final OpenAiClient client;
  private final String model;
  private final @Nullable Integer dimensions;

  OpenAiEmbeddingModel(OpenAiClient client, String model, @Nullable Integer dimensions) {
    this.client = client;
    this.model = model;
    this.dimensions = dimensions;
  }

  @Override
  public EmbeddingResult embedAll(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isEmpty()) {
        throw new InvalidRequestException("input " + i + " of " + texts.size() + " is empty; embedding servers refuse empty text");
      }
    }
    List<Embedding> embeddings = new ArrayList<>(texts.size());
    String servedModel = model;
    int totalTokens = 0;
    for (int from = 0; from < texts.size(); from += client.embeddingBatchSize()) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + client.embeddingBatchSize()));
      JsonNode body = client.postJson(PATH, model, OpenAiWire.embeddingRequest(model, batch, dimensions));
      float[][] vectors = OpenAiWire.parseEmbeddingVectors(body, batch.size());
      if (dimensions != null && vectors.length > 0 && vectors[0].length != dimensions) {
        throw new MalformedResponseException("asked " + model + " for vectors of " + dimensions + " dimensions but the"
            + " server returned " + vectors[0].length + "; it may not support shortening embeddings");
      }
      JsonNode promptTokens = body.path("usage").path("prompt_tokens");
      int batchTokens = promptTokens.isInt() ? promptTokens.asInt() : -1;
      totalTokens = totalTokens < 0 || batchTokens < 0 ? -1 : totalTokens + batchTokens;
      for (float[] vector : vectors) {
        embeddings.add(new Embedding(vector, batch.size() == 1 ? batchTokens : -1, InputHandling.WHOLE));
      }
      String named = body.path("model").asText("");
      if (!named.isBlank()) {
        servedModel = named;
      }
    }
    if (!embeddings.isEmpty()) {
      int dimension = embeddings.get(0).dimension();
      for (Embedding e : embeddings) {
        if (e.dimension() != dimension) {
          throw new MalformedResponseException(
              "the server returned embeddings of dimensions " + dimension + " and " + e.dimension() + " for one model");
        }
      }
    }
    return new EmbeddingResult(embeddings, servedModel, texts.isEmpty() ? 0 : totalTokens);
  }

  @Override
  public String modelId() {
    return model;
  }

  @Override
  public OptionalInt dimension() {
    return dimensions == null ? OptionalInt.empty() : OptionalInt.of(dimensions);
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingModel[" + model + " at " + client.baseUrl() + "]";
  }
}
