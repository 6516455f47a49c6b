package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmops.core.RetriableException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.prompt.DriverManagerDataSource;
import dev.llmops.core.prompt.TestPostgres;
import dev.llmops.core.routing.LimitStore.Acquisition;
import dev.llmops.core.routing.LimitStore.SpendChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract suite, and what only a database store promises, against a real PostgreSQL ({@link TestPostgres}).
 * Each test gets an empty database of its own; the store under test sits behind a HikariCP pool, as in production,
 * and {@link #direct} (a new connection per call) plays the test's own SQL session.
 */
class JdbcLimitStoreTest extends LimitStoreContractTest {

  private String database;
  private DataSource direct;
  private final List<HikariDataSource> pools = new ArrayList<>();

  @Override
  protected LimitStore newStore() {
    TestPostgres server = TestPostgres.shared();
    database = server.createDatabase();
    direct = server.dataSource(database);
    return LimitStore.jdbc(pool(false, false));
  }

  private HikariDataSource pool(boolean repeatableRead, boolean withoutAutocommit) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestPostgres.shared().url(database));
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(0);
    if (repeatableRead) {
      config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
    }
    if (withoutAutocommit) {
      config.setAutoCommit(false);
    }
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  // ------------------------------------------------------------------ several instances

  /**
   * Two stores on two pools (two processes, as far as the database can tell), 4 threads each, race for a bucket of
   * 1,000: exactly 1,000 takes are granted between them, each balance from 999 down to 0 once.
   */
  @Test
  void twoInstancesTogetherNeverGrantMoreThanTheBucketHolds() throws Exception {
    LimitStore one = LimitStore.jdbc(pool(false, false));
    LimitStore two = LimitStore.jdbc(pool(false, false));
    Supplier<Acquisition> viaOne = () -> one.tryAcquire("shared", 1_000, TRICKLE, 1, T0);
    Supplier<Acquisition> viaTwo = () -> two.tryAcquire("shared", 1_000, TRICKLE, 1, T0);
    assertExactlyTheCapacityIsGranted(List.of(viaOne, viaOne, viaOne, viaOne, viaTwo, viaTwo, viaTwo, viaTwo));
  }

  /** The same for spend: two instances, 4 threads each, add to one period; the changes chain and the total is exact. */
  @Test
  void twoInstancesAddSpendWithoutLosingAnAddition() throws Exception {
    List<LimitStore> stores = List.of(LimitStore.jdbc(pool(false, false)), LimitStore.jdbc(pool(false, false)));
    List<Callable<List<SpendChange>>> adders = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      LimitStore mine = stores.get(t % 2);
      double amount = (t + 1) * 0.5;
      adders.add(() -> {
        List<SpendChange> changes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          changes.add(mine.addSpend("budget", T0, amount));
        }
        return changes;
      });
    }
    assertSpendChains(race(adders), 200 * 0.5 * 36);
    assertThat(store.spent("budget", T0)).isEqualTo(200 * 0.5 * 36);
  }

  /**
   * Eight fresh stores, each with its own connections, make their first call on an empty database at once: none
   * fails on the tables another is creating, and they share one bucket.
   */
  @Test
  void manyInstancesCreateTheTablesAtOnce() throws Exception {
    List<Callable<Acquisition>> firstCalls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      LimitStore fresh = LimitStore.jdbc(new DriverManagerDataSource(TestPostgres.shared().url(database), null, null));
      firstCalls.add(() -> fresh.tryAcquire("first", 8, TRICKLE, 1, T0));
    }
    List<Acquisition> results = race(firstCalls);
    assertThat(results).allMatch(Acquisition::granted);
    assertThat(results).extracting(Acquisition::balance).containsExactlyInAnyOrder(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0,
        7.0);
    assertThat(columns("llmops_rate_buckets")).containsExactly("bucket_key text", "balance double precision",
        "updated_at timestamp with time zone");
    assertThat(columns("llmops_budget_spend")).containsExactly("budget_key text",
        "period_start timestamp with time zone", "spent double precision");
  }

  private List<String> columns(String table) throws SQLException {
    try (Connection c = direct.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
            + " WHERE table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> columns = new ArrayList<>();
        while (rs.next()) {
          columns.add(rs.getString(1) + " " + rs.getString(2));
        }
        return columns;
      }
    }
  }

  // ------------------------------------------------------------------ isolation levels

  /**
   * A pool whose connections default to REPEATABLE READ: a take that waits on a row another session updates fails
   * with a serialization failure at that level; the store runs it again at READ COMMITTED, so it succeeds and sees
   * the other session's balance.
   */
  @Test
  void aTakeBlockedByAnotherSessionsUpdateSucceedsUnderRepeatableRead() throws Exception {
    takeWhileAnotherSessionHoldsTheRow(LimitStore.jdbc(pool(true, false)));
  }

  /** The same through a pool without autocommit, where every call is a transaction of the store's own. */
  @Test
  void aTakeBlockedByAnotherSessionsUpdateSucceedsWithoutAutocommit() throws Exception {
    takeWhileAnotherSessionHoldsTheRow(LimitStore.jdbc(pool(true, true)));
  }

  /** Spend additions too. */
  @Test
  void aSpendAdditionBlockedByAnotherSessionsUpdateSucceedsUnderRepeatableRead() throws Exception {
    LimitStore rr = LimitStore.jdbc(pool(true, false));
    rr.addSpend("b", T0, 1);
    SpendChange change = whileRowLocked("UPDATE llmops_budget_spend SET spent = 10 WHERE budget_key = 'b'",
        () -> rr.addSpend("b", T0, 1));
    assertThat(change).isEqualTo(new SpendChange(10, 11));
    assertThat(store.spent("b", T0)).isEqualTo(11);
  }

  private void takeWhileAnotherSessionHoldsTheRow(LimitStore rr) throws Exception {
    assertThat(rr.tryAcquire("b", 10, TRICKLE, 1, T0).balance()).isEqualTo(9);
    Acquisition taken = whileRowLocked("UPDATE llmops_rate_buckets SET balance = 5 WHERE bucket_key = 'b'",
        () -> rr.tryAcquire("b", 10, TRICKLE, 1, T0));
    assertThat(taken).isEqualTo(new Acquisition(true, 4, Duration.ZERO));
    assertThat(store.tryAcquire("b", 10, TRICKLE, 4, T0)).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
  }

  /**
   * Runs {@code update} in a transaction of the test's own, starts {@code call} on another thread, waits until the
   * call's statement waits for the row lock, then commits the update and returns what the call returned.
   */
  private <T> T whileRowLocked(String update, Callable<T> call) throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (Connection holder = direct.getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement ps = holder.prepareStatement(update)) {
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      int waitingBefore = sessionsWaitingForALock();
      Future<T> result = thread.submit(call);
      while (sessionsWaitingForALock() == waitingBefore) {
        assertThat(result).as("the call should wait for the row lock").isNotDone();
      }
      holder.commit();
      return result.get(1, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
    } finally {
      thread.shutdownNow();
    }
  }

  private int sessionsWaitingForALock() throws SQLException {
    try (Connection c = direct.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  // ------------------------------------------------------------------ failures

  /**
   * The factory does not connect; a call that cannot is a retriable {@link UnavailableException} naming the
   * operation and the SQL state, and so is the next one (the table creation is tried again, not remembered as done).
   */
  @Test
  void aDatabaseThatCannotBeReachedIsARetriableUnavailableException() {
    LimitStore unreachable = LimitStore.jdbc(
        new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=5", null, null));
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> unreachable.tryAcquire("k", 1, 1, 1, T0))
          .isInstanceOf(UnavailableException.class)
          .isInstanceOf(RetriableException.class)
          .hasMessageContainingAll("limit store", "tryAcquire 'k'", "SQL state 08");
    }
    assertThatThrownBy(() -> unreachable.spent("k", T0))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("spent 'k'");
  }

  /** Another SQL failure (here the tables were dropped behind the store's back) carries its SQL state. */
  @Test
  void anotherDatabaseFailureCarriesItsSqlState() throws SQLException {
    store.tryAcquire("k", 1, 1, 1, T0);
    try (Connection c = direct.getConnection(); PreparedStatement ps = c.prepareStatement(
        "DROP TABLE llmops_rate_buckets")) {
      ps.execute();
    }
    assertThatThrownBy(() -> store.settle("k", 1, 1, 1, T0))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContainingAll("settle 'k'", "failed in the database", "SQL state 42P01");
  }
}
