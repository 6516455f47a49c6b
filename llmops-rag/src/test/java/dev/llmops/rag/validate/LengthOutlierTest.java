package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.LengthOutlier;
import dev.llmops.rag.validate.ValidationReport.LengthOutliers;
import dev.llmops.rag.validate.ValidationReport.OutlierReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthOutlierTest {

  /** 100 documents of 40 to 80 words. */
  private static List<Document> usual() {
    Random random = new Random(21);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      docs.add(Document.of("doc-" + i, Corpora.english(random, 40 + random.nextInt(41))));
    }
    return docs;
  }

  @Test
  void documentsFarOutsideTheUsualLengthAreOutliersAndTheBoundsAreInWords() {
    List<Document> docs = usual();
    Random random = new Random(22);
    String huge = Corpora.english(random, 2000);
    docs.add(Document.of("huge", huge));
    docs.add(Document.of("tiny", "Three small words"));

    LengthOutliers outliers = CorpusValidator.defaults().validate(docs).lengthOutliers();

    assertThat(outliers.documents()).isEqualTo(2);
    assertThat(outliers.tooManyWords()).isEqualTo(1);
    assertThat(outliers.tooFewWords()).isEqualTo(1);
    assertThat(outliers.overMaxCharacters()).isZero();
    assertThat(outliers.examples()).containsExactly(
        new LengthOutlier("huge", 2000, huge.length(), OutlierReason.TOO_MANY_WORDS),
        new LengthOutlier("tiny", 3, 17, OutlierReason.TOO_FEW_WORDS));
    // log(1 + words) of 40..80 words spans about 3.7..4.4: the bounds lie three interquartile ranges beyond.
    assertThat(outliers.lowerBoundWords()).isBetween(5.0, 30.0);
    assertThat(outliers.upperBoundWords()).isBetween(120.0, 500.0);
    assertThat(outliers.iqrFactor()).isEqualTo(3.0);
  }

  @Test
  void theBoundsFollowTheQuartilesOfLogLength() {
    // Lengths 1..100 words: Q1 and Q3 of log(1 + w) interpolate between order statistics 25/26 and 75/76.
    List<Document> docs = new ArrayList<>();
    Random random = new Random(23);
    for (int w = 1; w <= 100; w++) {
      docs.add(Document.of("w" + w, Corpora.english(random, w)));
    }
    double q1 = Math.log1p(25) + 0.75 * (Math.log1p(26) - Math.log1p(25));
    double q3 = Math.log1p(75) + 0.25 * (Math.log1p(76) - Math.log1p(75));

    LengthOutliers outliers = CorpusValidator.builder().outlierIqrFactor(0.5).build().validate(docs).lengthOutliers();

    assertThat(outliers.lowerBoundWords()).isCloseTo(Math.expm1(q1 - 0.5 * (q3 - q1)), offset(1e-9));
    assertThat(outliers.upperBoundWords()).isCloseTo(Math.expm1(q3 + 0.5 * (q3 - q1)), offset(1e-9));
    long expected = docs.stream().map(d -> d.text().split(" ").length)
        .filter(w -> w < outliers.lowerBoundWords() || w > outliers.upperBoundWords()).count();
    assertThat(expected).isPositive();
    assertThat(outliers.documents()).isEqualTo((int) expected);
  }

  @Test
  void theCharacterLimitAppliesWhateverTheRestOfTheCorpus() {
    List<Document> docs = usual();
    int limit = docs.stream().mapToInt(d -> d.text().length()).max().orElseThrow();
    docs.add(Document.of("long", "x".repeat(limit + 1)));

    LengthOutliers outliers = CorpusValidator.builder().maxCharacters(limit).build().validate(docs).lengthOutliers();

    assertThat(outliers.maxCharacters()).isEqualTo(limit);
    assertThat(outliers.overMaxCharacters()).isEqualTo(1);
    assertThat(outliers.documents()).isEqualTo(1);
    assertThat(outliers.examples()).containsExactly(
        new LengthOutlier("long", 1, limit + 1, OutlierReason.OVER_MAX_CHARACTERS));
    assertThat(outliers.tooFewWords()).as("one word is also far too few").isEqualTo(1);
  }

  @Test
  void withFewerThanTenDocumentsNoBoundsAreEstimated() {
    List<Document> docs = new ArrayList<>(usual().subList(0, 8));
    docs.add(Document.of("tiny", "Three small words"));
    docs.add(Document.of("empty", ""));

    LengthOutliers outliers = CorpusValidator.defaults().validate(docs).lengthOutliers();

    assertThat(outliers.lowerBoundWords()).isNull();
    assertThat(outliers.upperBoundWords()).isNull();
    assertThat(outliers.documents()).isZero();
  }

  @Test
  void aCorpusOfUsualLengthsHasNoOutliers() {
    assertThat(CorpusValidator.defaults().validate(usual()).lengthOutliers().documents()).isZero();
  }
}
