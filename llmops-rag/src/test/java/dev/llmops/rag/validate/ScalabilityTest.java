package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.rag.document.Document;
import dev.llmops.rag.validate.ValidationReport.DuplicateGroup;
import dev.llmops.rag.validate.ValidationReport.IssueCount;
import dev.llmops.rag.validate.ValidationReport.NearDuplicates;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Twenty thousand generated documents with known flaws planted among them: every flaw is found and nothing else.
 * Speed is measured in the benchmarks, not here; this shows that the sub-quadratic path is also the correct one.
 */
class ScalabilityTest {

  private static final int BASE = 20_000;
  private static final int NEAR = 50;
  private static final int EXACT = 100;
  private static final int EMPTY = 10;
  private static final int REUSED_IDS = 10;
  private static final int MOJIBAKE = 5;
  private static final int TOTAL = BASE + 2 * NEAR + EXACT + EMPTY + REUSED_IDS + MOJIBAKE;

  /** The corpus, generated as it is read, so that it is never held in memory at once. */
  private static Iterable<Document> corpus() {
    return () -> new Iterator<>() {
      private final Random random = new Random(2024);
      private final Random replay = new Random(2024);
      private int next;
      private String longText = "";

      @Override
      public boolean hasNext() {
        return next < TOTAL;
      }

      @Override
      public Document next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int i = next++;
        if (i < BASE) {
          return Document.of("doc-" + i, Corpora.invented(random, 20 + random.nextInt(61)));
        }
        i -= BASE;
        if (i < 2 * NEAR) {
          if (i % 2 == 0) {
            longText = Corpora.invented(random, 100);
            return Document.of("long-" + i / 2, longText);
          }
          return Document.of("near-" + i / 2, Corpora.replaceWord(longText, 48, "zebra"));
        }
        i -= 2 * NEAR;
        if (i < EXACT) {
          // Replays the generator to get document i's text again, in capitals and with extra spaces.
          if (i == 0) {
            replay.setSeed(2024);
          }
          String text = Corpora.invented(replay, 20 + replay.nextInt(61));
          return Document.of("exact-" + i, "  " + text.toUpperCase(Locale.ROOT).replace(" ", "   "));
        }
        i -= EXACT;
        if (i < EMPTY) {
          return Document.of("empty-" + i, "\n");
        }
        i -= EMPTY;
        if (i < REUSED_IDS) {
          return Document.of("doc-" + (1000 + i), Corpora.invented(random, 40));
        }
        i -= REUSED_IDS;
        return Document.of("mojibake-" + i, Corpora.invented(random, 30) + " Ã©tÃ©");
      }
    };
  }

  @Test
  void twentyThousandDocumentsValidateWithEveryPlantedFlawFoundAndNoOther() {
    ValidationReport report = CorpusValidator.defaults().validate(corpus());

    assertThat(report.totalDocuments()).isEqualTo(TOTAL);
    assertThat(report.empty().documents()).isEqualTo(EMPTY);
    assertThat(report.shortDocuments().documents()).isZero();
    assertThat(report.duplicateIds().documents()).isEqualTo(REUSED_IDS);
    assertThat(report.duplicateIds().examples().get(0).id()).isEqualTo("doc-1000");

    assertThat(report.exactDuplicates().documents()).isEqualTo(EXACT);
    assertThat(report.exactDuplicates().groups()).isEqualTo(EXACT);
    assertThat(report.exactDuplicates().examples()).hasSize(20)
        .startsWith(new DuplicateGroup(2, java.util.List.of("doc-0", "exact-0")));

    NearDuplicates near = report.nearDuplicates();
    assertThat(near.groups()).isEqualTo(NEAR);
    assertThat(near.documents()).isEqualTo(NEAR);
    assertThat(near.examples()).hasSize(20).allSatisfy(g -> {
      assertThat(g.ids()).hasSize(2);
      assertThat(g.ids().get(0)).startsWith("long-");
      assertThat(g.ids().get(1)).isEqualTo("near-" + g.ids().get(0).substring(5));
      assertThat(g.minSimilarity()).isGreaterThanOrEqualTo(0.9);
    });

    assertThat(report.encodingProblems().documents()).isEqualTo(MOJIBAKE);
    assertThat(report.encodingProblems().byIssue()).contains(new IssueCount(EncodingIssue.MOJIBAKE, MOJIBAKE));
    assertThat(report.lengthOutliers().documents()).isZero();
    assertThat(report.languages().dominant()).isEqualTo("en");
    assertThat(report.languages().dominantDocuments()).isGreaterThan(BASE * 9 / 10);

    assertThat(report.violations()).containsExactly(
        "empty documents: 0.049% of documents (10 of 20225) exceeds the maximum 0%",
        "duplicate ids: 0.049% of documents (10 of 20225) exceeds the maximum 0%",
        "encoding problems: 0.025% of documents (5 of 20225) exceeds the maximum 0%");
  }
}
