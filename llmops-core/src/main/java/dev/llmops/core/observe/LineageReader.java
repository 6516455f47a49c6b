package dev.llmops.core.observe;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.observe.JsonLinesSink;
import dev.llmops.core.internal.observe.JsonLinesSink.FileKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Reads the files of {@link LineageSink#jsonLines}: every {@code lineage-<yyyyMMdd-HHmmss>-<n>.jsonl} in a directory
 * (other files are ignored), in the order they were created (by the time stamp and number in the name), and each
 * file's lines in the order they were written. A writer appends records in the order they reach it, which is the
 * order of their {@link LineageRecord#time()} up to how long each request took; the reader does not re-sort.
 *
 * <p>Crash damage: the last line of a file that does not end with a line break and does not parse (a write cut short
 * by a crash or a kill) is a <em>torn line</em>: it is skipped and counted in {@link #skippedTornLines()}; a last line
 * that parses but lacks only the line break is read. Any other line that does not parse, a complete line in the middle
 * or at the end, is not crash damage (the sink writes whole lines), so it is reported, not skipped: a
 * {@link CorruptDataException} naming the file and line number.
 *
 * <pre>{@code
 * LineageReader reader = LineageReader.jsonLines(Path.of("/var/log/llmops"));
 * try (Stream<LineageRecord> records = reader.records()) {
 *   records.filter(r -> r.outcome() == LineageRecord.Outcome.BLOCKED).forEach(...);
 * }
 * Optional<LineageRecord> one = reader.find("req-42");
 * }</pre>
 *
 * <p>Thread-safe: each call reads the directory afresh; files still being written are read up to what is there.
 */
public final class LineageReader {

  private final Path dir;
  private final Map<Path, Boolean> tornFiles = new ConcurrentHashMap<>();

  private LineageReader(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** A reader of the lineage files in {@code dir}. Nothing is read until a method is called. */
  public static LineageReader jsonLines(Path dir) {
    return new LineageReader(dir);
  }

  /**
   * The lineage files, oldest first.
   *
   * @throws UnavailableException if the directory cannot be listed (a missing directory has no files)
   */
  public List<Path> files() {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(p -> JsonLinesSink.key(p.getFileName().toString()) != null && Files.isRegularFile(p))
          .forEach(files::add);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UnavailableException("cannot list lineage files in " + dir + ": " + e.getMessage(), null, e);
    }
    files.sort(Comparator.comparing(p -> Objects.requireNonNull(JsonLinesSink.key(p.getFileName().toString()))));
    return files;
  }

  /**
   * Every record, lazily, file by file. Close the stream (try-with-resources) when stopping early, so the open file
   * is closed.
   *
   * @throws CorruptDataException (while streaming) for a line that does not parse and is not a torn last line,
   *     naming the file and line
   * @throws UnavailableException (while streaming) when a file cannot be read
   */
  public Stream<LineageRecord> records() {
    RecordIterator it = new RecordIterator(files());
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(it::close);
  }

  /**
   * The first record with {@code requestId}, reading the files in order.
   *
   * @throws CorruptDataException for a corrupt line met before it
   */
  public Optional<LineageRecord> find(String requestId) {
    try (Stream<LineageRecord> records = records()) {
      return records.filter(r -> r.requestId().equals(requestId)).findFirst();
    }
  }

  /**
   * How many torn last lines (one at most per file) the reads so far have met and skipped; each file is counted once,
   * however often it is read.
   */
  public long skippedTornLines() {
    return tornFiles.size();
  }

  @Override
  public String toString() {
    return "LineageReader.jsonLines(" + dir + ")";
  }

  /** Walks the files, one open at a time. */
  private final class RecordIterator implements Iterator<LineageRecord> {
    private final Iterator<Path> files;
    private @Nullable Path file;
    private @Nullable InputStream in;
    private long lineNumber;
    private @Nullable LineageRecord next;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;

    RecordIterator(List<Path> files) {
      this.files = files.iterator();
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (in == null) {
          if (!files.hasNext()) {
            return false;
          }
          open(files.next());
        }
        next = readLine();
      }
      return true;
    }

    @Override
    public LineageRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      LineageRecord r = Objects.requireNonNull(next);
      next = null;
      return r;
    }

    private void open(Path path) {
      try {
        in = Files.newInputStream(path);
        file = path;
        pos = 0;
        limit = 0;
        lineNumber = 0;
      } catch (IOException e) {
        throw new UnavailableException("cannot open lineage file " + path + ": " + e.getMessage(), null, e);
      }
    }

    /** The next record of the open file, or {@code null} when the file ended (it is then closed). */
    private @Nullable LineageRecord readLine() {
      InputStream input = Objects.requireNonNull(in);
      line.reset();
      boolean terminated = false;
      try {
        while (!terminated) {
          if (pos == limit) {
            limit = input.read(buffer);
            pos = 0;
            if (limit <= 0) {
              limit = 0;
              break;
            }
          }
          int start = pos;
          while (pos < limit && buffer[pos] != '\n') {
            pos++;
          }
          line.write(buffer, start, pos - start);
          if (pos < limit) {
            pos++; // the line break
            terminated = true;
          }
        }
      } catch (IOException e) {
        throw new UnavailableException("cannot read lineage file " + file + ": " + e.getMessage(), null, e);
      }
      if (!terminated && line.size() == 0) {
        close();
        return null;
      }
      lineNumber++;
      String text = line.toString(StandardCharsets.UTF_8);
      try {
        return LineageRecord.fromJson(text);
      } catch (CorruptDataException e) {
        if (!terminated) { // the last line, cut short: crash damage
          tornFiles.put(Objects.requireNonNull(file), Boolean.TRUE);
          close();
          return null;
        }
        throw new CorruptDataException("lineage file " + file + " line " + lineNumber + ": " + e.getMessage(), e);
      }
    }

    void close() {
      InputStream input = in;
      in = null;
      if (input != null) {
        try {
          input.close();
        } catch (IOException e) {
          throw new UnavailableException("closing lineage file " + file + " failed: " + e.getMessage(), null, e);
        }
      }
    }
  }
}
