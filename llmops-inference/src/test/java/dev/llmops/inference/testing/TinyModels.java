package dev.llmops.inference.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.GraphBuilder;
import dev.llmops.inference.internal.onnx.OnnxAttribute;
import dev.llmops.inference.internal.onnx.OnnxFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small generated ONNX models with BERT-style inputs, for tests of engines that run classifiers and cross-encoders.
 * Each writes a model directory as Hugging Face exports lay it out: {@code model.onnx}, {@code tokenizer.json}
 * (all-MiniLM-L6-v2's uncased WordPiece tokenizer, 30522 ids) and, for the classifier, {@code config.json}.
 *
 * <p>Both models take {@code input_ids}, {@code attention_mask} and {@code token_type_ids}, int64
 * {@code [batch, sequence]} with dynamic dims, and output float {@code logits}. Padding (mask 0) is ignored, and so
 * are the special tokens (ids below 999: {@code [PAD]}, {@code [UNK]}, {@code [CLS]}, {@code [SEP]}, ...), so a batch
 * gives each text the score it gets alone. The models are a few hundred KB and load in milliseconds.
 */
public final class TinyModels {

  /** The model file in a written directory. */
  public static final String MODEL = "model.onnx";

  /** The tokenizer file in a written directory. */
  public static final String TOKENIZER = "tokenizer.json";

  /** The classifier's config file (with {@code id2label}) in a written directory. */
  public static final String CONFIG = "config.json";

  /** The first id of an ordinary token in the vocabulary; those below are special or unused. */
  public static final long FIRST_WORD_ID = 999;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TinyModels() {}

  /**
   * Writes a classifier whose {@code logits [batch, labels]} count, for each label, the share of the text's words
   * that are among that label's words: a text containing words of label {@code k} (and of no other label) scores
   * {@code k} highest; a text with no label words scores every label about 0, the first highest by a hair.
   *
   * <p>It is the masked mean over positions of {@code Gather(table, input_ids)}, where row {@code id} of the table has
   * a 1 in column {@code k} when the word is one of label {@code k}'s, followed by {@code MatMul} (identity times 10)
   * and {@code Add} (0, -0.001, -0.002, ... to break ties).
   *
   * @param dir the directory to write into (created if missing)
   * @param wordsPerLabel label names, in their id order (use a {@link java.util.LinkedHashMap}), each with words that
   *     are single tokens of the vocabulary (lowercase)
   * @return {@code dir}
   * @throws IllegalArgumentException when a word is not one token of the vocabulary, or there is no label
   */
  public static Path sequenceClassifier(Path dir, Map<String, List<String>> wordsPerLabel) {
    if (wordsPerLabel.isEmpty()) {
      throw new IllegalArgumentException("a classifier needs at least one label");
    }
    List<String> labels = new ArrayList<>(wordsPerLabel.keySet());
    int n = labels.size();
    int vocabulary = vocabulary().size();
    float[] table = new float[vocabulary * n];
    for (int k = 0; k < n; k++) {
      for (String word : wordsPerLabel.get(labels.get(k))) {
        table[(int) tokenId(word) * n + k] = 1;
      }
    }
    float[] weights = new float[n * n];
    float[] bias = new float[n];
    for (int k = 0; k < n; k++) {
      weights[k * n + k] = 10;
      bias[k] = -0.001f * k;
    }
    GraphBuilder b = bertInputs();
    String wordMask = wordMask(b);
    String embedded = b.op("Gather", List.of(b.floats("label_table", new long[] {vocabulary, n}, table), "input_ids"));
    String mean = maskedMean(b, embedded, wordMask);
    String scores = b.op("MatMul", List.of(mean, b.floats("weights", new long[] {n, n}, weights)));
    b.add("Add", List.of(scores, b.floats("bias", new long[] {n}, bias)), List.of("logits"));
    b.output("logits", DataType.FLOAT, "batch", (long) n);
    write(dir, b, "tiny-sequence-classifier");

    ObjectNode config = JSON.createObjectNode();
    ObjectNode id2label = config.putObject("id2label");
    ObjectNode label2id = config.putObject("label2id");
    for (int k = 0; k < n; k++) {
      id2label.put(Integer.toString(k), labels.get(k));
      label2id.put(labels.get(k), k);
    }
    config.putArray("architectures").add("BertForSequenceClassification");
    config.put("model_type", "bert");
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG).toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * Writes a cross-encoder whose {@code logits [batch, 1]} are the number of (query token, passage token) pairs that
   * are the same word, minus 0.5: positive exactly when the passage (the {@code token_type_ids == 1} segment) shares a
   * word with the query (segment 0), and higher the more it shares. No weights: it compares ids with {@code Equal}.
   *
   * @param dir the directory to write into (created if missing)
   * @return {@code dir}
   */
  public static Path crossEncoder(Path dir) {
    GraphBuilder b = bertInputs();
    String wordMask = wordMask(b);
    String types = b.op("Cast", List.of("token_type_ids"), OnnxAttribute.of("to", (long) DataType.FLOAT));
    String passageMask = b.op("Mul", List.of(wordMask, types)); // [b, s]
    String queryMask = b.op("Sub", List.of(wordMask, passageMask));
    String rows = b.op("Unsqueeze", List.of("input_ids", b.longs("axis_2", new long[] {1}, 2))); // [b, s, 1]
    String columns = b.op("Unsqueeze", List.of("input_ids", b.longs("axis_1", new long[] {1}, 1))); // [b, 1, s]
    String same = b.op("Cast", List.of(b.op("Equal", List.of(rows, columns))),
        OnnxAttribute.of("to", (long) DataType.FLOAT)); // [b, s, s]
    String queryRows = b.op("Unsqueeze", List.of(queryMask, "axis_2"));
    String passageColumns = b.op("Unsqueeze", List.of(passageMask, "axis_1"));
    String pairs = b.op("Mul", List.of(b.op("Mul", List.of(same, queryRows)), passageColumns));
    String count = b.op("ReduceSum", List.of(pairs, b.longs("axes_1_2", new long[] {2}, 1, 2)),
        OnnxAttribute.of("keepdims", 0L)); // [b]
    String logit = b.op("Sub", List.of(count, b.floats("half", new long[0], 0.5f)));
    b.add("Unsqueeze", List.of(logit, "axis_1"), List.of("logits"));
    b.output("logits", DataType.FLOAT, "batch", 1L);
    return write(dir, b, "tiny-cross-encoder");
  }

  /** The vocabulary of {@code tokenizer.json}: token to id. */
  public static Map<String, Integer> vocabulary() {
    return Vocabulary.MAP;
  }

  /**
   * The id of {@code word}, which must be one token of the vocabulary: a special token as written ({@code [CLS]}), any
   * other word lowercased, as the uncased tokenizer does.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static long tokenId(String word) {
    Integer id = vocabulary().get(word);
    if (id == null) {
      id = vocabulary().get(word.toLowerCase(Locale.ROOT));
    }
    if (id == null) {
      throw new IllegalArgumentException("'" + word + "' is not a single token of the all-MiniLM vocabulary");
    }
    return id;
  }

  /**
   * {@code [CLS] words [SEP]} as ids, splitting {@code text} on whitespace; every word must be one token. A stand-in
   * for the tokenizer in tests that feed the models directly.
   */
  public static long[] encode(String text) {
    List<Long> ids = new ArrayList<>();
    ids.add(tokenId("[CLS]"));
    for (String word : text.trim().split("\\s+")) {
      ids.add(tokenId(word));
    }
    ids.add(tokenId("[SEP]"));
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static GraphBuilder bertInputs() {
    GraphBuilder b = new GraphBuilder();
    b.input("input_ids", DataType.INT64, "batch", "sequence");
    b.input("attention_mask", DataType.INT64, "batch", "sequence");
    b.input("token_type_ids", DataType.INT64, "batch", "sequence");
    return b;
  }

  /** {@code attention_mask} as float, zero for special tokens: [b, s]. */
  private static String wordMask(GraphBuilder b) {
    String mask = b.op("Cast", List.of("attention_mask"), OnnxAttribute.of("to", (long) DataType.FLOAT));
    String isWord = b.op("Cast", List.of(b.op("Greater", List.of("input_ids",
        b.longs("last_special_id", new long[0], FIRST_WORD_ID - 1)))), OnnxAttribute.of("to", (long) DataType.FLOAT));
    return b.op("Mul", List.of(mask, isWord));
  }

  /** The mean of {@code values [b, s, d]} over the positions where {@code mask [b, s]} is 1: [b, d]. */
  private static String maskedMean(GraphBuilder b, String values, String mask) {
    String mask3 = b.op("Unsqueeze", List.of(mask, b.longs("axis_last", new long[] {1}, 2)));
    String axis1 = b.longs("axis_sequence", new long[] {1}, 1);
    String sum = b.op("ReduceSum", List.of(b.op("Mul", List.of(values, mask3)), axis1),
        OnnxAttribute.of("keepdims", 0L));
    String count = b.op("ReduceSum", List.of(mask3, axis1), OnnxAttribute.of("keepdims", 0L));
    String atLeastOne = b.op("Max", List.of(count, b.floats("one", new long[0], 1f)));
    return b.op("Div", List.of(sum, atLeastOne));
  }

  private static Path write(Path dir, GraphBuilder b, String name) {
    try {
      Files.createDirectories(dir);
      OnnxFiles.write(b.model(name, 13), dir.resolve(MODEL));
      ModelResources.copy(ModelResources.MINILM_TOKENIZER, dir.resolve(TOKENIZER));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parsed on first use. */
  private static final class Vocabulary {
    static final Map<String, Integer> MAP = load();

    private static Map<String, Integer> load() {
      try {
        JsonNode vocab = JSON.readTree(ModelResources.bytes(ModelResources.MINILM_TOKENIZER)).path("model")
            .path("vocab");
        Map<String, Integer> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          map.put(entry.getKey(), entry.getValue().asInt());
        }
        if (map.size() != 30522) {
          throw new IllegalStateException("expected 30522 tokens in " + ModelResources.MINILM_TOKENIZER + ", got "
              + map.size());
        }
        return Collections.unmodifiableMap(map);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
