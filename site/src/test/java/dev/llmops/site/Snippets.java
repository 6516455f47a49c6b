package dev.llmops.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps code snippets in Markdown identical to regions of compiled sources.
 *
 * <p>In Markdown, a snippet is a fenced code block between
 * {@code <!-- snippet: path/to/Source.java#name -->} and {@code <!-- end-snippet -->}. In the source, the region
 * is the lines between {@code // tag::name[]} and {@code // end::name[]}, with their common indentation removed.
 */
final class Snippets {

  private static final Pattern BLOCK = Pattern.compile(
      "<!-- snippet: (?<path>[^#\\s]+)#(?<name>[\\w-]+) -->\\n```(?<lang>\\w*)\\n(?<body>.*?)```\\n<!-- end-snippet -->",
      Pattern.DOTALL);

  private Snippets() {}

  /** One snippet found in a Markdown file. */
  record Snippet(String source, String name, String shown, String expected) {
    boolean matches() {
      return shown.equals(expected);
    }
  }

  /** Every snippet of {@code markdown}, with the text the source region says it must show. */
  static List<Snippet> find(Path root, String markdown) throws IOException {
    List<Snippet> snippets = new ArrayList<>();
    Matcher m = BLOCK.matcher(markdown);
    while (m.find()) {
      String source = m.group("path");
      snippets.add(new Snippet(source, m.group("name"), m.group("body"), region(root.resolve(source), m.group("name"))));
    }
    return snippets;
  }

  /** {@code markdown} with every snippet replaced by its source region. */
  static String update(Path root, String markdown) throws IOException {
    Matcher m = BLOCK.matcher(markdown);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String body = region(root.resolve(m.group("path")), m.group("name"));
      m.appendReplacement(out, Matcher.quoteReplacement("<!-- snippet: " + m.group("path") + "#" + m.group("name")
          + " -->\n```" + m.group("lang") + "\n" + body + "```\n<!-- end-snippet -->"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The lines between {@code // tag::name[]} and {@code // end::name[]}, dedented, each ending in a newline. */
  static String region(Path source, String name) throws IOException {
    if (!Files.isRegularFile(source)) {
      throw new IllegalArgumentException("snippet source " + source + " does not exist");
    }
    List<String> lines = Files.readAllLines(source);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.equals("// tag::" + name + "[]")) {
        start = i + 1;
      } else if (line.equals("// end::" + name + "[]") && start >= 0) {
        end = i;
        break;
      }
    }
    if (start < 0 || end < 0) {
      throw new IllegalArgumentException("no region '" + name + "' (// tag::" + name + "[] ... // end::" + name
          + "[]) in " + source);
    }
    List<String> region = lines.subList(start, end);
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder text = new StringBuilder();
    for (String line : region) {
      text.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return text.toString();
  }
}
