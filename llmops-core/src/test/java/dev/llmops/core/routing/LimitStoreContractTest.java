package dev.llmops.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.routing.LimitStore.Acquisition;
import dev.llmops.core.routing.LimitStore.SpendChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LimitStore} must have. A store's test extends this class and says how to make a fresh,
 * empty store; each test gets its own. Times are explicit instants: the store takes the caller's time, so no clock is
 * needed, and the numbers are chosen to be exact in binary floating point, so equalities are exact.
 */
public abstract class LimitStoreContractTest {

  protected static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  /** A refill so slow that it adds far less than one unit in any test run (and nothing at a fixed time). */
  protected static final double TRICKLE = 1e-9;

  protected LimitStore store;

  /** For subclasses. */
  protected LimitStoreContractTest() {}

  /** A new, empty store. */
  protected abstract LimitStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static Instant at(double seconds) {
    return T0.plusNanos(Math.round(seconds * 1e9));
  }

  // ------------------------------------------------------------------ buckets

  @Test
  void aNewBucketStartsFull() {
    assertThat(store.tryAcquire("b", 5, 1, 5, T0)).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    Acquisition refused = store.tryAcquire("b", 5, 1, 1, T0);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.balance()).isZero();
  }

  @Test
  void aBucketRefillsOverTimeUpToItsCapacity() {
    assertThat(store.tryAcquire("b", 10, 2, 10, T0).balance()).isZero();
    // 1.5 s at 2 units a second: exactly 3.
    assertThat(store.tryAcquire("b", 10, 2, 3, at(1.5))).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    assertThat(store.tryAcquire("b", 10, 2, 1, at(2))).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    // Long idle: the refill stops at the capacity (10 - 1), it does not bank 200 units.
    assertThat(store.tryAcquire("b", 10, 2, 1, at(102))).isEqualTo(new Acquisition(true, 9, Duration.ZERO));
    assertThat(store.tryAcquire("b", 10, 2, 9, at(102)).granted()).isTrue();
    assertThat(store.tryAcquire("b", 10, 2, 1, at(102)).granted()).isFalse();
  }

  @Test
  void aRefusalTakesNothingAndSaysHowLongToWait() {
    store.tryAcquire("b", 10, 2, 10, T0);
    // 3 missing at 2 a second: 1.5 s.
    assertThat(store.tryAcquire("b", 10, 2, 3, T0)).isEqualTo(new Acquisition(false, 0, Duration.ofMillis(1500)));
    // 2 there after 1 s, 1 missing: 0.5 s more; the refusal took nothing, so the 2 can still be taken.
    assertThat(store.tryAcquire("b", 10, 2, 3, at(1))).isEqualTo(new Acquisition(false, 2, Duration.ofMillis(500)));
    assertThat(store.tryAcquire("b", 10, 2, 2, at(1))).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    // Waiting exactly the advised time is enough.
    Acquisition refused = store.tryAcquire("b", 10, 2, 3, at(1));
    assertThat(store.tryAcquire("b", 10, 2, 3, at(1).plus(refused.retryAfter())).granted()).isTrue();
  }

  @Test
  void theWaitIsRoundedUpToTheMillisecond() {
    store.tryAcquire("b", 3, 3, 3, T0);
    Acquisition refused = store.tryAcquire("b", 3, 3, 1, T0);
    // 1/3 s is 333.33 ms: rounded down, the caller would come back too early.
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(334));
    assertThat(store.tryAcquire("b", 3, 3, 1, T0.plus(Duration.ofMillis(333))).granted()).isFalse();
    assertThat(store.tryAcquire("b", 3, 3, 1, T0.plus(Duration.ofMillis(334))).granted()).isTrue();
  }

  @Test
  void settlingCanLeaveABucketInDebtThatRefillsPayOff() {
    store.tryAcquire("b", 10, 1, 10, T0);
    store.settle("b", 10, 1, 5, T0);
    // 5 in debt: taking 1 needs 6 units of refill.
    assertThat(store.tryAcquire("b", 10, 1, 1, T0)).isEqualTo(new Acquisition(false, -5, Duration.ofSeconds(6)));
    assertThat(store.tryAcquire("b", 10, 1, 1, at(5))).isEqualTo(new Acquisition(false, 0, Duration.ofSeconds(1)));
    assertThat(store.tryAcquire("b", 10, 1, 1, at(6))).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
  }

  @Test
  void aNegativeSettleReturnsUnitsButNeverAboveCapacity() {
    assertThat(store.tryAcquire("b", 10, 1, 3, T0).balance()).isEqualTo(7);
    store.settle("b", 10, 1, -2, T0);
    assertThat(store.tryAcquire("b", 10, 1, 9, T0)).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    store.settle("b", 10, 1, -100, T0);
    assertThat(store.tryAcquire("b", 10, 1, 10, T0)).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    assertThat(store.tryAcquire("b", 10, 1, 1, T0).granted()).isFalse();
  }

  @Test
  void settlingANewBucketStartsFromFull() {
    store.settle("new", 10, 1, 4, T0);
    assertThat(store.tryAcquire("new", 10, 1, 7, T0)).isEqualTo(new Acquisition(false, 6, Duration.ofSeconds(1)));
    store.settle("returned", 10, 1, -4, T0);
    assertThat(store.tryAcquire("returned", 10, 1, 1, T0).balance()).isEqualTo(9);
  }

  @Test
  void aClockBehindTheLastUpdateNeitherAddsNorRemovesUnits() {
    assertThat(store.tryAcquire("b", 10, 1, 5, at(10)).balance()).isEqualTo(5);
    // 10 s behind the last update: no negative refill (which would refuse this), no refill at all.
    assertThat(store.tryAcquire("b", 10, 1, 1, T0)).isEqualTo(new Acquisition(true, 4, Duration.ZERO));
    store.settle("b", 10, 1, 1, at(5));
    assertThat(store.tryAcquire("b", 10, 1, 5, at(2))).isEqualTo(new Acquisition(false, 3, Duration.ofSeconds(2)));
    // The bucket kept the later update time: back at 10 s nothing was refilled for the time already counted.
    assertThat(store.tryAcquire("b", 10, 1, 1, at(10))).isEqualTo(new Acquisition(true, 2, Duration.ZERO));
    assertThat(store.tryAcquire("b", 10, 1, 1, at(12))).isEqualTo(new Acquisition(true, 3, Duration.ZERO));
  }

  @Test
  void bucketsAreIndependent() {
    store.tryAcquire("a", 4, 1, 4, T0);
    assertThat(store.tryAcquire("a", 4, 1, 1, T0).granted()).isFalse();
    assertThat(store.tryAcquire("b", 4, 1, 4, T0)).isEqualTo(new Acquisition(true, 0, Duration.ZERO));
    store.settle("c", 4, 1, 100, T0);
    assertThat(store.tryAcquire("d", 4, 1, 1, T0).balance()).isEqualTo(3);
    // A budget of the same name is another thing.
    assertThat(store.spent("a", T0)).isZero();
  }

  // ------------------------------------------------------------------ budgets

  @Test
  void spendIsCountedPerBudgetAndPeriod() {
    Instant hour = BudgetPeriod.HOUR.start(T0);
    Instant nextHour = hour.plus(Duration.ofHours(1));
    assertThat(store.spent("x", hour)).isZero();
    assertThat(store.addSpend("x", hour, 2.5)).isEqualTo(new SpendChange(0, 2.5));
    assertThat(store.addSpend("x", hour, 1.5)).isEqualTo(new SpendChange(2.5, 4));
    assertThat(store.addSpend("x", hour, 0)).isEqualTo(new SpendChange(4, 4));
    assertThat(store.spent("x", hour)).isEqualTo(4);
    assertThat(store.spent("x", nextHour)).isZero();
    assertThat(store.addSpend("x", nextHour, 0.25)).isEqualTo(new SpendChange(0, 0.25));
    assertThat(store.addSpend("y", hour, 1)).isEqualTo(new SpendChange(0, 1));
    assertThat(store.spent("x", hour)).isEqualTo(4);
    assertThat(store.spent("x", nextHour)).isEqualTo(0.25);
    assertThat(store.spent("y", hour)).isEqualTo(1);
    // A bucket of the same name is another thing.
    assertThat(store.tryAcquire("x", 1, 1, 1, T0).granted()).isTrue();
  }

  // ------------------------------------------------------------------ arguments

  @Test
  void badArgumentsAreRefusedNamingTheValue() {
    assertBad(() -> store.tryAcquire("b", 0, 1, 1, T0), "capacity", "0.0");
    assertBad(() -> store.tryAcquire("b", -1, 1, 1, T0), "capacity", "-1.0");
    assertBad(() -> store.tryAcquire("b", Double.NaN, 1, 1, T0), "capacity", "NaN");
    assertBad(() -> store.tryAcquire("b", Double.POSITIVE_INFINITY, 1, 1, T0), "capacity", "Infinity");
    assertBad(() -> store.tryAcquire("b", 10, 0, 1, T0), "refill rate", "0.0");
    assertBad(() -> store.tryAcquire("b", 10, Double.NaN, 1, T0), "refill rate", "NaN");
    assertBad(() -> store.tryAcquire("b", 10, Double.POSITIVE_INFINITY, 1, T0), "refill rate", "Infinity");
    assertBad(() -> store.tryAcquire("b", 10, 1, 0, T0), "amount to take", "0.0");
    assertBad(() -> store.tryAcquire("b", 10, 1, -2, T0), "amount to take", "-2.0");
    assertBad(() -> store.tryAcquire("b", 10, 1, Double.NaN, T0), "amount to take", "NaN");
    assertBad(() -> store.tryAcquire("b", 10, 1, 10.5, T0), "10.5", "capacity 10.0");
    assertBad(() -> store.settle("b", 0, 1, 1, T0), "capacity", "0.0");
    assertBad(() -> store.settle("b", 10, -1, 1, T0), "refill rate", "-1.0");
    assertBad(() -> store.settle("b", 10, 1, Double.NaN, T0), "settle", "NaN");
    assertBad(() -> store.settle("b", 10, 1, Double.NEGATIVE_INFINITY, T0), "settle", "-Infinity");
    assertBad(() -> store.addSpend("x", T0, -0.5), "spend", "-0.5");
    assertBad(() -> store.addSpend("x", T0, Double.NaN), "spend", "NaN");
    assertBad(() -> store.addSpend("x", T0, Double.POSITIVE_INFINITY), "spend", "Infinity");
    assertThatThrownBy(() -> store.tryAcquire("b", 10, 1, 1, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.addSpend(null, T0, 1)).isInstanceOf(NullPointerException.class);
    // Nothing was touched by the refused calls.
    assertThat(store.tryAcquire("b", 10, 1, 10, T0).granted()).isTrue();
    assertThat(store.spent("x", T0)).isZero();
  }

  private static void assertBad(Runnable call, String... messageParts) {
    assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll(messageParts);
  }

  // ------------------------------------------------------------------ concurrency

  /**
   * 8 threads race 500 takes each of one unit on a bucket of 1,000 at one fixed time: exactly 1,000 are granted and
   * their balances are 999 down to 0, each once, so no two takes saw the same balance.
   */
  @Test
  void concurrentTakesNeverGrantMoreThanTheBucketHolds() throws Exception {
    assertExactlyTheCapacityIsGranted(List.of(this::takeOne, this::takeOne, this::takeOne, this::takeOne,
        this::takeOne, this::takeOne, this::takeOne, this::takeOne));
  }

  private Acquisition takeOne() {
    return store.tryAcquire("shared", 1_000, TRICKLE, 1, T0);
  }

  /** Runs 500 takes per supplier, each on a thread of its own, all started at once; checks the invariant. */
  protected static void assertExactlyTheCapacityIsGranted(List<Supplier<Acquisition>> takers) throws Exception {
    List<List<Acquisition>> results = race(takers.stream().<Callable<List<Acquisition>>>map(taker -> () -> {
      List<Acquisition> mine = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        mine.add(taker.get());
      }
      return mine;
    }).toList());
    List<Double> grantedBalances = new ArrayList<>();
    for (List<Acquisition> mine : results) {
      for (Acquisition a : mine) {
        if (a.granted()) {
          grantedBalances.add(a.balance());
        } else {
          assertThat(a.retryAfter()).isPositive();
        }
      }
    }
    assertThat(grantedBalances).hasSize(1_000);
    Set<Double> expected = new HashSet<>();
    for (int b = 0; b < 1_000; b++) {
      expected.add((double) b);
    }
    assertThat(new HashSet<>(grantedBalances)).isEqualTo(expected);
  }

  /**
   * 8 threads add 250 amounts each to one budget period at once: the total is exact, and the (before, after) pairs
   * chain without gaps or overlaps, so every addition saw the spend the previous one left.
   */
  @Test
  void concurrentSpendAddsUpExactlyAndChains() throws Exception {
    List<Callable<List<SpendChange>>> adders = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      double amount = (t + 1) * 0.25; // exact in binary, as are all the sums
      adders.add(() -> {
        List<SpendChange> mine = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          mine.add(store.addSpend("budget", T0, amount));
        }
        return mine;
      });
    }
    assertSpendChains(race(adders), 250 * 0.25 * (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8));
    assertThat(store.spent("budget", T0)).isEqualTo(250 * 0.25 * 36);
  }

  /** Checks that the changes start at 0, chain, and end at {@code total}. */
  protected static void assertSpendChains(List<List<SpendChange>> results, double total) {
    List<SpendChange> all = new ArrayList<>();
    results.forEach(all::addAll);
    all.sort(Comparator.comparingDouble(SpendChange::before));
    assertThat(all.get(0).before()).isZero();
    for (int i = 0; i + 1 < all.size(); i++) {
      assertThat(all.get(i).after()).as("change %s of %s", i, all.size()).isEqualTo(all.get(i + 1).before());
    }
    assertThat(all.get(all.size() - 1).after()).isEqualTo(total);
    assertThat(new HashSet<>(all)).hasSize(all.size());
  }

  /** Runs each task on a thread of its own, released together by a latch; returns their results in order. */
  protected static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(threads.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(5, TimeUnit.MINUTES)); // a guard against a hang, not a timing assertion
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
  }
}
