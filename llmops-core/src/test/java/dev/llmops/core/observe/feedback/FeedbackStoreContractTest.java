package dev.llmops.core.observe.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.ConflictException;
import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FeedbackStore} does; each implementation's test extends this with a fresh, empty store. */
abstract class FeedbackStoreContractTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

  FeedbackStore store;

  abstract FeedbackStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @Test
  void whatIsReadEqualsWhatWasWritten() {
    Feedback full = Feedback.builder("req-1", "reviewer-7").id("fb-1").time(T0).score(0.25).label("wrong")
        .comment("Cites the 2019 policy; ünïcödé ✓").correction("The refund window is 30 days.").build();
    Feedback scoreOnly = Feedback.builder("req-1", "user-3").id("fb-2").time(T0.plusSeconds(1)).score(1).build();
    store.add(full);
    store.add(scoreOnly);
    assertThat(full.time()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z")); // microseconds kept
    assertThat(store.find("fb-1")).contains(full);
    assertThat(store.find("fb-2")).contains(scoreOnly);
    assertThat(store.find("fb-2").orElseThrow().label()).isNull();
    assertThat(store.find("nope")).isEmpty();
  }

  @Test
  void addingTheSameFeedbackAgainIsARetryAndDifferentContentUnderItsIdIsAConflict() {
    Feedback f = Feedback.builder("req-1", "a").id("fb-1").time(T0).label("helpful").build();
    store.add(f);
    store.add(f);
    Feedback other = Feedback.builder("req-1", "a").id("fb-1").time(T0).label("unhelpful").build();
    assertThatThrownBy(() -> store.add(other)).isInstanceOf(ConflictException.class).hasMessageContaining("fb-1");
    assertThat(store.find("fb-1")).contains(f);
    assertThat(store.forRequest("req-1")).containsExactly(f);
  }

  @Test
  void listsAreOrderedByTimeThenIdAndRangesAreHalfOpen() {
    Feedback b = feedback("b", "req-1", T0);
    Feedback a = feedback("a", "req-1", T0);
    Feedback c = feedback("c", "req-1", T0.minusSeconds(5));
    Feedback d = feedback("d", "req-2", T0.plusSeconds(10));
    for (Feedback f : List.of(b, a, c, d)) {
      store.add(f);
    }
    assertThat(store.forRequest("req-1")).containsExactly(c, a, b);
    assertThat(store.forRequest("req-3")).isEmpty();
    // Stored times are whole microseconds; the bounds here are the stored times themselves.
    assertThat(store.between(c.time(), d.time())).containsExactly(c, a, b);
    assertThat(store.between(a.time(), d.time().plusNanos(1000))).containsExactly(a, b, d);
    assertThat(store.between(a.time(), a.time())).isEmpty();
    assertThatThrownBy(() -> store.between(T0, T0.minusSeconds(1))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(T0.minusSeconds(1).toString());
  }

  @Test
  void deleteRemovesOnlyTheOne() {
    store.add(feedback("a", "req-1", T0));
    store.add(feedback("b", "req-1", T0));
    assertThat(store.delete("a")).isTrue();
    assertThat(store.delete("a")).isFalse();
    assertThat(store.forRequest("req-1")).extracting(Feedback::id).containsExactly("b");
  }

  @Test
  void concurrentWritersLoseNothingAndRetriesRacingStayIdempotent() throws Exception {
    int threads = 8;
    int each = 50;
    Feedback shared = feedback("shared", "req-hot", T0);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < each; i++) {
          store.add(shared);
          store.add(feedback("t" + thread + "-" + i, "req-hot", T0.plus(Duration.ofMillis(i))));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    List<Feedback> all = store.forRequest("req-hot");
    assertThat(all).hasSize(threads * each + 1).doesNotHaveDuplicates();
    assertThat(store.between(shared.time(), shared.time().plusSeconds(1))).isEqualTo(all);
  }

  static Feedback feedback(String id, String requestId, Instant time) {
    return Feedback.builder(requestId, "author").id(id).time(time).score(0.5).build();
  }
}
