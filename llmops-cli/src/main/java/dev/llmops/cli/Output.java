package dev.llmops.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a command's JSON Lines go: standard output (written as it comes, left open), or a file that appears
 * whole when {@link #commit()} is called and not at all otherwise. The file is written to a temporary file
 * beside the target, forced to disk and moved over the target atomically, so a failed or killed run leaves an
 * earlier file as it was and never a half-written one. Not thread-safe.
 */
abstract class Output implements Closeable {

  /** The writer to append lines to. */
  abstract Writer writer();

  /**
   * Pushes what was written so far to its destination.
   *
   * @throws UncheckedIOException when standard output was closed (a reader such as {@code head} went away), so
   *     the command stops instead of computing rows nobody reads
   */
  abstract void flush() throws IOException;

  /** Keeps what was written; without it, {@link #close()} discards a file's content. */
  abstract void commit() throws IOException;

  /** {@code "-"} for {@code stdout}, otherwise a file path; the file's directories are created. */
  static Output open(String target, PrintWriter stdout) throws IOException {
    return "-".equals(target) ? new Stdout(stdout) : new AtomicFile(Path.of(target));
  }

  private static final class Stdout extends Output {
    private final PrintWriter out;

    Stdout(PrintWriter out) {
      this.out = out;
    }

    @Override
    Writer writer() {
      return out;
    }

    @Override
    void flush() {
      out.flush();
      if (out.checkError()) { // PrintWriter swallows write errors; this is the only way to see them
        throw new UncheckedIOException(new IOException("could not write to standard output (was it closed?)"));
      }
    }

    @Override
    void commit() {
      flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  private static final class AtomicFile extends Output {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Writer writer;
    private boolean done;

    AtomicFile(Path file) throws IOException {
      this.target = file.toAbsolutePath();
      Path dir = target.getParent();
      Files.createDirectories(dir);
      // Not Files.createTempFile: that makes the file readable by its owner only, and the move would keep that.
      this.temp = dir.resolve("." + target.getFileName() + "."
          + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
      this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
          64 * 1024);
    }

    @Override
    Writer writer() {
      return writer;
    }

    @Override
    void flush() throws IOException {
      writer.flush();
    }

    @Override
    void commit() throws IOException {
      writer.flush();
      channel.force(true);
      writer.close();
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
    }

    @Override
    public void close() throws IOException {
      if (!done) {
        done = true;
        try {
          writer.close();
        } finally {
          Files.deleteIfExists(temp); // a failed run leaves an earlier file as it was
        }
      }
    }
  }
}
