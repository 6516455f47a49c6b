package dev.llmops.inference.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelsTest {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @TempDir Path dir;

  @Test
  void theClassifierScoresTheLabelWhoseWordsTheTextContains() throws Exception {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    labels.put("positive", List.of("great", "excellent", "fantastic"));
    labels.put("negative", List.of("terrible", "awful"));
    labels.put("weather", List.of("sunny", "rain"));

    Path model = TinyModels.sequenceClassifier(dir.resolve("classifier"), labels);

    JsonNode config = new ObjectMapper().readTree(model.resolve(TinyModels.CONFIG).toFile());
    assertThat(config.path("id2label").path("0").asText()).isEqualTo("positive");
    assertThat(config.path("id2label").path("2").asText()).isEqualTo("weather");
    assertThat(config.path("label2id").path("negative").asInt()).isEqualTo(1);
    assertThat(Files.readAllBytes(model.resolve(TinyModels.TOKENIZER)))
        .isEqualTo(ModelResources.bytes(ModelResources.MINILM_TOKENIZER));

    float[][] logits = run(model, new long[][] {
        TinyModels.encode("the movie was great"),
        TinyModels.encode("what awful rain"), // one negative word, one weather word: a tie between them
        TinyModels.encode("sunny morning and rain later but excellent food"),
        TinyModels.encode("nothing to see here")}, null);

    assertThat(logits).hasDimensions(4, 3);
    assertThat(argmax(logits[0])).isEqualTo(0);
    assertThat(logits[1][1]).isEqualTo(logits[1][2], offset(0.01f))
        .isGreaterThan(logits[1][0] + 1);
    assertThat(logits[2][2]).isGreaterThan(logits[2][0] + 1); // two weather words, one positive...
    assertThat(logits[2][0]).isGreaterThan(logits[2][1] + 1); // ...and nothing negative
    for (float v : logits[3]) {
      assertThat(v).isBetween(-0.01f, 0f);
    }
    assertThat(argmax(logits[3])).isEqualTo(0);

    assertThatThrownBy(() -> TinyModels.sequenceClassifier(dir.resolve("bad"), Map.of("x", List.of("notaword123"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notaword123");
  }

  @Test
  void theClassifierIgnoresPaddingSoABatchScoresEachTextAsAlone() throws Exception {
    Map<String, List<String>> labels = new LinkedHashMap<>();
    labels.put("good", List.of("great"));
    labels.put("bad", List.of("awful"));
    Path model = TinyModels.sequenceClassifier(dir, labels);
    long[] shortText = TinyModels.encode("great");
    long[] longText = TinyModels.encode("an awful awful day with one great moment");

    float[][] alone = run(model, new long[][] {shortText}, null);
    float[][] batched = run(model, new long[][] {pad(shortText, longText.length), longText},
        new long[][] {mask(shortText.length, longText.length), mask(longText.length, longText.length)});

    assertThat(batched[0]).containsExactly(alone[0]);
    assertThat(batched[1][1]).isGreaterThan(batched[1][0]);
  }

  @Test
  void theCrossEncoderScoresPassagesThatShareQueryWordsHigher() throws Exception {
    Path model = TinyModels.crossEncoder(dir.resolve("cross-encoder"));
    assertThat(model.resolve(TinyModels.TOKENIZER)).exists();
    String query = "capital of france";
    List<String> passages = List.of(
        "paris is the capital of france", // shares capital, of, france
        "the capital city is large", // shares capital
        "bananas grow on trees"); // shares nothing

    long[][] ids = new long[passages.size()][];
    long[][] types = new long[passages.size()][];
    long[][] masks = new long[passages.size()][];
    int width = 0;
    for (String passage : passages) {
      width = Math.max(width, pair(query, passage)[0].length);
    }
    for (int i = 0; i < passages.size(); i++) {
      long[][] pair = pair(query, passages.get(i));
      ids[i] = pad(pair[0], width);
      types[i] = pad(pair[1], width);
      masks[i] = mask(pair[0].length, width);
    }

    float[][] logits = runPairs(model, ids, masks, types);

    assertThat(logits).hasDimensions(3, 1);
    assertThat(logits[0][0]).isEqualTo(2.5f); // three shared words
    assertThat(logits[1][0]).isEqualTo(0.5f);
    assertThat(logits[2][0]).isEqualTo(-0.5f); // negative: not relevant
  }

  /** {@code [CLS] query [SEP] passage [SEP]} and its token types, as a BERT tokenizer encodes a pair. */
  private static long[][] pair(String query, String passage) {
    long[] q = TinyModels.encode(query);
    long[] p = TinyModels.encode(passage);
    long[] ids = new long[q.length + p.length - 1];
    long[] types = new long[ids.length];
    System.arraycopy(q, 0, ids, 0, q.length);
    System.arraycopy(p, 1, ids, q.length, p.length - 1);
    for (int i = q.length; i < ids.length; i++) {
      types[i] = 1;
    }
    return new long[][] {ids, types};
  }

  private static float[][] run(Path model, long[][] ids, long[][] masks) throws OrtException {
    long[][] m = masks;
    if (m == null) { // no padding needed: every row as long as the longest
      int width = 0;
      for (long[] row : ids) {
        width = Math.max(width, row.length);
      }
      long[][] padded = new long[ids.length][];
      m = new long[ids.length][];
      for (int i = 0; i < ids.length; i++) {
        padded[i] = pad(ids[i], width);
        m[i] = mask(ids[i].length, width);
      }
      return runPairs(model, padded, m, new long[ids.length][width]);
    }
    return runPairs(model, ids, m, new long[ids.length][ids[0].length]);
  }

  private static float[][] runPairs(Path model, long[][] ids, long[][] masks, long[][] types) throws OrtException {
    try (OrtSession session = ENV.createSession(model.resolve(TinyModels.MODEL).toString(),
        new OrtSession.SessionOptions());
        OnnxTensor inputIds = OnnxTensor.createTensor(ENV, ids);
        OnnxTensor mask = OnnxTensor.createTensor(ENV, masks);
        OnnxTensor tokenTypes = OnnxTensor.createTensor(ENV, types);
        OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", mask,
            "token_type_ids", tokenTypes))) {
      return (float[][]) result.get("logits").orElseThrow().getValue();
    }
  }

  private static long[] pad(long[] ids, int width) {
    return Arrays.copyOf(ids, width);
  }

  private static long[] mask(int length, int width) {
    long[] mask = new long[width];
    Arrays.fill(mask, 0, length, 1);
    return mask;
  }

  private static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
