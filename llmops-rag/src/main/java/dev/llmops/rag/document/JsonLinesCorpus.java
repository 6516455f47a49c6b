package dev.llmops.rag.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmops.core.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A corpus in JSON Lines, one document per line, in the BEIR format: {@code {"_id": "d1", "title": "...",
 * "text": "...", "metadata": {"year": 2020}}}. Documents are read lazily, one line at a time, so a corpus of
 * any size streams through in constant memory apart from the set of ids seen.
 *
 * <pre>{@code
 * try (JsonLinesCorpus corpus = JsonLinesCorpus.open(Path.of("scifact/corpus.jsonl"))) {
 *   for (Document document : corpus) {
 *     index.add(document);
 *   }
 *   corpus.failures().forEach(failure -> log.warn("{}", failure));
 * }
 * }</pre>
 *
 * <p>Fields: {@code _id} (a string or an integer, required, not blank), {@code text} (a string, required, may
 * be empty), {@code title} (a string, optional), {@code metadata} (an object whose values are strings, numbers
 * or booleans, kept as strings), {@code tenant} (a string) and {@code groups} (an array of strings) for the
 * {@link AccessControl}, and {@code source} (a string; the file name when absent, not the line: lines move when
 * the file is edited, and a source that changes would make a refresh re-embed unchanged documents). Other fields are
 * ignored.
 *
 * <p>A line that is not valid UTF-8, not a JSON object, lacks a field, has a field of the wrong type, is longer
 * than the line limit, or repeats the {@code _id} of an earlier document fails alone: it becomes a {@link
 * DocumentFailure} with source {@code <file name>:<line>}, and reading goes on. A failed line does not claim its
 * id, so a later line with the same id loads. Blank lines are skipped and counted. A UTF-8 byte order mark at
 * the start is ignored.
 *
 * <p>Not thread-safe: one thread iterates, once. Duplicate detection keeps every id read (roughly 50 to 100
 * bytes each).
 */
public final class JsonLinesCorpus implements Iterable<Document>, AutoCloseable {

  /** The longest line read by default, 16 MiB; a longer line is a failure. */
  public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesCorpus.class);

  private static final ObjectReader JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build()
      .reader();

  private final Path file;
  private final String fileName;
  private final InputStream in;
  private final int maxLineBytes;
  private final List<DocumentFailure> failures = new ArrayList<>();
  private final Map<String, Integer> firstLineOfId = new HashMap<>();
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkPosition;
  private int chunkLength;
  private long chunkOffset;
  private byte[] line = new byte[1024];
  private int lineLength;
  private boolean lineTooLong;
  private long lineOffset;
  private int lineNumber;
  private int skipped;
  private boolean iterated;
  private boolean exhausted;
  private boolean closed;

  private JsonLinesCorpus(Path file, InputStream in, int maxLineBytes) {
    this.file = file;
    this.fileName = FileLoader.fileName(file);
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Opens a corpus file with the default line limit.
   *
   * @param file the JSON Lines file
   * @return the corpus, to iterate once and close
   * @throws InvalidRequestException when the file does not exist or cannot be opened
   */
  public static JsonLinesCorpus open(Path file) {
    return open(file, DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * Opens a corpus file.
   *
   * @param file the JSON Lines file
   * @param maxLineBytes the longest line read, in bytes without the line break; a longer line is a failure
   *     and is not held in memory
   * @return the corpus, to iterate once and close
   * @throws InvalidRequestException when the file does not exist or cannot be opened
   * @throws IllegalArgumentException when {@code maxLineBytes} is below 1
   */
  public static JsonLinesCorpus open(Path file, int maxLineBytes) {
    if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxLineBytes must be between 1 and " + (Integer.MAX_VALUE - 8)
          + " but was " + maxLineBytes);
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new InvalidRequestException("corpus file " + file + " is not a regular file");
    }
    try {
      return new JsonLinesCorpus(file, Files.newInputStream(file), maxLineBytes);
    } catch (NoSuchFileException e) {
      throw new InvalidRequestException("corpus file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidRequestException("cannot open corpus file " + file + ": " + FileLoader.describe(e), e);
    }
  }

  /**
   * Reads a whole corpus file into memory; for a large corpus, iterate {@link #open} instead.
   *
   * @param file the JSON Lines file
   * @return the documents in file order, the failed lines, and the number of blank lines
   * @throws InvalidRequestException when the file cannot be opened or read
   */
  public static LoadResult load(Path file) {
    try (JsonLinesCorpus corpus = open(file)) {
      List<Document> documents = new ArrayList<>();
      corpus.forEach(documents::add);
      return new LoadResult(documents, corpus.failures(), corpus.skipped());
    }
  }

  /**
   * The documents, read as the iterator advances. The iterator's {@code hasNext} and {@code next} throw {@link
   * InvalidRequestException} when the file cannot be read (a disk error, not a bad line) and {@link
   * IllegalStateException} when the corpus was closed before the end.
   *
   * @throws IllegalStateException on a second call: a corpus is read once
   */
  @Override
  public Iterator<Document> iterator() {
    if (iterated) {
      throw new IllegalStateException("corpus " + file + " was already iterated; open it again to read it again");
    }
    iterated = true;
    return new Documents();
  }

  /** The lines that failed so far, in file order; complete once iteration has ended. */
  public List<DocumentFailure> failures() {
    return List.copyOf(failures);
  }

  /** How many blank lines were skipped so far. */
  public int skipped() {
    return skipped;
  }

  /** Closes the file. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("closing corpus file {} failed", file, e);
    }
  }

  private final class Documents implements Iterator<Document> {
    private @Nullable Document next;

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (exhausted) {
        return false;
      }
      if (closed) {
        throw new IllegalStateException("corpus " + file + " was closed at line " + lineNumber);
      }
      try {
        while (readLine()) {
          next = parse();
          if (next != null) {
            return true;
          }
        }
      } catch (IOException e) {
        throw new InvalidRequestException("cannot read corpus file " + file + " after line " + lineNumber + ": "
            + FileLoader.describe(e), e);
      }
      exhausted = true;
      LOG.debug("read corpus {}: {} lines, {} failures, {} blank", file, lineNumber, failures.size(), skipped);
      close();
      return false;
    }

    @Override
    public Document next() {
      if (!hasNext()) {
        throw new NoSuchElementException("corpus " + file + " has no more documents");
      }
      Document document = next;
      next = null;
      return document;
    }
  }

  /**
   * Reads the next line into {@link #line} without its line break, or only notes that it is too long.
   *
   * @return false at the end of the file
   */
  private boolean readLine() throws IOException {
    lineLength = 0;
    lineTooLong = false;
    lineOffset = chunkOffset + chunkPosition;
    boolean any = false;
    while (true) {
      if (chunkPosition == chunkLength) {
        chunkOffset += chunkLength;
        chunkPosition = 0;
        chunkLength = Math.max(0, in.read(chunk));
        if (chunkLength == 0) {
          if (!any) {
            return false;
          }
          break;
        }
      }
      any = true;
      int end = chunkPosition;
      while (end < chunkLength && chunk[end] != '\n') {
        end++;
      }
      keep(chunkPosition, end - chunkPosition);
      if (end < chunkLength) {
        chunkPosition = end + 1;
        break;
      }
      chunkPosition = end;
    }
    lineNumber++;
    if (!lineTooLong && lineLength > 0 && line[lineLength - 1] == '\r') {
      lineLength--;
    }
    return true;
  }

  private void keep(int from, int count) {
    if (lineTooLong || count == 0) {
      return;
    }
    // A line of exactly the limit may be followed by the \r of a \r\n break.
    if ((long) lineLength + count > maxLineBytes + 1L) {
      lineTooLong = true;
      return;
    }
    if (lineLength + count > line.length) {
      line = Arrays.copyOf(line, (int) Math.min(Math.max(line.length * 2L, lineLength + (long) count),
          maxLineBytes + 1L));
    }
    System.arraycopy(chunk, from, line, lineLength, count);
    lineLength += count;
  }

  /** Turns the current line into a document, or records why not and returns null. */
  private @Nullable Document parse() {
    String source = fileName + ":" + lineNumber;
    String where = "line " + lineNumber;
    if (lineTooLong || lineLength > maxLineBytes) {
      return fail(source, where + " is longer than the limit of " + maxLineBytes + " bytes");
    }
    int from = lineNumber == 1 && Utf8.hasBom(line, 0, lineLength) ? 3 : 0;
    String json;
    try {
      json = Utf8.decode(line, from, lineLength);
    } catch (Utf8.Malformed e) {
      return fail(source, where + " is not UTF-8: " + e.getMessage() + " at byte " + e.index + " of the line (byte "
          + (lineOffset + e.index) + " of the file)");
    }
    if (json.isBlank()) {
      skipped++;
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return fail(source, where + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      return fail(source, where + " is not a JSON object but " + describe(node));
    }
    JsonNode idNode = node.get("_id");
    if (idNode == null || idNode.isNull()) {
      return fail(source, where + " has no _id");
    }
    if (!idNode.isTextual() && !idNode.isIntegralNumber()) {
      return fail(source, where + ": _id must be a string but was " + describe(idNode));
    }
    String id = idNode.asText();
    if (id.isBlank()) {
      return fail(source, where + " has a blank _id");
    }
    Integer firstLine = firstLineOfId.get(id);
    if (firstLine != null) {
      return fail(id, source, where + " repeats _id \"" + id + "\" of line " + firstLine);
    }
    Document document;
    try {
      document = Document.builder(id, requiredString(node, "text"))
          .title(optionalString(node, "title", ""))
          .source(optionalString(node, "source", fileName))
          .metadata(metadata(node))
          .access(new AccessControl(nullableString(node, "tenant"), groups(node)))
          .build();
    } catch (BadField e) {
      return fail(id, source, where + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return fail(id, source, where + ": " + FileLoader.describe(e));
    }
    firstLineOfId.put(id, lineNumber);
    return document;
  }

  private @Nullable Document fail(String source, String reason) {
    return fail(source, source, reason);
  }

  private @Nullable Document fail(String id, String source, String reason) {
    failures.add(new DocumentFailure(id, source, reason));
    return null;
  }

  private static String requiredString(JsonNode node, String field) throws BadField {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new BadField("field " + field + " is missing");
    }
    if (!value.isTextual()) {
      throw new BadField("field " + field + " must be a string but was " + describe(value));
    }
    return value.textValue();
  }

  private static String optionalString(JsonNode node, String field, String fallback) throws BadField {
    String value = nullableString(node, field);
    return value == null ? fallback : value;
  }

  private static @Nullable String nullableString(JsonNode node, String field) throws BadField {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new BadField("field " + field + " must be a string but was " + describe(value));
    }
    return value.textValue();
  }

  private static Map<String, String> metadata(JsonNode node) throws BadField {
    JsonNode metadata = node.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return Map.of();
    }
    if (!metadata.isObject()) {
      throw new BadField("field metadata must be an object but was " + describe(metadata));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      JsonNode value = field.getValue();
      if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
        throw new BadField("metadata field " + field.getKey() + " must be a string, number or boolean but was "
            + describe(value));
      }
      fields.put(field.getKey(), value.asText());
    }
    return fields;
  }

  private static Set<String> groups(JsonNode node) throws BadField {
    JsonNode groups = node.get("groups");
    if (groups == null || groups.isNull()) {
      return Set.of();
    }
    if (!groups.isArray()) {
      throw new BadField("field groups must be an array of strings but was " + describe(groups));
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode group : groups) {
      if (!group.isTextual()) {
        throw new BadField("field groups must hold strings but held " + describe(group));
      }
      names.add(group.textValue());
    }
    return names;
  }

  /** A JSON value's type and, when short, the value itself. */
  private static String describe(JsonNode value) {
    String text = value.toString();
    String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
    return text.length() <= 40 ? type + " " + text : type;
  }

  /** A field of the right line with the wrong shape; only ever caught in {@link #parse}. */
  private static final class BadField extends Exception {
    @Serial private static final long serialVersionUID = 1L;

    BadField(String message) {
      super(message, null, false, false);
    }
  }
}
