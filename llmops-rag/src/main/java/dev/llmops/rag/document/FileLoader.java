package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** The base of the stock loaders: the byte limit, the extensions they support and the shared file handling. */
abstract class FileLoader implements DocumentLoader {

  /** The largest array the JVM reliably allocates; a text file must fit in one. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final String name;
  private final long maxBytes;
  private final Set<String> extensions;

  /**
   * A loader of the given formats.
   *
   * @param name the factory call that gives this loader, for messages
   * @param maxBytes the largest file read
   * @param extensions the supported extensions, in lower case without the dot
   */
  FileLoader(String name, long maxBytes, Set<String> extensions) {
    this.name = name;
    this.maxBytes = maxBytes;
    this.extensions = extensions;
  }

  /** The largest file this loader reads. */
  final long maxBytes() {
    return maxBytes;
  }

  @Override
  public final boolean supports(Path file) {
    return extensions.contains(extension(file));
  }

  @Override
  public final Document load(Path file, String id) {
    checkId(file, id);
    checkSize(file, maxBytes);
    return read(file, id);
  }

  /** Reads a file whose size was checked. */
  abstract Document read(Path file, String id);

  @Override
  public abstract FileLoader withMaxBytes(long maxBytes);

  /** The extensions this loader supports, as {@code .a, .b}, sorted. */
  private String extensions() {
    return String.join(", ", extensions.stream().map(e -> "." + e).sorted().toList());
  }

  @Override
  public final String toString() {
    return name + " for " + extensions() + " files";
  }

  /** A builder with the fields every stock loader sets. */
  static Document.Builder documentOf(Path file, String id, String text, String contentType) {
    return Document.builder(id, text)
        .source(file.toString())
        .metadata("content_type", contentType)
        .metadata("file_name", fileName(file));
  }

  static void checkId(Path file, String id) {
    if (id.isBlank()) {
      throw new IllegalArgumentException(
          "a document needs a non-blank id but the id for " + file + " was '" + id + "'");
    }
  }

  static long checkMaxBytes(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1 but was " + maxBytes);
    }
    return maxBytes;
  }

  /**
   * Fails unless {@code file} is a regular file of at most {@code maxBytes} bytes; reads only its attributes.
   *
   * @return the file's size
   */
  static long checkSize(Path file, long maxBytes) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new InvalidRequestException("file " + file + " does not exist", e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    if (!attributes.isRegularFile()) {
      throw new InvalidRequestException("file " + file + " is not a regular file");
    }
    long size = attributes.size();
    if (size > maxBytes) {
      throw new InvalidRequestException("file " + file + " has " + size + " bytes, more than the limit of " + maxBytes
          + " bytes; raise it with DocumentLoader.withMaxBytes");
    }
    return size;
  }

  /** Reads a whole file whose size was checked against {@code maxBytes}, failing if it grew past it meanwhile. */
  static byte[] readBytes(Path file, long maxBytes) {
    long size = checkSize(file, maxBytes);
    if (size > MAX_ARRAY) {
      throw new InvalidRequestException("file " + file + " has " + size + " bytes, more than a text document can hold ("
          + MAX_ARRAY + " bytes)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = new byte[(int) size];
      int read = in.readNBytes(bytes, 0, bytes.length);
      if (read < bytes.length) {
        return Arrays.copyOf(bytes, read);
      }
      if (in.read() != -1) {
        throw new InvalidRequestException("file " + file + " grew while it was read; it was " + size + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  static InvalidRequestException unreadable(Path file, IOException e) {
    return new InvalidRequestException("cannot read file " + file + ": " + describe(e), e);
  }

  /** An exception's message, or its class name when it has none. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** The file name, or the whole path when it has no name (a root). */
  static String fileName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  /** The file name without its extension ({@code notes.v2.txt} gives {@code notes.v2}). */
  static String baseName(Path file) {
    String name = fileName(file);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The extension in lower case without the dot, or the empty string when there is none. */
  static String extension(Path file) {
    String name = fileName(file);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}
