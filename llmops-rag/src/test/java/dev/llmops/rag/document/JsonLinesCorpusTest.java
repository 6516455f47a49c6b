package dev.llmops.rag.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesCorpusTest {

  @TempDir Path dir;

  @Test
  void readsBeirRows() throws IOException {
    Path file = write("corpus.jsonl",
        "{\"_id\": \"4983\", \"title\": \"Microstructural development\","
            + " \"text\": \"Alterations of the architecture.\", \"metadata\": {}}",
        "{\"_id\": \"5836\", \"text\": \"No title here.\", \"metadata\": {\"year\": 2020, \"peer_reviewed\": true,"
            + " \"score\": 0.5, \"journal\": \"Cell\"}}");

    LoadResult result = JsonLinesCorpus.load(file);

    assertThat(result.failures()).isEmpty();
    assertThat(result.documents()).hasSize(2);
    Document first = result.documents().get(0);
    assertThat(first.id()).isEqualTo("4983");
    assertThat(first.title()).isEqualTo("Microstructural development");
    assertThat(first.text()).isEqualTo("Alterations of the architecture.");
    assertThat(first.source()).isEqualTo("corpus.jsonl");
    assertThat(first.metadata()).isEmpty();
    assertThat(first.access()).isEqualTo(AccessControl.PUBLIC);
    Document second = result.documents().get(1);
    assertThat(second.title()).isEmpty();
    assertThat(second.source()).isEqualTo("corpus.jsonl");
    assertThat(second.metadata()).containsExactlyInAnyOrderEntriesOf(
        Map.of("year", "2020", "peer_reviewed", "true", "score", "0.5", "journal", "Cell"));
  }

  @Test
  void readsAccessControlAndSource() throws IOException {
    Path file = write("acl.jsonl",
        "{\"_id\": \"a\", \"text\": \"t\", \"tenant\": \"acme\", \"groups\": [\"hr\", \"legal\"],"
            + " \"source\": \"s3://b/a\"}",
        "{\"_id\": 17, \"text\": \"numeric id\", \"tenant\": null, \"groups\": null}");

    LoadResult result = JsonLinesCorpus.load(file);

    assertThat(result.failures()).isEmpty();
    Document a = result.documents().get(0);
    assertThat(a.access()).isEqualTo(new AccessControl("acme", Set.of("hr", "legal")));
    assertThat(a.source()).isEqualTo("s3://b/a");
    assertThat(result.documents().get(1).id()).isEqualTo("17");
    assertThat(result.documents().get(1).access()).isEqualTo(AccessControl.PUBLIC);
  }

  @Test
  void badLinesFailAloneWithTheirLineAndReadingGoesOn() throws IOException {
    Path file = write("mixed.jsonl",
        "{\"_id\": \"ok1\", \"text\": \"one\"}",
        "{\"_id\": \"broken\", \"text\": ",
        "{\"text\": \"no id\"}",
        "{\"_id\": \"nt\"}",
        "{\"_id\": \"nulltext\", \"text\": null}",
        "{\"_id\": \"nested\", \"text\": \"x\", \"metadata\": {\"author\": {\"name\": \"Ann\"}}}",
        "[1, 2]",
        "{\"_id\": \"empty\", \"text\": \"\"}",
        "{\"_id\": \"\", \"text\": \"blank id\"}",
        "{\"_id\": \"wrongtype\", \"text\": 5}",
        "{\"_id\": \"grp\", \"text\": \"x\", \"groups\": [\"ok\", 3]}",
        "{\"_id\": \"blanktenant\", \"text\": \"x\", \"tenant\": \" \"}",
        "{\"_id\": \"twice\", \"text\": \"a\", \"text\": \"b\"}",
        "{\"_id\": \"trailing\", \"text\": \"a\"} {}",
        "{\"_id\": \"ok2\", \"text\": \"two\"}");

    LoadResult result = JsonLinesCorpus.load(file);

    assertThat(result.documents()).extracting(Document::id).containsExactly("ok1", "empty", "ok2");
    assertThat(result.documents().get(1).text()).isEmpty();
    assertThat(result.failures()).extracting(DocumentFailure::source).containsExactly(
        "mixed.jsonl:2", "mixed.jsonl:3", "mixed.jsonl:4", "mixed.jsonl:5", "mixed.jsonl:6", "mixed.jsonl:7",
        "mixed.jsonl:9", "mixed.jsonl:10", "mixed.jsonl:11", "mixed.jsonl:12", "mixed.jsonl:13", "mixed.jsonl:14");
    assertThat(result.failures()).extracting(DocumentFailure::documentId).containsExactly(
        "mixed.jsonl:2", "mixed.jsonl:3", "nt", "nulltext", "nested", "mixed.jsonl:7", "mixed.jsonl:9", "wrongtype",
        "grp", "blanktenant", "mixed.jsonl:13", "mixed.jsonl:14");
    assertThat(result.failures()).extracting(DocumentFailure::reason).satisfiesExactly(
        r -> assertThat(r).startsWith("line 2 is not valid JSON: "),
        r -> assertThat(r).isEqualTo("line 3 has no _id"),
        r -> assertThat(r).isEqualTo("line 4: field text is missing"),
        r -> assertThat(r).isEqualTo("line 5: field text is missing"),
        r -> assertThat(r).isEqualTo(
            "line 6: metadata field author must be a string, number or boolean but was object {\"name\":\"Ann\"}"),
        r -> assertThat(r).isEqualTo("line 7 is not a JSON object but array [1,2]"),
        r -> assertThat(r).isEqualTo("line 9 has a blank _id"),
        r -> assertThat(r).isEqualTo("line 10: field text must be a string but was number 5"),
        r -> assertThat(r).isEqualTo("line 11: field groups must hold strings but held number 3"),
        r -> assertThat(r).startsWith("line 12: a tenant must not be blank"),
        r -> assertThat(r).startsWith("line 13 is not valid JSON: ").contains("Duplicate field 'text'"),
        r -> assertThat(r).startsWith("line 14 is not valid JSON: "));
  }

  @Test
  void everyRepeatOfAnIdFailsNamingTheFirstLine() throws IOException {
    Path file = write("dups.jsonl",
        "{\"_id\": \"x\", \"text\": \"missing text fails, so it does not claim the id\", \"text2\": 1, \"title\": 3}",
        "{\"_id\": \"x\", \"text\": \"first\"}",
        "{\"_id\": \"y\", \"text\": \"other\"}",
        "{\"_id\": \"x\", \"text\": \"second\"}",
        "{\"_id\": \"x\", \"text\": \"third\"}");

    LoadResult result = JsonLinesCorpus.load(file);

    assertThat(result.documents()).extracting(Document::text).containsExactly("first", "other");
    assertThat(result.failures()).extracting(DocumentFailure::toString).containsExactly(
        "x: line 1: field title must be a string but was number 3",
        "x: line 4 repeats _id \"x\" of line 2",
        "x: line 5 repeats _id \"x\" of line 2");
    assertThat(result.failures().get(1).source()).isEqualTo("dups.jsonl:4");
  }

  @Test
  void aLineThatIsNotUtf8FailsWithItsOffsetsAndTheNextLinesLoad() throws IOException {
    byte[] good = "{\"_id\": \"a\", \"text\": \"fine\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = "{\"_id\": \"b\", \"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] after = "{\"_id\": \"c\", \"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("enc.jsonl"), TextLoaderTest.bytes(good, bad, after));

    LoadResult result = JsonLinesCorpus.load(file);

    assertThat(result.documents()).extracting(Document::id).containsExactly("a", "c");
    assertThat(result.documents().get(1).text()).isEqualTo("café");
    int badIndex = "{\"_id\": \"b\", \"text\": \"caf".length();
    assertThat(result.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.source()).isEqualTo("enc.jsonl:2");
      assertThat(failure.reason()).isEqualTo("line 2 is not UTF-8: byte 0xE9 is not valid UTF-8 at byte " + badIndex
          + " of the line (byte " + (good.length + badIndex) + " of the file)");
    });
  }

  @Test
  void blankLinesAreSkippedAndCountedAndWindowsBreaksAByteOrderMarkAndNoFinalBreakAreFine() throws IOException {
    String content = "\uFEFF{\"_id\": \"a\", \"text\": \"one\"}\r\n\r\n   \n{\"_id\": \"b\", \"text\": \"two\"}";
    Path file = Files.writeString(dir.resolve("win.jsonl"), content);

    LoadResult result = JsonLinesCorpus.load(file);

    assertThat(result.documents()).extracting(Document::text).containsExactly("one", "two");
    assertThat(result.documents().get(1).source()).isEqualTo("win.jsonl");
    assertThat(result.failures()).isEmpty();
    assertThat(result.skipped()).isEqualTo(2);
  }

  @Test
  void aLineOverTheLimitFailsWithoutStoppingTheRest() throws IOException {
    String longText = "x".repeat(200_000);
    Path file = write("long.jsonl",
        "{\"_id\": \"long\", \"text\": \"" + longText + "\"}",
        "{\"_id\": \"short\", \"text\": \"ok\"}");

    List<Document> documents = new ArrayList<>();
    try (JsonLinesCorpus corpus = JsonLinesCorpus.open(file, 1000)) {
      corpus.forEach(documents::add);
      assertThat(corpus.failures()).singleElement().satisfies(failure -> {
        assertThat(failure.source()).isEqualTo("long.jsonl:1");
        assertThat(failure.reason()).isEqualTo("line 1 is longer than the limit of 1000 bytes");
      });
    }
    assertThat(documents).extracting(Document::id).containsExactly("short");
  }

  @Test
  void aLineOfExactlyTheLimitIsRead() throws IOException {
    String line = "{\"_id\": \"a\", \"text\": \"abc\"}";
    Path file = Files.writeString(dir.resolve("exact.jsonl"), line + "\r\n" + line.replace("\"a\"", "\"b\"") + "\n");

    try (JsonLinesCorpus corpus = JsonLinesCorpus.open(file, line.length())) {
      assertThat(corpus).extracting(Document::id).containsExactly("a", "b");
      assertThat(corpus.failures()).isEmpty();
    }
    try (JsonLinesCorpus corpus = JsonLinesCorpus.open(file, line.length() - 1)) {
      assertThat(corpus).isEmpty();
      assertThat(corpus.failures()).hasSize(2);
    }
  }

  @Test
  void readsLazilyOneLineAtATime() throws IOException {
    Path file = write("lazy.jsonl",
        "{\"_id\": \"a\", \"text\": \"one\"}",
        "not json",
        "{\"_id\": \"b\", \"text\": \"two\"}");

    try (JsonLinesCorpus corpus = JsonLinesCorpus.open(file)) {
      Iterator<Document> documents = corpus.iterator();
      assertThat(documents.next().id()).isEqualTo("a");
      // Line 2 has not been read yet, so its failure is not known.
      assertThat(corpus.failures()).isEmpty();
      assertThat(documents.next().id()).isEqualTo("b");
      assertThat(corpus.failures()).extracting(DocumentFailure::source).containsExactly("lazy.jsonl:2");
      assertThat(documents.hasNext()).isFalse();
      assertThatThrownBy(documents::next).isInstanceOf(NoSuchElementException.class);
    }
  }

  @Test
  void aCorpusIsIteratedOnceAndNotAfterClose() throws IOException {
    Path file = write("once.jsonl", "{\"_id\": \"a\", \"text\": \"one\"}", "{\"_id\": \"b\", \"text\": \"two\"}");

    JsonLinesCorpus corpus = JsonLinesCorpus.open(file);
    Iterator<Document> documents = corpus.iterator();
    assertThat(documents.next().id()).isEqualTo("a");
    assertThatThrownBy(corpus::iterator).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
    corpus.close();
    corpus.close();
    assertThatThrownBy(documents::hasNext).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aMissingFileFailsNamingIt() {
    Path missing = dir.resolve("missing.jsonl");

    assertThatThrownBy(() -> JsonLinesCorpus.open(missing))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("corpus file " + missing + " does not exist");
    assertThatThrownBy(() -> JsonLinesCorpus.open(dir))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("corpus file " + dir + " is not a regular file");
    assertThatThrownBy(() -> JsonLinesCorpus.open(missing, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was 0");
  }

  @Test
  void readsManyRowsAcrossBufferBoundaries() throws IOException {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      content.append("{\"_id\": \"d").append(i).append("\", \"title\": \"T").append(i)
          .append("\", \"text\": \"caf\u00e9 \u2615 ").append("w".repeat(i % 97)).append("\"}\n");
    }
    Path file = Files.writeString(dir.resolve("many.jsonl"), content);

    int count = 0;
    try (JsonLinesCorpus corpus = JsonLinesCorpus.open(file)) {
      for (Document document : corpus) {
        assertThat(document.id()).isEqualTo("d" + count);
        assertThat(document.text()).isEqualTo("caf\u00e9 \u2615 " + "w".repeat(count % 97));
        count++;
      }
      assertThat(corpus.failures()).isEmpty();
    }
    assertThat(count).isEqualTo(20_000);
  }

  private Path write(String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }
}
