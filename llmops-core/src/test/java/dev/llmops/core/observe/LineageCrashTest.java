package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a JVM that is writing lineage and checks what it left behind. */
class LineageCrashTest {

  @TempDir Path dir;

  @Test
  void killingTheWriterMidWriteLeavesOnlyCompleteLinesBeforeTheLastOne() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LineageCrashChild.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long reported = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        reported = Long.parseLong(line.substring("stored ".length()));
        if (reported >= 5_000) { // several files' worth (1 MiB each, about 2 KiB a line)
          break;
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(reported).as("the child stored records before it was killed").isGreaterThanOrEqualTo(5_000);

    LineageReader reader = LineageReader.jsonLines(dir);
    List<Path> files = reader.files();
    assertThat(files.size()).isGreaterThan(1);
    for (int f = 0; f < files.size(); f++) {
      byte[] bytes = Files.readAllBytes(files.get(f));
      String text = new String(bytes, StandardCharsets.UTF_8);
      boolean lastFile = f == files.size() - 1;
      if (!lastFile) {
        assertThat(text).as("%s ends with a whole line", files.get(f)).endsWith("\n");
      }
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length - 1; i++) { // every terminated line is a complete record
        LineageRecord.fromJson(lines[i]);
      }
      assertThat(lines[lines.length - 1].isEmpty() || lastFile).as("only the last file may end mid-line").isTrue();
    }

    Set<String> ids = new HashSet<>();
    try (Stream<LineageRecord> records = reader.records()) {
      records.forEach(r -> assertThat(ids.add(r.requestId())).as("once: %s", r.requestId()).isTrue());
    }
    assertThat((long) ids.size()).isGreaterThanOrEqualTo(reported);
    for (int i = 0; i < ids.size(); i++) { // one producer, FIFO: what survived is a prefix without gaps
      assertThat(ids).contains("req-" + i);
    }
    assertThat(reader.skippedTornLines()).isLessThanOrEqualTo(1);
  }
}
