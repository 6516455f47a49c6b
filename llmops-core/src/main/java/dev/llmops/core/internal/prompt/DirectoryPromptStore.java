package dev.llmops.core.internal.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.ConflictException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelChange;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptNames;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link PromptStore} in a directory, laid out for people and for git:
 *
 * <pre>
 * root/
 *   support-answer/
 *     v000001.json     one file per version, templates as arrays of lines
 *     v000002.json
 *     labels.json      every label's state and the history of its moves
 *     .lock            held while writing, by this and other processes
 * </pre>
 *
 * <p>Files are written to a temporary file, forced to disk and renamed into place, so a reader never sees half a
 * file and a crash leaves the old one. Writers of one prompt are serialised by a lock per prompt in this JVM and an
 * OS file lock on {@code .lock} across processes. A file that does not parse is reported by name as a
 * {@link CorruptDataException}; other prompts keep working. Parsed versions are kept in memory (files never change).
 */
public final class DirectoryPromptStore implements PromptStore {

  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{6,9})\\.json");
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final Clock clock;
  private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();

  /** A parsed version file, with the size and time it had, so a hand-edit is noticed and re-read. */
  private record Parsed(PromptVersion version, long size, FileTime modified) {}

  /** A store in {@code root}, created if missing, stamping times with {@code clock}. */
  public DirectoryPromptStore(Path root, Clock clock) {
    this.clock = clock;
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath(); // one lock per directory, however it is spelled (symlinks, relative paths)
    } catch (IOException e) {
      throw new UnavailableException("cannot create the prompt directory " + root + ": " + e, null, e);
    }
  }

  private Path dir(String prompt) {
    return root.resolve(PromptNames.checkPrompt(prompt));
  }

  private static Path versionFile(Path dir, int version) {
    return dir.resolve(String.format("v%06d.json", version));
  }

  // ------------------------------------------------------------------ reading

  private PromptVersion read(Path file) {
    long size;
    FileTime modified;
    try {
      size = Files.size(file);
      modified = Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UnavailableException("cannot read " + file + ": " + e, null, e);
    }
    Parsed cached = parsed.get(file);
    if (cached != null && cached.size() == size && cached.modified().equals(modified)) {
      return cached.version();
    }
    JsonNode node = readJson(file);
    PromptVersion version;
    try {
      version = PromptJson.parseVersion(node);
    } catch (RuntimeException e) {
      throw new CorruptDataException("prompt file " + file + " is not a valid prompt version: " + e.getMessage(), e);
    }
    String expected = file.getParent().getFileName().toString();
    Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
    if (!version.name().equals(expected) || !m.matches() || Integer.parseInt(m.group(1)) != version.version()) {
      throw new CorruptDataException("prompt file " + file + " holds " + version.ref() + ", which does not match its"
          + " folder and file name", null);
    }
    parsed.put(file, new Parsed(version, size, modified));
    return version;
  }

  private static JsonNode readJson(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UnavailableException("cannot read " + file + ": " + e, null, e);
    }
    try {
      JsonNode node = PromptJson.JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new CorruptDataException("prompt file " + file + " does not hold a JSON object", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("prompt file " + file + " is not valid JSON: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ")", e);
    } catch (IOException e) {
      throw new UnavailableException("cannot read " + file + ": " + e, null, e);
    }
  }

  private TreeMap<Integer, Path> versionFiles(Path dir) {
    TreeMap<Integer, Path> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "v*.json")) {
      for (Path p : entries) {
        Matcher m = VERSION_FILE.matcher(p.getFileName().toString());
        if (m.matches()) {
          files.put(Integer.parseInt(m.group(1)), p);
        }
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot list " + dir + ": " + e, null, e);
    }
    return files;
  }

  @Override
  public Optional<PromptVersion> version(String prompt, int version) {
    Path file = versionFile(dir(prompt), Math.max(version, 0));
    if (version < 1 || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(read(file));
  }

  @Override
  public Optional<PromptVersion> latest(String prompt) {
    Map.Entry<Integer, Path> last = versionFiles(dir(prompt)).lastEntry();
    return last == null ? Optional.empty() : Optional.of(read(last.getValue()));
  }

  @Override
  public List<PromptVersion> versions(String prompt) {
    List<PromptVersion> list = new ArrayList<>();
    versionFiles(dir(prompt)).values().forEach(p -> list.add(read(p)));
    return list;
  }

  @Override
  public List<String> prompts() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        try {
          PromptNames.checkPrompt(name);
        } catch (RuntimeException notAPrompt) {
          continue; // .git and other folders that are not prompts
        }
        if (!versionFiles(p).isEmpty()) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot list " + root + ": " + e, null, e);
    }
    names.sort(null);
    return names;
  }

  /** The labels file: label states and move history, empty if the file does not exist. */
  private record LabelsFile(Map<String, Label> labels, List<LabelMove> history) {}

  private LabelsFile readLabels(String prompt) {
    Path file = dir(prompt).resolve("labels.json");
    if (!Files.isRegularFile(file)) {
      return new LabelsFile(new TreeMap<>(), new ArrayList<>());
    }
    JsonNode node = readJson(file);
    try {
      Map<String, Label> labels = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : node.path("labels").properties()) {
        labels.put(e.getKey(), PromptJson.parseLabel(prompt, e.getKey(), e.getValue()));
      }
      List<LabelMove> history = new ArrayList<>();
      node.path("history").forEach(m -> history.add(PromptJson.parseMove(prompt, m)));
      return new LabelsFile(labels, history);
    } catch (RuntimeException e) {
      throw new CorruptDataException("labels file " + file + " is not valid: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Label> label(String prompt, String label) {
    PromptNames.checkLabel(label);
    return Optional.ofNullable(readLabels(prompt).labels().get(label));
  }

  @Override
  public List<Label> labels(String prompt) {
    return List.copyOf(readLabels(prompt).labels().values());
  }

  @Override
  public List<LabelMove> history(String prompt, String label) {
    PromptNames.checkLabel(label);
    return readLabels(prompt).history().stream().filter(m -> m.label().equals(label)).toList();
  }

  // ------------------------------------------------------------------ writing

  @Override
  public PromptVersion create(PromptDraft draft) {
    Path dir = dir(draft.name());
    TemplateVariables.declared(draft); // refuse a bad template before anything is written
    return locked(dir, () -> {
      Map.Entry<Integer, Path> last = versionFiles(dir).lastEntry();
      PromptVersion latest = last == null ? null : read(last.getValue());
      PromptVersion next = Versions.next(latest, draft, clock.instant());
      if (next != latest) {
        Path file = versionFile(dir, next.version());
        writeAtomically(file, PromptJson.version(next), false);
      }
      return next;
    });
  }

  @Override
  public Label moveLabel(LabelChange change) {
    Path dir = dir(change.prompt());
    if (versionFiles(dir).isEmpty()) {
      throw new dev.llmops.core.NotFoundException("there is no prompt '" + change.prompt() + "'; label '"
          + change.label() + "' cannot point at it");
    }
    return locked(dir, () -> {
      LabelsFile file = readLabels(change.prompt());
      Versions.Move move = Versions.apply(file.labels().get(change.label()), change,
          v -> v >= 1 && Files.isRegularFile(versionFile(dir, v)), clock.instant());
      file.labels().put(change.label(), move.label());
      file.history().add(move.move());
      ObjectNode json = PromptJson.JSON.createObjectNode();
      ObjectNode labels = json.putObject("labels");
      file.labels().forEach((name, label) -> labels.set(name, PromptJson.label(label)));
      ArrayNode history = json.putArray("history");
      file.history().forEach(m -> history.add(PromptJson.move(m)));
      writeAtomically(dir.resolve("labels.json"), json, true);
      return move.label();
    });
  }

  /** Runs {@code work} holding this JVM's lock and the OS file lock of the prompt's folder. */
  private <T> T locked(Path dir, Supplier<T> work) {
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    jvmLock.lock();
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock(); // released when the channel closes, after the work
        try {
          return work.get();
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UnavailableException("cannot lock " + dir + " for writing: " + e, null, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private static void writeAtomically(Path target, JsonNode json, boolean replace) {
    Path temp = target.resolveSibling(".tmp-" + UUID.randomUUID() + ".json");
    try {
      byte[] bytes = PromptJson.JSON.writeValueAsBytes(json);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        channel.force(true);
      }
      try {
        if (replace) {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
          if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
          }
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (AtomicMoveNotSupportedException e) {
        throw new UnavailableException("the file system of " + target + " cannot rename atomically", null, e);
      }
      try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
        directory.force(true); // make the rename itself durable: a version number is never handed out twice
      } catch (IOException notSupported) {
        // some file systems cannot sync a directory; the rename is still atomic
      }
    } catch (FileAlreadyExistsException e) {
      throw new ConflictException(target + " already exists: another writer that does not take the lock wrote it", e);
    } catch (IOException e) {
      throw new UnavailableException("cannot write " + target + ": " + e, null, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (NoSuchFileException ignored) {
        // renamed into place
      } catch (IOException e) {
        // a leftover temporary file is ignored by readers and does no harm
      }
    }
  }

  @Override
  public String toString() {
    return "DirectoryPromptStore[" + root + "]";
  }

  /** The directory. */
  public Path root() {
    return root;
  }
}
