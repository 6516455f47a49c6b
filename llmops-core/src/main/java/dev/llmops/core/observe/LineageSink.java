package dev.llmops.core.observe;

import dev.llmops.core.internal.observe.JdbcLineageSink;
import dev.llmops.core.internal.observe.JsonLinesSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/**
 * Where lineage records are stored. Records normally reach a sink through an {@link AsyncLineageWriter}, which calls
 * {@link #write} from one thread with batches; a sink of your own only implements {@link #write} (and
 * {@link #close()} if it holds resources).
 *
 * <p>Contract: {@link #write} stores every record of the batch, or throws; a throw means the batch may be partly
 * stored, and the writer retries the whole batch, so a sink that can deduplicate by {@link LineageRecord#requestId()}
 * should (the JDBC sink does). It should throw a retriable {@link dev.llmops.core.LlmOpsException} (such as
 * {@link dev.llmops.core.UnavailableException}) for failures that may pass.
 *
 * <pre>{@code
 * LineageSink files = LineageSink.jsonLines(Path.of("/var/log/llmops"), RotationPolicy.bySize(64 << 20));
 * LineageSink db = LineageSink.jdbc(dataSource);
 * }</pre>
 */
public interface LineageSink extends AutoCloseable {

  /**
   * Stores {@code batch}, in order.
   *
   * @param batch the records; not empty
   * @throws dev.llmops.core.LlmOpsException when the records could not be stored (the writer retries)
   */
  void write(List<LineageRecord> batch);

  /** Releases what the sink holds (files, connections). Does nothing by default. Idempotent. */
  @Override
  default void close() {}

  /** How hard the JSON Lines sink pushes each batch toward the disk. */
  enum Durability {
    /**
     * Each batch is handed to the operating system in one write: it survives the JVM being killed, not a power loss.
     */
    FLUSH,
    /** Each batch is also forced to the device ({@code fsync}) before {@link #write} returns: slower, survives power loss. */
    FSYNC
  }

  /**
   * Append-only JSON Lines files in {@code dir}, named {@code lineage-<yyyyMMdd-HHmmss>-<n>.jsonl} (UTC creation time,
   * {@code n} from 0 making the name new), with {@link Durability#FLUSH} and the system clock. See
   * {@link #jsonLines(Path, RotationPolicy, Durability, Clock)}.
   */
  static LineageSink jsonLines(Path dir, RotationPolicy rotation) {
    return jsonLines(dir, rotation, Durability.FLUSH, Clock.systemUTC());
  }

  /**
   * Append-only JSON Lines files in {@code dir} (created if missing), one record per line, rotated by
   * {@code rotation}, only between batches. Each batch becomes one write of complete lines to one file; files are created
   * new and never reopened, rewritten or renamed, so a crash can at most leave the last line of a file incomplete,
   * which {@link LineageReader#jsonLines} skips and counts. When a write fails, the bytes it added are truncated
   * away if possible (so a retry does not duplicate lines), else the file is abandoned and the next write starts a
   * new one. Thread-safe (writes are serialised).
   *
   * @param dir the directory
   * @param rotation when to start a new file
   * @param durability flush to the operating system, or fsync as well
   * @param clock names the files and ages them
   * @throws dev.llmops.core.UnavailableException (from {@code write}) when a file cannot be created or written,
   *     naming it
   */
  static LineageSink jsonLines(Path dir, RotationPolicy rotation, Durability durability, Clock clock) {
    return new JsonLinesSink(dir, rotation, durability, clock);
  }

  /**
   * Records in the PostgreSQL table {@code llmops_lineage}, created on the first write (under an advisory lock, so
   * several processes may start at once):
   * <pre>
   * llmops_lineage   request_id text NOT NULL (unique), time timestamptz NOT NULL, route text, release text,
   *                  record jsonb NOT NULL;   indexes on time, route, release
   * </pre>
   * A batch is one transaction of batched inserts; a record whose request id is already stored is skipped
   * ({@code ON CONFLICT DO NOTHING}), so a retried batch stores each record once. Thread-safe; one connection per
   * batch, closed before returning.
   *
   * @throws dev.llmops.core.UnavailableException (from {@code write}) naming the SQL state when the database fails
   */
  static LineageSink jdbc(DataSource dataSource) {
    return new JdbcLineageSink(dataSource);
  }
}
