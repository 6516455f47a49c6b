package dev.llmops.inference.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.inference.internal.lora.LoraGraphs;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxAttribute;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Writes a small decoder-only transformer with random weights, laid out as Hugging Face Optimum exports a
 * text-generation model with past key values, so the whole generation stack can be run, tested and benchmarked
 * without downloading a model: {@code model.onnx}, {@code config.json}, {@code generation_config.json},
 * {@code tokenizer.json} and {@code tokenizer_config.json} (with a chat template).
 *
 * <p>The model: learned token and position embeddings, {@code layers} pre-norm blocks of grouped-query causal
 * self-attention ({@code heads} query heads sharing {@code kvHeads} key/value heads, each query head {@code h} reading
 * key/value head {@code h / (heads / kvHeads)}) and a SiLU MLP, a final layer norm and an untied output projection.
 * Inputs {@code input_ids}, {@code attention_mask} (over past and new positions), {@code position_ids} and
 * {@code past_key_values.N.key/value} {@code [batch, kvHeads, past, headDim]}; outputs {@code logits
 * [batch, sequence, vocabulary]} and {@code present.N.key/value}. Padding anywhere (mask 0) is ignored; positions
 * come only from {@code position_ids}, so a left-padded row computes what it computes alone.
 *
 * <p>The default tokenizer is byte-level BPE with one token per byte (ids 0-255, GPT-2's byte-to-character map, so
 * a multi-byte character spans several tokens) and the special tokens {@code <|bos|>}, {@code <|eos|>},
 * {@code <|system|>}, {@code <|user|>}, {@code <|assistant|>} and {@code <|end|>}; {@link Builder#tokenizer(Path)}
 * takes any {@code tokenizer.json} instead (then the vocabulary is that tokenizer's and the chat template uses plain
 * text markers). Weights come from {@link Builder#seed}: the same settings always write the same bytes.
 *
 * <pre>{@code
 * Path dir = SyntheticDecoder.builder().layers(2).hidden(64).heads(4).kvHeads(2).write(Path.of("tiny-decoder"));
 * try (OnnxChatModel model = OnnxChatModel.builder().directory(dir).build()) { ... }
 * }</pre>
 */
public final class SyntheticDecoder {

  /** The special tokens of the byte-level tokenizer, in id order after the 256 byte tokens. */
  public static final List<String> SPECIAL_TOKENS =
      List.of("<|bos|>", "<|eos|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BYTE_LEVEL_TEMPLATE = "{{ '<|bos|>' }}{% for message in messages %}"
      + "{{ '<|' + message['role'] + '|>' + message['content'] + '<|end|>' }}{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";
  private static final String PLAIN_TEMPLATE = "{% for message in messages %}"
      + "{{ message['role'] + ': ' + message['content'] + '\\n' }}{% endfor %}"
      + "{% if add_generation_prompt %}{{ 'assistant: ' }}{% endif %}";

  private SyntheticDecoder() {}

  /** A builder with the defaults: 2 layers, hidden 64, 4 heads, 2 key/value heads, 1,024 positions, seed 1. */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a synthetic decoder. Not thread-safe. */
  public static final class Builder {
    private int layers = 2;
    private int hidden = 64;
    private int heads = 4;
    private int kvHeads = 2;
    private int maxPositions = 1024;
    private long seed = 1;
    private @Nullable Path tokenizer;
    private int eosTokenId = -1;
    private int loraRank;

    private Builder() {}

    /** Transformer blocks, at least 1. */
    public Builder layers(int layers) {
      this.layers = layers;
      return this;
    }

    /** Hidden size, a multiple of {@code heads}. */
    public Builder hidden(int hidden) {
      this.hidden = hidden;
      return this;
    }

    /** Query heads, a multiple of {@code kvHeads}. */
    public Builder heads(int heads) {
      this.heads = heads;
      return this;
    }

    /** Key/value heads (grouped-query attention when fewer than {@code heads}). */
    public Builder kvHeads(int kvHeads) {
      this.kvHeads = kvHeads;
      return this;
    }

    /** Positions the model has embeddings for: its context length. */
    public Builder maxPositions(int maxPositions) {
      this.maxPositions = maxPositions;
      return this;
    }

    /** Seed of the random weights. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Uses this Hugging Face {@code tokenizer.json} (copied into the model directory) instead of the byte-level one.
     *
     * @param tokenizerJson the tokenizer file
     * @param eosTokenId the id the model's configuration names as end of sequence
     */
    public Builder tokenizer(Path tokenizerJson, int eosTokenId) {
      this.tokenizer = tokenizerJson;
      this.eosTokenId = eosTokenId;
      return this;
    }

    /**
     * Gives the query and value projections of every layer LoRA inputs ({@code layers.N.q_proj.lora_A/lora_B} and
     * {@code layers.N.v_proj.lora_A/lora_B}, defaulting to zeros of this rank, scale 1), so adapters can be loaded.
     * 0 (the default) adds none.
     */
    public Builder loraRank(int rank) {
      this.loraRank = rank;
      return this;
    }

    /**
     * Writes the model directory.
     *
     * @param dir created if missing; existing files of the same names are replaced
     * @return {@code dir}
     * @throws IllegalArgumentException when the sizes do not fit together
     * @throws UncheckedIOException when a file cannot be written
     */
    public Path write(Path dir) {
      if (layers < 1 || heads < 1 || kvHeads < 1 || hidden < 1 || maxPositions < 2) {
        throw new IllegalArgumentException("layers, heads, kvHeads and hidden must be positive and maxPositions at "
            + "least 2 but were " + layers + ", " + heads + ", " + kvHeads + ", " + hidden + ", " + maxPositions);
      }
      if (loraRank < 0) {
        throw new IllegalArgumentException("loraRank must not be negative but was " + loraRank);
      }
      if (hidden % heads != 0 || heads % kvHeads != 0) {
        throw new IllegalArgumentException("hidden (" + hidden + ") must be a multiple of heads (" + heads
            + ") and heads a multiple of kvHeads (" + kvHeads + ")");
      }
      try {
        Files.createDirectories(dir);
        int vocabulary;
        int eos;
        int bos;
        String template;
        if (tokenizer == null) {
          Files.writeString(dir.resolve("tokenizer.json"), byteLevelTokenizer());
          vocabulary = 256 + SPECIAL_TOKENS.size();
          bos = 256;
          eos = 257;
          template = BYTE_LEVEL_TEMPLATE;
        } else {
          Files.copy(tokenizer, dir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          vocabulary = vocabularySize(JSON.readTree(tokenizer.toFile()), eosTokenId);
          eos = eosTokenId;
          bos = eosTokenId;
          template = PLAIN_TEMPLATE;
        }
        OnnxFiles.write(new Graph(this, vocabulary).build().model("llmops-synthetic-decoder", 17),
            dir.resolve("model.onnx"));
        ObjectNode config = JSON.createObjectNode();
        config.putArray("architectures").add("LlamaForCausalLM");
        config.put("model_type", "llmops-synthetic");
        config.put("num_hidden_layers", layers);
        config.put("hidden_size", hidden);
        config.put("num_attention_heads", heads);
        config.put("num_key_value_heads", kvHeads);
        config.put("head_dim", hidden / heads);
        config.put("vocab_size", vocabulary);
        config.put("max_position_embeddings", maxPositions);
        config.put("bos_token_id", bos);
        config.put("eos_token_id", eos);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        ObjectNode generation = JSON.createObjectNode();
        generation.put("bos_token_id", bos);
        generation.put("eos_token_id", eos);
        generation.put("do_sample", false);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("generation_config.json").toFile(), generation);
        ObjectNode tokenizerConfig = JSON.createObjectNode();
        tokenizerConfig.put("chat_template", template);
        if (tokenizer == null) {
          tokenizerConfig.put("bos_token", "<|bos|>");
          tokenizerConfig.put("eos_token", "<|eos|>");
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(),
            tokenizerConfig);
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the synthetic decoder to " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /** One more than the largest id of the tokenizer's vocabulary, its added tokens and {@code eos}. */
  private static int vocabularySize(com.fasterxml.jackson.databind.JsonNode tokenizer, int eos) {
    int max = eos;
    for (com.fasterxml.jackson.databind.JsonNode id : tokenizer.path("model").path("vocab")) {
      max = Math.max(max, id.asInt());
    }
    for (com.fasterxml.jackson.databind.JsonNode token : tokenizer.path("added_tokens")) {
      max = Math.max(max, token.path("id").asInt());
    }
    return max + 1;
  }

  /** GPT-2's map from bytes to printable characters, which byte-level BPE vocabularies are written in. */
  static char[] byteToChar() {
    char[] map = new char[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      map[b] = printable ? (char) b : (char) next++;
    }
    return map;
  }

  private static String byteLevelTokenizer() throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
      ObjectNode token = added.addObject();
      token.put("id", 256 + i);
      token.put("content", SPECIAL_TOKENS.get(i));
      token.put("single_word", false);
      token.put("lstrip", false);
      token.put("rstrip", false);
      token.put("normalized", false);
      token.put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "ByteLevel");
    pre.put("add_prefix_space", false);
    pre.put("trim_offsets", true);
    pre.put("use_regex", true);
    root.putNull("post_processor");
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", false);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    char[] chars = byteToChar();
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(chars[b]), b);
    }
    model.putArray("merges");
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** The graph of one model. */
  private static final class Graph {
    private final Builder s;
    private final int vocabulary;
    private final int headDim;
    private final Random random;
    private final GraphBuilder b = new GraphBuilder();

    Graph(Builder settings, int vocabulary) {
      this.s = settings;
      this.vocabulary = vocabulary;
      this.headDim = settings.hidden / settings.heads;
      this.random = new Random(settings.seed);
    }

    GraphBuilder build() {
      int h = s.hidden;
      b.input("input_ids", DataType.INT64, "batch", "sequence");
      b.input("attention_mask", DataType.INT64, "batch", "total_sequence");
      b.input("position_ids", DataType.INT64, "batch", "sequence");
      for (int l = 0; l < s.layers; l++) {
        b.input("past_key_values." + l + ".key", DataType.FLOAT, "batch", (long) s.kvHeads, "past_sequence",
            (long) headDim);
        b.input("past_key_values." + l + ".value", DataType.FLOAT, "batch", (long) s.kvHeads, "past_sequence",
            (long) headDim);
      }
      String tokens = b.op("Gather", List.of(weights("token_embedding", 1.0, vocabulary, h), "input_ids"));
      String positions = b.op("Gather", List.of(weights("position_embedding", 0.5, s.maxPositions, h),
          "position_ids"));
      String x = b.op("Add", List.of(tokens, positions));
      String bias = attentionBias();
      for (int l = 0; l < s.layers; l++) {
        x = b.op("Add", List.of(x, attention(l, layerNorm(x, "ln_attention_" + l), bias)));
        x = b.op("Add", List.of(x, mlp(l, layerNorm(x, "ln_mlp_" + l))));
      }
      String last = layerNorm(x, "ln_final");
      b.add("MatMul", List.of(last, weights("lm_head", 3.0 / Math.sqrt(h), h, vocabulary)), List.of("logits"));
      b.output("logits", DataType.FLOAT, "batch", "sequence", (long) vocabulary);
      for (int l = 0; l < s.layers; l++) {
        b.output("present." + l + ".key", DataType.FLOAT, "batch", (long) s.kvHeads, "total_sequence",
            (long) headDim);
        b.output("present." + l + ".value", DataType.FLOAT, "batch", (long) s.kvHeads, "total_sequence",
            (long) headDim);
      }
      return b;
    }

    /**
     * 0 where query slot {@code i} (the last {@code sequence} slots of the mask) may attend to key slot {@code j}
     * ({@code j <= past + i} and the mask is 1 at {@code j}), -1e9 elsewhere: {@code [batch, 1, sequence, total]}.
     */
    private String attentionBias() {
      String zero = b.longs("zero", new long[0], 0);
      String one = b.longs("one", new long[0], 1);
      String total = b.op("Gather", List.of(b.op("Shape", List.of("attention_mask")), one));
      String fresh = b.op("Gather", List.of(b.op("Shape", List.of("input_ids")), one));
      String past = b.op("Sub", List.of(total, fresh));
      String keySlots = b.op("Range", List.of(zero, total, one));
      String querySlots = b.op("Unsqueeze", List.of(b.op("Range", List.of(past, total, one)),
          b.longs("axis_1", new long[] {1}, 1)));
      String causal = b.op("LessOrEqual", List.of(keySlots, querySlots)); // [s, t]
      String present = b.op("Unsqueeze", List.of(b.op("Equal", List.of("attention_mask", one)),
          b.longs("axes_1_2", new long[] {2}, 1, 2))); // [b, 1, 1, t]
      String allowed = b.op("And", List.of(causal, present));
      return b.op("Where", List.of(allowed, b.floats("open", new long[0], 0f),
          b.floats("closed", new long[0], -1e9f)));
    }

    private String attention(int l, String x, String bias) {
      int h = s.hidden;
      double scale = 1 / Math.sqrt(h);
      String q = project(x, weights("q_" + l, scale, h, s.heads * headDim), "layers." + l + ".q_proj", h,
          s.heads * headDim);
      String k = b.op("MatMul", List.of(x, weights("k_" + l, scale, h, s.kvHeads * headDim)));
      String v = project(x, weights("v_" + l, scale, h, s.kvHeads * headDim), "layers." + l + ".v_proj", h,
          s.kvHeads * headDim);
      q = heads(q, s.heads); // [b, heads, s, d]
      String keys = "present." + l + ".key";
      String values = "present." + l + ".value";
      b.add("Concat", List.of("past_key_values." + l + ".key", heads(k, s.kvHeads)), List.of(keys),
          OnnxAttribute.of("axis", 2L));
      b.add("Concat", List.of("past_key_values." + l + ".value", heads(v, s.kvHeads)), List.of(values),
          OnnxAttribute.of("axis", 2L));
      // Query heads g*k .. g*k+g-1 share key/value head k: group them as [b, kvHeads, groups * s, d].
      String grouped = b.op("Reshape", List.of(q, shape("grouped_" + l, 0, s.kvHeads, -1, headDim)));
      String keysT = b.op("Transpose", List.of(keys), OnnxAttribute.ofInts("perm", 0, 1, 3, 2));
      String scores = b.op("Mul", List.of(b.op("MatMul", List.of(grouped, keysT)),
          b.floats("scale_" + l, new long[0], (float) (1 / Math.sqrt(headDim)))));
      String perHead = b.op("Reshape", List.of(scores, shape("per_head_" + l, 0, s.heads, -1, 0)));
      String weights = b.op("Softmax", List.of(b.op("Add", List.of(perHead, bias))), OnnxAttribute.of("axis", -1L));
      String weightsGrouped = b.op("Reshape", List.of(weights, shape("weights_grouped_" + l, 0, s.kvHeads, -1, 0)));
      String mixed = b.op("MatMul", List.of(weightsGrouped, values)); // [b, kvHeads, groups * s, d]
      String ungrouped = b.op("Reshape", List.of(mixed, shape("ungrouped_" + l, 0, s.heads, -1, headDim)));
      String merged = b.op("Reshape", List.of(b.op("Transpose", List.of(ungrouped),
          OnnxAttribute.ofInts("perm", 0, 2, 1, 3)), shape("merged_" + l, 0, 0, -1)));
      return b.op("MatMul", List.of(merged, weights("o_" + l, scale, h, h)));
    }

    /** {@code x @ w}, with a LoRA slot when the model has them. */
    private String project(String x, String w, String prefix, int in, int out) {
      if (s.loraRank == 0) {
        return b.op("MatMul", List.of(x, w));
      }
      return LoraGraphs.loraMatMul(b, x, w, prefix, in, out, s.loraRank, 1f).output();
    }

    /** {@code [b, s, n * d]} as {@code [b, n, s, d]}. */
    private String heads(String projected, int n) {
      String split = b.op("Reshape", List.of(projected, shape("split_" + n, 0, 0, n, headDim)));
      return b.op("Transpose", List.of(split), OnnxAttribute.ofInts("perm", 0, 2, 1, 3));
    }

    private String mlp(int l, String x) {
      int h = s.hidden;
      String up = b.op("MatMul", List.of(x, weights("up_" + l, 1 / Math.sqrt(h), h, 4 * h)));
      String act = b.op("Mul", List.of(up, b.op("Sigmoid", List.of(up))));
      return b.op("MatMul", List.of(act, weights("down_" + l, 1 / Math.sqrt(4.0 * h), 4 * h, h)));
    }

    private String layerNorm(String x, String name) {
      float[] ones = new float[s.hidden];
      java.util.Arrays.fill(ones, 1f);
      return b.op("LayerNormalization", List.of(x, b.floats(name + "_scale", new long[] {s.hidden}, ones),
          b.floats(name + "_bias", new long[] {s.hidden}, new float[s.hidden])), OnnxAttribute.of("axis", -1L),
          OnnxAttribute.of("epsilon", 1e-5f));
    }

    private String shape(String name, long... dims) {
      return b.longs(name, new long[] {dims.length}, dims);
    }

    private String weights(String name, double std, int rows, int columns) {
      float[] values = new float[rows * columns];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * std);
      }
      return b.floats(name, new long[] {rows, columns}, values);
    }
  }
}
