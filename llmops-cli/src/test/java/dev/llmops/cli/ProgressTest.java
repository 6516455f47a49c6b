package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.test.FakeClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private final FakeClock clock = FakeClock.create();
  private final StringWriter err = new StringWriter();

  @Test
  void showsCountRateAndBarWhenTheTotalIsKnown() {
    Progress progress = Progress.on(new PrintWriter(err), "embedding", 20_000, clock);
    clock.advance(Duration.ofSeconds(10));
    progress.advance(12_345);

    assertThat(err.toString()).isEqualTo("\rembedding  12,345 of 20,000 texts  1,235/s  [############........]");
  }

  @Test
  void showsCountAndRateOnlyForAStream() {
    Progress progress = Progress.on(new PrintWriter(err), "classifying", -1, clock);
    clock.advance(Duration.ofMillis(500));
    progress.advance(600);

    assertThat(err.toString()).isEqualTo("\rclassifying  600 texts  1,200/s");
  }

  @Test
  void redrawsAtMostEveryTwoHundredMillisecondsAndAlwaysAtTheEnd() {
    Progress progress = Progress.on(new PrintWriter(err), "embedding", 100, clock);
    progress.advance(1);                       // drawn: the first
    clock.advance(Duration.ofMillis(100));
    progress.advance(1);                       // too soon
    clock.advance(Duration.ofMillis(100));
    progress.advance(1);                       // drawn
    progress.advance(97);                      // too soon
    progress.finish();                         // drawn, and the line ended

    String[] draws = err.toString().split("\r", -1);
    assertThat(draws).hasSize(4);
    assertThat(draws[1]).startsWith("embedding  1 of 100 texts");
    assertThat(draws[2]).startsWith("embedding  3 of 100 texts");
    assertThat(draws[3]).startsWith("embedding  100 of 100 texts").endsWith("[####################]\n");
  }

  @Test
  void aDiagnosticLineClearsTheProgressLineFirst() {
    Progress progress = Progress.on(new PrintWriter(err), "embedding", -1, clock);
    clock.advance(Duration.ofSeconds(1));
    progress.advance(5);
    String drawn = "embedding  5 texts  5/s";
    progress.println("{\"line\":3}");
    progress.advance(1);                       // redrawn at once after a diagnostic

    assertThat(err.toString()).isEqualTo("\r" + drawn + "\r" + " ".repeat(drawn.length()) + "\r{\"line\":3}"
        + System.lineSeparator() + "\rembedding  6 texts  6/s");
  }

  @Test
  void offWritesDiagnosticsOnly() {
    Progress progress = Progress.off(new PrintWriter(err));
    progress.advance(10);
    progress.println("llmops: note");
    progress.finish();

    assertThat(err.toString()).isEqualTo("llmops: note" + System.lineSeparator());
    assertThat(progress.count()).isEqualTo(10);
  }

  @Test
  void closingMidwayEndsTheLineSoAnErrorStartsOnItsOwn() {
    Progress progress = Progress.on(new PrintWriter(err), "embedding", -1, clock);
    progress.advance(3);
    progress.close();
    progress.close();

    assertThat(err.toString()).isEqualTo("\rembedding  3 texts  0/s" + System.lineSeparator());
  }
}
