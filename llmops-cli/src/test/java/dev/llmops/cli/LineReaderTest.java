package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {

  private static List<LineReader.Line> readAll(byte[] bytes, int maxLineBytes) throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream(bytes), maxLineBytes);
    List<LineReader.Line> lines = new ArrayList<>();
    for (LineReader.Line line; (line = reader.next()) != null; ) {
      lines.add(line);
    }
    return lines;
  }

  @Test
  void readsLinesWithAnyTerminatorAndAnUnterminatedLast() throws IOException {
    byte[] bytes = "\uFEFFfirst\r\nsecond\n\nthird é".getBytes(StandardCharsets.UTF_8);
    assertThat(readAll(bytes, 100)).containsExactly(new LineReader.Text(1, "first"), new LineReader.Text(2, "second"),
        new LineReader.Text(3, ""), new LineReader.Text(4, "third é"));
    assertThat(readAll(new byte[0], 100)).isEmpty();
    assertThat(readAll("only\n".getBytes(StandardCharsets.UTF_8), 100)).containsExactly(new LineReader.Text(1, "only"));
  }

  @Test
  void aBadLineFailsAloneAndReadingGoesOn() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("ok\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'});
    bytes.writeBytes("x".repeat(200_000).getBytes(StandardCharsets.UTF_8)); // spans several reads
    bytes.writeBytes("\nafter\n".getBytes(StandardCharsets.UTF_8));

    assertThat(readAll(bytes.toByteArray(), 100_000)).containsExactly(new LineReader.Text(1, "ok"),
        new LineReader.Unreadable(2, "the line is not valid UTF-8"),
        new LineReader.Unreadable(3, "the line is longer than 100000 bytes"), new LineReader.Text(4, "after"));
  }

  @Test
  void countsTheLinesThatHoldSomething(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rows.jsonl");
    Files.writeString(file, "{}\n\n  \r\n{}\r\n{}");
    assertThat(LineReader.countRows(file)).isEqualTo(3);
    Files.writeString(file, "");
    assertThat(LineReader.countRows(file)).isZero();
    Files.writeString(file, "{}\n".repeat(100_000));
    assertThat(LineReader.countRows(file)).isEqualTo(100_000);
  }
}
