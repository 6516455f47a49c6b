package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snippets in README.md and site/src/docs are regions of compiled code. Run with
 * {@code -Dsnippets.update=true} (see the assertion message) to rewrite the Markdown from the sources after changing them.
 */
class DocumentationSnippetsTest {

  static Path root() {
    return Path.of(System.getProperty("llmops.root", "..")).toAbsolutePath().normalize();
  }

  private static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(root().resolve("README.md"));
    try (Stream<Path> docs = Files.walk(root().resolve("site/src/docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  @Test
  void everySnippetMatchesItsSourceRegion() throws IOException {
    boolean update = Boolean.getBoolean("snippets.update");
    List<String> stale = new ArrayList<>();
    int count = 0;
    for (Path file : markdownFiles()) {
      String markdown = Files.readString(file);
      List<Snippets.Snippet> found = Snippets.find(root(), markdown);
      assertThat(found).as("every snippet marker in %s encloses a code block", file)
          .hasSize(markdown.split("<!-- snippet: ", -1).length - 1);
      for (Snippets.Snippet snippet : found) {
        count++;
        if (!snippet.matches()) {
          stale.add(root().relativize(file) + " shows a stale copy of " + snippet.source() + "#" + snippet.name()
              + "; it should be:\n" + snippet.expected());
        }
      }
      if (update) {
        Files.writeString(file, Snippets.update(root(), markdown));
      }
    }
    assertThat(count).as("README.md and the docs include compiled snippets").isGreaterThanOrEqualTo(2);
    if (!update) {
      assertThat(stale).as("refresh them with: ./mvnw -B -pl site -am verify -Dsnippets.update=true"
          + " -Dtest=DocumentationSnippetsTest -Dsurefire.failIfNoSpecifiedTests=false").isEmpty();
    }
  }

  @Test
  void theReadmeGettingStartedSnippetComesFromTheQuickstart() throws IOException {
    List<Snippets.Snippet> snippets = Snippets.find(root(), Files.readString(root().resolve("README.md")));
    assertThat(snippets).extracting(Snippets.Snippet::source)
        .contains("samples/quickstart/src/main/java/dev/llmops/samples/quickstart/Quickstart.java");
  }

  @Test
  void aChangedSourceMakesTheSnippetStaleAndUpdateRepairsIt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "class A {\n  void f() {\n    // tag::demo[]\n    int x = 1;\n\n    x++;\n"
        + "    // end::demo[]\n  }\n}\n");
    String markdown = "text\n<!-- snippet: A.java#demo -->\n```java\nint x = 0;\n```\n<!-- end-snippet -->\nmore\n";

    Snippets.Snippet snippet = Snippets.find(dir, markdown).get(0);
    assertThat(snippet.matches()).isFalse();
    assertThat(snippet.expected()).isEqualTo("int x = 1;\n\nx++;\n");

    String updated = Snippets.update(dir, markdown);
    assertThat(updated).isEqualTo("text\n<!-- snippet: A.java#demo -->\n```java\nint x = 1;\n\nx++;\n```\n"
        + "<!-- end-snippet -->\nmore\n");
    assertThat(Snippets.find(dir, updated).get(0).matches()).isTrue();
  }

  @Test
  void aMissingRegionIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("B.java"), "class B {}\n");
    assertThatThrownBy(() -> Snippets.region(dir.resolve("B.java"), "absent"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no region 'absent'");
    assertThatThrownBy(() -> Snippets.region(dir.resolve("C.java"), "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
  }
}
