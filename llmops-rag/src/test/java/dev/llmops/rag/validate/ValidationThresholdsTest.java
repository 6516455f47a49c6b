package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.CheckVerdict;
import dev.llmops.rag.validate.ValidationReport.Limit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationThresholdsTest {

  /** 180 distinct English documents and 20 copies of the first 20: 10% exact duplicates. */
  private static List<Document> tenPercentCopies() {
    List<Document> docs = new ArrayList<>(Corpora.englishDocuments("doc", 180, 31));
    for (int i = 0; i < 20; i++) {
      docs.add(Document.of("copy-" + i, docs.get(i).text()));
    }
    return docs;
  }

  /** 150 English and 50 German documents. */
  private static List<Document> mixed() {
    List<Document> docs = new ArrayList<>(Corpora.englishDocuments("en", 150, 32));
    docs.addAll(Corpora.germanDocuments("de", 50, 33));
    return docs;
  }

  @Test
  void theDefaultsAreDocumented() {
    ValidationThresholds t = ValidationThresholds.defaults();

    assertThat(List.of(t.maxEmptyShare(), t.maxShortShare(), t.maxDuplicateIdShare(), t.maxExactDuplicateShare(),
            t.maxNearDuplicateShare(), t.maxEncodingProblemShare(), t.maxOutlierShare(),
            t.maxDisallowedLanguageShare()))
        .containsExactly(0.0, 0.05, 0.0, 0.05, 0.05, 0.0, 0.01, 0.01);
    assertThat(t.minDominantLanguageShare()).isNull();
    assertThat(t.allowedLanguages()).isEmpty();
  }

  @Test
  void aShareOverItsLimitFailsWithTheNumbersInTheMessage() {
    ValidationReport report = CorpusValidator.defaults().validate(tenPercentCopies());

    assertThat(report.passed()).isFalse();
    assertThat(report.violations()).containsExactly(
        "exact duplicates: 10% of documents (20 of 200) exceeds the maximum 5%");
    assertThat(report.verdicts()).filteredOn(v -> !v.passed()).containsExactly(
        new CheckVerdict("exact duplicates", 20, 0.1, Limit.AT_MOST, 0.05, false));
  }

  @Test
  void aShareEqualToItsLimitPasses() {
    CorpusValidator validator = CorpusValidator.builder()
        .thresholds(ValidationThresholds.builder().maxExactDuplicateShare(0.1).build()).build();

    ValidationReport report = validator.validate(tenPercentCopies());

    assertThat(report.passed()).isTrue();
    assertThat(report.violations()).isEmpty();
  }

  @Test
  void theDominantLanguageMustReachItsMinimum() {
    CorpusValidator strict = CorpusValidator.builder()
        .thresholds(ValidationThresholds.builder().minDominantLanguageShare(0.8).build()).build();
    CorpusValidator lenient = CorpusValidator.builder()
        .thresholds(ValidationThresholds.builder().minDominantLanguageShare(0.75).build()).build();

    ValidationReport failed = strict.validate(mixed());

    assertThat(failed.violations()).containsExactly(
        "dominant language: en has 75% of documents (150 of 200), below the minimum 80%");
    assertThat(failed.verdicts()).contains(
        new CheckVerdict("dominant language", 150, 0.75, Limit.AT_LEAST, 0.8, false));
    assertThat(lenient.validate(mixed()).passed()).isTrue();
  }

  @Test
  void languagesOutsideTheAllowedOnesFail() {
    CorpusValidator englishOnly = CorpusValidator.builder()
        .thresholds(ValidationThresholds.builder().allowedLanguages("en").build()).build();
    CorpusValidator germanToo = CorpusValidator.builder()
        .thresholds(ValidationThresholds.builder().allowedLanguages(Set.of("en", "de")).build()).build();

    ValidationReport failed = englishOnly.validate(mixed());

    assertThat(failed.violations()).containsExactly(
        "disallowed languages: 25% of documents (50 of 200) are in languages outside [en], above the maximum 1%");
    assertThat(failed.languages().disallowedDocuments()).isEqualTo(50);
    assertThat(failed.languages().disallowedExampleIds()).hasSize(20).allMatch(id -> id.startsWith("de-"));
    assertThat(germanToo.validate(mixed()).passed()).isTrue();
  }

  @Test
  void reportOnlyPassesABadCorpus() {
    List<Document> docs = tenPercentCopies();
    docs.add(Document.of("empty", ""));
    docs.add(Document.of("doc-1", "caf\u00c3\u00a9"));

    ValidationReport report = CorpusValidator.builder().thresholds(ValidationThresholds.reportOnly()).build()
        .validate(docs);

    assertThat(report.passed()).isTrue();
    assertThat(report.empty().documents()).isEqualTo(1);
    assertThat(report.duplicateIds().documents()).isEqualTo(1);
    assertThat(report.encodingProblems().documents()).isEqualTo(1);
  }

  @Test
  void badSharesAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> ValidationThresholds.builder().maxEmptyShare(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEmptyShare must be a share between 0 and 1 but was 1.5");
    assertThatThrownBy(() -> ValidationThresholds.builder().maxNearDuplicateShare(-0.1))
        .hasMessage("maxNearDuplicateShare must be a share between 0 and 1 but was -0.1");
    assertThatThrownBy(() -> ValidationThresholds.builder().minDominantLanguageShare(Double.NaN))
        .hasMessage("minDominantLanguageShare must be a share between 0 and 1 but was NaN");
    assertThatThrownBy(() -> ValidationThresholds.builder().allowedLanguages("en", " "))
        .hasMessage("an allowed language must not be null or blank but languages were [en,  ]");
    assertThatThrownBy(() -> new ValidationThresholds(0, 0, 0, 0, 0, 0, 2, null, Set.of(), 0))
        .hasMessage("maxOutlierShare must be a share between 0 and 1 but was 2.0");
  }

  @Test
  void toBuilderKeepsEveryLimit() {
    ValidationThresholds t = ValidationThresholds.builder().maxEmptyShare(0.1).maxShortShare(0.2)
        .maxDuplicateIdShare(0.3).maxExactDuplicateShare(0.4).maxNearDuplicateShare(0.5)
        .maxEncodingProblemShare(0.6).maxOutlierShare(0.7).minDominantLanguageShare(0.8)
        .allowedLanguages("fr", "de").maxDisallowedLanguageShare(0.9).build();

    assertThat(t.toBuilder().build()).isEqualTo(t);
    assertThat(t.allowedLanguages()).containsExactly("de", "fr");
  }
}
