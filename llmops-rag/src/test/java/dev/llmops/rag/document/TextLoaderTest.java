package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLoaderTest {

  @TempDir Path dir;

  @Test
  void plainTextIsTheFileWithTheNameAsTitle() throws IOException {
    Path file = Files.writeString(dir.resolve("release.notes.txt"), "Fixed the cache.\nCafé ☕ works.\n");

    Document doc = DocumentLoader.plainText().load(file, "notes/release.notes.txt");

    assertThat(doc.id()).isEqualTo("notes/release.notes.txt");
    assertThat(doc.text()).isEqualTo("Fixed the cache.\nCafé ☕ works.\n");
    assertThat(doc.title()).isEqualTo("release.notes");
    assertThat(doc.source()).isEqualTo(file.toString());
    assertThat(doc.metadata()).containsOnly(
        java.util.Map.entry("content_type", "text/plain"), java.util.Map.entry("file_name", "release.notes.txt"));
    assertThat(doc.sectionStarts()).isEmpty();
    assertThat(doc.pageStarts()).isEmpty();
    assertThat(doc.access()).isEqualTo(AccessControl.PUBLIC);
  }

  @Test
  void aByteOrderMarkIsDropped() throws IOException {
    Path file = Files.write(dir.resolve("bom.txt"), bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "# Title\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(DocumentLoader.plainText().load(file, "bom").text()).isEqualTo("# Title\n");
    Path markdown = Files.write(dir.resolve("bom.md"), Files.readAllBytes(file));
    Document doc = DocumentLoader.markdown().load(markdown, "bom.md");
    assertThat(doc.text()).isEqualTo("# Title\n");
    assertThat(doc.sectionStarts()).containsExactly(0);
    assertThat(doc.title()).isEqualTo("Title");
  }

  @Test
  void nonUtf8BytesFailNamingTheFileAndTheOffsetOfTheFirstBadByte() throws IOException {
    // "héllo" in ISO-8859-1: é is the single byte 0xE9 at offset 6.
    Path file = Files.write(dir.resolve("latin1.txt"), bytes("fine\n".getBytes(StandardCharsets.US_ASCII),
        "héllo".getBytes(StandardCharsets.ISO_8859_1)));

    assertThatThrownBy(() -> DocumentLoader.plainText().load(file, "latin1"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + file + " is not UTF-8: byte 0xE9 is not valid UTF-8 at byte offset 6 (line 2)");
  }

  @Test
  void theOffsetCountsTheByteOrderMarkAndATruncatedSequenceAtTheEndFails() throws IOException {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("cut.md"), bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "ab".getBytes(StandardCharsets.UTF_8), new byte[] {euro[0], euro[1]}));

    assertThatThrownBy(() -> DocumentLoader.markdown().load(file, "cut"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("byte 0xE2")
        .hasMessageContaining("at byte offset 5 (line 1)");
  }

  @Test
  void aMissingFileOrAFolderFailsNamingIt() {
    Path missing = dir.resolve("nope.txt");
    assertThatThrownBy(() -> DocumentLoader.plainText().load(missing, "nope"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + missing + " does not exist");
    assertThatThrownBy(() -> DocumentLoader.markdown().load(dir, "dir"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + dir + " is not a regular file");
  }

  @Test
  void aBlankIdIsAProgrammingError() throws IOException {
    Path file = Files.writeString(dir.resolve("a.txt"), "a");

    assertThatThrownBy(() -> DocumentLoader.plainText().load(file, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void markdownSectionsStartAtAtxHeadingsOutsideFencedCode() throws IOException {
    String text = String.join("\n",
        "Preamble before any heading.",
        "# Guide",
        "",
        "Intro with a #hashtag and # in the middle.",
        "",
        "## Install",
        "```bash",
        "# a shell comment, not a heading",
        "```",
        "~~~~",
        "## not a heading",
        "~~~",
        "```",
        "still inside: the tilde fence needs four tildes to close",
        "~~~~~",
        "#hashtag is not a heading",
        "    # indented four spaces is code",
        "   ### Usage ###",
        "####### seven hashes is not a heading",
        "######\tSix with a tab",
        "#",
        "``` python",
        "# unclosed fence runs to the end",
        "## so is this");
    Path file = Files.writeString(dir.resolve("guide.md"), text);

    Document doc = DocumentLoader.markdown().load(file, "guide.md");

    assertThat(doc.text()).isEqualTo(text);
    assertThat(doc.sectionStarts()).containsExactly(
        text.indexOf("# Guide"), text.indexOf("## Install"), text.indexOf("   ### Usage"),
        text.indexOf("######\tSix"), text.indexOf("\n#\n") + 1);
    assertThat(doc.title()).isEqualTo("Guide");
    assertThat(doc.metadata()).containsEntry("content_type", "text/markdown").containsEntry("file_name", "guide.md");
  }

  @Test
  void theTitleIsTheFirstNonEmptyLevelOneHeadingWithoutClosingHashes() throws IOException {
    Path file = Files.writeString(dir.resolve("t.md"), "## Second level first\n#\n# The Title ##\n# Later\n");

    assertThat(DocumentLoader.markdown().load(file, "t").title()).isEqualTo("The Title");
    Path hashes = Files.writeString(dir.resolve("h.md"), "# C# #\n");
    assertThat(DocumentLoader.markdown().load(hashes, "h").title()).isEqualTo("C#");
  }

  @Test
  void markdownWithoutALevelOneHeadingIsTitledByFileName() throws IOException {
    Path file = Files.writeString(dir.resolve("faq.markdown"), "## Question\nAnswer\n");

    Document doc = DocumentLoader.markdown().load(file, "faq");

    assertThat(doc.title()).isEqualTo("faq");
    assertThat(doc.sectionStarts()).containsExactly(0);
  }

  @Test
  void markdownOffsetsHoldWithWindowsLineBreaks() throws IOException {
    String text = "# A\r\n\r\nbody\r\n## B\r\n```\r\n# no\r\n```\r\n### C";
    Path file = Files.writeString(dir.resolve("crlf.md"), text);

    Document doc = DocumentLoader.markdown().load(file, "crlf");

    assertThat(doc.sectionStarts()).containsExactly(0, text.indexOf("## B"), text.indexOf("### C"));
    assertThat(doc.title()).isEqualTo("A");
  }

  static byte[] bytes(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
