package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.internal.observe.JdbcLineageSink;
import dev.llmops.core.prompt.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL sink against a real server, behind a pool as in production. */
class JdbcLineageSinkTest {

  private HikariDataSource pool;
  private DataSource direct;

  @BeforeEach
  void database() {
    TestPostgres server = TestPostgres.shared();
    String database = server.createDatabase();
    direct = server.dataSource(database);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.url(database));
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    pool = new HikariDataSource(config);
  }

  @AfterEach
  void closePool() {
    pool.close();
  }

  private long count(String sql) throws Exception {
    try (Connection c = direct.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void eightThreadsWriteTwentyThousandRecordsAndEachIsInTheTableExactlyOnce() throws Exception {
    AsyncLineageWriter writer = AsyncLineageWriter.builder(LineageSink.jdbc(pool)).capacity(2_000).maxBatch(500)
        .overflow(OverflowPolicy.BLOCK).meterRegistry(new SimpleMeterRegistry()).build();
    AsyncLineageWriterTest.writeConcurrently(writer, 8, 2_500);
    writer.close();

    assertThat(count("SELECT count(*) FROM llmops_lineage")).isEqualTo(20_000);
    assertThat(count("SELECT count(DISTINCT request_id) FROM llmops_lineage")).isEqualTo(20_000);
    for (int t = 0; t < 8; t++) {
      assertThat(count("SELECT count(*) FROM llmops_lineage WHERE request_id LIKE 't" + t + "-%'")).isEqualTo(2_500);
    }
    assertThat(count("SELECT count(*) FROM llmops_lineage WHERE record->>'prompt' = 'answer@3' AND route = 'bot'"))
        .isEqualTo(20_000);
    assertThat(count("SELECT count(*) FROM pg_indexes WHERE tablename = 'llmops_lineage'")).isEqualTo(4);
  }

  @Test
  void recordsReadBackEqualAndARetriedBatchIsStoredOnce() {
    LineageRecord full = LineageRecordTest.full("req-full");
    LineageRecord other = LineageRecordTest.full("req-other").toBuilder().prompt("support-answer@8").build();
    LineageSink sink = LineageSink.jdbc(pool);
    sink.write(List.of(full));
    sink.write(List.of(full, other)); // the retry of a batch whose commit outcome was unknown
    assertThat(JdbcLineageSink.find(pool, "req-full")).contains(full);
    assertThat(JdbcLineageSink.find(pool, "req-other")).contains(other);
    assertThat(JdbcLineageSink.find(pool, "absent")).isEmpty();
  }

  @Test
  void aDatabaseThatIsDownIsARetriableErrorNamingTheBatch() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(250);
    try (HikariDataSource down = new HikariDataSource(config)) {
      LineageSink sink = LineageSink.jdbc(down);
      assertThatThrownBy(() -> sink.write(List.of(LineageRecord.builder("r1", Instant.EPOCH).build())))
          .isInstanceOf(UnavailableException.class).hasMessageContaining("lineage sink");
    }
  }
}
