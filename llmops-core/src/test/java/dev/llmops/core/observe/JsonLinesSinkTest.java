package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.observe.LineageSink.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;

  static LineageRecord record(int i) {
    return LineageRecord.builder("req-" + i, T0.plusSeconds(i)).route("bot").release("v1").prompt("answer@3")
        .outputHash(Lineage.sha256Hex("answer " + i)).build();
  }

  static List<LineageRecord> records(int from, int to) {
    return IntStream.range(from, to).mapToObj(JsonLinesSinkTest::record).toList();
  }

  private List<String> ids() {
    try (Stream<LineageRecord> s = LineageReader.jsonLines(dir).records()) {
      return s.map(LineageRecord::requestId).toList();
    }
  }

  @Test
  void writesOneCompleteLinePerRecordAndReadsThemBackInOrder() throws IOException {
    MutableClock clock = new MutableClock(T0);
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.NEVER, Durability.FSYNC, clock)) {
      sink.write(records(0, 3));
      sink.write(records(3, 5));
    }
    assertThat(LineageReader.jsonLines(dir).files()).extracting(p -> p.getFileName().toString())
        .containsExactly("lineage-20260301-100000-0.jsonl");
    List<String> lines = Files.readAllLines(dir.resolve("lineage-20260301-100000-0.jsonl"));
    assertThat(lines).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(LineageRecord.fromJson(lines.get(i))).isEqualTo(record(i));
    }
    assertThat(ids()).containsExactly("req-0", "req-1", "req-2", "req-3", "req-4");
  }

  @Test
  void rotatesBySizeWithoutSplittingALine() throws IOException {
    int lineBytes = (record(0).toJson() + "\n").getBytes(StandardCharsets.UTF_8).length;
    MutableClock clock = new MutableClock(T0);
    // room for two lines (every record here has the same length): batches of 2, 2 and 1 fill three files
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.bySize(2L * lineBytes + 1), Durability.FLUSH, clock)) {
      sink.write(records(0, 2));
      sink.write(records(2, 4));
      sink.write(records(4, 5));
    }
    List<Path> files = LineageReader.jsonLines(dir).files();
    assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
        "lineage-20260301-100000-0.jsonl", "lineage-20260301-100000-1.jsonl", "lineage-20260301-100000-2.jsonl");
    assertThat(Files.readAllLines(files.get(0))).hasSize(2);
    assertThat(Files.readAllLines(files.get(2))).hasSize(1);
    for (Path f : files) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(2L * lineBytes + 1);
    }
    assertThat(ids()).containsExactly("req-0", "req-1", "req-2", "req-3", "req-4");
  }

  @Test
  void aBatchLongerThanTheLimitGetsAFileOfItsOwnAndIsNeverSplit() throws IOException {
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.bySize(10), Durability.FLUSH, new MutableClock(T0))) {
      sink.write(records(0, 1));
      sink.write(records(1, 3)); // two lines, far past the limit: one file, so a retry cannot duplicate half of it
    }
    List<Path> files = LineageReader.jsonLines(dir).files();
    assertThat(files).hasSize(2);
    assertThat(Files.readAllLines(files.get(1))).hasSize(2);
    assertThat(ids()).containsExactly("req-0", "req-1", "req-2");
  }

  @Test
  void aClockThatStepsBackNeverStampsANewFileBeforeAnOlderOne() throws IOException {
    MutableClock clock = new MutableClock(T0);
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.bySize(10), Durability.FSYNC, clock)) {
      sink.write(records(0, 1));
      clock.advance(Duration.ofHours(-1));
      sink.write(records(1, 2));
    }
    assertThat(LineageReader.jsonLines(dir).files()).extracting(p -> p.getFileName().toString())
        .containsExactly("lineage-20260301-100000-0.jsonl", "lineage-20260301-100000-1.jsonl");
    assertThat(ids()).containsExactly("req-0", "req-1");
  }

  @Test
  void rotatesByAgeOnTheNextWrite() {
    MutableClock clock = new MutableClock(T0);
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.byTime(Duration.ofMinutes(10)), Durability.FLUSH, clock)) {
      sink.write(records(0, 1));
      clock.advance(Duration.ofMinutes(9));
      sink.write(records(1, 2));
      clock.advance(Duration.ofMinutes(1));
      sink.write(records(2, 3));
    }
    assertThat(LineageReader.jsonLines(dir).files()).extracting(p -> p.getFileName().toString())
        .containsExactly("lineage-20260301-100000-0.jsonl", "lineage-20260301-101000-0.jsonl");
    assertThat(ids()).containsExactly("req-0", "req-1", "req-2");
  }

  @Test
  void neverReopensAnExistingFile() throws IOException {
    Files.writeString(dir.resolve("lineage-20260301-100000-0.jsonl"), record(100).toJson() + "\n");
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.NEVER, Durability.FLUSH, new MutableClock(T0))) {
      sink.write(records(0, 2));
    }
    assertThat(Files.readAllLines(dir.resolve("lineage-20260301-100000-0.jsonl"))).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("lineage-20260301-100000-1.jsonl"))).hasSize(2);
    assertThat(ids()).containsExactly("req-100", "req-0", "req-1");
  }

  @Test
  void aTornLastLineIsSkippedAndCountedInEveryFile() throws IOException {
    String whole = record(1).toJson();
    Files.writeString(dir.resolve("lineage-20260301-100000-0.jsonl"),
        record(0).toJson() + "\n" + whole.substring(0, whole.length() / 2));
    Files.writeString(dir.resolve("lineage-20260301-100001-0.jsonl"),
        record(2).toJson() + "\n" + record(3).toJson()); // complete, only the line break is missing
    Files.writeString(dir.resolve("lineage-20260301-100002-0.jsonl"), record(4).toJson() + "\n{\"request_id\":\"x");
    Files.writeString(dir.resolve("notes.txt"), "not lineage");
    LineageReader reader = LineageReader.jsonLines(dir);
    assertThat(ids()).containsExactly("req-0", "req-2", "req-3", "req-4");
    try (Stream<LineageRecord> s = reader.records()) {
      assertThat(s.count()).isEqualTo(4);
    }
    reader.find("req-4");
    assertThat(reader.skippedTornLines()).isEqualTo(2); // each file counted once, however often read
  }

  @Test
  void aCorruptCompleteLineIsAnErrorNamingFileAndLine() throws IOException {
    Path file = dir.resolve("lineage-20260301-100000-0.jsonl");
    Files.writeString(file, record(0).toJson() + "\n" + "{\"request_id\": broken}\n" + record(2).toJson() + "\n");
    LineageReader reader = LineageReader.jsonLines(dir);
    assertThatThrownBy(() -> reader.find("req-2")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("line 2");
    assertThat(reader.find("req-0")).contains(record(0)); // found before the bad line
  }

  @Test
  void aMissingDirectoryHasNoRecords() {
    assertThat(LineageReader.jsonLines(dir.resolve("absent")).files()).isEmpty();
    assertThat(LineageReader.jsonLines(dir.resolve("absent")).find("x")).isEmpty();
  }

  @Test
  void appendOnly() throws IOException {
    MutableClock clock = new MutableClock(T0);
    List<byte[]> snapshots = new ArrayList<>();
    Path file = dir.resolve("lineage-20260301-100000-0.jsonl");
    try (LineageSink sink = LineageSink.jsonLines(dir, RotationPolicy.NEVER, Durability.FLUSH, clock)) {
      for (int i = 0; i < 5; i++) {
        sink.write(records(i * 10, i * 10 + 10));
        snapshots.add(Files.readAllBytes(file));
      }
    }
    for (int i = 1; i < snapshots.size(); i++) { // each state of the file starts with the one before
      byte[] before = snapshots.get(i - 1);
      byte[] after = snapshots.get(i);
      assertThat(after.length).isGreaterThan(before.length);
      assertThat(java.util.Arrays.copyOf(after, before.length)).isEqualTo(before);
    }
  }
}
