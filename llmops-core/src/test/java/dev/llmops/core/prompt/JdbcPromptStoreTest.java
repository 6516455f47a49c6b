package dev.llmops.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmops.core.ConflictException;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract suite, and what only a database store promises, against a real PostgreSQL ({@link TestPostgres}).
 * Each test gets an empty database of its own; the store under test sits behind a HikariCP pool, as in production,
 * and {@link #direct} (a new connection per call) plays the test's own SQL session or another process.
 */
class JdbcPromptStoreTest extends PromptStoreContractTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  private String database;
  private DataSource direct;
  private @Nullable HikariDataSource pool;

  @Override
  protected PromptStore newStore(Clock clock) {
    TestPostgres server = TestPostgres.shared();
    database = server.createDatabase();
    direct = server.dataSource(database);
    pool = pool(server.url(database), false, 30_000);
    return PromptStore.jdbc(pool, clock);
  }

  private static HikariDataSource pool(String url, boolean repeatableReadWithoutAutocommit, long timeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(timeoutMillis);
    if (repeatableReadWithoutAutocommit) {
      config.setAutoCommit(false);
      config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
    }
    return new HikariDataSource(config);
  }

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = direct.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private List<Integer> ints(String query) throws SQLException {
    try (Connection c = direct.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      List<Integer> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getInt(1));
      }
      return values;
    }
  }

  private static LabelChange move(String label, int version, long expectedRevision, String author) {
    return new LabelChange("p", label, List.of(Allocation.all(version)), expectedRevision, author, "test");
  }

  // ------------------------------------------------------------------ concurrency across connections and processes

  /**
   * Two threads, each with its own store instance (own connections, as two processes would have), move the same label
   * from the same revision at the same moment, 100 times over for an existing label and for a new one: every time
   * exactly one wins and the other gets a conflict, and the history replays to the label.
   */
  @Test
  void twoMovesFromTheSameRevisionAtTheSameMomentExactlyOneWins() throws Exception {
    store.create(draft("p", "one"));
    store.create(draft("p", "two"));
    PromptStore other = PromptStore.jdbc(direct, CLOCK);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      int rounds = 100;
      for (int round = 0; round < rounds; round++) {
        long production = store.label("p", "production").map(Label::revision).orElse(0L);
        race(threads, other, "production", production);
        race(threads, other, "new-" + round, 0);
      }
      List<LabelMove> history = store.history("p", "production");
      assertThat(history).hasSize(rounds);
      List<Allocation> state = List.of();
      for (int i = 0; i < history.size(); i++) {
        assertThat(history.get(i).revision()).isEqualTo(i + 1);
        assertThat(history.get(i).from()).isEqualTo(state);
        state = history.get(i).to();
      }
      assertThat(store.label("p", "production").orElseThrow().allocations()).isEqualTo(state);
      assertThat(store.labels("p")).hasSize(rounds + 1);
    } finally {
      threads.shutdownNow();
    }
  }

  private void race(ExecutorService threads, PromptStore other, String label, long expected) throws Exception {
    CountDownLatch ready = new CountDownLatch(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    for (int t = 1; t <= 2; t++) {
      PromptStore mover = t == 1 ? store : other;
      LabelChange change = move(label, t, expected, "thread-" + t);
      results.add(threads.submit(() -> {
        ready.countDown();
        go.await();
        try {
          return mover.moveLabel(change);
        } catch (ConflictException e) {
          return e;
        }
      }));
    }
    ready.await();
    go.countDown();
    List<Label> winners = new ArrayList<>();
    List<ConflictException> losers = new ArrayList<>();
    for (Future<Object> f : results) {
      Object outcome = f.get(30, TimeUnit.SECONDS);
      if (outcome instanceof Label l) {
        winners.add(l);
      } else {
        losers.add((ConflictException) outcome);
      }
    }
    assertThat(winners).as("winners of the race for %s from revision %d", label, expected).hasSize(1);
    assertThat(losers).hasSize(1);
    assertThat(winners.get(0).revision()).isEqualTo(expected + 1);
    assertThat(store.label("p", label)).contains(winners.get(0));
    assertThat(losers.get(0)).hasMessageContaining("revision " + (expected + 1));
  }

  /**
   * The database settles moves that both passed the revision check: a third session holds the label row (and, for a
   * new label, an uncommitted row with its key) until four movers are all waiting on it, then lets go. Of each pair one
   * writes and one finds the revision gone and reports a conflict naming the winner's revision.
   */
  @Test
  void movesThatBothPassedTheRevisionCheckAreSettledByTheDatabase() throws Exception {
    store.create(draft("p", "one"));
    store.create(draft("p", "two"));
    store.moveLabel(move("production", 1, 0, "ana"));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Future<Object>> production = new ArrayList<>();
    List<Future<Object>> staging = new ArrayList<>();
    try (Connection blocker = direct.getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("SELECT revision FROM llmops_prompt_labels WHERE name = 'p' AND label = 'production' FOR UPDATE");
        s.execute("INSERT INTO llmops_prompt_labels (name, label, revision, allocations, updated_by, updated_at)"
            + " VALUES ('p', 'staging', 1, '[]', 'blocker', now())");
      }
      for (int t = 1; t <= 2; t++) {
        LabelChange toProduction = move("production", t, 1, "thread-" + t);
        LabelChange toStaging = move("staging", t, 0, "thread-" + t);
        production.add(threads.submit(attempt(toProduction)));
        staging.add(threads.submit(attempt(toStaging)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (waitingOnLocks() < 4) {
        assertThat(System.nanoTime()).as("four movers waiting on the blocker's locks").isLessThan(deadline);
        Thread.sleep(10);
      }
      blocker.rollback();
    } finally {
      threads.shutdown();
    }
    assertOneWinner(production, 2);
    assertOneWinner(staging, 1);
    assertThat(store.history("p", "production")).hasSize(2);
    assertThat(store.history("p", "staging")).hasSize(1);
  }

  private Callable<Object> attempt(LabelChange change) {
    PromptStore mover = store;
    return () -> {
      try {
        return mover.moveLabel(change);
      } catch (ConflictException e) {
        return e;
      }
    };
  }

  private int waitingOnLocks() throws SQLException {
    List<Integer> n = ints("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'"
        + " AND wait_event_type = 'Lock'");
    return n.get(0);
  }

  private void assertOneWinner(List<Future<Object>> results, long revision) throws Exception {
    List<Object> outcomes = new ArrayList<>();
    for (Future<Object> f : results) {
      outcomes.add(f.get(30, TimeUnit.SECONDS));
    }
    assertThat(outcomes).filteredOn(Label.class::isInstance).hasSize(1)
        .allSatisfy(l -> assertThat(((Label) l).revision()).isEqualTo(revision));
    assertThat(outcomes).filteredOn(ConflictException.class::isInstance).hasSize(1)
        .allSatisfy(e -> assertThat((ConflictException) e).hasMessageContaining("revision " + revision));
  }

  @Test
  void anotherStoreOnTheSameDatabaseSeesVersionsAndMoves() {
    try (PromptStore other = PromptStore.jdbc(direct, CLOCK)) {
      PromptVersion v1 = store.create(draft("p", "one"));
      assertThat(other.version("p", 1)).contains(v1);
      PromptVersion v2 = other.create(draft("p", "two"));
      assertThat(v2.version()).isEqualTo(2);
      assertThat(store.latest("p")).contains(v2);
      assertThat(store.create(draft("p", "two"))).as("same content as the other's latest").isEqualTo(v2);

      Label moved = other.moveLabel(move("production", 2, 0, "bo"));
      assertThat(store.label("p", "production")).contains(moved);
      assertThat(store.history("p", "production")).isEqualTo(other.history("p", "production")).hasSize(1);
      assertThatThrownBy(() -> store.moveLabel(move("production", 1, 0, "ana"))).isInstanceOf(ConflictException.class)
          .hasMessageContaining("revision 1");
      assertThat(other.prompts()).containsExactly("p");
    }
  }

  /** A pool may hand out connections at REPEATABLE READ without autocommit; creates and moves must not care. */
  @Test
  void aPoolAtRepeatableReadWithoutAutocommitStillNumbersWithoutGaps() throws Exception {
    try (HikariDataSource strict = pool(TestPostgres.shared().url(database), true, 30_000);
        PromptStore s = PromptStore.jdbc(strict, CLOCK)) {
      s.create(draft("p", "seed"));
      s.moveLabel(move("production", 1, 0, "seed"));
      ExecutorService threads = Executors.newFixedThreadPool(4);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> conflicts = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        conflicts.add(threads.submit(() -> {
          go.await();
          int lost = 0;
          for (int i = 0; i < 25; i++) {
            s.create(draft("p", "t" + thread + " i" + i));
            Label label = s.label("p", "production").orElseThrow();
            try {
              s.moveLabel(move("production", 1 + i % 2, label.revision(), "t" + thread));
            } catch (ConflictException e) {
              lost++;
            }
          }
          return lost;
        }));
      }
      go.countDown();
      int lost = 0;
      for (Future<Integer> f : conflicts) {
        lost += f.get(2, TimeUnit.MINUTES);
      }
      threads.shutdown();
      assertThat(s.versions("p")).extracting(PromptVersion::version)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 101).boxed().toList());
      assertThat(s.label("p", "production").orElseThrow().revision()).isEqualTo(1 + 100 - lost);
      assertThat(s.history("p", "production")).hasSize(1 + 100 - lost);
    }
  }

  // ------------------------------------------------------------------ schema

  @Test
  void openingTheStoreAgainKeepsTheDataAndMigratesNothing() throws SQLException {
    PromptVersion v1 = store.create(draft("p", "one"));
    Label label = store.moveLabel(move("production", 1, 0, "ana"));

    try (PromptStore again = PromptStore.jdbc(pool, CLOCK); PromptStore third = PromptStore.jdbc(direct, CLOCK)) {
      assertThat(again.versions("p")).containsExactly(v1);
      assertThat(third.label("p", "production")).contains(label);
    }
    assertThat(ints("SELECT version FROM llmops_prompt_schema")).containsExactly(1);
  }

  /** Processes starting at once against an empty database all succeed; the migration runs once. */
  @Test
  void storesOpeningAtOnceOnAnEmptyDatabaseAllSucceed() throws Exception {
    TestPostgres server = TestPostgres.shared();
    DataSource empty = server.dataSource(server.createDatabase());
    int n = 6;
    ExecutorService threads = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PromptStore>> opened = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      opened.add(threads.submit(() -> {
        go.await();
        return PromptStore.jdbc(empty, CLOCK);
      }));
    }
    go.countDown();
    List<PromptStore> stores = new ArrayList<>();
    for (Future<PromptStore> f : opened) {
      stores.add(f.get(1, TimeUnit.MINUTES));
    }
    threads.shutdown();
    PromptVersion v = stores.get(0).create(draft("p", "one"));
    assertThat(stores.get(n - 1).latest("p")).contains(v);
    try (Connection c = empty.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), max(version) FROM llmops_prompt_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ failures

  /**
   * With the database stopped every call is a retriable {@link UnavailableException} naming the operation; behind
   * the cache, a label read before the outage is still served (and counted as stale) past its ttl, and the same store
   * works again once the database is back.
   */
  @Test
  void anUnreachableDatabaseIsRetriableAndTheCacheServesTheLastGoodLabel() throws Exception {
    try (TestPostgres server = TestPostgres.start();
        HikariDataSource pooled = pool(server.url("postgres"), false, 500)) {
      DataSource ds = server.dataSource("postgres");
      PromptStore direct = PromptStore.jdbc(ds, CLOCK);
      PromptStore behindPool = PromptStore.jdbc(pooled, CLOCK);
      AtomicLong nanos = new AtomicLong();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      PromptStore cached = PromptStore.cached(PromptStore.jdbc(ds, CLOCK), CacheSettings.ttl(TTL)
          .withTicker(nanos::get).withRefreshExecutor(Runnable::run).withMeterRegistry(meters));

      direct.create(draft("p", "one"));
      direct.create(draft("p", "two"));
      direct.moveLabel(move("production", 1, 0, "ana"));
      assertThat(cached.label("p", "production").orElseThrow().version()).isEqualTo(1);
      assertThat(behindPool.label("p", "production").orElseThrow().version()).isEqualTo(1);
      direct.moveLabel(move("production", 2, 1, "bo")); // another process moves it
      nanos.addAndGet(TTL.plusSeconds(1).toNanos());
      assertThat(cached.label("p", "production").orElseThrow().version()).as("seen after the ttl").isEqualTo(2);

      server.stop();

      for (PromptStore s : List.of(direct, behindPool)) {
        assertThatThrownBy(() -> s.label("p", "production")).isInstanceOfSatisfying(UnavailableException.class, e -> {
          assertThat(e.isRetriable()).isTrue();
          assertThat(e).hasMessageContaining("label p:production").hasCauseInstanceOf(SQLException.class);
        });
        assertThatThrownBy(() -> s.create(draft("p", "three"))).isInstanceOf(UnavailableException.class)
            .hasMessageContaining("create p");
        assertThatThrownBy(() -> s.moveLabel(move("production", 1, 2, "cy"))).isInstanceOf(UnavailableException.class)
            .hasMessageContaining("moveLabel p:production");
        assertThatThrownBy(s::prompts).isInstanceOf(UnavailableException.class).hasMessageContaining("prompts");
        assertThatThrownBy(() -> s.version("Bad Name", 1)).as("names are checked before the database")
            .isInstanceOf(InvalidRequestException.class);
      }
      assertThatThrownBy(() -> PromptStore.jdbc(ds, CLOCK)).isInstanceOf(UnavailableException.class)
          .hasMessageContaining("schema migration");

      nanos.addAndGet(TTL.plusSeconds(1).toNanos());
      assertThat(cached.label("p", "production").orElseThrow().version()).as("last good label").isEqualTo(2);
      assertThat(meters.counter("llmops.prompt.cache", "kind", "label", "result", "stale").count()).isEqualTo(1);
      assertThatThrownBy(() -> cached.label("p", "staging")).as("nothing cached to fall back on")
          .isInstanceOf(UnavailableException.class);

      server.restart();

      assertThat(direct.moveLabel(move("production", 1, 2, "cy")).revision()).isEqualTo(3);
      assertThat(retried(() -> behindPool.latest("p")).orElseThrow().version()).as("the pool reconnects").isEqualTo(2);
      nanos.addAndGet(TTL.plusSeconds(1).toNanos());
      assertThat(cached.label("p", "production").orElseThrow().version()).as("fresh again").isEqualTo(1);
    }
  }

  /** Retries a retriable failure for up to 10 s, as a caller would (a pool may take a moment to reconnect). */
  private static <T> T retried(Callable<T> call) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return call.call();
      } catch (UnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  void aCorruptedRowIsNamedAndOtherPromptsStillLoad() throws SQLException {
    store.create(draft("p", "one"));
    PromptVersion p2 = store.create(draft("p", "two"));
    PromptVersion q1 = store.create(PromptDraft.builder("q").text("other").author("ana").build());
    store.moveLabel(move("production", 1, 0, "ana"));
    Label q = store.moveLabel(new LabelChange("q", "production", List.of(Allocation.all(1)), 0, "ana", "x"));

    sql("UPDATE llmops_prompt_versions SET body = 'garbage {' WHERE name = 'p' AND version = 1");
    assertThatThrownBy(() -> store.version("p", 1)).isInstanceOfSatisfying(CorruptDataException.class, e -> {
      assertThat(e.isRetriable()).isFalse();
      assertThat(e).hasMessageContaining("llmops_prompt_versions").hasMessageContaining("name='p', version=1")
          .hasMessageContaining("not valid JSON");
    });
    assertThatThrownBy(() -> store.versions("p")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("name='p', version=1");
    assertThat(store.latest("p")).contains(p2);
    assertThat(store.versions("q")).containsExactly(q1);
    assertThat(store.prompts()).containsExactly("p", "q");

    sql("UPDATE llmops_prompt_versions SET body = '{\"name\": \"p\", \"version\": 2}' WHERE name = 'p' AND version = 2");
    assertThatThrownBy(() -> store.latest("p")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("name='p', version=2").hasMessageContaining("'template.type'");
    sql("UPDATE llmops_prompt_versions SET body = (SELECT body FROM llmops_prompt_versions WHERE name = 'q')"
        + " WHERE name = 'p' AND version = 2");
    assertThatThrownBy(() -> store.version("p", 2)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("holds q@1");

    sql("UPDATE llmops_prompt_labels SET allocations = 'nonsense' WHERE name = 'p'");
    assertThatThrownBy(() -> store.label("p", "production")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("llmops_prompt_labels").hasMessageContaining("name='p', label='production'");
    assertThatThrownBy(() -> store.moveLabel(move("production", 2, 1, "bo"))).isInstanceOf(CorruptDataException.class);
    assertThat(store.label("q", "production")).contains(q);
    assertThat(store.labels("q")).containsExactly(q);

    sql("UPDATE llmops_prompt_label_moves SET to_allocations = '[{\"version\": \"x\"}]' WHERE name = 'p'");
    assertThatThrownBy(() -> store.history("p", "production")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("llmops_prompt_label_moves").hasMessageContaining("label='production', revision=1");
    assertThat(store.history("q", "production")).hasSize(1);
  }

  @Test
  void anyOtherDatabaseFailureIsUnavailableWithItsSqlState() throws SQLException {
    store.create(draft("p", "one"));
    sql("DROP TABLE llmops_prompt_labels");
    assertThatThrownBy(() -> store.label("p", "production")).isInstanceOfSatisfying(UnavailableException.class, e ->
        assertThat(e).hasMessageContaining("label p:production").hasMessageContaining("42P01")
            .hasCauseInstanceOf(SQLException.class));
    assertThat(store.latest("p")).isPresent();
  }

  @Test
  void timesAreKeptToTheMicrosecondSoAWriteEqualsTheRead() {
    Clock fine = Clock.fixed(Instant.parse("2026-05-01T12:00:00.123456789Z"), ZoneOffset.UTC);
    try (PromptStore s = PromptStore.jdbc(pool, fine)) {
      PromptVersion v = s.create(draft("p", "one"));
      assertThat(v.createdAt()).isEqualTo(Instant.parse("2026-05-01T12:00:00.123456Z"));
      assertThat(s.version("p", 1)).contains(v);
      Label label = s.moveLabel(move("production", 1, 0, "ana"));
      assertThat(s.label("p", "production")).contains(label);
      assertThat(s.history("p", "production")).extracting(LabelMove::at).containsExactly(label.updatedAt());
    }
  }
}
