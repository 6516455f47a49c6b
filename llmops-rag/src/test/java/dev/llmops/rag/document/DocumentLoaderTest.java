package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentLoaderTest {

  private static final long SIXTY_MIB = 60L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void byExtensionPicksTheLoaderIgnoringCase() throws IOException {
    DocumentLoader loader = DocumentLoader.byExtension();
    Path text = Files.writeString(dir.resolve("a.LOG"), "# not markdown");
    Path markdown = Files.writeString(dir.resolve("b.Md"), "# Heading");
    Path html = Files.writeString(dir.resolve("c.HTM"), "<p>para</p>");
    Path pdf = TestPdfs.write(dir.resolve("d.PDF"), null, "page");

    assertThat(loader.load(text, "a").metadata()).containsEntry("content_type", "text/plain");
    assertThat(loader.load(text, "a").sectionStarts()).isEmpty();
    assertThat(loader.load(markdown, "b").metadata()).containsEntry("content_type", "text/markdown");
    assertThat(loader.load(markdown, "b").sectionStarts()).containsExactly(0);
    assertThat(loader.load(html, "c").text()).isEqualTo("para");
    assertThat(loader.load(pdf, "d").pageStarts()).containsExactly(0);
    for (String name : new String[] {"x.txt", "x.text", "x.log", "x.md", "x.markdown", "x.html", "x.htm", "x.pdf"}) {
      assertThat(loader.supports(Path.of(name))).as(name).isTrue();
    }
    assertThat(loader.supports(Path.of("x.docx"))).isFalse();
    assertThat(loader.supports(Path.of("README"))).isFalse();
  }

  @Test
  void theSingleFormatLoadersSupportTheirOwnExtensions() {
    assertThat(DocumentLoader.plainText().supports(Path.of("a.txt"))).isTrue();
    assertThat(DocumentLoader.plainText().supports(Path.of("a.md"))).isFalse();
    assertThat(DocumentLoader.markdown().supports(Path.of("a.markdown"))).isTrue();
    assertThat(DocumentLoader.html().supports(Path.of("a.pdf"))).isFalse();
    assertThat(DocumentLoader.pdf().supports(Path.of("dir/a.pdf"))).isTrue();
    assertThat(DocumentLoader.pdf().withMaxBytes(10).supports(Path.of("a.pdf"))).isTrue();
  }

  @Test
  void anUnknownExtensionFailsNamingTheFileAndTheKnownOnes() throws IOException {
    Path docx = Files.writeString(dir.resolve("report.docx"), "binary");
    Path bare = Files.writeString(dir.resolve("README"), "text");

    assertThatThrownBy(() -> DocumentLoader.byExtension().load(docx, "report"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("file " + docx + " has the unknown extension .docx; DocumentLoader.byExtension() reads "
            + ".htm, .html, .log, .markdown, .md, .pdf, .text, .txt");
    assertThatThrownBy(() -> DocumentLoader.byExtension().load(bare, "readme"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("file " + bare + " has no extension;");
  }

  @Test
  void aFileOverTheDefaultLimitFailsBeforeItIsRead() throws IOException {
    for (String name : new String[] {"big.txt", "big.md", "big.html", "big.pdf"}) {
      Path file = sparse(dir.resolve(name), SIXTY_MIB);
      // A sparse file of zeros: had the PDF loader read it, PDFBox would have failed on the missing header.
      assertThatThrownBy(() -> DocumentLoader.byExtension().load(file, name))
          .as(name)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessage("file " + file + " has 62914560 bytes, more than the limit of 52428800 bytes; raise it with "
              + "DocumentLoader.withMaxBytes");
    }
  }

  @Test
  void theLimitIsInclusiveAndCanBeChanged() throws IOException {
    Path file = Files.writeString(dir.resolve("ten.txt"), "0123456789");

    assertThat(DocumentLoader.plainText().withMaxBytes(10).load(file, "ten").text()).isEqualTo("0123456789");
    assertThatThrownBy(() -> DocumentLoader.plainText().withMaxBytes(9).load(file, "ten"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("has 10 bytes, more than the limit of 9 bytes");
    assertThatThrownBy(() -> DocumentLoader.byExtension().withMaxBytes(9).load(file, "ten"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("more than the limit of 9 bytes");
    // Raising a stock loader's limit replaces it rather than stacking on it.
    assertThat(DocumentLoader.byExtension().withMaxBytes(9).withMaxBytes(10).load(file, "ten").text())
        .isEqualTo("0123456789");
  }

  @Test
  void aCustomLoaderBehindALimitIsNotCalledForALargerFile() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    DocumentLoader custom = (file, id) -> {
      calls.incrementAndGet();
      return Document.of(id, "custom");
    };
    DocumentLoader limited = custom.withMaxBytes(1024);
    Path big = sparse(dir.resolve("big.bin"), SIXTY_MIB);
    Path small = Files.writeString(dir.resolve("small.bin"), "x");

    assertThatThrownBy(() -> limited.load(big, "big"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("more than the limit of 1024 bytes");
    assertThat(calls).hasValue(0);
    assertThat(limited.load(small, "small").text()).isEqualTo("custom");
    assertThat(calls).hasValue(1);
    assertThat(limited.supports(Path.of("anything.bin"))).isTrue();
  }

  @Test
  void aLimitBelowOneIsRejected() {
    assertThatThrownBy(() -> DocumentLoader.byExtension().withMaxBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be at least 1 but was 0");
    DocumentLoader custom = (file, id) -> Document.of(id, "x");
    assertThatThrownBy(() -> custom.withMaxBytes(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be at least 1 but was -5");
  }

  @Test
  void theStockLoadersAreSharedSafelyAcrossThreads() throws Exception {
    Path md = Files.writeString(dir.resolve("a.md"), "# A\n\ntext\n\n## B\n");
    Path pdf = TestPdfs.write(dir.resolve("b.pdf"), "B", "one", "two");
    DocumentLoader loader = DocumentLoader.byExtension();
    Document expectedMd = loader.load(md, "a");
    Document expectedPdf = loader.load(pdf, "b");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(
            () -> loader.load(md, "a").equals(expectedMd) && loader.load(pdf, "b").equals(expectedPdf)));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static Path sparse(Path file, long length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(length);
    }
    return file;
  }
}
