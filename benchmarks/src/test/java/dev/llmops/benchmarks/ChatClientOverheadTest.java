package dev.llmops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the comparison runnable: a tiny run must complete with every client giving the expected answer. */
class ChatClientOverheadTest {

  @Test
  void aSmallRunMeasuresEveryClientInEveryMode(@TempDir Path dir) throws Exception {
    ChatClientOverhead.Settings settings = ChatClientOverhead.Settings.parse(
        new String[] {"--rounds", "1", "--calls", "8", "--threads", "2", "--reply-words", "5", "--out", dir.toString()});

    ChatClientOverhead.Report report = ChatClientOverhead.run(settings);

    assertThat(report.rows()).hasSize(9);
    assertThat(report.rows()).allSatisfy(row -> assertThat(row.median()).isPositive());
    assertThat(report.table()).contains("llmops", "langchain4j", "raw-jdk-http", "chat-concurrent");
    Path file = report.write(dir);
    assertThat(Files.readAllLines(file)).hasSize(9).allSatisfy(line -> assertThat(line).contains("\"llmops_ratio\""));
  }
}
