package dev.llmops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/** Model directories for the command tests, built from the int8 all-MiniLM-L6-v2 files on the class path. */
final class TestModels {
  private TestModels() {}

  /** A resource of the built-in int8 model's artifact. */
  static byte[] resource(String name) {
    try (InputStream in = TestModels.class.getClassLoader().getResourceAsStream(name)) {
      return Objects.requireNonNull(in, name + " is on the test class path").readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory holding the int8 MiniLM embedding model as {@code model.onnx} and its {@code tokenizer.json}. */
  static Path miniLmDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("model.onnx"), resource("all-minilm-l6-v2-q.onnx"));
    Files.write(dir.resolve("tokenizer.json"), resource("all-minilm-l6-v2-q-tokenizer.json"));
    return dir;
  }

  /**
   * A real (if tiny) sequence classifier: {@code logits = mean over tokens of W[input_ids]}, with MiniLM's
   * tokenizer, the labels of {@code config.json} and a window of 128 tokens. Each label's words add 4 to that label's logit, so
   * "good good" is POSITIVE and "bad" NEGATIVE, with softmax scores the test can predict.
   *
   * @param wordsPerLabel for each label in order, the words that vote for it
   */
  static Path classifierDirectory(Path dir, Map<String, List<String>> wordsPerLabel) throws IOException {
    Files.createDirectories(dir);
    byte[] tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json");
    Files.write(dir.resolve("tokenizer.json"), tokenizer);
    JsonNode vocab = new ObjectMapper().readTree(tokenizer).path("model").path("vocab");
    int vocabSize = vocab.size();
    List<String> labels = List.copyOf(wordsPerLabel.keySet());
    float[] weights = new float[vocabSize * labels.size()];
    for (int label = 0; label < labels.size(); label++) {
      for (String word : wordsPerLabel.get(labels.get(label))) {
        JsonNode id = vocab.get(word);
        if (id == null) {
          throw new IllegalArgumentException("'" + word + "' is not one token of the MiniLM vocabulary");
        }
        weights[id.asInt() * labels.size() + label] = 4f;
      }
    }
    Files.write(dir.resolve("model.onnx"), meanOfEmbeddings(vocabSize, labels.size(), weights));
    StringBuilder config = new StringBuilder("{\"id2label\": {");
    for (int i = 0; i < labels.size(); i++) {
      config.append(i == 0 ? "" : ", ").append('"').append(i).append("\": \"").append(labels.get(i)).append('"');
    }
    // A short window (the graph itself takes any length), so tests reach past it with a few hundred words.
    Files.writeString(dir.resolve("config.json"), config.append("}, \"max_position_embeddings\": 128}").toString());
    return dir;
  }

  /** {@code words} common English words, each one token of MiniLM's vocabulary. */
  static String filler(int words, int seed) {
    String[] pool = "the of and to in is was for on as with by at from that this it are be an or".split(" ");
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      text.append(i == 0 ? "" : " ").append(pool[random.nextInt(pool.length)]);
    }
    return text.toString();
  }

  /*
   * The ONNX file, written field by field in protobuf's wire format (onnx.proto3 field numbers), so the tests need
   * no ONNX or protobuf library: graph(input_ids int64[batch, tokens]) = ReduceMean(Gather(W, input_ids), axes=[1]).
   */
  private static byte[] meanOfEmbeddings(int vocabSize, int labels, float[] weights) {
    ByteBuffer raw = ByteBuffer.allocate(weights.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float w : weights) {
      raw.putFloat(w);
    }
    byte[] table = new Proto().ints(1, vocabSize).ints(1, labels).varint(2, 1 /* FLOAT */).string(8, "W")
        .bytes(9, raw.array()).done();
    byte[] gather = new Proto().string(1, "W").string(1, "input_ids").string(2, "embedded").string(3, "gather")
        .string(4, "Gather").done();
    byte[] mean = new Proto().string(1, "embedded").string(2, "logits").string(3, "mean").string(4, "ReduceMean")
        .message(5, new Proto().string(1, "axes").ints(8, 1).varint(20, 7 /* INTS */).done())
        .message(5, new Proto().string(1, "keepdims").varint(3, 0).varint(20, 2 /* INT */).done()).done();
    byte[] graph = new Proto().message(1, gather).message(1, mean).string(2, "tiny-classifier").message(5, table)
        .message(11, valueInfo("input_ids", 7 /* INT64 */, "batch", "tokens"))
        .message(12, valueInfo("logits", 1 /* FLOAT */, "batch", labels)).done();
    return new Proto().varint(1, 8 /* IR version */).string(2, "llmops-cli tests").message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, 13).done()).done();
  }

  private static byte[] valueInfo(String name, int elementType, Object... dims) {
    Proto shape = new Proto();
    for (Object dim : dims) {
      shape.message(1, dim instanceof Integer size ? new Proto().varint(1, size).done()
          : new Proto().string(2, (String) dim).done());
    }
    byte[] tensor = new Proto().varint(1, elementType).message(2, shape.done()).done();
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor).done()).done();
  }

  /** A protobuf message writer: just the varint and length-delimited wire types. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      tag(field, 0);
      raw(value);
      return this;
    }

    Proto ints(int field, long value) {
      return varint(field, value);
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, byte[] message) {
      return bytes(field, message);
    }

    Proto bytes(int field, byte[] value) {
      tag(field, 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] done() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      raw(((long) field << 3) | wireType);
    }

    private void raw(long value) {
      while ((value & ~0x7fL) != 0) {
        out.write((int) ((value & 0x7f) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
