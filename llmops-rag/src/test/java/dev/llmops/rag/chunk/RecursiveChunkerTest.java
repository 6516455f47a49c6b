package dev.llmops.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.rag.document.Document;
import dev.llmops.test.DeterministicEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecursiveChunkerTest {
  private final TokenCounter words = DeterministicEmbeddingModel.create().tokenCounter();

  private RecursiveChunker chunker(int max, int overlap) {
    return RecursiveChunker.builder(words).maxTokens(max).overlapTokens(overlap).build();
  }

  private static void assertSpansMatch(Document doc, List<Chunk> chunks) {
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertThat(c.ordinal()).isEqualTo(i);
      assertThat(c.span().of(doc.text())).isEqualTo(c.text());
      assertThat(c.text()).isEqualTo(c.text().strip());
    }
  }

  @Test
  void aShortDocumentIsOneChunkWithItsTitleAsContext() {
    Document doc = Document.builder("a", "  One short paragraph.  ").title("Guide").build();
    List<Chunk> chunks = chunker(50, 5).chunk(doc);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).text()).isEqualTo("One short paragraph.");
    assertThat(chunks.get(0).context()).isEqualTo("Guide");
    assertThat(chunks.get(0).embeddingText()).isEqualTo("Guide\nOne short paragraph.");
    assertThat(chunks.get(0).tokens()).isEqualTo(4);
    assertSpansMatch(doc, chunks);
  }

  @Test
  void noChunkExceedsTheLimitAndTogetherTheyCoverTheText() {
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      StringBuilder text = new StringBuilder();
      for (int p = 0; p < 1 + random.nextInt(6); p++) {
        for (int s = 0; s < 1 + random.nextInt(8); s++) {
          for (int w = 0; w < 1 + random.nextInt(25); w++) {
            text.append("w").append(random.nextInt(1000)).append(' ');
          }
          text.setCharAt(text.length() - 1, '.');
          text.append(' ');
        }
        text.append("\n\n");
      }
      Document doc = Document.builder("r" + round, text.toString()).title(round % 2 == 0 ? "A title" : "").build();
      int max = 10 + random.nextInt(40);
      List<Chunk> chunks = chunker(max, max / 4).chunk(doc);
      assertSpansMatch(doc, chunks);
      boolean[] covered = new boolean[doc.text().length()];
      for (Chunk c : chunks) {
        assertThat(c.tokens()).as("chunk %s of max %s", c, max).isLessThanOrEqualTo(max);
        assertThat(words.countTokens(c.embeddingText())).isEqualTo(c.tokens());
        for (int i = c.span().start(); i < c.span().end(); i++) {
          covered[i] = true;
        }
      }
      for (int i = 0; i < covered.length; i++) {
        if (!Character.isWhitespace(doc.text().charAt(i))) {
          assertThat(covered[i]).as("character %s of round %s", i, round).isTrue();
        }
      }
    }
  }

  @Test
  void chunksEndAtParagraphsRatherThanMidSentence() {
    String p1 = "Alpha one two three four five six seven. Alpha eight nine ten eleven twelve.";
    String p2 = "Beta one two three four five six seven. Beta eight nine ten eleven twelve.";
    Document doc = Document.of("p", p1 + "\n\n" + p2);
    List<Chunk> chunks = chunker(20, 0).chunk(doc);
    assertThat(chunks).extracting(Chunk::text).containsExactly(p1, p2);
  }

  @Test
  void overlapRepeatsTheEndOfThePreviousChunk() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      text.append("Sentence ").append(i).append(" has five words. ");
    }
    Document doc = Document.of("o", text.toString());
    List<Chunk> chunks = chunker(20, 5).chunk(doc);
    assertThat(chunks.size()).isGreaterThan(2);
    for (int i = 1; i < chunks.size(); i++) {
      assertThat(chunks.get(i).span().start()).isLessThan(chunks.get(i - 1).span().end());
      assertThat(chunks.get(i).span().start()).isGreaterThan(chunks.get(i - 1).span().start());
    }
    List<Chunk> none = chunker(20, 0).chunk(doc);
    for (int i = 1; i < none.size(); i++) {
      assertThat(none.get(i).span().start()).isGreaterThanOrEqualTo(none.get(i - 1).span().end());
    }
  }

  @Test
  void sectionsAreNeverMergedAndOverlapDoesNotCrossThem() {
    String s1 = "# Install\nRun the installer and wait.";
    String s2 = "# Configure\nEdit the file and restart.";
    String text = s1 + "\n\n" + s2;
    Document doc = Document.builder("m", text).sectionStarts(List.of(0, s1.length() + 2)).build();
    List<Chunk> chunks = chunker(100, 10).chunk(doc);
    assertThat(chunks).extracting(Chunk::text).containsExactly(s1, s2);
  }

  @Test
  void pagesComeFromTheDocument() {
    String page1 = "Page one words here. ".repeat(5);
    String page2 = "Page two words here. ".repeat(5);
    Document doc = Document.builder("pdf", page1 + page2).pageStarts(List.of(0, page1.length())).build();
    List<Chunk> chunks = chunker(20, 0).chunk(doc);
    assertThat(chunks.get(0).page()).isEqualTo(1);
    assertThat(chunks.get(chunks.size() - 1).page()).isEqualTo(2);
    assertThat(Document.of("plain", "x").pageAt(0)).isNull();
  }

  @Test
  void aRunWithoutBoundariesIsCutInsideTheWord() {
    TokenCounter chars = new TokenCounter() {
      @Override
      public int countTokens(String text) {
        return (text.length() + 3) / 4;
      }

      @Override
      public int maxTokens() {
        return 100;
      }
    };
    String blob = "A".repeat(1000);
    Document doc = Document.of("b64", blob);
    List<Chunk> chunks = RecursiveChunker.builder(chars).maxTokens(10).overlapTokens(0).build().chunk(doc);
    assertThat(chunks).hasSize(25);
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(10));
    assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(blob);
  }

  @Test
  void aLongTitleIsNotUsedAsContext() {
    Document doc = Document.builder("t", "body text here").title("a b c d e f g h i j k l").build();
    assertThat(chunker(20, 0).chunk(doc).get(0).context()).isEmpty();
  }

  @Test
  void emptyTextGivesNoChunks() {
    assertThat(chunker(10, 0).chunk(Document.of("e", " \n\t "))).isEmpty();
  }

  @Test
  void theSameDocumentGivesTheSameChunks() {
    Document doc = Document.of("s", "Some text. ".repeat(100));
    RecursiveChunker chunker = chunker(17, 4);
    assertThat(chunker.chunk(doc)).isEqualTo(chunker.chunk(doc));
    assertThat(chunker.fingerprint()).isEqualTo(chunker(17, 4).fingerprint()).isNotEqualTo(chunker(17, 5).fingerprint());
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> RecursiveChunker.builder(words).maxTokens(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> RecursiveChunker.builder(words).maxTokens(600)).hasMessageContaining("window of 512");
    assertThatThrownBy(() -> RecursiveChunker.builder(words).maxTokens(10).overlapTokens(10).build())
        .hasMessageContaining("less than maxTokens");
    List<Integer> none = new ArrayList<>();
    assertThat(RecursiveChunker.of(words).maxTokens()).isEqualTo(512);
    assertThat(none).isEmpty();
  }

  @Test
  void chunksFitWhenTheJoinedTextCountsMoreThanItsPieces() {
    // Like BPE tokenizers, this one makes a token of every line break, which no piece holds but a chunk does.
    TokenCounter wordsAndBreaks = new TokenCounter() {
      @Override
      public int countTokens(String text) {
        return words.countTokens(text) + (int) text.chars().filter(c -> c == '\n').count();
      }

      @Override
      public int maxTokens() {
        return 512;
      }
    };
    Random random = new Random(1);
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      for (int p = 0; p < 1 + random.nextInt(6); p++) {
        for (int l = 0; l < 1 + random.nextInt(4); l++) {
          for (int w = 0; w < 1 + random.nextInt(12); w++) {
            text.append("w").append(random.nextInt(100)).append(' ');
          }
          text.append('\n');
        }
        text.append('\n');
      }
      Document doc = Document.of("r" + round, text.toString());
      int max = 5 + random.nextInt(20);
      int overlap = random.nextInt(max / 2 + 1);
      List<Chunk> chunks = RecursiveChunker.builder(wordsAndBreaks).maxTokens(max).overlapTokens(overlap).build()
          .chunk(doc);
      assertSpansMatch(doc, chunks);
      boolean[] covered = new boolean[doc.text().length()];
      for (Chunk c : chunks) {
        assertThat(wordsAndBreaks.countTokens(c.embeddingText())).as("round %s, %s", round, c).isLessThanOrEqualTo(max)
            .isEqualTo(c.tokens());
        for (int i = c.span().start(); i < c.span().end(); i++) {
          covered[i] = true;
        }
      }
      for (int i = 0; i < covered.length; i++) {
        if (!Character.isWhitespace(doc.text().charAt(i))) {
          assertThat(covered[i]).as("character %s of round %s", i, round).isTrue();
        }
      }
    }
  }

  @Test
  void aLongRunWithoutBoundariesIsMeasuredInLinearWork() {
    long[] measured = new long[1];
    TokenCounter chars = new TokenCounter() {
      @Override
      public int countTokens(String text) {
        measured[0] += text.length();
        return (text.length() + 3) / 4;
      }

      @Override
      public int maxTokens() {
        return 100;
      }
    };
    String blob = "QUJD".repeat(25_000); // 100,000 characters of base64 with no boundary
    List<Chunk> chunks = RecursiveChunker.builder(chars).maxTokens(10).overlapTokens(0).build()
        .chunk(Document.of("b64", blob));
    assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(blob);
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isEqualTo(10));
    // Cutting must not measure the rest of the run again for every chunk (which made it quadratic).
    assertThat(measured[0]).isLessThan(40L * blob.length());
  }
}
