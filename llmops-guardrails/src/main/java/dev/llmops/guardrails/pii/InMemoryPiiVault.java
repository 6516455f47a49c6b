package dev.llmops.guardrails.pii;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link PiiVault#inMemory}: one lock per scope, so conversations do not wait for each other; a sweep every few
 * hundred calls (or when the scope limit is passed) drops expired scopes and then the least recently used.
 */
final class InMemoryPiiVault implements PiiVault {

  /** The most values one scope remembers. */
  static final int MAX_VALUES_PER_SCOPE = 10_000;

  private static final int SWEEP_EVERY = 256;

  private final long ttlMillis;
  private final int maxScopes;
  private final Clock clock;
  private final ConcurrentHashMap<String, Scope> scopes = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private final ReentrantLock sweeping = new ReentrantLock();

  InMemoryPiiVault(Duration ttl, int maxScopes, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a vault ttl must be positive but was " + ttl);
    }
    if (maxScopes < 1) {
      throw new IllegalArgumentException("a vault needs room for at least one scope but maxScopes was " + maxScopes);
    }
    this.ttlMillis = ttl.toMillis() > 0 ? ttl.toMillis() : 1;
    this.maxScopes = maxScopes;
    this.clock = clock;
  }

  @Override
  public Optional<String> pseudonymize(String scope, String type, String original) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(original, "original");
    if (!PiiEntities.isValidName(type)) {
      throw new IllegalArgumentException("an entity type is UPPER_SNAKE_CASE but was '" + type + "'");
    }
    maybeSweep();
    while (true) {
      long now = clock.millis();
      Scope s = scopes.compute(scope, (k, old) -> old == null || old.expiredAt(now, ttlMillis) ? new Scope(now) : old);
      s.lock.lock();
      try {
        if (s.dead || scopes.get(scope) != s) {
          continue; // swept or replaced between lookup and lock: take the current one
        }
        s.lastUsed = now;
        String key = type + '\u0000' + original;
        String known = s.byValue.get(key);
        if (known != null) {
          return Optional.of(known);
        }
        if (s.byValue.size() >= MAX_VALUES_PER_SCOPE) {
          return Optional.empty();
        }
        int n = s.counters.merge(type, 1, Integer::sum);
        String pseudonym = "<" + type + "_" + n + ">";
        s.byValue.put(key, pseudonym);
        s.byPseudonym.put(pseudonym, original);
        return Optional.of(pseudonym);
      } finally {
        s.lock.unlock();
      }
    }
  }

  @Override
  public Optional<String> restore(String scope, String pseudonym) {
    maybeSweep();
    long now = clock.millis();
    Scope s = scopes.get(scope);
    if (s == null) {
      return Optional.empty();
    }
    s.lock.lock();
    try {
      if (s.dead || s.expiredAt(now, ttlMillis)) {
        return Optional.empty();
      }
      s.lastUsed = now;
      return Optional.ofNullable(s.byPseudonym.get(pseudonym));
    } finally {
      s.lock.unlock();
    }
  }

  private void maybeSweep() {
    if ((calls.incrementAndGet() % SWEEP_EVERY != 0 && scopes.size() <= maxScopes) || !sweeping.tryLock()) {
      return;
    }
    try {
      long now = clock.millis();
      for (Map.Entry<String, Scope> e : scopes.entrySet()) {
        if (e.getValue().expiredAt(now, ttlMillis)) {
          drop(e.getKey(), e.getValue(), now);
        }
      }
      if (scopes.size() > maxScopes) {
        List<Map.Entry<String, Scope>> live = new ArrayList<>(scopes.entrySet());
        live.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
        int excess = scopes.size() - maxScopes + maxScopes / 10;
        for (int i = 0; i < excess && i < live.size(); i++) {
          drop(live.get(i).getKey(), live.get(i).getValue(), Long.MAX_VALUE);
        }
      }
    } finally {
      sweeping.unlock();
    }
  }

  /** Forgets {@code scope} if it has not been used since {@code usedBefore}. */
  private void drop(String key, Scope scope, long usedBefore) {
    scope.lock.lock();
    try {
      boolean stale = usedBefore == Long.MAX_VALUE || scope.expiredAt(usedBefore, ttlMillis);
      if (stale && scopes.remove(key, scope)) {
        scope.dead = true;
      }
    } finally {
      scope.lock.unlock();
    }
  }

  /** One scope's pseudonyms; guarded by {@link #lock}. */
  private static final class Scope {
    final ReentrantLock lock = new ReentrantLock();
    final Map<String, String> byValue = new HashMap<>();
    final Map<String, String> byPseudonym = new HashMap<>();
    final Map<String, Integer> counters = new HashMap<>();
    volatile long lastUsed;
    boolean dead;

    Scope(long now) {
      lastUsed = now;
    }

    boolean expiredAt(long now, long ttlMillis) {
      return now - lastUsed >= ttlMillis;
    }
  }
}
