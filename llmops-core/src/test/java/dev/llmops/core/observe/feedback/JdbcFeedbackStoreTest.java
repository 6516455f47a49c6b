package dev.llmops.core.observe.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.prompt.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The contract against a real PostgreSQL, plus what only a database store can get wrong. */
class JdbcFeedbackStoreTest extends FeedbackStoreContractTest {

  private DataSource dataSource;

  @Override
  FeedbackStore newStore() {
    TestPostgres pg = TestPostgres.shared();
    dataSource = pg.dataSource(pg.createDatabase());
    return FeedbackStore.jdbc(dataSource);
  }

  @Test
  void aSecondStoreOnTheSameDatabaseSeesTheSameFeedback() {
    store.add(feedback("a", "req-1", T0));
    FeedbackStore second = FeedbackStore.jdbc(dataSource); // the table exists: creating it again is a no-op
    assertThat(second.find("a")).contains(feedback("a", "req-1", T0));
  }

  @Test
  void aRowBrokenByHandIsNamedAndTheOthersStillRead() throws Exception {
    store.add(feedback("good", "req-1", T0));
    store.add(feedback("bad", "req-2", T0));
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE llmops_feedback SET score = NULL WHERE id = 'bad'"); // now it carries nothing
    }
    assertThatThrownBy(() -> store.find("bad")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("feedback bad");
    assertThat(store.forRequest("req-1")).extracting(Feedback::id).containsExactly("good");
  }

  @Test
  void anUnreachableDatabaseIsUnavailable() {
    DataSource nowhere = new dev.llmops.core.internal.prompt.DriverManagerDataSource(
        "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", null, null);
    assertThatThrownBy(() -> FeedbackStore.jdbc(nowhere)).isInstanceOf(UnavailableException.class)
        .hasMessageContaining("feedback store");
  }
}
