package dev.llmops.core.prompt;

import dev.llmops.core.internal.prompt.CachingPromptStore;
import dev.llmops.core.internal.prompt.DirectoryPromptStore;
import dev.llmops.core.internal.prompt.InMemoryPromptStore;
import dev.llmops.core.internal.prompt.JdbcPromptStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where prompt versions, labels and label history live. Every implementation passes the same contract test
 * suite and is safe to share across threads.
 *
 * <p>Versions are immutable and numbered from 1 without gaps. A label move names the revision it expects; when
 * the label has moved since, it fails with a {@link dev.llmops.core.ConflictException} and changes nothing.
 * Invalid names or text are {@link dev.llmops.core.InvalidRequestException}s; a label pointing at a missing version
 * is a {@link dev.llmops.core.NotFoundException}; a store that cannot be reached is an
 * {@link dev.llmops.core.UnavailableException}.
 */
public interface PromptStore extends AutoCloseable {

  /**
   * Creates the next version of {@code draft.name()}; if the latest version has the same content, returns it
   * unchanged instead.
   */
  PromptVersion create(PromptDraft draft);

  /** A version, if it exists. */
  Optional<PromptVersion> version(String prompt, int version);

  /** The newest version, if the prompt exists. */
  Optional<PromptVersion> latest(String prompt);

  /** Every version of a prompt, oldest first; empty if it does not exist. */
  List<PromptVersion> versions(String prompt);

  /** The names of every prompt, sorted. */
  List<String> prompts();

  /** A label's current state, if it exists. */
  Optional<Label> label(String prompt, String label);

  /** Every label of a prompt, sorted by name. */
  List<Label> labels(String prompt);

  /**
   * Moves a label (or creates it, with expected revision 0) and records the move.
   *
   * @return the label after the move
   * @throws dev.llmops.core.ConflictException if the label's revision is not the expected one
   * @throws dev.llmops.core.NotFoundException if a target version does not exist
   */
  Label moveLabel(LabelChange change);

  /** Every move of a label, oldest first. */
  List<LabelMove> history(String prompt, String label);

  /** Releases what the store holds (connections, caches). The default does nothing. */
  @Override
  default void close() {}

  /** A store in memory, for tests and single-process use, stamping times with the UTC system clock. */
  static PromptStore inMemory() {
    return new InMemoryPromptStore(Clock.systemUTC());
  }

  /** A store in memory that stamps times with {@code clock}. */
  static PromptStore inMemory(Clock clock) {
    return new InMemoryPromptStore(clock);
  }

  /**
   * A store in a directory of human-readable JSON files (one folder per prompt, one file per version, a labels
   * file with its history), written atomically and locked against other writers in this and other processes.
   * The directory is created if missing.
   */
  static PromptStore directory(Path root) {
    return new DirectoryPromptStore(root, Clock.systemUTC());
  }

  /** A directory store that stamps times with {@code clock}. */
  static PromptStore directory(Path root, Clock clock) {
    return new DirectoryPromptStore(root, clock);
  }

  /**
   * A store in a PostgreSQL database, stamping times with the UTC system clock. See
   * {@link #jdbc(DataSource, Clock)}.
   *
   * @throws dev.llmops.core.UnavailableException if the database cannot be reached or refuses the schema migration
   */
  static PromptStore jdbc(DataSource dataSource) {
    return new JdbcPromptStore(dataSource, Clock.systemUTC());
  }

  /**
   * A store in a PostgreSQL database reached through {@code dataSource}, which brings the driver and, for
   * production, a connection pool: the store takes a connection for each call and gives it back at once. The store
   * creates or migrates its tables ({@code llmops_prompt_*}, in the schema the connections' {@code search_path}
   * names) before it returns; several processes may do so at once. Any number of processes may share the database:
   * version numbers stay gapless and a label move still fails with a {@link dev.llmops.core.ConflictException} when
   * another process moved the label first. Closing the store does not close {@code dataSource}.
   *
   * <p>A connection failure is a retriable {@link dev.llmops.core.UnavailableException} naming the operation (put
   * the store behind {@link #cached(PromptStore, CacheSettings)} to keep serving labels through an outage); any other
   * database failure is an {@code UnavailableException} with its SQL state; a row that does not parse is a
   * {@link dev.llmops.core.CorruptDataException} naming its table and key. Times are stored to the microsecond.
   *
   * @throws dev.llmops.core.UnavailableException if the database cannot be reached or refuses the schema migration
   */
  static PromptStore jdbc(DataSource dataSource, Clock clock) {
    return new JdbcPromptStore(dataSource, clock);
  }

  /**
   * A PostgreSQL store reached through {@link java.sql.DriverManager} with a new connection per operation, for
   * command-line tools and tests; servers should pass a pooled {@code DataSource} to {@link #jdbc(DataSource)}.
   *
   * @param url a JDBC URL such as {@code jdbc:postgresql://localhost/llmops}; the driver must be on the class path
   * @param user the database user, or {@code null} to take it from the URL
   * @param password the password, or {@code null}
   */
  static PromptStore jdbc(String url, @org.jspecify.annotations.Nullable String user,
      @org.jspecify.annotations.Nullable String password) {
    return jdbc(new dev.llmops.core.internal.prompt.DriverManagerDataSource(url, user, password));
  }

  /** {@code store} behind a cache (see {@link CacheSettings}). Closing the cache closes the store. */
  static PromptStore cached(PromptStore store, CacheSettings settings) {
    return new CachingPromptStore(store, settings);
  }
}
