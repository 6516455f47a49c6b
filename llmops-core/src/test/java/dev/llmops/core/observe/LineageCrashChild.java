package dev.llmops.core.observe;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Run in a child JVM by {@link LineageCrashTest}: records lineage into JSON Lines files in {@code args[0]} in an
 * endless loop, through an {@link AsyncLineageWriter}, and prints {@code stored N} after each batch the sink stored,
 * until it is killed.
 */
public final class LineageCrashChild {

  private LineageCrashChild() {}

  public static void main(String[] args) {
    LineageSink files = LineageSink.jsonLines(Path.of(args[0]), RotationPolicy.bySize(1 << 20));
    long[] stored = {0};
    LineageSink counting = new LineageSink() {
      @Override
      public void write(List<LineageRecord> batch) {
        files.write(batch);
        stored[0] += batch.size();
        System.out.println("stored " + stored[0]);
        System.out.flush();
      }

      @Override
      public void close() {
        files.close();
      }
    };
    String padding = "x".repeat(2_000); // long lines make a kill in the middle of a write likely
    AsyncLineageWriter writer = AsyncLineageWriter.builder(counting).capacity(2_000).maxBatch(500)
        .overflow(OverflowPolicy.BLOCK).build();
    for (long i = 0; ; i++) {
      writer.record(LineageRecord.builder("req-" + i, Instant.now()).route("bot").prompt("answer@1")
          .attribute("padding", padding).build());
    }
  }
}
