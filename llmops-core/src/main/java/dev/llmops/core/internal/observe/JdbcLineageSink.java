package dev.llmops.core.internal.observe;

import dev.llmops.core.internal.JdbcSupport;
import dev.llmops.core.observe.LineageRecord;
import dev.llmops.core.observe.LineageSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL sink; see {@link LineageSink#jdbc(DataSource)}. */
public final class JdbcLineageSink implements LineageSink {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcLineageSink.class);

  /** The table. */
  public static final String TABLE = "llmops_lineage";

  /** The advisory lock held while creating the table; "llmopsLN" in ASCII. */
  private static final long SCHEMA_LOCK = 0x6c6c6d6f70734c4eL;

  private static final String INSERT = "INSERT INTO " + TABLE + " (request_id, time, route, release, record)"
      + " VALUES (?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (request_id) DO NOTHING";

  private final DataSource dataSource;
  private final Object schemaLock = new Object();
  private volatile boolean schemaReady;

  /** See {@link LineageSink#jdbc(DataSource)}. */
  public JdbcLineageSink(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public void write(List<LineageRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    ensureSchema();
    String operation = "inserting " + batch.size() + " lineage records (first " + batch.get(0).requestId() + ")";
    JdbcSupport.inTransaction(dataSource, "lineage sink", operation, c -> {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (LineageRecord r : batch) {
          ps.setString(1, r.requestId());
          ps.setObject(2, OffsetDateTime.ofInstant(r.time().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
          ps.setString(3, r.route());
          ps.setString(4, r.release());
          ps.setString(5, r.toJson());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /**
   * The record stored under {@code requestId}, for readers of this table.
   *
   * @throws dev.llmops.core.UnavailableException when the database fails
   * @throws dev.llmops.core.CorruptDataException when the stored JSON is not a valid record
   */
  public static Optional<LineageRecord> find(DataSource dataSource, String requestId) {
    String operation = "reading lineage record " + requestId;
    Connection c = JdbcSupport.connect(dataSource, "lineage reader", operation);
    try (PreparedStatement ps = c.prepareStatement("SELECT record::text FROM " + TABLE + " WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(LineageRecord.fromJson(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw JdbcSupport.failure("lineage reader", operation, e);
    } finally {
      JdbcSupport.closeQuietly(c);
    }
  }

  private void ensureSchema() {
    if (schemaReady) {
      return;
    }
    synchronized (schemaLock) {
      if (schemaReady) {
        return;
      }
      String creating = "creating table " + TABLE;
      JdbcSupport.inTransaction(dataSource, "lineage sink", creating, c -> {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
          boolean exists;
          try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            rs.next();
            exists = rs.getBoolean(1);
          }
          // Checked before creating, so that a role without CREATE rights can use a table an administrator made.
          if (!exists) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                + " request_id text NOT NULL,"
                + " time timestamptz NOT NULL,"
                + " route text,"
                + " release text,"
                + " record jsonb NOT NULL)");
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + TABLE + "_request_id ON " + TABLE + " (request_id)");
            st.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_time ON " + TABLE + " (time)");
            st.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_route ON " + TABLE + " (route, time)");
            st.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_release ON " + TABLE + " (release, time)");
            LOG.info("lineage sink: created table {}", TABLE);
          }
        }
        return null;
      });
      schemaReady = true;
    }
  }

  @Override
  public String toString() {
    return "LineageSink.jdbc(" + TABLE + ")";
  }
}
