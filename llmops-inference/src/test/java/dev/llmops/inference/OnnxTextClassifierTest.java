package dev.llmops.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.classify.Classification;
import dev.llmops.inference.testing.TinyModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier on a small generated sequence-classification model (labels from its config.json). */
class OnnxTextClassifierTest {

  @TempDir Path dir;

  private static final Map<String, List<String>> WORDS = new LinkedHashMap<>();

  static {
    // In id order; "finance" is not label 0, which wins when no word of any label is seen.
    WORDS.put("sports", List.of("football", "tennis", "goal", "match"));
    WORDS.put("finance", List.of("revenue", "stock", "bank", "profit"));
    WORDS.put("weather", List.of("rain", "sunny", "storm", "snow"));
  }

  private OnnxTextClassifier load(OverflowPolicy overflow) throws IOException {
    TinyModels.sequenceClassifier(dir, WORDS);
    return OnnxTextClassifier.builder().source(ModelSource.directory(dir)).overflow(overflow)
        .meterRegistry(new SimpleMeterRegistry()).build();
  }

  @Test
  void labelsComeFromTheConfigAndScoresSumToOne() throws IOException {
    try (OnnxTextClassifier classifier = load(OverflowPolicy.TRUNCATE)) {
      assertThat(classifier.labels()).containsExactly("sports", "finance", "weather");
      List<Classification> results = classifier.classifyAll(List.of("The football match ended with a late goal",
          "Bank profit and revenue rose", "Heavy rain and a storm tonight"));
      assertThat(results).extracting(c -> c.top().label()).containsExactly("sports", "finance", "weather");
      for (Classification c : results) {
        assertThat(c.scores().stream().mapToDouble(s -> s.score()).sum()).isCloseTo(1.0,
            org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void chunkingFindsALabelAtTheEndOfALongText() throws IOException {
    String longText = "the of and a to in ".repeat(120) + " stock bank revenue profit";
    try (OnnxTextClassifier truncating = load(OverflowPolicy.TRUNCATE)) {
      assertThat(truncating.classify(longText).top().label()).isNotEqualTo("finance");
    }
    try (OnnxTextClassifier chunking = OnnxTextClassifier.builder().source(ModelSource.directory(dir))
        .overflow(OverflowPolicy.CHUNK).meterRegistry(new SimpleMeterRegistry()).build()) {
      assertThat(chunking.classify(longText).top().label()).isEqualTo("finance");
    }
  }

  @Test
  void concurrentCallersGetTheirOwnLabels() throws Exception {
    try (OnnxTextClassifier classifier = load(OverflowPolicy.TRUNCATE)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> checks = new ArrayList<>();
        List<String> labels = List.copyOf(WORDS.keySet());
        for (int i = 0; i < 120; i++) {
          String label = labels.get(i % labels.size());
          String text = "item " + i + " about " + String.join(" ", WORDS.get(label));
          checks.add(pool.submit(() -> classifier.classify(text).top().label().equals(label)));
        }
        for (Future<Boolean> check : checks) {
          assertThat(check.get(60, TimeUnit.SECONDS)).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anEncoderWithoutAClassificationHeadIsRefused() throws IOException {
    try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx");
        var tok = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
      Path encoder = Files.createDirectories(dir.resolve("encoder"));
      Files.write(encoder.resolve("model.onnx"), in.readAllBytes());
      Files.write(encoder.resolve("tokenizer.json"), tok.readAllBytes());
      assertThatThrownBy(() -> OnnxTextClassifier.builder().source(ModelSource.directory(encoder))
          .meterRegistry(new SimpleMeterRegistry()).build())
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("rank-3 output");
    }
  }

  @Test
  void labelsThatDoNotMatchTheOutputsAreRefused() throws IOException {
    TinyModels.sequenceClassifier(dir, WORDS);
    ModelSource wrong = ModelSource.directory(dir).descriptor(d -> d.withLabels(List.of("a", "b")));
    assertThatThrownBy(() -> OnnxTextClassifier.builder().source(wrong).meterRegistry(new SimpleMeterRegistry())
        .build()).isInstanceOf(InvalidRequestException.class).hasMessageContaining("3 logits but 2 labels");
  }
}
