package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.rag.document.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValidationReportTest {

  private static final String MOJIBAKE_TEXT = Corpora.english(new Random(44), 20) + " caf\u00c3\u00a9";

  /** A corpus with something for every check. */
  private static ValidationReport flawed() {
    List<Document> docs = new ArrayList<>(Corpora.englishDocuments("doc", 100, 41));
    String sixty = Corpora.english(new Random(42), 60);
    docs.add(Document.of("para", sixty));
    docs.add(Document.of("para-edited", Corpora.replaceWord(sixty, 30, "zebra")));
    docs.add(Document.of("copy", docs.get(0).text()));
    docs.add(Document.of("doc-5", Corpora.english(new Random(43), 20)));
    docs.add(Document.of("empty", ""));
    docs.add(Document.of("tiny", "Hi"));
    docs.add(Document.of("latin1", MOJIBAKE_TEXT));
    docs.add(Document.of("german", LanguageDetectorTest.PARAGRAPHS.get("de")));
    return CorpusValidator.builder()
        .thresholds(ValidationThresholds.builder().minDominantLanguageShare(0.9).build())
        .build().validate(docs);
  }

  @Test
  void theTextSummaryHasALinePerCheckAndTheViolations() {
    ValidationReport report = flawed();

    String text = report.toText();

    assertThat(text).startsWith("Corpus validation of 108 documents: FAILED, 3 violations\n");
    assertThat(text.lines()).contains(
        "empty documents: 1 (0.93%) - FAIL (max 0%); e.g. empty",
        "short documents: 1 (0.93%), under 3 words - ok (max 5%); e.g. tiny",
        "duplicate ids: 1 (0.93%), 1 id - FAIL (max 0%); e.g. doc-5 x2",
        "exact duplicates: 1 (0.93%), 1 group - ok (max 5%); e.g. [doc-0, copy]",
        "encoding problems: 1 (0.93%), mojibake (UTF-8 read as Latin-1 or Windows-1252) 1 - FAIL (max 0%); "
            + "e.g. latin1 mojibake at " + MOJIBAKE_TEXT.indexOf('\u00c3'),
        "Violations:",
        "- empty documents: 0.93% of documents (1 of 108) exceeds the maximum 0%",
        "- duplicate ids: 0.93% of documents (1 of 108) exceeds the maximum 0%",
        "- encoding problems: 0.93% of documents (1 of 108) exceeds the maximum 0%");
    assertThat(text).containsPattern("near duplicates: 1 \\(0\\.93%\\), 1 group, Jaccard >= 0\\.9 - ok \\(max 5%\\); "
        + "e\\.g\\. \\[para, para-edited\\] 0\\.9\\d");
    assertThat(text).containsPattern("length outliers: 1 \\(0\\.93%\\), usual length \\d+(\\.\\d+)? to \\d+(\\.\\d+)? "
        + "words, at most 1000000 characters - ok \\(max 1%\\); e\\.g\\. tiny 1 word/2 chars too few words");
    assertThat(text).contains(
        "languages: en 105 (97.2%), unknown 2 (1.9%), de 1 (0.93%); dominant en 97.2% - ok (min 90%)");
    assertThat(text.lines().count()).isLessThan(20);
  }

  @Test
  void theReportRoundTripsThroughJsonAsPlainRecords() throws Exception {
    ValidationReport report = flawed();
    ObjectMapper json = new ObjectMapper();

    String written = json.writeValueAsString(report);
    JsonNode tree = json.readTree(written);

    assertThat(tree.get("totalDocuments").asInt()).isEqualTo(108);
    assertThat(tree.get("nearDuplicates").get("examples").get(0).get("ids").toString())
        .isEqualTo("[\"para\",\"para-edited\"]");
    assertThat(tree.get("encodingProblems").get("examples").get(0).get("issue").asText()).isEqualTo("MOJIBAKE");
    assertThat(tree.get("thresholds").get("minDominantLanguageShare").asDouble()).isEqualTo(0.9);
    assertThat(tree.get("violations")).hasSize(3);
    assertThat(tree.has("passed")).as("derived, not a component").isFalse();
    assertThat(json.readValue(written, ValidationReport.class)).isEqualTo(report);
  }

  @Test
  void percentagesNeverHideANonZeroShare() {
    assertThat(ValidationReport.percent(0)).isEqualTo("0%");
    assertThat(ValidationReport.percent(0.05)).isEqualTo("5%");
    assertThat(ValidationReport.percent(0.125)).isEqualTo("12.5%");
    assertThat(ValidationReport.percent(1)).isEqualTo("100%");
    assertThat(ValidationReport.percent(0.00015)).isEqualTo("0.015%");
    assertThat(ValidationReport.percent(1e-7)).isEqualTo("0.00001%");
  }
}
