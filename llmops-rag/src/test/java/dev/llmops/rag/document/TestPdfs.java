package dev.llmops.rag.document;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.jspecify.annotations.Nullable;

/** Writes real PDFs with PDFBox: one page per string, lines split on {@code \n}, an empty string a blank page. */
final class TestPdfs {

  private TestPdfs() {}

  static Path write(Path file, @Nullable String title, String... pages) throws IOException {
    return write(file, title, null, pages);
  }

  static Path writeEncrypted(Path file, String userPassword, String... pages) throws IOException {
    return write(file, null, userPassword, pages);
  }

  private static Path write(Path file, @Nullable String title, @Nullable String userPassword, String... pages)
      throws IOException {
    try (PDDocument pdf = new PDDocument()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (String text : pages) {
        PDPage page = new PDPage();
        pdf.addPage(page);
        if (text.isEmpty()) {
          continue;
        }
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
          content.beginText();
          content.setFont(font, 12);
          content.newLineAtOffset(72, 700);
          for (String line : text.split("\n")) {
            content.showText(line);
            content.newLineAtOffset(0, -16);
          }
          content.endText();
        }
      }
      if (title != null) {
        pdf.getDocumentInformation().setTitle(title);
      }
      if (userPassword != null) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-" + userPassword, userPassword,
            new AccessPermission());
        policy.setEncryptionKeyLength(128);
        pdf.protect(policy);
      }
      pdf.save(file.toFile());
    }
    return file;
  }
}
