package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlLoaderTest {

  @TempDir Path dir;

  private static final String PAGE = """
      <!DOCTYPE html>
      <html><head><title> Guide &amp;
        Notes </title><style>p { color: red }</style><script>var x = "<p>nope</p>";</script></head>
      <body>
      <nav><a href="/">Home</a> | <a href="/about">About</a></nav>
      <h1>Install</h1>
      <p>Run   the <b>installer</b>,
      then <i>restart</i>.</p>
      <noscript>Enable JavaScript</noscript>
      <template><p>template text</p></template>
      <div hidden>hidden text</div>
      <!-- a comment -->
      <h2>Caf&eacute; &lt;config&gt;</h2>
      <ul><li>one</li><li>two&nbsp;items</li></ul>
      <div><div><p></p></div></div>
      <pre>
      line 1
        indented   line 2
      </pre>
      <p>first<br>second</p>
      <h3>  <span>Spaced</span>  heading </h3>
      <table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>
      <script>alert("script text")</script>
      </body></html>
      """;

  @Test
  void extractsReadableTextWithBlankLinesBetweenBlocks() throws IOException {
    Path file = Files.writeString(dir.resolve("guide.html"), PAGE);

    Document doc = DocumentLoader.html().load(file, "guide.html");

    assertThat(doc.text()).isEqualTo("Install\n\n"
        + "Run the installer, then restart.\n\n"
        + "Café <config>\n\n"
        + "one\n\n"
        + "two items\n\n"
        + "line 1\n  indented   line 2\n\n"
        + "first\nsecond\n\n"
        + "Spaced heading\n\n"
        + "a b\n\n"
        + "c d");
    assertThat(doc.title()).isEqualTo("Guide & Notes");
    assertThat(doc.source()).isEqualTo(file.toString());
    assertThat(doc.metadata()).containsEntry("content_type", "text/html").containsEntry("file_name", "guide.html");
  }

  @Test
  void scriptStyleNavAndHiddenContentAreLeftOut() throws IOException {
    Path file = Files.writeString(dir.resolve("guide.html"), PAGE);

    String text = DocumentLoader.html().load(file, "guide").text();

    assertThat(text).doesNotContain("color", "var x", "nope", "Home", "About", "Enable JavaScript",
        "template text", "hidden text", "comment", "script text", "Guide & Notes");
  }

  @Test
  void headingsStartSections() throws IOException {
    Path file = Files.writeString(dir.resolve("guide.html"), PAGE);

    Document doc = DocumentLoader.html().load(file, "guide");

    assertThat(doc.sectionStarts()).containsExactly(
        0, doc.text().indexOf("Café"), doc.text().indexOf("Spaced heading"));
  }

  @Test
  void withoutATitleElementTheFirstH1IsTheTitleThenTheFileName() throws IOException {
    Path withH1 = Files.writeString(dir.resolve("a.htm"), "<p>intro</p><h1> Main <em>topic</em> </h1><h1>Other</h1>");
    Path bare = Files.writeString(dir.resolve("bare.page.html"), "<p>no headings</p>");

    assertThat(DocumentLoader.html().load(withH1, "a").title()).isEqualTo("Main topic");
    Document doc = DocumentLoader.html().load(bare, "bare");
    assertThat(doc.title()).isEqualTo("bare.page");
    assertThat(doc.text()).isEqualTo("no headings");
    assertThat(doc.sectionStarts()).isEmpty();
  }

  @Test
  void honoursTheMetaCharset() throws IOException {
    String html = "<html><head><meta charset=\"ISO-8859-1\"><title>Men\u00fc</title></head>"
        + "<body><p>Caf\u00e9 cr\u00e8me</p></body></html>";
    Path file = Files.write(dir.resolve("latin1.html"), html.getBytes(StandardCharsets.ISO_8859_1));

    Document doc = DocumentLoader.html().load(file, "latin1");

    assertThat(doc.text()).isEqualTo("Café crème");
    assertThat(doc.title()).isEqualTo("Menü");
  }

  @Test
  void anEmptyFileGivesAnEmptyDocument() throws IOException {
    Path file = Files.writeString(dir.resolve("empty.html"), "");

    Document doc = DocumentLoader.html().load(file, "empty");

    assertThat(doc.text()).isEmpty();
    assertThat(doc.title()).isEqualTo("empty");
  }

  @Test
  void aMissingFileFailsNamingIt() {
    Path missing = dir.resolve("gone.html");

    assertThatThrownBy(() -> DocumentLoader.html().load(missing, "gone"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void deeplyNestedMarkupDoesNotOverflowTheStack() throws IOException {
    int depth = 20_000;
    Path file = Files.writeString(dir.resolve("deep.html"),
        "<div>".repeat(depth) + "bottom" + "</div>".repeat(depth));

    assertThat(DocumentLoader.html().load(file, "deep").text()).isEqualTo("bottom");
  }
}
