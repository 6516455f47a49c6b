package dev.llmops.core.internal.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.llmops.core.ConflictException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.JdbcSupport;
import dev.llmops.core.prompt.Allocation;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelChange;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptNames;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PromptStore} in PostgreSQL, through plain JDBC. The caller supplies the {@link DataSource} (and with it
 * the driver and, usually, a connection pool); the store takes one connection per call and gives it back at once.
 *
 * <p>Tables, created and migrated by the constructor in the schema the connections' {@code search_path} names:
 *
 * <pre>
 * llmops_prompt_schema       version, description, applied_at        one row per migration step applied
 * llmops_prompt_versions     name, version, created_at, body         PK (name, version); body: PromptJson.version
 * llmops_prompt_labels       name, label, revision, allocations,     PK (name, label); allocations: JSON array
 *                            updated_by, updated_at
 * llmops_prompt_label_moves  name, label, revision, from_allocations, PK (name, label, revision): the history
 *                            to_allocations, author, moved_at, reason
 * </pre>
 *
 * <p>Migration runs in one transaction under a database-wide advisory lock, so several processes starting at once
 * against an empty database all succeed and the steps run once. Creates of one prompt are serialised by a
 * transaction-scoped advisory lock on the prompt's name (other prompts are not blocked), so numbering has no gaps or
 * duplicates across processes. Label moves are optimistic: the row is updated only if its revision is still the one
 * the move was checked against, and the history row is written in the same transaction, so of two moves from the same
 * revision exactly one wins and the other is a {@link ConflictException}. Write transactions run at READ COMMITTED,
 * whatever the pool's default.
 *
 * <p>Thread-safe: the store holds no mutable state; concurrency is the database's. Errors: a connection problem
 * (the data source cannot connect, SQL state class 08, the server shutting down) is a retriable
 * {@link UnavailableException} naming the operation; any other SQL failure is an {@link UnavailableException} with the
 * SQL state; a stored row that does not parse is a {@link CorruptDataException} naming the table and key, and other
 * prompts keep working. A bare {@link SQLException} never escapes. Times are stored to the microsecond (PostgreSQL's
 * precision), so what a write returns equals what a later read returns.
 */
public final class JdbcPromptStore implements PromptStore {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcPromptStore.class);

  static final String SCHEMA_TABLE = "llmops_prompt_schema";
  static final String VERSIONS_TABLE = "llmops_prompt_versions";
  static final String LABELS_TABLE = "llmops_prompt_labels";
  static final String MOVES_TABLE = "llmops_prompt_label_moves";

  /** The advisory lock (one bigint key) held while migrating; "llmopsPS" in ASCII. */
  private static final long MIGRATION_LOCK = 0x6c6c6d6f70735053L;
  /** The first key of the two-int advisory locks that serialise creates; the second is the name's hash. */
  private static final int CREATE_LOCK_SPACE = 0x6c6c6d70;

  /** Compact JSON for the database (the directory store pretty-prints for people; here it only costs space). */
  private static final ObjectWriter WRITER = PromptJson.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

  /** A numbered schema step. Steps are only ever appended; a released step never changes. */
  private record Migration(int version, String description, List<String> statements) {}

  private static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "prompt versions, labels and label moves", List.of(
          "CREATE TABLE IF NOT EXISTS " + VERSIONS_TABLE + " ("
              + " name text COLLATE \"C\" NOT NULL,"
              + " version integer NOT NULL CHECK (version >= 1),"
              + " created_at timestamptz NOT NULL,"
              + " body text NOT NULL,"
              + " PRIMARY KEY (name, version))",
          "CREATE TABLE IF NOT EXISTS " + LABELS_TABLE + " ("
              + " name text COLLATE \"C\" NOT NULL,"
              + " label text COLLATE \"C\" NOT NULL,"
              + " revision bigint NOT NULL CHECK (revision >= 1),"
              + " allocations text NOT NULL,"
              + " updated_by text NOT NULL,"
              + " updated_at timestamptz NOT NULL,"
              + " PRIMARY KEY (name, label))",
          "CREATE TABLE IF NOT EXISTS " + MOVES_TABLE + " ("
              + " name text COLLATE \"C\" NOT NULL,"
              + " label text COLLATE \"C\" NOT NULL,"
              + " revision bigint NOT NULL CHECK (revision >= 1),"
              + " from_allocations text NOT NULL,"
              + " to_allocations text NOT NULL,"
              + " author text NOT NULL,"
              + " moved_at timestamptz NOT NULL,"
              + " reason text NOT NULL,"
              + " PRIMARY KEY (name, label, revision))")));

  /** The schema version this code writes. */
  static final int SCHEMA_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

  private final DataSource dataSource;
  private final Clock clock;

  /**
   * Opens a store on {@code dataSource}, creating or migrating its tables first.
   *
   * @throws UnavailableException if the database cannot be reached or refuses the migration
   */
  public JdbcPromptStore(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
    migrate();
  }

  // ------------------------------------------------------------------ schema

  private void migrate() {
    transaction("schema migration", c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, MIGRATION_LOCK);
        lock.execute();
      }
      // Checked before creating, so that a role without CREATE rights can use tables an administrator made.
      boolean exists;
      try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        ps.setString(1, SCHEMA_TABLE);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          exists = rs.getBoolean(1);
        }
      }
      if (!exists) {
        execute(c, "CREATE TABLE " + SCHEMA_TABLE + " (version integer PRIMARY KEY, description text NOT NULL,"
            + " applied_at timestamptz NOT NULL DEFAULT now())");
      }
      int current;
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM " + SCHEMA_TABLE);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > SCHEMA_VERSION) {
        LOG.warn("prompt store schema is at version {}, newer than the {} this library knows; steps only add, so it"
            + " carries on", current, SCHEMA_VERSION);
      }
      for (Migration m : MIGRATIONS) {
        if (m.version() <= current) {
          continue;
        }
        for (String sql : m.statements()) {
          execute(c, sql);
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO " + SCHEMA_TABLE + " (version, description) VALUES (?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.executeUpdate();
        }
        LOG.info("prompt store schema migrated to version {} ({})", m.version(), m.description());
      }
      return null;
    });
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.execute();
    }
  }

  // ------------------------------------------------------------------ reading

  @Override
  public Optional<PromptVersion> version(String prompt, int version) {
    PromptNames.checkPrompt(prompt);
    if (version < 1) {
      return Optional.empty();
    }
    return call("version " + prompt + "@" + version, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT body FROM " + VERSIONS_TABLE + " WHERE name = ? AND version = ?")) {
        ps.setString(1, prompt);
        ps.setInt(2, version);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(parseVersion(prompt, version, rs.getString(1))) : Optional.empty();
        }
      }
    });
  }

  @Override
  public Optional<PromptVersion> latest(String prompt) {
    PromptNames.checkPrompt(prompt);
    return call("latest " + prompt, c -> Optional.ofNullable(latest(c, prompt)));
  }

  private static @Nullable PromptVersion latest(Connection c, String prompt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT version, body FROM " + VERSIONS_TABLE + " WHERE name = ? ORDER BY version DESC LIMIT 1")) {
      ps.setString(1, prompt);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? parseVersion(prompt, rs.getInt(1), rs.getString(2)) : null;
      }
    }
  }

  @Override
  public List<PromptVersion> versions(String prompt) {
    PromptNames.checkPrompt(prompt);
    return call("versions " + prompt, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT version, body FROM " + VERSIONS_TABLE + " WHERE name = ? ORDER BY version")) {
        ps.setString(1, prompt);
        try (ResultSet rs = ps.executeQuery()) {
          List<PromptVersion> list = new ArrayList<>();
          while (rs.next()) {
            list.add(parseVersion(prompt, rs.getInt(1), rs.getString(2)));
          }
          return List.copyOf(list);
        }
      }
    });
  }

  @Override
  public List<String> prompts() {
    return call("prompts", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT name FROM " + VERSIONS_TABLE + " GROUP BY name ORDER BY name COLLATE \"C\"");
          ResultSet rs = ps.executeQuery()) {
        List<String> names = new ArrayList<>();
        while (rs.next()) {
          names.add(rs.getString(1));
        }
        return List.copyOf(names);
      }
    });
  }

  @Override
  public Optional<Label> label(String prompt, String label) {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(label);
    return call("label " + prompt + ":" + label, c -> Optional.ofNullable(label(c, prompt, label)));
  }

  private static @Nullable Label label(Connection c, String prompt, String label) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT label, revision, allocations, updated_by, updated_at FROM "
        + LABELS_TABLE + " WHERE name = ? AND label = ?")) {
      ps.setString(1, prompt);
      ps.setString(2, label);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? readLabel(prompt, rs) : null;
      }
    }
  }

  @Override
  public List<Label> labels(String prompt) {
    PromptNames.checkPrompt(prompt);
    return call("labels " + prompt, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT label, revision, allocations, updated_by, updated_at FROM "
          + LABELS_TABLE + " WHERE name = ? ORDER BY label COLLATE \"C\"")) {
        ps.setString(1, prompt);
        try (ResultSet rs = ps.executeQuery()) {
          List<Label> list = new ArrayList<>();
          while (rs.next()) {
            list.add(readLabel(prompt, rs));
          }
          return List.copyOf(list);
        }
      }
    });
  }

  @Override
  public List<LabelMove> history(String prompt, String label) {
    PromptNames.checkPrompt(prompt);
    PromptNames.checkLabel(label);
    return call("history " + prompt + ":" + label, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT revision, from_allocations, to_allocations, author,"
          + " moved_at, reason FROM " + MOVES_TABLE + " WHERE name = ? AND label = ? ORDER BY revision")) {
        ps.setString(1, prompt);
        ps.setString(2, label);
        try (ResultSet rs = ps.executeQuery()) {
          List<LabelMove> list = new ArrayList<>();
          while (rs.next()) {
            list.add(readMove(prompt, label, rs));
          }
          return List.copyOf(list);
        }
      }
    });
  }

  // ------------------------------------------------------------------ writing

  @Override
  public PromptVersion create(PromptDraft draft) {
    String name = draft.name(); // checked by PromptDraft
    TemplateVariables.declared(draft); // a bad template fails here, before a connection is taken
    return transaction("create " + name, c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
        lock.setInt(1, CREATE_LOCK_SPACE);
        lock.setString(2, name);
        lock.execute();
      }
      PromptVersion latest = latest(c, name);
      PromptVersion next = Versions.next(latest, draft, now());
      if (next == latest) {
        return next;
      }
      String body = json(PromptJson.version(next));
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO " + VERSIONS_TABLE + " (name, version, created_at, body) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, name);
        ps.setInt(2, next.version());
        ps.setObject(3, timestamp(next.createdAt()));
        ps.setString(4, body);
        ps.executeUpdate();
      }
      return next;
    });
  }

  @Override
  public Label moveLabel(LabelChange change) {
    String prompt = change.prompt(); // names checked by LabelChange
    String name = change.label();
    return transaction("moveLabel " + prompt + ":" + name, c -> {
      Label current = label(c, prompt, name);
      int latest = maxVersion(c, prompt);
      Versions.Move move = Versions.apply(current, change, v -> v >= 1 && v <= latest, now());
      Label next = move.label();
      int rows;
      if (current == null) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + LABELS_TABLE
            + " (name, label, revision, allocations, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (name, label) DO NOTHING")) {
          ps.setString(1, prompt);
          ps.setString(2, name);
          ps.setLong(3, next.revision());
          ps.setString(4, json(PromptJson.allocations(next.allocations())));
          ps.setString(5, next.updatedBy());
          ps.setObject(6, timestamp(next.updatedAt()));
          rows = ps.executeUpdate();
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + LABELS_TABLE
            + " SET revision = ?, allocations = ?, updated_by = ?, updated_at = ?"
            + " WHERE name = ? AND label = ? AND revision = ?")) {
          ps.setLong(1, next.revision());
          ps.setString(2, json(PromptJson.allocations(next.allocations())));
          ps.setString(3, next.updatedBy());
          ps.setObject(4, timestamp(next.updatedAt()));
          ps.setString(5, prompt);
          ps.setString(6, name);
          ps.setLong(7, current.revision());
          rows = ps.executeUpdate();
        }
      }
      if (rows == 0) {
        // Another move committed between our read and our write. Read what won (READ COMMITTED: a new statement
        // sees it) so that the conflict names the label's actual revision, as every store's message does.
        Versions.apply(label(c, prompt, name), change, v -> true, next.updatedAt());
        throw new ConflictException("label '" + name + "' of prompt '" + prompt + "' was moved by someone else"
            + " while this move was being written; read it again and retry");
      }
      LabelMove m = move.move();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + MOVES_TABLE + " (name, label, revision,"
          + " from_allocations, to_allocations, author, moved_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, prompt);
        ps.setString(2, name);
        ps.setLong(3, m.revision());
        ps.setString(4, json(PromptJson.allocations(m.from())));
        ps.setString(5, json(PromptJson.allocations(m.to())));
        ps.setString(6, m.author());
        ps.setObject(7, timestamp(m.at()));
        ps.setString(8, m.reason());
        ps.executeUpdate();
      }
      return next;
    });
  }

  private static int maxVersion(Connection c, String prompt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT coalesce(max(version), 0) FROM " + VERSIONS_TABLE + " WHERE name = ?")) {
      ps.setString(1, prompt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  // ------------------------------------------------------------------ rows

  private static PromptVersion parseVersion(String prompt, int version, String body) {
    PromptVersion parsed;
    try {
      JsonNode node = PromptJson.JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("the body is not a JSON object");
      }
      parsed = PromptJson.parseVersion(node);
    } catch (JsonProcessingException e) {
      throw corruptVersion(prompt, version, "the body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw corruptVersion(prompt, version, e.getMessage(), e);
    }
    if (!parsed.name().equals(prompt) || parsed.version() != version) {
      throw corruptVersion(prompt, version, "the body holds " + parsed.ref() + ", not the row's key", null);
    }
    return parsed;
  }

  private static CorruptDataException corruptVersion(String prompt, int version, @Nullable String what,
      @Nullable Throwable cause) {
    return new CorruptDataException("table " + VERSIONS_TABLE + ", row (name='" + prompt + "', version=" + version
        + "), is not a valid prompt version: " + what, cause);
  }

  private static Label readLabel(String prompt, ResultSet rs) throws SQLException {
    String label = rs.getString(1);
    try {
      return new Label(prompt, label, parseAllocations(rs.getString(3)), rs.getLong(2), rs.getString(4),
          instant(rs.getObject(5, OffsetDateTime.class)));
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("table " + LABELS_TABLE + ", row (name='" + prompt + "', label='" + label
          + "'), is not a valid label: its allocations are not valid JSON: " + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new CorruptDataException("table " + LABELS_TABLE + ", row (name='" + prompt + "', label='" + label
          + "'), is not a valid label: " + e.getMessage(), e);
    }
  }

  private static LabelMove readMove(String prompt, String label, ResultSet rs) throws SQLException {
    long revision = rs.getLong(1);
    try {
      return new LabelMove(prompt, label, revision, parseAllocations(rs.getString(2)), parseAllocations(rs.getString(3)),
          rs.getString(4), instant(rs.getObject(5, OffsetDateTime.class)), rs.getString(6));
    } catch (JsonProcessingException e) {
      throw new CorruptDataException("table " + MOVES_TABLE + ", row (name='" + prompt + "', label='" + label
          + "', revision=" + revision + "), is not a valid label move: its allocations are not valid JSON: "
          + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new CorruptDataException("table " + MOVES_TABLE + ", row (name='" + prompt + "', label='" + label
          + "', revision=" + revision + "), is not a valid label move: " + e.getMessage(), e);
    }
  }

  private static List<Allocation> parseAllocations(String json) throws JsonProcessingException {
    JsonNode node = PromptJson.JSON.readTree(json);
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("the allocations are not a JSON array");
    }
    return PromptJson.parseAllocations(node);
  }

  private static String json(JsonNode node) {
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e); // cannot happen with a tree
    }
  }

  private static Instant instant(@Nullable OffsetDateTime time) {
    if (time == null) {
      throw new IllegalArgumentException("the time is null");
    }
    return time.toInstant();
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Now, to PostgreSQL's precision, so that what a write returns equals what is read back. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  // ------------------------------------------------------------------ connections and errors

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a connection as it comes from the pool (autocommit, usually). */
  private <T> T call(String operation, Work<T> work) {
    Connection c = JdbcSupport.connect(dataSource, "prompt store", operation);
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw JdbcSupport.failure("prompt store", operation, e);
    } finally {
      JdbcSupport.closeQuietly(c);
    }
  }

  /**
   * Runs {@code work} in a READ COMMITTED transaction (whatever the pool's default: at REPEATABLE READ a create would
   * read a stale latest version and a losing move would fail with a serialization error rather than a conflict),
   * committed if it returns, rolled back if it throws.
   */
  private <T> T transaction(String operation, Work<T> work) {
    Connection c = JdbcSupport.connect(dataSource, "prompt store", operation);
    try {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        execute(c, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        JdbcSupport.rollbackQuietly(c, e);
        throw e;
      } finally {
        if (autoCommit) {
          JdbcSupport.restoreAutoCommit(c);
        }
      }
    } catch (SQLException e) {
      throw JdbcSupport.failure("prompt store", operation, e);
    } finally {
      JdbcSupport.closeQuietly(c);
    }
  }

  /** Does nothing: the data source belongs to the caller, who closes it (and its pool). */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "JdbcPromptStore[" + dataSource.getClass().getName() + "]"; // not the URL, which may hold a password
  }
}
