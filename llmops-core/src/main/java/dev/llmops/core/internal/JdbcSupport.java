package dev.llmops.core.internal;

import dev.llmops.core.UnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the JDBC stores (prompts, limits) share: connecting, turning an {@link SQLException} into an llmops exception
 * that names the component, operation and SQL state, and closing or resetting connections without hiding the first
 * failure.
 */
public final class JdbcSupport {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcSupport.class);

  private JdbcSupport() {}

  /**
   * A connection from {@code dataSource}.
   *
   * @param component the store, for the message ({@code "prompt store"})
   * @param operation what it was for
   * @throws UnavailableException (retriable) when the data source cannot connect
   */
  public static Connection connect(DataSource dataSource, String component, String operation) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw new UnavailableException(component + ": cannot connect to the database for " + operation + ": "
          + e.getMessage() + state(e), null, e);
    }
  }

  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  public interface Transaction<T> {
    /** Does the work; the caller commits. */
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a fresh connection: commits when it returns, rolls back when it throws,
   * restores autocommit and closes the connection either way.
   *
   * @throws UnavailableException (retriable) for any SQL failure, naming component, operation and SQL state
   */
  public static <T> T inTransaction(DataSource dataSource, String component, String operation, Transaction<T> work) {
    Connection c = connect(dataSource, component, operation);
    try {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        restoreAutoCommit(c);
      }
    } catch (SQLException e) {
      throw failure(component, operation, e);
    } finally {
      closeQuietly(c);
    }
  }

  /** Every SQL failure is retriable as far as the caller can tell; the message says which kind it was. */
  public static UnavailableException failure(String component, String operation, SQLException e) {
    if (isConnectionProblem(e)) {
      return new UnavailableException(component + ": lost the database connection during " + operation + ": "
          + e.getMessage() + state(e), null, e);
    }
    return new UnavailableException(component + ": " + operation + " failed in the database" + state(e) + ": "
        + e.getMessage(), null, e);
  }

  /** The SQL state in parentheses, such as {@code " (SQL state 08006)"}, or nothing when the driver gave none. */
  public static String state(SQLException e) {
    return e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")";
  }

  /** Whether the failure means the connection or the server is gone (SQL state class 08, 57P01-57P03). */
  public static boolean isConnectionProblem(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P0")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Rolls back, adding a failure to {@code cause} rather than throwing it. */
  public static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // the connection is probably gone; the pool discards it
    }
  }

  /** Turns autocommit back on before the connection returns to its pool; a failure is logged. */
  public static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("could not restore a connection's autocommit; closing it anyway", e);
    }
  }

  /** Closes, logging a failure. */
  public static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a database connection failed", e);
    }
  }
}
