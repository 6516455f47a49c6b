package dev.llmops.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.test.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PiiVaultTest {

  @Test
  void roundTripsAndNumbersPerScopeAndType() {
    PiiVault vault = PiiVault.inMemory(Duration.ofMinutes(5), 10, FakeClock.create());
    String a = vault.pseudonymize("t1", "EMAIL_ADDRESS", "a@example.com").orElseThrow();
    String b = vault.pseudonymize("t1", "EMAIL_ADDRESS", "b@example.com").orElseThrow();
    String p = vault.pseudonymize("t1", "PHONE_NUMBER", "+44 20 7946 0958").orElseThrow();
    assertThat(List.of(a, b, p)).containsExactly("<EMAIL_ADDRESS_1>", "<EMAIL_ADDRESS_2>", "<PHONE_NUMBER_1>");
    assertThat(vault.pseudonymize("t1", "EMAIL_ADDRESS", "a@example.com")).contains(a);
    assertThat(vault.restore("t1", a)).contains("a@example.com");
    assertThat(vault.restore("t1", p)).contains("+44 20 7946 0958");
    assertThat(vault.restore("t2", a)).isEmpty();
    assertThat(vault.pseudonymize("t2", "EMAIL_ADDRESS", "z@example.com")).contains("<EMAIL_ADDRESS_1>");
    assertThat(vault.restore("t2", a)).contains("z@example.com");
    assertThat(vault.restore("t1", "<EMAIL_ADDRESS_3>")).isEmpty();
  }

  @Test
  void forgetsAScopeTtlAfterItsLastUse() {
    FakeClock clock = FakeClock.create();
    PiiVault vault = PiiVault.inMemory(Duration.ofMinutes(5), 10, clock);
    String a = vault.pseudonymize("c", "EMAIL_ADDRESS", "a@example.com").orElseThrow();
    clock.advance(Duration.ofMinutes(4));
    assertThat(vault.restore("c", a)).as("used again within the ttl").contains("a@example.com");
    clock.advance(Duration.ofMinutes(4));
    assertThat(vault.restore("c", a)).as("the restore above renewed it").contains("a@example.com");
    clock.advance(Duration.ofMinutes(5));
    assertThat(vault.restore("c", a)).isEmpty();
    assertThat(vault.pseudonymize("c", "EMAIL_ADDRESS", "b@example.com")).as("a fresh scope counts from 1")
        .contains("<EMAIL_ADDRESS_1>");
    assertThat(vault.restore("c", "<EMAIL_ADDRESS_1>")).contains("b@example.com");
  }

  @Test
  void keepsAtMostMaxScopesDroppingTheLeastRecentlyUsed() {
    FakeClock clock = FakeClock.create();
    PiiVault vault = PiiVault.inMemory(Duration.ofDays(1), 20, clock);
    for (int i = 0; i < 100; i++) {
      vault.pseudonymize("scope-" + i, "EMAIL_ADDRESS", i + "@example.com");
      clock.advance(Duration.ofSeconds(1));
    }
    int live = 0;
    for (int i = 0; i < 100; i++) {
      if (vault.restore("scope-" + i, "<EMAIL_ADDRESS_1>").isPresent()) {
        live++;
      }
    }
    assertThat(live).isBetween(1, 21);
    assertThat(vault.restore("scope-99", "<EMAIL_ADDRESS_1>")).as("the newest survives").contains("99@example.com");
    assertThat(vault.restore("scope-0", "<EMAIL_ADDRESS_1>")).as("the oldest went first").isEmpty();
  }

  @Test
  void aFullScopeAnswersEmpty() {
    PiiVault vault = PiiVault.inMemory(Duration.ofMinutes(5), 10, FakeClock.create());
    for (int i = 0; i < InMemoryPiiVault.MAX_VALUES_PER_SCOPE; i++) {
      assertThat(vault.pseudonymize("c", "EMAIL_ADDRESS", i + "@example.com")).isPresent();
    }
    assertThat(vault.pseudonymize("c", "EMAIL_ADDRESS", "one-more@example.com")).isEmpty();
    assertThat(vault.pseudonymize("c", "EMAIL_ADDRESS", "7@example.com")).contains("<EMAIL_ADDRESS_8>");
  }

  @Test
  void rejectsBadSettingsNamingThem() {
    assertThatThrownBy(() -> PiiVault.inMemory(Duration.ZERO)).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> PiiVault.inMemory(Duration.ofMinutes(1), 0, FakeClock.create()))
        .hasMessageContaining("0");
    PiiVault vault = PiiVault.inMemory(Duration.ofMinutes(1));
    assertThatThrownBy(() -> vault.pseudonymize("c", "email", "x")).hasMessageContaining("email");
  }

  @Test
  void manyThreadsGetOnePseudonymPerValueAndRestoreEveryOne() throws Exception {
    PiiVault vault = PiiVault.inMemory(Duration.ofHours(1), 64, FakeClock.create());
    int threads = 16;
    int scopes = 8;
    int values = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Map<String, String> issued = new ConcurrentHashMap<>(); // scope|value -> pseudonym
    List<Future<List<String>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          List<String> problems = new ArrayList<>();
          start.await();
          for (int round = 0; round < 5; round++) {
            for (int i = 0; i < values; i++) {
              int v = (i * 7 + seed * 13) % values;
              String scope = "conversation-" + ((v + round) % scopes);
              String value = "user" + v + "@example.com";
              Optional<String> p = vault.pseudonymize(scope, "EMAIL_ADDRESS", value);
              if (p.isEmpty()) {
                problems.add("no pseudonym for " + scope + " " + value);
                continue;
              }
              String before = issued.putIfAbsent(scope + "|" + value, p.get());
              if (before != null && !before.equals(p.get())) {
                problems.add(scope + " " + value + " got " + p.get() + " and " + before);
              }
              Optional<String> back = vault.restore(scope, p.get());
              if (!back.equals(Optional.of(value))) {
                problems.add(scope + " " + p.get() + " restored to " + back);
              }
            }
          }
          return problems;
        }));
      }
      start.countDown();
      for (Future<List<String>> f : futures) {
        assertThat(f.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    // per scope, the numbers are exactly 1..n with no pseudonym reused for two values
    Map<String, List<String>> byScope = new HashMap<>();
    issued.forEach((key, pseudonym) -> byScope.computeIfAbsent(key.substring(0, key.indexOf('|')),
        k -> new ArrayList<>()).add(pseudonym));
    for (Map.Entry<String, List<String>> e : byScope.entrySet()) {
      List<String> expected = new ArrayList<>();
      for (int n = 1; n <= e.getValue().size(); n++) {
        expected.add("<EMAIL_ADDRESS_" + n + ">");
      }
      assertThat(e.getValue()).as(e.getKey()).containsExactlyInAnyOrderElementsOf(expected);
      for (String p : e.getValue()) {
        assertThat(vault.restore(e.getKey(), p)).isPresent();
      }
    }
    // each value visited 5 of the 8 scopes (one per round)
    assertThat(issued.size()).isEqualTo(5 * values);
  }
}
