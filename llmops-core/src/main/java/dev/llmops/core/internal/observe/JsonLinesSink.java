package dev.llmops.core.internal.observe;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.observe.LineageRecord;
import dev.llmops.core.observe.LineageSink;
import dev.llmops.core.observe.RotationPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JSON Lines sink; see {@link LineageSink#jsonLines(Path, RotationPolicy, LineageSink.Durability, Clock)}. */
public final class JsonLinesSink implements LineageSink {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

  /** {@code lineage-<yyyyMMdd-HHmmss>-<n>.jsonl}; group 1 the time, group 2 the sequence number. */
  public static final Pattern FILE_NAME = Pattern.compile("lineage-(\\d{8}-\\d{6})-(\\d+)\\.jsonl");

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final RotationPolicy rotation;
  private final Durability durability;
  private final Clock clock;

  private @Nullable FileChannel channel;
  private @Nullable Path file;
  private long size;
  private Instant openedAt = Instant.EPOCH;
  private @Nullable Instant lastOpened;
  private boolean closed;

  /** See {@link LineageSink#jsonLines(Path, RotationPolicy, LineageSink.Durability, Clock)}. */
  public JsonLinesSink(Path dir, RotationPolicy rotation, Durability durability, Clock clock) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.durability = Objects.requireNonNull(durability, "durability");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void write(List<LineageRecord> batch) {
    if (closed) {
      throw new IllegalStateException("the lineage sink on " + dir + " is closed");
    }
    List<byte[]> lines = new ArrayList<>(batch.size());
    for (LineageRecord r : batch) {
      lines.add((r.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    // A batch is never split across files: a retry after a failed write must find none of it stored, so rotation
    // happens only between batches (a file may exceed maxBytes by at most one batch).
    Instant now = clock.instant();
    Duration maxAge = rotation.maxAge();
    if (channel != null && maxAge != null && Duration.between(openedAt, now).compareTo(maxAge) >= 0) {
      closeFile();
    }
    long bytes = 0;
    for (byte[] line : lines) {
      bytes += line.length;
    }
    if (channel != null && size > 0 && size + bytes > rotation.maxBytes()) {
      closeFile();
    }
    if (channel == null) {
      open(now);
    }
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(bytes));
    for (byte[] line : lines) {
      buffer.put(line);
    }
    buffer.flip();
    append(buffer);
  }

  private void append(ByteBuffer buffer) {
    FileChannel ch = Objects.requireNonNull(channel);
    long before = size;
    try {
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      if (durability == Durability.FSYNC) {
        ch.force(false);
      }
      size = before + buffer.limit();
    } catch (IOException e) {
      Path failed = file;
      try {
        ch.truncate(before); // take back a partial batch so that the retry does not duplicate lines
        ch.position(before);
      } catch (IOException truncateFailed) {
        e.addSuppressed(truncateFailed);
        closeFile(); // the torn tail stays the last line of this file; the next write starts a new one
      }
      throw new UnavailableException("lineage sink: writing " + buffer.limit() + " bytes to " + failed + " failed: "
          + e.getMessage(), null, e);
    }
  }

  private void open(Instant now) {
    // Files sort by their stamp: never stamp one earlier than the last, even if the clock stepped back.
    Instant at = lastOpened != null && now.isBefore(lastOpened) ? lastOpened : now;
    lastOpened = at;
    String stamp = STAMP.format(at);
    try {
      Files.createDirectories(dir);
      for (int n = 0; ; n++) {
        Path candidate = dir.resolve("lineage-" + stamp + "-" + n + ".jsonl");
        try {
          channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
          file = candidate;
          size = 0;
          openedAt = now;
          if (durability == Durability.FSYNC) {
            syncDirectory(); // the new file's entry must survive a power loss as well as its lines
          }
          LOG.debug("lineage sink: writing {}", candidate);
          return;
        } catch (FileAlreadyExistsException taken) {
          // another file of the same second: try the next number
        }
      }
    } catch (IOException e) {
      throw new UnavailableException("lineage sink: cannot create a file in " + dir + ": " + e.getMessage(), null, e);
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("lineage sink: this platform cannot sync directory {}; the file's data is synced", dir, e);
    }
  }

  private void closeFile() {
    FileChannel ch = channel;
    channel = null;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.warn("lineage sink: closing {} failed", file, e);
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeFile();
  }

  /**
   * Where a lineage file stands in the sequence: its creation second, then its number.
   *
   * @param stamp {@code yyyyMMdd-HHmmss}
   * @param number the number within that second
   */
  public record FileKey(String stamp, long number) implements Comparable<FileKey> {
    @Override
    public int compareTo(FileKey o) {
      int c = stamp.compareTo(o.stamp);
      return c != 0 ? c : Long.compare(number, o.number);
    }
  }

  /** The key of a lineage file name, or {@code null} for any other file (or a number too large to be one). */
  public static @Nullable FileKey key(String fileName) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches() || m.group(2).length() > 18) {
      return null;
    }
    return new FileKey(m.group(1), Long.parseLong(m.group(2)));
  }

  @Override
  public String toString() {
    return "LineageSink.jsonLines(" + dir + ")";
  }
}
