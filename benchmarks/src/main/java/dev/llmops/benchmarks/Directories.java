package dev.llmops.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The benchmarks' temporary index directories: their size, and deleting them. */
final class Directories {

  private Directories() {}

  /** The bytes of the regular files under {@code dir}. */
  static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long bytes = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          bytes += Files.size(p);
        }
      }
      return bytes;
    }
  }

  /**
   * Deletes {@code dir} and everything under it.
   *
   * @throws UncheckedIOException naming the directory when something cannot be deleted
   */
  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the benchmark index " + dir, e);
    }
  }
}
