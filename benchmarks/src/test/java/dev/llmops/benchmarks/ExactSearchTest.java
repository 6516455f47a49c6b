package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class ExactSearchTest {

  @Test
  void matchesSortingEveryScore() {
    Random random = new Random(3);
    VectorSet base = randomVectors(random, 700, 24);
    for (int q = 0; q < 20; q++) {
      float[] query = randomVectors(random, 1, 24).get(0);
      for (int k : new int[] {1, 10, 699, 700, 1000}) {
        assertThat(ExactSearch.topK(base, query, k)).as("query %d, k %d", q, k).containsExactly(naive(base, query, k));
      }
    }
  }

  @Test
  void equalScoresRankTheLowerIdFirstAlsoAtTheCut() {
    Random random = new Random(5);
    float[][] vectors = new float[50][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = randomVectors(random, 1, 8).get(0);
    }
    float[] best = {3, 0, 0, 0, 0, 0, 0, 0}; // others score at most 2 x 3
    for (int id : new int[] {40, 7, 23, 11}) {
      vectors[id] = best.clone();
    }
    VectorSet base = new VectorSet(8, vectors);

    assertThat(ExactSearch.topK(base, best, 3)).containsExactly(7, 11, 23);
    assertThat(ExactSearch.topK(base, best, 5)).startsWith(7, 11, 23, 40).containsExactly(naive(base, best, 5));
  }

  @Test
  void rejectsAQueryOfAnotherDimension() {
    VectorSet base = randomVectors(new Random(1), 10, 4);
    assertThatThrownBy(() -> ExactSearch.topK(base, new float[3], 2)).hasMessageContaining("3 dimensions");
    assertThatThrownBy(() -> ExactSearch.topK(base, new float[4], 0)).hasMessageContaining("was 0");
  }

  /** Every score sorted, highest first, equal scores by id. */
  private static int[] naive(VectorSet base, float[] query, int k) {
    return IntStream.range(0, base.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -VectorUtil.dotProduct(query, base.get(i)))
            .thenComparing(i -> i))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  private static VectorSet randomVectors(Random random, int count, int dimension) {
    float[][] v = new float[count][dimension];
    for (float[] vector : v) {
      for (int j = 0; j < dimension; j++) {
        // Coarse values so that some scores tie.
        vector[j] = random.nextInt(5) - 2;
      }
    }
    return new VectorSet(dimension, v);
  }
}
