package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.DuplicateGroup;
import dev.llmops.rag.validate.ValidationReport.DuplicateId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorpusValidatorTest {

  private static final List<Document> CLEAN = Corpora.englishDocuments("doc", 200, 7);

  @Test
  void aCleanCorpusPassesWithNothingFlagged() {
    ValidationReport report = CorpusValidator.defaults().validate(CLEAN);

    assertThat(report.totalDocuments()).isEqualTo(200);
    assertThat(report.empty().documents()).isZero();
    assertThat(report.shortDocuments().documents()).isZero();
    assertThat(report.duplicateIds().documents()).isZero();
    assertThat(report.exactDuplicates().documents()).isZero();
    assertThat(report.nearDuplicates().documents()).isZero();
    assertThat(report.encodingProblems().documents()).isZero();
    assertThat(report.lengthOutliers().documents()).isZero();
    assertThat(report.languages().dominant()).isEqualTo("en");
    assertThat(report.languages().dominantShare()).isEqualTo(1.0);
    assertThat(report.verdicts()).allMatch(ValidationReport.CheckVerdict::passed);
    assertThat(report.violations()).isEmpty();
    assertThat(report.passed()).isTrue();
  }

  @Test
  void emptyAndShortDocumentsAreCountedApart() {
    List<Document> docs = new ArrayList<>(CLEAN);
    docs.add(Document.of("blank", ""));
    docs.add(Document.of("spaces", " \n\t\u00A0 "));
    docs.add(Document.of("two-words", "Hello world"));
    docs.add(Document.of("symbols", "*** ---"));
    docs.add(Document.of("three-words", "Hello there world"));

    ValidationReport report = CorpusValidator.defaults().validate(docs);

    assertThat(report.empty().documents()).isEqualTo(2);
    assertThat(report.empty().exampleIds()).containsExactly("blank", "spaces");
    assertThat(report.shortDocuments().minWords()).isEqualTo(3);
    assertThat(report.shortDocuments().documents()).isEqualTo(2);
    assertThat(report.shortDocuments().exampleIds()).containsExactly("two-words", "symbols");
    assertThat(report.exactDuplicates().documents()).as("two empty documents are not duplicates").isZero();
    assertThat(report.violations()).containsExactly(
        "empty documents: 0.98% of documents (2 of 205) exceeds the maximum 0%",
        "length outliers: 1.5% of documents (3 of 205) exceeds the maximum 1%");
    assertThat(report.lengthOutliers().examples()).extracting(ValidationReport.LengthOutlier::documentId)
        .as("short documents are also far shorter than the rest; empty ones are not measured")
        .containsExactly("two-words", "symbols", "three-words");
  }

  @Test
  void theMinimumWordsIsConfigurable() {
    List<Document> docs = List.of(Document.of("a", "one two three four"), Document.of("b", "one two three four five"));

    assertThat(CorpusValidator.builder().minWords(5).build().validate(docs).shortDocuments().exampleIds())
        .containsExactly("a");
    assertThat(CorpusValidator.builder().minWords(0).build().validate(docs).shortDocuments().documents()).isZero();
  }

  @Test
  void duplicateIdsCountEveryOccurrenceAfterTheFirst() {
    List<Document> docs = new ArrayList<>(CLEAN.subList(0, 50));
    java.util.Random random = new java.util.Random(99);
    docs.add(Document.of("doc-3", Corpora.english(random, 20)));
    docs.add(Document.of("doc-3", Corpora.english(random, 20)));
    docs.add(Document.of("doc-9", Corpora.english(random, 20)));

    ValidationReport report = CorpusValidator.defaults().validate(docs);

    assertThat(report.duplicateIds().documents()).isEqualTo(3);
    assertThat(report.duplicateIds().ids()).isEqualTo(2);
    assertThat(report.duplicateIds().examples())
        .containsExactly(new DuplicateId("doc-3", 3), new DuplicateId("doc-9", 2));
    assertThat(report.violations()).containsExactly(
        "duplicate ids: 5.7% of documents (3 of 53) exceeds the maximum 0%");
  }

  @Test
  void exactDuplicatesIgnoreCaseWhitespaceAndUnicodeNormalisationButNotPunctuation() {
    List<Document> docs = new ArrayList<>(CLEAN.subList(0, 30));
    docs.add(Document.of("cafe-nfc", "The caf\u00e9 opens at nine on Sunday"));
    docs.add(Document.of("cafe-nfd", "  the CAFE\u0301   opens at nine\n on sunday "));
    docs.add(Document.of("cafe-punct", "The caf\u00e9 opens at nine on Sunday!"));
    docs.add(Document.of("copy-of-doc-4", CLEAN.get(4).text().toUpperCase(java.util.Locale.ROOT)));
    docs.add(Document.of("again-doc-4", CLEAN.get(4).text()));

    ValidationReport report = CorpusValidator.defaults().validate(docs);

    assertThat(report.exactDuplicates().documents()).isEqualTo(3);
    assertThat(report.exactDuplicates().groups()).isEqualTo(2);
    assertThat(report.exactDuplicates().examples()).containsExactly(
        new DuplicateGroup(3, List.of("doc-4", "copy-of-doc-4", "again-doc-4")),
        new DuplicateGroup(2, List.of("cafe-nfc", "cafe-nfd")));
    assertThat(report.nearDuplicates().groups()).as("punctuation differs, the words do not").isEqualTo(1);
    assertThat(report.nearDuplicates().examples().get(0).ids()).containsExactly("cafe-nfc", "cafe-punct");
    assertThat(report.nearDuplicates().examples().get(0).minSimilarity()).isEqualTo(1.0);
  }

  @Test
  void examplesAreCappedButCountsAreNot() {
    List<Document> docs = new ArrayList<>(CLEAN);
    for (int i = 0; i < 30; i++) {
      docs.add(Document.of("empty-" + i, " "));
    }

    ValidationReport report = CorpusValidator.builder().maxExamples(4).build().validate(docs);

    assertThat(report.empty().documents()).isEqualTo(30);
    assertThat(report.empty().exampleIds()).containsExactly("empty-0", "empty-1", "empty-2", "empty-3");
  }

  @Test
  void streamingGivesTheSameReportAsValidatingAnIterable() {
    List<Document> docs = new ArrayList<>(CLEAN);
    docs.add(Document.of("doc-1", "caf\u00c3\u00a9 \uFFFD"));
    docs.add(Document.of("copy", CLEAN.get(0).text()));
    CorpusValidator validator = CorpusValidator.defaults();

    CorpusValidator.Accumulator run = validator.start();
    for (Document d : docs) {
      run.add(d);
    }
    assertThat(run.documents()).isEqualTo(docs.size());

    assertThat(run.finish()).isEqualTo(validator.validate(docs));
  }

  @Test
  void anAccumulatorIsSingleUse() {
    CorpusValidator.Accumulator run = CorpusValidator.defaults().start();
    run.add(CLEAN.get(0));
    run.finish();

    assertThatThrownBy(() -> run.add(CLEAN.get(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished after 1 documents");
    assertThatThrownBy(run::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmptyCorpusFails() {
    ValidationReport report = CorpusValidator.defaults().validate(List.of());

    assertThat(report.totalDocuments()).isZero();
    assertThat(report.passed()).isFalse();
    assertThat(report.violations()).containsExactly("no documents: the corpus is empty");
    assertThat(report.languages().dominant()).isEqualTo(LanguageDetector.UNKNOWN);
  }

  @Test
  void theBuilderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> CorpusValidator.builder().minWords(-1))
        .hasMessage("minWords must not be negative but was -1");
    assertThatThrownBy(() -> CorpusValidator.builder().maxCharacters(0))
        .hasMessage("maxCharacters must be positive but was 0");
    assertThatThrownBy(() -> CorpusValidator.builder().nearDuplicateThreshold(0))
        .hasMessage("nearDuplicateThreshold must be above 0 and at most 1 but was 0.0");
    assertThatThrownBy(() -> CorpusValidator.builder().nearDuplicateThreshold(Double.NaN))
        .hasMessageContaining("but was NaN");
    assertThatThrownBy(() -> CorpusValidator.builder().outlierIqrFactor(Double.POSITIVE_INFINITY))
        .hasMessage("outlierIqrFactor must be positive and finite but was Infinity");
    assertThatThrownBy(() -> CorpusValidator.builder().maxExamples(-3))
        .hasMessage("maxExamples must not be negative but was -3");
    assertThatThrownBy(() -> CorpusValidator.builder()
            .thresholds(ValidationThresholds.builder().allowedLanguages("en", "eng").build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowed language 'eng' is never reported by the language detector");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    CorpusValidator validator = CorpusValidator.builder().minWords(7).maxCharacters(99).nearDuplicateThreshold(0.8)
        .outlierIqrFactor(1.5).maxExamples(3).thresholds(ValidationThresholds.reportOnly()).build();

    CorpusValidator copy = validator.toBuilder().build();

    assertThat(List.of(copy.minWords(), copy.maxCharacters(), copy.maxExamples())).containsExactly(7, 99, 3);
    assertThat(copy.nearDuplicateThreshold()).isEqualTo(0.8);
    assertThat(copy.outlierIqrFactor()).isEqualTo(1.5);
    assertThat(copy.thresholds()).isEqualTo(ValidationThresholds.reportOnly());
    assertThat(copy.languageDetector()).isSameAs(LanguageDetector.builtIn());
  }

  @Test
  void aDetectorThatBreaksItsContractIsNamed() {
    LanguageDetector liar = new LanguageDetector() {
      @Override
      public String detect(String text) {
        return "klingon";
      }

      @Override
      public Set<String> languages() {
        return Set.of("en", UNKNOWN);
      }

      @Override
      public String toString() {
        return "liar";
      }
    };
    CorpusValidator.Accumulator run = CorpusValidator.builder().languageDetector(liar).build().start();

    assertThatThrownBy(() -> run.add(CLEAN.get(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("liar returned 'klingon'");
    assertThat(run.documents()).as("the document was not half-added").isZero();
  }
}
