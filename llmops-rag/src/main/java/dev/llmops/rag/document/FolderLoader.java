package dev.llmops.rag.document;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every file under a folder with a {@link DocumentLoader}. A file that cannot be read fails alone, as a
 * {@link DocumentFailure}; the others load.
 *
 * <pre>{@code
 * FolderLoader folder = FolderLoader.builder()
 *     .access(path -> path.startsWith("hr") ? AccessControl.tenant("acme").withGroups("hr") : AccessControl.PUBLIC)
 *     .build();
 * LoadResult result = folder.load(Path.of("docs"));
 * }</pre>
 *
 * <p>The walk is recursive and deterministic: documents come in the order of their ids, which are the paths
 * relative to the folder with {@code /} separators ({@code guides/setup.md}). Entries whose names start with a
 * dot are left out, and their folders not entered, unless {@link Builder#includeHidden} is set; they are not
 * counted. Files the loader does not {@link DocumentLoader#supports support} are skipped and counted, or
 * reported as failures with {@link Builder#reportUnsupported}. Symbolic links and special files are not followed
 * and are counted as skipped. A folder below the root that cannot be listed is a failure with the folder's
 * relative path as id.
 *
 * <p>Instances are immutable and safe to share across threads; each call walks on the calling thread.
 */
public final class FolderLoader {

  private static final Logger LOG = LoggerFactory.getLogger(FolderLoader.class);

  private final DocumentLoader loader;
  private final Function<? super Path, AccessControl> access;
  private final Function<? super Path, ? extends Map<String, String>> metadata;
  private final boolean includeHidden;
  private final boolean reportUnsupported;

  private FolderLoader(Builder builder) {
    this.loader = builder.loader;
    this.access = builder.access;
    this.metadata = builder.metadata;
    this.includeHidden = builder.includeHidden;
    this.reportUnsupported = builder.reportUnsupported;
  }

  /** A folder loader with {@link DocumentLoader#byExtension()}, public documents and hidden files left out. */
  public static FolderLoader ofDefaults() {
    return builder().build();
  }

  /** A builder starting from the defaults of {@link #ofDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads every file under {@code folder} into memory. For a large folder, {@link #forEach} hands each document
   * over as it is read instead.
   *
   * @param folder the folder to walk
   * @return the documents in id order, the failures in the same order, and how many files were skipped
   * @throws InvalidRequestException when {@code folder} is not a readable directory
   */
  public LoadResult load(Path folder) {
    List<Document> documents = new ArrayList<>();
    List<DocumentFailure> failures = new ArrayList<>();
    int skipped = forEach(folder, documents::add, failures::add);
    return new LoadResult(documents, failures, skipped);
  }

  /**
   * Walks {@code folder}, handing each document and each failure to the callbacks as soon as it is known, so
   * that only one document is held at a time. An exception thrown by a callback stops the walk and propagates.
   *
   * @param folder the folder to walk
   * @param onDocument receives each document, in id order
   * @param onFailure receives each file or folder that failed, in the same order
   * @return how many files were skipped
   * @throws InvalidRequestException when {@code folder} is not a readable directory
   */
  public int forEach(Path folder, Consumer<? super Document> onDocument, Consumer<? super DocumentFailure> onFailure) {
    Objects.requireNonNull(onDocument, "onDocument");
    Objects.requireNonNull(onFailure, "onFailure");
    if (!Files.isDirectory(folder)) {
      throw new InvalidRequestException(
          "folder " + folder + (Files.exists(folder) ? " is not a directory" : " does not exist"));
    }
    Deque<Entry> pending = new ArrayDeque<>();
    try {
      push(pending, list(folder));
    } catch (IOException e) {
      throw new InvalidRequestException("cannot list folder " + folder + ": " + FileLoader.describe(e), e);
    }
    int skipped = 0;
    int loaded = 0;
    int failed = 0;
    while (!pending.isEmpty()) {
      Entry entry = pending.pop();
      Path relative = folder.relativize(entry.path);
      String id = id(relative);
      if (entry.kind == Kind.DIRECTORY) {
        try {
          push(pending, list(entry.path));
        } catch (IOException e) {
          failed++;
          onFailure.accept(new DocumentFailure(id, entry.path.toString(),
              "cannot list folder " + entry.path + ": " + FileLoader.describe(e)));
        }
        continue;
      }
      if (entry.kind == Kind.OTHER) {
        LOG.debug("skipping {}: a symbolic link or special file", entry.path);
        skipped++;
        continue;
      }
      if (!loader.supports(entry.path)) {
        if (reportUnsupported) {
          failed++;
          onFailure.accept(new DocumentFailure(id, entry.path.toString(), "file " + entry.path + " is not supported by "
              + loader));
        } else {
          LOG.debug("skipping {}: not supported by {}", entry.path, loader);
          skipped++;
        }
        continue;
      }
      Document document;
      try {
        document = load(entry.path, relative, id);
      } catch (RuntimeException e) {
        LOG.debug("cannot load {}", entry.path, e);
        failed++;
        onFailure.accept(new DocumentFailure(id, entry.path.toString(), reason(e)));
        continue;
      }
      loaded++;
      onDocument.accept(document);
    }
    LOG.debug("walked {}: {} documents, {} failures, {} skipped", folder, loaded, failed, skipped);
    return skipped;
  }

  private Document load(Path file, Path relative, String id) {
    AccessControl scope = Objects.requireNonNull(access.apply(relative),
        () -> "the access function returned null for " + relative);
    Map<String, String> extra = Objects.requireNonNull(metadata.apply(relative),
        () -> "the metadata function returned null for " + relative);
    Document document = loader.load(file, id);
    if (scope.equals(document.access()) && extra.isEmpty()) {
      return document;
    }
    return document.toBuilder().access(scope).metadata(extra).build();
  }

  /** Our own exceptions carry a message written for the user; anything else also says what it was. */
  private static String reason(RuntimeException e) {
    return e instanceof LlmOpsException ? FileLoader.describe(e)
        : e.getClass().getSimpleName() + ": " + FileLoader.describe(e);
  }

  private static String id(Path relative) {
    StringBuilder id = new StringBuilder();
    for (Path name : relative) {
      if (id.length() > 0) {
        id.append('/');
      }
      id.append(name);
    }
    return id.toString();
  }

  /**
   * The entries of {@code directory} in the order that makes the whole walk follow the ids: a folder sorts as
   * its name plus {@code /}, so {@code a.txt} comes before everything under {@code a/}, as {@code "a.txt" <
   * "a/b.txt"}.
   */
  private List<Entry> list(Path directory) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path path : stream) {
        String name = FileLoader.fileName(path);
        if (!includeHidden && name.startsWith(".")) {
          continue;
        }
        Kind kind;
        try {
          BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
              LinkOption.NOFOLLOW_LINKS);
          kind = attributes.isDirectory() ? Kind.DIRECTORY : attributes.isRegularFile() ? Kind.FILE : Kind.OTHER;
        } catch (IOException e) {
          // Gone or unreadable since it was listed: loading it reports why, for this file alone.
          kind = Kind.FILE;
        }
        entries.add(new Entry(path, kind, kind == Kind.DIRECTORY ? name + "/" : name));
      }
    }
    entries.sort(Comparator.comparing(Entry::sortKey));
    return entries;
  }

  private static void push(Deque<Entry> pending, List<Entry> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      pending.push(entries.get(i));
    }
  }

  private enum Kind { DIRECTORY, FILE, OTHER }

  private record Entry(Path path, Kind kind, String sortKey) {}

  /** Builds a {@link FolderLoader}. Not thread-safe. */
  public static final class Builder {
    private DocumentLoader loader = DocumentLoader.byExtension();
    private Function<? super Path, AccessControl> access = path -> AccessControl.PUBLIC;
    private Function<? super Path, ? extends Map<String, String>> metadata = path -> Map.of();
    private boolean includeHidden;
    private boolean reportUnsupported;

    private Builder() {}

    /** The loader for each file; {@link DocumentLoader#byExtension()} by default. */
    public Builder loader(DocumentLoader loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Who may read each document, from its path relative to the folder (as a {@link Path}, so {@code
     * path.startsWith("hr")} tests the first folder name); {@link AccessControl#PUBLIC} by default. It must not
     * return null; when it throws, that file fails.
     */
    public Builder access(Function<? super Path, AccessControl> access) {
      this.access = Objects.requireNonNull(access, "access");
      return this;
    }

    /**
     * Extra metadata for each document, from its path relative to the folder; added to the loader's fields and
     * replacing those of the same name. None by default. It must not return null; when it throws, that file fails.
     */
    public Builder metadata(Function<? super Path, ? extends Map<String, String>> metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /** Whether files and folders whose names start with a dot are loaded too; false by default. */
    public Builder includeHidden(boolean includeHidden) {
      this.includeHidden = includeHidden;
      return this;
    }

    /**
     * Whether a file the loader does not support is reported as a failure instead of being skipped and counted;
     * false by default.
     */
    public Builder reportUnsupported(boolean reportUnsupported) {
      this.reportUnsupported = reportUnsupported;
      return this;
    }

    /** Builds the folder loader. */
    public FolderLoader build() {
      return new FolderLoader(this);
    }
  }
}
