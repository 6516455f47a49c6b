package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.NearDuplicateGroup;
import dev.llmops.rag.validate.ValidationReport.NearDuplicates;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearDuplicateTest {

  private static final List<Document> DISTINCT = Corpora.englishDocuments("doc", 200, 11);

  @Test
  void twoHundredDistinctDocumentsHaveNoNearDuplicates() {
    NearDuplicates near = CorpusValidator.defaults().validate(DISTINCT).nearDuplicates();

    assertThat(near.groups()).isZero();
    assertThat(near.documents()).isZero();
    assertThat(near.examples()).isEmpty();
  }

  @Test
  void oneWordChangedInSixtyIsANearDuplicate() {
    String original = Corpora.english(new Random(3), 60);
    String edited = Corpora.replaceWord(original, 30, "zebra");
    List<Document> docs = new ArrayList<>(DISTINCT);
    docs.add(Document.of("original", original));
    docs.add(Document.of("edited", edited));

    ValidationReport report = CorpusValidator.defaults().validate(docs);

    NearDuplicates near = report.nearDuplicates();
    assertThat(near.threshold()).isEqualTo(0.9);
    assertThat(near.groups()).isEqualTo(1);
    assertThat(near.documents()).isEqualTo(1);
    NearDuplicateGroup group = near.examples().get(0);
    assertThat(group.ids()).containsExactly("original", "edited");
    assertThat(group.size()).isEqualTo(2);
    assertThat(group.minSimilarity()).isBetween(0.9, 0.999).isEqualTo(group.maxSimilarity());
    assertThat(group.pairs()).singleElement().satisfies(p -> {
      assertThat(p.first()).isEqualTo("original");
      assertThat(p.second()).isEqualTo("edited");
      assertThat(p.similarity()).isEqualTo(group.minSimilarity());
    });
    assertThat(report.exactDuplicates().documents()).isZero();
    assertThat(report.violations()).as("1 of 202 is under the 5% limit").isEmpty();
  }

  @Test
  void oneWordEditsInSixtyWordParagraphsAreFoundNearlyAlways() {
    // The similarity is about 0.95 and its estimate has a standard error of about 0.02: a few misses in a hundred
    // are the estimate's noise, more would be a defect.
    Random random = new Random(5);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String text = Corpora.english(random, 60);
      docs.add(Document.of("a-" + i, text));
      docs.add(Document.of("b-" + i, Corpora.replaceWord(text, 10 + random.nextInt(40), "zebra")));
    }

    NearDuplicates near = CorpusValidator.builder().maxExamples(100).build().validate(docs).nearDuplicates();

    assertThat(near.groups()).isBetween(95, 100);
    assertThat(near.examples()).allSatisfy(g -> assertThat(g.ids()).hasSize(2)
        .satisfies(ids -> assertThat(ids.get(1)).isEqualTo("b-" + ids.get(0).substring(2))));
  }

  @Test
  void documentsSharingHalfTheirTextAreNotNearDuplicates() {
    Random random = new Random(8);
    String shared = Corpora.english(random, 40);
    List<Document> docs = List.of(
        Document.of("x", shared + " " + Corpora.english(random, 40)),
        Document.of("y", shared + " " + Corpora.english(random, 40)));

    assertThat(CorpusValidator.defaults().validate(docs).nearDuplicates().groups()).isZero();
    assertThat(CorpusValidator.builder().nearDuplicateThreshold(0.2).build().validate(docs).nearDuplicates().groups())
        .as("a low threshold finds them").isEqualTo(1);
  }

  @Test
  void exactDuplicatesAreNotReportedAgainAsNearDuplicates() {
    String text = Corpora.english(new Random(4), 60);
    List<Document> docs = new ArrayList<>(DISTINCT);
    docs.add(Document.of("first", text));
    docs.add(Document.of("copy", text.toLowerCase(java.util.Locale.ROOT)));
    docs.add(Document.of("edited", Corpora.replaceWord(text, 20, "zebra")));

    ValidationReport report = CorpusValidator.defaults().validate(docs);

    assertThat(report.exactDuplicates().documents()).isEqualTo(1);
    assertThat(report.nearDuplicates().documents()).isEqualTo(1);
    assertThat(report.nearDuplicates().examples().get(0).ids()).containsExactly("first", "edited");
  }

  @Test
  void editsOfOneTextFormOneGroup() {
    String text = Corpora.english(new Random(6), 80);
    List<Document> docs = new ArrayList<>(DISTINCT);
    docs.add(Document.of("v0", text));
    docs.add(Document.of("v1", Corpora.replaceWord(text, 10, "zebra")));
    docs.add(Document.of("v2", Corpora.replaceWord(text, 40, "zebra")));
    docs.add(Document.of("v3", Corpora.replaceWord(text, 70, "zebra")));

    NearDuplicates near = CorpusValidator.defaults().validate(docs).nearDuplicates();

    assertThat(near.groups()).isEqualTo(1);
    assertThat(near.documents()).isEqualTo(3);
    NearDuplicateGroup group = near.examples().get(0);
    assertThat(group.ids()).containsExactly("v0", "v1", "v2", "v3");
    assertThat(group.pairs()).hasSize(3);
    assertThat(group.minSimilarity()).isGreaterThanOrEqualTo(0.9).isLessThanOrEqualTo(group.maxSimilarity());
  }

  @Test
  void aThousandVariantsInOneBucketFormOneGroup() {
    String text = Corpora.english(new Random(9), 50);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      // Different punctuation: not exact duplicates, but the same words, so identical signatures.
      docs.add(Document.of("v" + i, text + " " + "!".repeat(i % 50 + 1) + "?".repeat(i / 50)));
    }

    NearDuplicates near = CorpusValidator.builder().maxExamples(5).build().validate(docs).nearDuplicates();

    assertThat(near.groups()).isEqualTo(1);
    assertThat(near.documents()).isEqualTo(999);
    assertThat(near.examples().get(0).size()).isEqualTo(1000);
    assertThat(near.examples().get(0).ids()).containsExactly("v0", "v1", "v2", "v3", "v4");
    assertThat(near.examples().get(0).pairs()).hasSize(5);
  }

  @Test
  void aHigherThresholdDropsTheEditedPair() {
    String original = Corpora.english(new Random(3), 60);
    List<Document> docs = List.of(
        Document.of("original", original), Document.of("edited", Corpora.replaceWord(original, 30, "zebra")));

    assertThat(CorpusValidator.builder().nearDuplicateThreshold(1.0).build().validate(docs).nearDuplicates().groups())
        .isZero();
  }
}
