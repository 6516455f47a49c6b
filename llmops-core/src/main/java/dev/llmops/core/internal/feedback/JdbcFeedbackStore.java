package dev.llmops.core.internal.feedback;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.JdbcSupport;
import dev.llmops.core.observe.feedback.Feedback;
import dev.llmops.core.observe.feedback.FeedbackStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FeedbackStore} in PostgreSQL through plain JDBC, one connection per call from the caller's
 * {@link DataSource}. The constructor creates the table and its indexes if missing, under a transaction-scoped
 * advisory lock so that several processes starting at once do not race:
 *
 * <pre>
 * llmops_feedback  id (PK), request_id, author, created_at, score, label, comment, correction
 *                  indexes on (request_id, created_at, id) and (created_at, id)
 * </pre>
 *
 * <p>Thread-safe: no mutable state; concurrency is the database's. An add is one
 * {@code INSERT ... ON CONFLICT DO NOTHING}; when it inserts nothing the stored row is read and compared, so a retry
 * of the same feedback succeeds and a different one with that id is a conflict. SQL failures are
 * {@link UnavailableException}s naming the operation and SQL state; a stored row that does not make a valid
 * {@link Feedback} is a {@link CorruptDataException} naming its id.
 */
public final class JdbcFeedbackStore implements FeedbackStore {

  static final String TABLE = "llmops_feedback";
  private static final String COMPONENT = "feedback store";
  /** The advisory lock held while creating the table; "llmopsFB" in ASCII. */
  private static final long SCHEMA_LOCK = 0x6c6c6d6f70734642L;
  private static final String COLUMNS = "id, request_id, author, created_at, score, label, comment, correction";

  private final DataSource dataSource;

  /**
   * Opens the store, creating its table if needed.
   *
   * @throws UnavailableException if the database cannot be reached or refuses to create the table
   */
  public JdbcFeedbackStore(DataSource dataSource) {
    this.dataSource = dataSource;
    createSchema();
  }

  private void createSchema() {
    JdbcSupport.inTransaction(dataSource, COMPONENT, "creating table " + TABLE, c -> {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + " id text COLLATE \"C\" PRIMARY KEY,"
            + " request_id text COLLATE \"C\" NOT NULL,"
            + " author text NOT NULL,"
            + " created_at timestamptz NOT NULL,"
            + " score double precision,"
            + " label text,"
            + " comment text,"
            + " correction text)");
        s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_request ON " + TABLE + " (request_id, created_at, id)");
        s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_time ON " + TABLE + " (created_at, id)");
      }
      return null;
    });
  }

  @Override
  public void add(Feedback feedback) {
    try (Connection c = JdbcSupport.connect(dataSource, COMPONENT, "add")) {
      int inserted;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, feedback.id());
        ps.setString(2, feedback.requestId());
        ps.setString(3, feedback.author());
        ps.setObject(4, OffsetDateTime.ofInstant(feedback.time(), ZoneOffset.UTC));
        if (feedback.score() == null) {
          ps.setNull(5, Types.DOUBLE);
        } else {
          ps.setDouble(5, feedback.score());
        }
        ps.setString(6, feedback.label());
        ps.setString(7, feedback.comment());
        ps.setString(8, feedback.correction());
        inserted = ps.executeUpdate();
      }
      if (inserted == 0) {
        Feedback existing = one(c, feedback.id());
        if (existing != null && !existing.equals(feedback)) {
          throw InMemoryFeedbackStore.conflict(existing, feedback);
        }
      }
    } catch (SQLException e) {
      throw JdbcSupport.failure(COMPONENT, "add of feedback " + feedback.id(), e);
    }
  }

  @Override
  public Optional<Feedback> find(String id) {
    try (Connection c = JdbcSupport.connect(dataSource, COMPONENT, "find")) {
      return Optional.ofNullable(one(c, id));
    } catch (SQLException e) {
      throw JdbcSupport.failure(COMPONENT, "find of feedback " + id, e);
    }
  }

  @Override
  public List<Feedback> forRequest(String requestId) {
    try (Connection c = JdbcSupport.connect(dataSource, COMPONENT, "forRequest");
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
            + " WHERE request_id = ? ORDER BY created_at, id")) {
      ps.setString(1, requestId);
      return all(ps);
    } catch (SQLException e) {
      throw JdbcSupport.failure(COMPONENT, "listing feedback on request " + requestId, e);
    }
  }

  @Override
  public List<Feedback> between(Instant from, Instant to) {
    InMemoryFeedbackStore.checkRange(from, to);
    try (Connection c = JdbcSupport.connect(dataSource, COMPONENT, "between");
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
            + " WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id")) {
      ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      return all(ps);
    } catch (SQLException e) {
      throw JdbcSupport.failure(COMPONENT, "listing feedback from " + from + " to " + to, e);
    }
  }

  @Override
  public boolean delete(String id) {
    try (Connection c = JdbcSupport.connect(dataSource, COMPONENT, "delete");
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw JdbcSupport.failure(COMPONENT, "delete of feedback " + id, e);
    }
  }

  private static @Nullable Feedback one(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id);
      List<Feedback> found = all(ps);
      return found.isEmpty() ? null : found.get(0);
    }
  }

  private static List<Feedback> all(PreparedStatement ps) throws SQLException {
    List<Feedback> found = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        found.add(row(rs));
      }
    }
    return List.copyOf(found);
  }

  private static Feedback row(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    double score = rs.getDouble(5);
    Double boxed = rs.wasNull() ? null : score;
    try {
      return new Feedback(id, rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
          boxed, rs.getString(6), rs.getString(7), rs.getString(8));
    } catch (InvalidRequestException e) {
      throw new CorruptDataException("table " + TABLE + ", feedback " + id + ": the stored row is not valid feedback: "
          + e.getMessage(), e);
    }
  }
}
