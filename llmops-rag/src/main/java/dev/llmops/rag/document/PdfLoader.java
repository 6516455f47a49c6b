package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jspecify.annotations.Nullable;

/** PDF through PDFBox: one text, pages joined by a blank line, with where each page starts. */
final class PdfLoader extends FileLoader {

  static final PdfLoader DEFAULT = new PdfLoader(DEFAULT_MAX_BYTES);

  private static final String PAGE_SEPARATOR = "\n\n";

  private PdfLoader(long maxBytes) {
    super("DocumentLoader.pdf()", maxBytes, Set.of("pdf"));
  }

  @Override
  public PdfLoader withMaxBytes(long maxBytes) {
    return new PdfLoader(checkMaxBytes(maxBytes));
  }

  @Override
  Document read(Path file, String id) {
    List<String> pages;
    @Nullable String title;
    // PDFBox reads the file through a random-access buffer, not into memory at once.
    try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
      PageStripper stripper = new PageStripper();
      stripper.writeText(pdf, stripper.buffer);
      pages = stripper.pages;
      // PDFBox does not visit pages without content; the last ones show up here, the others in startPage.
      while (pages.size() < pdf.getNumberOfPages()) {
        pages.add("");
      }
      title = pdf.getDocumentInformation().getTitle();
    } catch (InvalidPasswordException e) {
      throw new InvalidRequestException("PDF file " + file + " is encrypted with a password: " + describe(e), e);
    } catch (IOException e) {
      throw new InvalidRequestException("PDF file " + file + " is malformed: " + describe(e), e);
    } catch (RuntimeException e) {
      // PDFBox reports some broken structures (a wrong object type, a bad number) as unchecked exceptions.
      throw new InvalidRequestException("PDF file " + file + " is malformed: " + e.getClass().getSimpleName() + ": "
          + describe(e), e);
    }
    StringBuilder text = new StringBuilder();
    List<Integer> pageStarts = new ArrayList<>(pages.size());
    for (String page : pages) {
      if (!pageStarts.isEmpty()) {
        text.append(PAGE_SEPARATOR);
      }
      pageStarts.add(text.length());
      text.append(page);
    }
    return documentOf(file, id, text.toString(), "application/pdf")
        .title(title == null || title.isBlank() ? baseName(file) : title.strip())
        .pageStarts(pageStarts)
        .build();
  }

  /**
   * Collects each page's text, stripped of surrounding whitespace, in one pass over the document (setting the
   * start and end page for each page in turn would walk the page tree once per page).
   */
  private static final class PageStripper extends PDFTextStripper {
    final StringWriter buffer = new StringWriter();
    final List<String> pages = new ArrayList<>();

    PageStripper() {
      setLineSeparator("\n");
      setPageStart("");
      setPageEnd("");
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
      super.startPage(page);
      while (pages.size() < getCurrentPageNo() - 1) {
        pages.add("");
      }
      buffer.getBuffer().setLength(0);
    }

    @Override
    protected void endPage(PDPage page) throws IOException {
      super.endPage(page);
      output.flush();
      pages.add(buffer.toString().strip());
      buffer.getBuffer().setLength(0);
    }
  }
}
