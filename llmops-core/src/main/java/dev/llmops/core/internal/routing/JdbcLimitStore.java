package dev.llmops.core.internal.routing;

import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.JdbcSupport;
import dev.llmops.core.routing.LimitStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LimitStore} in PostgreSQL, through plain JDBC. The caller supplies the {@link DataSource} (and with it the
 * driver and, usually, a connection pool); the store takes one connection per call and closes it before returning.
 *
 * <p>Tables, created on first use (not by the constructor, so building a router does not need the database) in
 * the schema the connections' {@code search_path} names:
 *
 * <pre>
 * llmops_rate_buckets   bucket_key text PRIMARY KEY, balance double precision, updated_at timestamptz
 * llmops_budget_spend   budget_key text, period_start timestamptz, spent double precision,
 *                       PRIMARY KEY (budget_key, period_start)
 * </pre>
 *
 * They are created with {@code CREATE TABLE IF NOT EXISTS} in one transaction under a database-wide advisory lock,
 * so several processes starting at once all succeed; tables that already exist are used as they are (a role without
 * CREATE rights can use tables an administrator made). A failed creation fails the call and is tried again by the
 * next one.
 *
 * <p>Atomicity: a take is one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING} statement that
 * computes the refill in SQL from the caller's {@code now} (negative elapsed time clamped to zero, the row keeping the
 * later update time) and takes the units only if the refilled balance covers them; a settle is one such upsert
 * without the condition; a spend addition is one upsert adding to the row and returning the sum. The row lock the
 * upsert takes serialises concurrent callers in every process, so two instances never both take the last unit and
 * no addition is lost. PostgreSQL's {@code RETURNING} sees only the new row, so a spend addition reports
 * {@code before = after - amount} (exact unless the sum had to be rounded), and a refused take, which leaves the row
 * unchanged and returns nothing, reads the refilled balance with a second statement right after it: under contention
 * that read may already see other callers' changes, so a refusal's balance and wait describe the bucket a moment
 * after the refusal.
 *
 * <p>Isolation: the statements rely on READ COMMITTED, under which PostgreSQL applies an upsert to the latest
 * committed row. On a connection in autocommit mode (the usual pool setting) each statement runs on its own; if the
 * pool's default isolation is higher and a concurrent update makes the statement fail with a serialization failure
 * (SQL state 40001), it runs once more in an explicit READ COMMITTED transaction, which cannot fail that way. On a
 * connection without autocommit every call is a READ COMMITTED transaction of its own, committed before returning.
 *
 * <p>Thread-safe: the store holds no mutable state besides whether the tables are known to exist. Errors: a
 * connection problem (the data source cannot connect, SQL state class 08, the server shutting down) is a retriable
 * {@link UnavailableException} naming the operation; any other SQL failure is an {@link UnavailableException} with the
 * SQL state. A bare {@link SQLException} never escapes. Times are stored to the microsecond: {@code now} and
 * {@code periodStart} are truncated to it.
 */
public final class JdbcLimitStore implements LimitStore {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcLimitStore.class);

  static final String BUCKETS_TABLE = "llmops_rate_buckets";
  static final String SPEND_TABLE = "llmops_budget_spend";

  /** The advisory lock (one bigint key) held while creating the tables; "llmopsLS" in ASCII. */
  private static final long SCHEMA_LOCK = 0x6c6c6d6f70734c53L;

  private static final String SERIALIZATION_FAILURE = "40001";

  /**
   * The balance of the bucket row {@code b} refilled to the time parameter, capped at the capacity parameter.
   * Parameters, in order: capacity, now, refill rate.
   */
  private static final String REFILL = "least(CAST(? AS double precision), b.balance"
      + " + CAST(greatest(0, extract(epoch FROM CAST(? AS timestamptz) - b.updated_at)) AS double precision)"
      + " * CAST(? AS double precision))";

  /** Parameters: key, balance if new, now; then capacity, now, rate, amount (the new balance); then now; then
   *  capacity, now, rate, amount (the condition). */
  private static final String TAKE = "INSERT INTO " + BUCKETS_TABLE + " AS b (bucket_key, balance, updated_at)"
      + " VALUES (?, ?, CAST(? AS timestamptz))"
      + " ON CONFLICT (bucket_key) DO UPDATE SET"
      + " balance = " + REFILL + " - CAST(? AS double precision),"
      + " updated_at = greatest(b.updated_at, CAST(? AS timestamptz))"
      + " WHERE " + REFILL + " >= CAST(? AS double precision)"
      + " RETURNING balance";

  /** Parameters: capacity, now, rate; then key. */
  private static final String AVAILABLE = "SELECT " + REFILL + " FROM " + BUCKETS_TABLE + " b WHERE b.bucket_key = ?";

  /** Parameters: key, balance if new, now; then capacity, capacity, now, rate, delta; then now. */
  private static final String SETTLE = "INSERT INTO " + BUCKETS_TABLE + " AS b (bucket_key, balance, updated_at)"
      + " VALUES (?, ?, CAST(? AS timestamptz))"
      + " ON CONFLICT (bucket_key) DO UPDATE SET"
      + " balance = least(CAST(? AS double precision), " + REFILL + " - CAST(? AS double precision)),"
      + " updated_at = greatest(b.updated_at, CAST(? AS timestamptz))";

  /** Parameters: key, period start, amount. */
  private static final String ADD_SPEND = "INSERT INTO " + SPEND_TABLE + " AS s (budget_key, period_start, spent)"
      + " VALUES (?, CAST(? AS timestamptz), ?)"
      + " ON CONFLICT (budget_key, period_start) DO UPDATE SET spent = s.spent + EXCLUDED.spent"
      + " RETURNING spent";

  private static final String SPENT = "SELECT spent FROM " + SPEND_TABLE + " WHERE budget_key = ?"
      + " AND period_start = CAST(? AS timestamptz)";

  private final DataSource dataSource;
  private final Object schemaLock = new Object();
  private volatile boolean schemaReady;

  /**
   * A store on {@code dataSource}; connects on first use, not here.
   *
   * @param dataSource where connections come from; the store never closes it
   */
  public JdbcLimitStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  // ------------------------------------------------------------------ operations

  @Override
  public Acquisition tryAcquire(String key, double capacity, double refillPerSecond, double amount, Instant now) {
    InMemoryLimitStore.checkBucket(key, capacity, refillPerSecond, now);
    InMemoryLimitStore.checkAmount(amount, capacity);
    OffsetDateTime time = timestamp(now);
    String operation = "tryAcquire '" + key + "'";
    return write(operation, c -> {
      try (PreparedStatement ps = c.prepareStatement(TAKE)) {
        ps.setString(1, key);
        ps.setDouble(2, capacity - amount);
        ps.setObject(3, time);
        refill(ps, 4, capacity, time, refillPerSecond);
        ps.setDouble(7, amount);
        ps.setObject(8, time);
        refill(ps, 9, capacity, time, refillPerSecond);
        ps.setDouble(12, amount);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return new Acquisition(true, rs.getDouble(1), Duration.ZERO);
          }
        }
      }
      double available = available(c, key, capacity, refillPerSecond, time);
      return new Acquisition(false, available, InMemoryLimitStore.retryAfter(amount - available, refillPerSecond));
    });
  }

  /** The refilled balance of a bucket the take just refused; a bucket deleted meanwhile counts as full. */
  private static double available(Connection c, String key, double capacity, double refillPerSecond,
      OffsetDateTime time) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(AVAILABLE)) {
      refill(ps, 1, capacity, time, refillPerSecond);
      ps.setString(4, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getDouble(1) : capacity;
      }
    }
  }

  @Override
  public void settle(String key, double capacity, double refillPerSecond, double delta, Instant now) {
    InMemoryLimitStore.checkBucket(key, capacity, refillPerSecond, now);
    InMemoryLimitStore.checkDelta(delta);
    OffsetDateTime time = timestamp(now);
    write("settle '" + key + "'", c -> {
      try (PreparedStatement ps = c.prepareStatement(SETTLE)) {
        ps.setString(1, key);
        ps.setDouble(2, Math.min(capacity, capacity - delta));
        ps.setObject(3, time);
        ps.setDouble(4, capacity);
        refill(ps, 5, capacity, time, refillPerSecond);
        ps.setDouble(8, delta);
        ps.setObject(9, time);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public SpendChange addSpend(String key, Instant periodStart, double amount) {
    InMemoryLimitStore.checkSpend(key, periodStart, amount);
    OffsetDateTime start = timestamp(periodStart);
    return write("addSpend '" + key + "' " + start, c -> {
      try (PreparedStatement ps = c.prepareStatement(ADD_SPEND)) {
        ps.setString(1, key);
        ps.setObject(2, start);
        ps.setDouble(3, amount);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next(); // an upsert with RETURNING always returns its row
          double after = rs.getDouble(1);
          return new SpendChange(after - amount, after);
        }
      }
    });
  }

  @Override
  public double spent(String key, Instant periodStart) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(periodStart, "periodStart");
    OffsetDateTime start = timestamp(periodStart);
    String operation = "spent '" + key + "' " + start;
    ensureSchema(operation);
    return call(operation, c -> {
      try (PreparedStatement ps = c.prepareStatement(SPENT)) {
        ps.setString(1, key);
        ps.setObject(2, start);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getDouble(1) : 0.0;
        }
      }
    });
  }

  private static void refill(PreparedStatement ps, int first, double capacity, OffsetDateTime now,
      double refillPerSecond) throws SQLException {
    ps.setDouble(first, capacity);
    ps.setObject(first + 1, now);
    ps.setDouble(first + 2, refillPerSecond);
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  // ------------------------------------------------------------------ schema

  private void ensureSchema(String operation) {
    if (schemaReady) {
      return;
    }
    synchronized (schemaLock) {
      if (schemaReady) {
        return;
      }
      String creating = "creating its tables (first use, for " + operation + ")";
      Connection c = JdbcSupport.connect(dataSource, "limit store", creating);
      try {
        inReadCommitted(c, tx -> {
          try (PreparedStatement lock = tx.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, SCHEMA_LOCK);
            lock.execute();
          }
          // Checked before creating, so that a role without CREATE rights can use tables an administrator made.
          if (!exists(tx, BUCKETS_TABLE)) {
            execute(tx, "CREATE TABLE IF NOT EXISTS " + BUCKETS_TABLE + " ("
                + " bucket_key text PRIMARY KEY,"
                + " balance double precision NOT NULL,"
                + " updated_at timestamptz NOT NULL)");
            LOG.info("limit store: created table {}", BUCKETS_TABLE);
          }
          if (!exists(tx, SPEND_TABLE)) {
            execute(tx, "CREATE TABLE IF NOT EXISTS " + SPEND_TABLE + " ("
                + " budget_key text NOT NULL,"
                + " period_start timestamptz NOT NULL,"
                + " spent double precision NOT NULL,"
                + " PRIMARY KEY (budget_key, period_start))");
            LOG.info("limit store: created table {}", SPEND_TABLE);
          }
          return null;
        });
      } catch (SQLException e) {
        throw JdbcSupport.failure("limit store", creating, e);
      } finally {
        JdbcSupport.closeQuietly(c);
      }
      schemaReady = true;
    }
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.execute();
    }
  }

  // ------------------------------------------------------------------ connections and errors

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs a read on a connection as it comes from the pool; without autocommit, the transaction is ended. */
  private <T> T call(String operation, Work<T> work) {
    Connection c = JdbcSupport.connect(dataSource, "limit store", operation);
    try {
      if (c.getAutoCommit()) {
        return work.run(c);
      }
      return inReadCommitted(c, work);
    } catch (SQLException e) {
      throw JdbcSupport.failure("limit store", operation, e);
    } finally {
      JdbcSupport.closeQuietly(c);
    }
  }

  /**
   * Runs a write (after making sure the tables exist) so that it sees the latest committed row: on its own in
   * autocommit mode, again in a READ COMMITTED transaction if a higher default isolation made it fail with a
   * serialization failure, and always in a READ COMMITTED transaction on a connection without autocommit.
   */
  private <T> T write(String operation, Work<T> work) {
    ensureSchema(operation);
    Connection c = JdbcSupport.connect(dataSource, "limit store", operation);
    try {
      if (c.getAutoCommit()) {
        try {
          return work.run(c);
        } catch (SQLException e) {
          if (!SERIALIZATION_FAILURE.equals(e.getSQLState())) {
            throw e;
          }
          LOG.debug("limit store: {} hit a serialization failure under the connection's isolation level; running it"
              + " again at READ COMMITTED", operation);
        }
      }
      return inReadCommitted(c, work);
    } catch (SQLException e) {
      throw JdbcSupport.failure("limit store", operation, e);
    } finally {
      JdbcSupport.closeQuietly(c);
    }
  }

  /** Runs {@code work} in a READ COMMITTED transaction, committed if it returns, rolled back if it throws. */
  private static <T> T inReadCommitted(Connection c, Work<T> work) throws SQLException {
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
  }

  /** Does nothing: the data source belongs to the caller, who closes it (and its pool). */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "JdbcLimitStore[" + dataSource.getClass().getName() + "]"; // not the URL, which may hold a password
  }
}
