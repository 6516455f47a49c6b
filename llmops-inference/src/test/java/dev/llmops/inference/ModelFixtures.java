package dev.llmops.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Shared test data and one loaded copy of each built-in model (loading 90 MB per test would be slow). */
final class ModelFixtures {
  private ModelFixtures() {}

  static List<String> claims() {
    try (InputStream in = ModelFixtures.class.getResourceAsStream("/claims.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** About {@code words} words of varied text starting with {@code prefix}. */
  static String longText(String prefix, int words, int seed) {
    String[] vocabulary = ("protein cell gene receptor pathway tumour patient trial dose response immune brain "
        + "signal blood liver kidney heart muscle bone virus bacteria enzyme hormone insulin glucose lipid "
        + "membrane neuron synapse memory growth factor expression sample cohort risk outcome therapy").split(" ");
    StringBuilder sb = new StringBuilder(prefix);
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < words; i++) {
      sb.append(' ').append(vocabulary[random.nextInt(vocabulary.length)]);
    }
    return sb.toString();
  }
}
