package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/** HTML through jsoup: the readable text with its block structure, headings as sections. */
final class HtmlLoader extends FileLoader {

  static final HtmlLoader DEFAULT = new HtmlLoader(DEFAULT_MAX_BYTES);

  /** Elements whose content is not part of the readable text. */
  private static final Set<String> SKIPPED = Set.of(
      "head", "script", "style", "noscript", "template", "nav", "svg", "iframe", "object", "canvas");

  /** Elements that stand apart from their neighbours by a blank line. */
  private static final Set<String> BLOCKS = Set.of(
      "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
      "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
      "header", "hgroup", "hr", "legend", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table",
      "tbody", "tfoot", "thead", "tr", "ul");

  /** Table cells: separated from each other by a space. */
  private static final Set<String> CELLS = Set.of("td", "th");

  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  private HtmlLoader(long maxBytes) {
    super("DocumentLoader.html()", maxBytes, Set.of("html", "htm"));
  }

  @Override
  public HtmlLoader withMaxBytes(long maxBytes) {
    return new HtmlLoader(checkMaxBytes(maxBytes));
  }

  @Override
  Document read(Path file, String id) {
    org.jsoup.nodes.Document html;
    try {
      // No charset: jsoup takes it from a byte order mark or a <meta charset>, else UTF-8.
      html = Jsoup.parse(file, null);
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidRequestException("cannot read HTML file " + file + ": " + describe(e), e);
    }
    Extractor extractor = new Extractor();
    NodeTraversor.filter(extractor, html);
    String title = html.title();
    if (title.isBlank()) {
      Element h1 = html.selectFirst("h1");
      title = h1 == null ? "" : h1.text().strip();
    }
    return documentOf(file, id, extractor.out.toString(), "text/html")
        .title(title.isBlank() ? baseName(file) : title)
        .sectionStarts(extractor.sections)
        .build();
  }

  /**
   * Walks the DOM (iteratively, so deep nesting cannot overflow the stack) and writes the readable text. A
   * separator is only written between two pieces of content, so blocks without text leave no blank lines.
   */
  private static final class Extractor implements NodeFilter {
    private static final int NONE = 0;
    private static final int SPACE = 1;
    private static final int LINE = 2;
    private static final int PARAGRAPH = 3;

    final StringBuilder out = new StringBuilder();
    final List<Integer> sections = new ArrayList<>();
    private final StringBuilder pre = new StringBuilder();
    private int pending = NONE;
    private int preDepth;
    private boolean headingOpen;

    @Override
    public FilterResult head(Node node, int depth) {
      if (node instanceof TextNode text) {
        if (preDepth > 0) {
          pre.append(text.getWholeText());
        } else {
          appendNormalised(text.getWholeText());
        }
        return FilterResult.CONTINUE;
      }
      if (!(node instanceof Element element)) {
        return FilterResult.CONTINUE;
      }
      String name = element.normalName();
      if (SKIPPED.contains(name) || element.hasAttr("hidden")) {
        return FilterResult.SKIP_ENTIRELY;
      }
      if ("br".equals(name)) {
        if (preDepth > 0) {
          pre.append('\n');
        } else {
          separate(LINE);
        }
      } else if (BLOCKS.contains(name)) {
        separate(PARAGRAPH);
      } else if (CELLS.contains(name)) {
        separate(SPACE);
      }
      if (HEADINGS.contains(name)) {
        headingOpen = true;
      }
      if ("pre".equals(name)) {
        preDepth++;
      }
      return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
      if (!(node instanceof Element element)) {
        return FilterResult.CONTINUE;
      }
      String name = element.normalName();
      if ("pre".equals(name) && --preDepth == 0) {
        String verbatim = pre.toString().stripTrailing();
        pre.setLength(0);
        if (!verbatim.isBlank()) {
          append(verbatim);
        }
      }
      if (HEADINGS.contains(name)) {
        headingOpen = false;
      }
      if (BLOCKS.contains(name)) {
        separate(PARAGRAPH);
      } else if (CELLS.contains(name)) {
        separate(SPACE);
      }
      return FilterResult.CONTINUE;
    }

    /** Asks for at least {@code separator} before the next content. */
    private void separate(int separator) {
      pending = Math.max(pending, separator);
    }

    private void appendNormalised(String text) {
      int i = 0;
      int n = text.length();
      while (i < n) {
        if (isSpace(text.charAt(i))) {
          separate(SPACE);
          while (i < n && isSpace(text.charAt(i))) {
            i++;
          }
        } else {
          int end = i;
          while (end < n && !isSpace(text.charAt(end))) {
            end++;
          }
          append(text.substring(i, end));
          i = end;
        }
      }
    }

    private void append(String content) {
      if (out.length() > 0) {
        switch (pending) {
          case SPACE -> out.append(' ');
          case LINE -> out.append('\n');
          case PARAGRAPH -> out.append("\n\n");
          default -> { }
        }
      }
      pending = NONE;
      if (headingOpen) {
        sections.add(out.length());
        headingOpen = false;
      }
      out.append(content);
    }

    private static boolean isSpace(char c) {
      return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
  }
}
