package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every stock loader promises, whichever format it reads. */
class DocumentLoaderContractTest {

  @TempDir Path dir;

  /** A stock loader, an extension it reads, and a valid file of that format containing the word "needle". */
  record Format(String name, DocumentLoader loader, String extension, String contentType, Fixture fixture) {
    @Override
    public String toString() {
      return name + " ." + extension;
    }
  }

  @FunctionalInterface
  interface Fixture {
    void write(Path file) throws IOException;
  }

  static Stream<Format> formats() {
    Fixture text = file -> Files.writeString(file, "a needle in text");
    Fixture markdown = file -> Files.writeString(file, "# Title\n\na needle in markdown\n");
    Fixture html = file -> Files.writeString(file, "<h1>Title</h1><p>a needle in html</p>");
    Fixture pdf = file -> TestPdfs.write(file, null, "a needle in a pdf");
    return Stream.of(
        new Format("plainText", DocumentLoader.plainText(), "txt", "text/plain", text),
        new Format("plainText", DocumentLoader.plainText(), "log", "text/plain", text),
        new Format("markdown", DocumentLoader.markdown(), "md", "text/markdown", markdown),
        new Format("html", DocumentLoader.html(), "html", "text/html", html),
        new Format("pdf", DocumentLoader.pdf(), "pdf", "application/pdf", pdf),
        new Format("byExtension", DocumentLoader.byExtension(), "text", "text/plain", text),
        new Format("byExtension", DocumentLoader.byExtension(), "markdown", "text/markdown", markdown),
        new Format("byExtension", DocumentLoader.byExtension(), "htm", "text/html", html),
        new Format("byExtension", DocumentLoader.byExtension(), "pdf", "application/pdf", pdf));
  }

  private Path fixture(Format format) throws IOException {
    Path file = dir.resolve("sample." + format.extension());
    format.fixture().write(file);
    return file;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void setsIdSourceTextAndTheCommonMetadata(Format format) throws IOException {
    Path file = fixture(format);

    Document doc = format.loader().load(file, "folder/sample");

    assertThat(doc.id()).isEqualTo("folder/sample");
    assertThat(doc.source()).isEqualTo(file.toString());
    assertThat(doc.text()).contains("needle");
    assertThat(doc.title()).isNotBlank();
    assertThat(doc.access()).isEqualTo(AccessControl.PUBLIC);
    assertThat(doc.metadata())
        .containsEntry("content_type", format.contentType())
        .containsEntry("file_name", "sample." + format.extension());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void supportsItsExtensionInAnyCaseButNotAnUnknownOne(Format format) {
    assertThat(format.loader().supports(Path.of("x." + format.extension()))).isTrue();
    assertThat(format.loader().supports(Path.of("dir", "X." + format.extension().toUpperCase(Locale.ROOT)))).isTrue();
    assertThat(format.loader().supports(Path.of("x.docx"))).isFalse();
    assertThat(format.loader().supports(Path.of(format.extension()))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void refusesAFileOverItsLimitAndLeavesTheOriginalLoaderUnchanged(Format format) throws IOException {
    Path file = fixture(format);
    long size = Files.size(file);

    assertThatThrownBy(() -> format.loader().withMaxBytes(size - 1).load(file, "x"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + file + " has " + size + " bytes, more than the limit of " + (size - 1)
            + " bytes; raise it with DocumentLoader.withMaxBytes");
    assertThat(format.loader().withMaxBytes(size).load(file, "x").text()).contains("needle");
    assertThat(format.loader().load(file, "x").text()).contains("needle");
    assertThat(format.loader().withMaxBytes(1).supports(file)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aMissingFileOrAFolderFailsNamingIt(Format format) {
    Path missing = dir.resolve("missing." + format.extension());
    Path folder = dir.resolve("folder." + format.extension());

    assertThatThrownBy(() -> format.loader().load(missing, "x"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + missing + " does not exist");
    assertThatThrownBy(() -> format.loader().load(Files.createDirectory(folder), "x"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + folder + " is not a regular file");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void aBlankIdIsRejectedBeforeTheFileIsRead(Format format) {
    Path missing = dir.resolve("missing." + format.extension());

    assertThatThrownBy(() -> format.loader().load(missing, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-blank id");
  }
}
