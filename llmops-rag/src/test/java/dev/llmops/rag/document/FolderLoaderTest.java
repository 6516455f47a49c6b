package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLoaderTest {

  @TempDir Path root;
  Path docs;

  @BeforeEach
  void writeTree() throws IOException {
    docs = Files.createDirectories(root.resolve("docs"));
    write("a.txt", "alpha");
    write("b.md", "# Bee\n\nbody");
    write("b/c.html", "<h1>See</h1><p>html</p>");
    write("b/d/e.txt", "deep");
    Files.write(docs.resolve("bad.txt"), new byte[] {'o', 'k', (byte) 0xFF});
    write("hr/policy.txt", "salaries");
    write("image.png", "not an image loader");
    write(".hidden.txt", "hidden");
    write(".git/config.txt", "git internals");
    TestPdfs.write(docs.resolve("b/manual.pdf"), "Manual", "page one", "page two");
  }

  @Test
  void loadsEveryFileInIdOrderAndABadFileFailsAlone() {
    LoadResult result = FolderLoader.ofDefaults().load(docs);

    assertThat(result.documents()).extracting(Document::id)
        .containsExactly("a.txt", "b.md", "b/c.html", "b/d/e.txt", "b/manual.pdf", "hr/policy.txt");
    assertThat(result.documents()).extracting(Document::text)
        .containsExactly("alpha", "# Bee\n\nbody", "See\n\nhtml", "deep", "page one\n\npage two", "salaries");
    assertThat(result.documents().get(4).pageStarts()).containsExactly(0, 10);
    assertThat(result.documents()).extracting(Document::source)
        .containsExactly(docs.resolve("a.txt").toString(), docs.resolve("b.md").toString(),
            docs.resolve("b/c.html").toString(), docs.resolve("b/d/e.txt").toString(),
            docs.resolve("b/manual.pdf").toString(), docs.resolve("hr/policy.txt").toString());
    assertThat(result.failures()).hasSize(1);
    DocumentFailure failure = result.failures().get(0);
    assertThat(failure.documentId()).isEqualTo("bad.txt");
    assertThat(failure.source()).isEqualTo(docs.resolve("bad.txt").toString());
    assertThat(failure.reason()).contains(docs.resolve("bad.txt").toString()).contains("byte offset 2");
    assertThat(result.skipped()).isEqualTo(1);
  }

  @Test
  void theAccessAndMetadataFunctionsSeeThePathRelativeToTheFolder() {
    AccessControl hr = AccessControl.tenant("acme").withGroups("hr");
    List<Path> seen = new ArrayList<>();
    FolderLoader loader = FolderLoader.builder()
        .access(path -> {
          seen.add(path);
          return path.startsWith("hr") ? hr : AccessControl.PUBLIC;
        })
        .metadata(path -> Map.of("folder", path.getParent() == null ? "." : path.getParent().toString(),
            "file_name", "overridden"))
        .build();

    LoadResult result = loader.load(docs);

    Document policy = result.documents().get(result.documents().size() - 1);
    assertThat(policy.id()).isEqualTo("hr/policy.txt");
    assertThat(policy.access()).isEqualTo(hr);
    assertThat(policy.metadata()).containsEntry("folder", "hr").containsEntry("file_name", "overridden")
        .containsEntry("content_type", "text/plain");
    assertThat(result.documents().get(0).access()).isEqualTo(AccessControl.PUBLIC);
    assertThat(result.documents().get(0).metadata()).containsEntry("folder", ".");
    assertThat(seen).allSatisfy(path -> assertThat(path.isAbsolute()).isFalse()).contains(Path.of("b/d/e.txt"));
  }

  @Test
  void aThrowingAccessFunctionFailsOnlyThatFile() {
    FolderLoader loader = FolderLoader.builder()
        .access(path -> {
          if (path.startsWith("hr")) {
            throw new IllegalStateException("no policy for " + path);
          }
          return AccessControl.PUBLIC;
        })
        .build();

    LoadResult result = loader.load(docs);

    assertThat(result.documents()).extracting(Document::id).doesNotContain("hr/policy.txt").hasSize(5);
    assertThat(result.failures()).extracting(DocumentFailure::documentId).containsExactly("bad.txt", "hr/policy.txt");
    assertThat(result.failures().get(1).reason()).isEqualTo("IllegalStateException: no policy for hr/policy.txt");
  }

  @Test
  void forEachStreamsDocumentsAndFailuresInTheSameOrderAsLoad() {
    List<String> events = new ArrayList<>();

    int skipped = FolderLoader.ofDefaults().forEach(docs,
        document -> events.add("doc " + document.id()), failure -> events.add("failed " + failure.documentId()));

    assertThat(events).containsExactly("doc a.txt", "doc b.md", "doc b/c.html", "doc b/d/e.txt", "doc b/manual.pdf",
        "failed bad.txt", "doc hr/policy.txt");
    assertThat(skipped).isEqualTo(1);
  }

  @Test
  void anExceptionFromTheCallbackStopsTheWalk() {
    List<String> ids = new ArrayList<>();

    assertThatThrownBy(() -> FolderLoader.ofDefaults().forEach(docs, document -> {
      ids.add(document.id());
      if (ids.size() == 2) {
        throw new IllegalStateException("index full");
      }
    }, failure -> { }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("index full");
    assertThat(ids).containsExactly("a.txt", "b.md");
  }

  @Test
  void hiddenFilesAndUnsupportedFilesCanBeIncluded() {
    LoadResult result = FolderLoader.builder().includeHidden(true).reportUnsupported(true).build().load(docs);

    assertThat(result.documents()).extracting(Document::id)
        .containsExactly(".git/config.txt", ".hidden.txt", "a.txt", "b.md", "b/c.html", "b/d/e.txt", "b/manual.pdf",
            "hr/policy.txt");
    assertThat(result.failures()).extracting(DocumentFailure::documentId).containsExactly("bad.txt", "image.png");
    assertThat(result.failures().get(1).reason())
        .isEqualTo("file " + docs.resolve("image.png") + " is not supported by DocumentLoader.byExtension() for "
            + ".htm, .html, .log, .markdown, .md, .pdf, .text, .txt files");
    assertThat(result.skipped()).isZero();
  }

  @Test
  void aSingleFormatLoaderSkipsTheOtherFormats() {
    LoadResult result = FolderLoader.builder().loader(DocumentLoader.markdown()).build().load(docs);

    assertThat(result.documents()).extracting(Document::id).containsExactly("b.md");
    assertThat(result.failures()).isEmpty();
    assertThat(result.skipped()).isEqualTo(7);
  }

  @Test
  void symbolicLinksAreSkippedAndCounted() throws IOException {
    Path outside = Files.writeString(root.resolve("outside.txt"), "outside");
    Files.createSymbolicLink(docs.resolve("link.txt"), outside);
    Files.createSymbolicLink(docs.resolve("loop"), docs);

    LoadResult result = FolderLoader.ofDefaults().load(docs);

    assertThat(result.documents()).extracting(Document::id).doesNotContain("link.txt").hasSize(6);
    assertThat(result.skipped()).isEqualTo(3);
  }

  @Test
  void aMissingFolderOrAFileFailsNamingIt() {
    Path missing = root.resolve("missing");
    assertThatThrownBy(() -> FolderLoader.ofDefaults().load(missing))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("folder " + missing + " does not exist");
    assertThatThrownBy(() -> FolderLoader.ofDefaults().load(docs.resolve("a.txt")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("folder " + docs.resolve("a.txt") + " is not a directory");
  }

  @Test
  void anEmptyFolderGivesAnEmptyResult() throws IOException {
    LoadResult result = FolderLoader.ofDefaults().load(Files.createDirectory(root.resolve("empty")));

    assertThat(result.documents()).isEmpty();
    assertThat(result.failures()).isEmpty();
    assertThat(result.skipped()).isZero();
  }

  private void write(String relative, String text) throws IOException {
    Path file = docs.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
