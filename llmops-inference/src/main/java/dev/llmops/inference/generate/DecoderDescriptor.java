package dev.llmops.inference.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.inference.internal.JsonFiles;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the engine knows about a decoder model: its shape (from the ONNX graph, which is authoritative), its context
 * length and special tokens (from the export's {@code config.json} and {@code generation_config.json}), its default
 * generation settings ({@code generation_config.json}) and its chat template ({@code tokenizer_config.json}, or one
 * the builder was given).
 *
 * @param layers transformer layers ({@code past_key_values.N} pairs)
 * @param kvHeads key/value heads per layer (fewer than the attention heads under grouped-query attention)
 * @param headDim size of one head
 * @param vocabularySize the last dimension of {@code logits}
 * @param contextLength most positions a sequence may use, prompt and answer together
 * @param eosTokenIds ids that end a sequence
 * @param bosTokenId the beginning-of-sequence id, or {@code null}
 * @param chatTemplate the Jinja chat template, or {@code null} when the model has none
 * @param bosToken the beginning-of-sequence text the template may use, or {@code null}
 * @param eosToken the end-of-sequence text the template may use, or {@code null}
 * @param defaults generation settings for a request that sets none
 */
public record DecoderDescriptor(
    int layers,
    int kvHeads,
    int headDim,
    int vocabularySize,
    int contextLength,
    Set<Integer> eosTokenIds,
    @Nullable Integer bosTokenId,
    @Nullable String chatTemplate,
    @Nullable String bosToken,
    @Nullable String eosToken,
    SamplingParameters defaults) {

  /** Answer length when neither the request nor {@code generation_config.json} sets one. */
  static final int DEFAULT_MAX_NEW_TOKENS = 256;

  /** Validates and copies. */
  public DecoderDescriptor {
    eosTokenIds = Set.copyOf(eosTokenIds);
    if (layers < 1 || kvHeads < 1 || headDim < 1 || vocabularySize < 1 || contextLength < 2) {
      throw new IllegalArgumentException("a decoder needs positive layers, kvHeads, headDim and vocabularySize and a "
          + "context of at least 2 but had " + layers + ", " + kvHeads + ", " + headDim + ", " + vocabularySize
          + ", " + contextLength);
    }
  }

  /** Floats of key and value cache per token over all layers. */
  public long kvFloatsPerToken() {
    return 2L * layers * kvHeads * headDim;
  }

  /**
   * Reads the export's JSON files in {@code dir} around the graph's shape.
   *
   * @param fallbackContext the context length when {@code config.json} names none
   */
  static DecoderDescriptor read(Path dir, int layers, int kvHeads, int headDim, int vocabulary, int fallbackContext,
      @Nullable String templateOverride) {
    JsonNode config = json(dir.resolve("config.json"));
    JsonNode generation = json(dir.resolve("generation_config.json"));
    JsonNode tokenizer = json(dir.resolve("tokenizer_config.json"));
    int context = firstInt(config, fallbackContext, "max_position_embeddings", "n_positions", "max_sequence_length",
        "seq_length");
    Set<Integer> eos = new LinkedHashSet<>();
    addIds(eos, generation.path("eos_token_id"));
    if (eos.isEmpty()) {
      addIds(eos, config.path("eos_token_id"));
    }
    Integer bos = generation.path("bos_token_id").isIntegralNumber() ? Integer.valueOf(generation.path("bos_token_id")
        .asInt()) : config.path("bos_token_id").isIntegralNumber() ? Integer.valueOf(config.path("bos_token_id").asInt())
        : null;
    boolean sample = generation.path("do_sample").asBoolean(false);
    int maxNew = generation.path("max_new_tokens").asInt(DEFAULT_MAX_NEW_TOKENS);
    SamplingParameters defaults = new SamplingParameters(Math.max(1, maxNew), 0,
        sample ? generation.path("temperature").asDouble(1.0) : 0,
        sample ? generation.path("top_k").asInt(50) : 0,
        sample ? generation.path("top_p").asDouble(1.0) : 1,
        generation.path("repetition_penalty").asDouble(1.0), 0, 0, null, List.of(), Set.of());
    String template = templateOverride != null ? templateOverride : text(tokenizer.path("chat_template"));
    return new DecoderDescriptor(layers, kvHeads, headDim, vocabulary, context, eos, bos, template,
        tokenText(tokenizer.path("bos_token")), tokenText(tokenizer.path("eos_token")), defaults);
  }

  private static JsonNode json(Path file) {
    return JsonFiles.readObject(file);
  }

  private static int firstInt(JsonNode config, int fallback, String... names) {
    for (String name : names) {
      if (config.path(name).isIntegralNumber() && config.path(name).asInt() >= 2) {
        return config.path(name).asInt();
      }
    }
    return fallback;
  }

  private static void addIds(Set<Integer> ids, JsonNode node) {
    if (node.isIntegralNumber()) {
      ids.add(node.asInt());
    } else if (node.isArray()) {
      node.forEach(id -> {
        if (id.isIntegralNumber()) {
          ids.add(id.asInt());
        }
      });
    }
  }

  private static @Nullable String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) { // a list of named templates: take "default"
      for (JsonNode named : node) {
        if ("default".equals(named.path("name").asText())) {
          return named.path("template").asText();
        }
      }
    }
    return null;
  }

  private static @Nullable String tokenText(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    return node.path("content").isTextual() ? node.path("content").asText() : null;
  }
}
