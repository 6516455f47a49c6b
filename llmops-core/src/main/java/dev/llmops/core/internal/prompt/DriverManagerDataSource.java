package dev.llmops.core.internal.prompt;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The smallest {@link DataSource}: a new connection from {@link DriverManager} each time. Enough for a command
 * line or a test; put a pool in front for a server.
 */
public final class DriverManagerDataSource implements DataSource {

  private final String url;
  private final @Nullable String user;
  private final @Nullable String password;

  /** A data source for {@code url}, with an optional user and password. */
  public DriverManagerDataSource(@Nullable String url, @Nullable String user, @Nullable String password) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new dev.llmops.core.InvalidRequestException("a JDBC URL such as jdbc:postgresql://host/db is needed, not '" + url + "'");
    }
    this.url = url;
    this.user = user;
    this.password = password;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
  }

  @Override
  public Connection getConnection(String username, String pass) throws SQLException {
    return DriverManager.getConnection(url, username, pass);
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(@Nullable PrintWriter out) {
    // connections come from DriverManager, which has its own log writer
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
