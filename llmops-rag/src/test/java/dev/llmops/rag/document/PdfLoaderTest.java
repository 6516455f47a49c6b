package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfLoaderTest {

  @TempDir Path dir;

  @Test
  void joinsPagesWithBlankLinesAndRecordsWhereEachPageStarts() throws IOException {
    Path file = TestPdfs.write(dir.resolve("report.pdf"), "Quarterly Report",
        "Alpha on page one", "Beta on page two\nsecond line", "Gamma on page three");

    Document doc = DocumentLoader.pdf().load(file, "report.pdf");

    assertThat(doc.text()).isEqualTo(
        "Alpha on page one\n\nBeta on page two\nsecond line\n\nGamma on page three");
    assertThat(doc.pageStarts()).containsExactly(0, 19, 49);
    assertThat(doc.pageAt(doc.text().indexOf("Alpha"))).isEqualTo(1);
    assertThat(doc.pageAt(doc.text().indexOf("page one") + 7)).isEqualTo(1);
    assertThat(doc.pageAt(doc.text().indexOf("Beta"))).isEqualTo(2);
    assertThat(doc.pageAt(doc.text().indexOf("second line"))).isEqualTo(2);
    assertThat(doc.pageAt(doc.text().indexOf("Gamma"))).isEqualTo(3);
    assertThat(doc.pageAt(doc.text().length() - 1)).isEqualTo(3);
    assertThat(doc.title()).isEqualTo("Quarterly Report");
    assertThat(doc.id()).isEqualTo("report.pdf");
    assertThat(doc.source()).isEqualTo(file.toString());
    assertThat(doc.metadata())
        .containsEntry("content_type", "application/pdf")
        .containsEntry("file_name", "report.pdf");
    assertThat(doc.sectionStarts()).isEmpty();
  }

  @Test
  void anEmptyPageStillGetsAnEntry() throws IOException {
    Path file = TestPdfs.write(dir.resolve("gap.pdf"), null, "First", "", "Third");

    Document doc = DocumentLoader.pdf().load(file, "gap");

    assertThat(doc.text()).isEqualTo("First\n\n\n\nThird");
    assertThat(doc.pageStarts()).containsExactly(0, 7, 9);
    assertThat(doc.pageAt(doc.text().indexOf("Third"))).isEqualTo(3);
  }

  @Test
  void emptyPagesAtTheStartAndTheEndStillGetEntries() throws IOException {
    Path file = TestPdfs.write(dir.resolve("edges.pdf"), null, "", "", "Middle", "", "");

    Document doc = DocumentLoader.pdf().load(file, "edges");

    assertThat(doc.text()).isEqualTo("\n\n\n\nMiddle\n\n\n\n");
    assertThat(doc.pageStarts()).containsExactly(0, 2, 4, 12, 14);
    assertThat(doc.pageAt(doc.text().indexOf("Middle"))).isEqualTo(3);
  }

  @Test
  void aPdfWithoutPagesHasNoText() throws IOException {
    Path file = TestPdfs.write(dir.resolve("none.pdf"), "Nothing");

    Document doc = DocumentLoader.pdf().load(file, "none");

    assertThat(doc.text()).isEmpty();
    assertThat(doc.pageStarts()).isEmpty();
    assertThat(doc.title()).isEqualTo("Nothing");
  }

  @Test
  void withoutAnInfoTitleTheTitleIsTheFileName() throws IOException {
    Path file = TestPdfs.write(dir.resolve("untitled.v2.pdf"), "   ", "Only page");

    assertThat(DocumentLoader.pdf().load(file, "u").title()).isEqualTo("untitled.v2");
  }

  @Test
  void randomBytesAfterAPdfHeaderFailNamingTheFileAndPdfBoxsReason() throws IOException {
    byte[] bytes = new byte[4096];
    new Random(42).nextBytes(bytes);
    byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(header, 0, bytes, 0, header.length);
    Path file = Files.write(dir.resolve("garbage.pdf"), bytes);

    assertThatThrownBy(() -> DocumentLoader.pdf().load(file, "garbage"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("PDF file " + file + " is malformed: ")
        .hasMessageContaining("trailer")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aTruncatedPdfFailsNamingTheFile() throws IOException {
    byte[] whole = Files.readAllBytes(TestPdfs.write(dir.resolve("whole.pdf"), "T", "one", "two", "three"));
    // PDFBox writes the page objects into an object stream near the end; cut before it, so nothing can be recovered.
    int objectStream = new String(whole, StandardCharsets.ISO_8859_1).indexOf("/ObjStm");
    assertThat(objectStream).isPositive();
    Path file = Files.write(dir.resolve("truncated.pdf"), Arrays.copyOf(whole, objectStream - 40));

    assertThatThrownBy(() -> DocumentLoader.pdf().load(file, "truncated"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("PDF file " + file + " is malformed: ");
  }

  @Test
  void aPasswordProtectedPdfFailsSayingSo() throws IOException {
    Path file = TestPdfs.writeEncrypted(dir.resolve("secret.pdf"), "s3cret", "classified");

    assertThatThrownBy(() -> DocumentLoader.pdf().load(file, "secret"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("PDF file " + file + " is encrypted with a password: ");
  }

  @Test
  void aTextFileNamedPdfIsMalformed() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.pdf"), "just some text");

    assertThatThrownBy(() -> DocumentLoader.pdf().load(file, "notes"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("PDF file " + file + " is malformed: ");
  }
}
