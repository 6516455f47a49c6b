package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.EncodingFinding;
import dev.llmops.rag.validate.ValidationReport.EncodingProblems;
import dev.llmops.rag.validate.ValidationReport.IssueCount;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodingCheckTest {

  private static EncodingProblems check(Document... documents) {
    List<Document> docs = new ArrayList<>(Corpora.englishDocuments("clean", 20, 1));
    docs.addAll(List.of(documents));
    return CorpusValidator.defaults().validate(docs).encodingProblems();
  }

  /** {@code text} encoded as UTF-8 and decoded as {@code charset}: what a loader with the wrong charset makes. */
  private static String misread(String text, String charset) {
    return new String(text.getBytes(StandardCharsets.UTF_8), Charset.forName(charset));
  }

  @Test
  void mojibakeIsFoundWhereItStarts() {
    EncodingProblems found = check(
        Document.of("cafe", "Le caf\u00c3\u00a9 est tr\u00c3\u00a8s bon"),
        Document.of("quote", "It doesn\u00e2\u20ac\u2122t matter, \u00e2\u20ac\u0153he said\u00e2\u20ac\u009d"),
        Document.of("gruesse", "Viele Gr\u00c3\u00bc\u00c3\u0178e aus M\u00c3\u00bcnchen"));

    assertThat(found.documents()).isEqualTo(3);
    assertThat(found.examples()).contains(
        new EncodingFinding("cafe", EncodingIssue.MOJIBAKE, 6, 2),
        new EncodingFinding("quote", EncodingIssue.MOJIBAKE, 8, 3),
        new EncodingFinding("gruesse", EncodingIssue.MOJIBAKE, 8, 3));
    assertThat(found.byIssue()).contains(new IssueCount(EncodingIssue.MOJIBAKE, 3));
  }

  @Test
  void textMisreadAsWindows1252OrLatin1IsMojibake() {
    String[] originals = {
        "Schöne Grüße aus Köln", "naïve café au lait", "“Smart quotes” and an em — dash", "Привет, мир",
        "Καλημέρα κόσμε", "שלום עולם", "مرحبا بالعالم", "Zażółć gęślą jaźń", "Emoji 😀 inside"};
    for (String original : originals) {
      for (String charset : List.of("windows-1252", "ISO-8859-1")) {
        EncodingProblems found = check(Document.of("misread", misread(original, charset)));
        assertThat(found.byIssue())
            .as("%s read as %s", original, charset)
            .contains(new IssueCount(EncodingIssue.MOJIBAKE, 1));
      }
    }
  }

  @Test
  void replacementControlAndSurrogateProblemsAreFoundWithTheirOffsets() {
    EncodingProblems found = check(
        Document.of("fffd", "bad \uFFFD byte and another \uFFFD"),
        Document.of("bell", "bell\u0007here"),
        Document.of("nul", "\u0000 at the start"),
        Document.of("c1", "next line\u0085control"),
        Document.of("high", "a\uD83D b"),
        Document.of("low", "x\uDE00 y"),
        Document.of("two", "mixed\u0001 and \uFFFD"));

    assertThat(found.documents()).isEqualTo(7);
    assertThat(found.examples()).containsExactly(
        new EncodingFinding("fffd", EncodingIssue.REPLACEMENT_CHARACTER, 4, 2),
        new EncodingFinding("bell", EncodingIssue.CONTROL_CHARACTER, 4, 1),
        new EncodingFinding("nul", EncodingIssue.CONTROL_CHARACTER, 0, 1),
        new EncodingFinding("c1", EncodingIssue.CONTROL_CHARACTER, 9, 1),
        new EncodingFinding("high", EncodingIssue.UNPAIRED_SURROGATE, 1, 1),
        new EncodingFinding("low", EncodingIssue.UNPAIRED_SURROGATE, 1, 1),
        new EncodingFinding("two", EncodingIssue.REPLACEMENT_CHARACTER, 11, 1),
        new EncodingFinding("two", EncodingIssue.CONTROL_CHARACTER, 5, 1));
    assertThat(found.byIssue()).containsExactly(
        new IssueCount(EncodingIssue.REPLACEMENT_CHARACTER, 2),
        new IssueCount(EncodingIssue.CONTROL_CHARACTER, 4),
        new IssueCount(EncodingIssue.UNPAIRED_SURROGATE, 2),
        new IssueCount(EncodingIssue.MOJIBAKE, 0));
  }

  @Test
  void correctTextInManyScriptsHasNoProblems() {
    EncodingProblems found = check(
        Document.of("fr", "«\u00a0CAFÉ\u00a0» — l’été, naïve, Noël… ÉTÉ”"),
        Document.of("de", "Straße, groß… „Grüße“ aus Köln – ÄRZTE’ Übung"),
        Document.of("nordic", "Ærø, Ørsted, Åland, Þórshöfn, Ísafjörður"),
        Document.of("pl", "Zażółć gęślą jaźń"),
        Document.of("scripts", "Привет, мир. Καλημέρα. שלום. مرحبا. नमस्ते. 你好。こんにちは。안녕하세요. สวัสดี"),
        Document.of("symbols", "Price: 5 € ± 2 ¢, 30 °C, © 2024, ½ × ¾, café"),
        Document.of("emoji", "Emoji 😀👍🏽 and 𝒳 are paired surrogates"),
        Document.of("whitespace", "tabs\tnew\nlines\r\nand\u00a0no-break spaces"));

    assertThat(found.documents()).isZero();
    assertThat(found.examples()).isEmpty();
  }

  @Test
  void anEncodingProblemFailsTheDefaultThresholds() {
    List<Document> docs = new ArrayList<>(Corpora.englishDocuments("clean", 99, 1));
    docs.add(Document.of("bad", Corpora.english(new java.util.Random(2), 20) + " caf\u00c3\u00a9"));

    ValidationReport report = CorpusValidator.defaults().validate(docs);

    assertThat(report.violations()).containsExactly(
        "encoding problems: 1% of documents (1 of 100) exceeds the maximum 0%");
  }
}
