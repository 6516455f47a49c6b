package dev.llmops.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.Guard;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The suite every guard passes: stable identity, verdicts (never exceptions) for hostile text, findings whose
 * spans lie inside the text, the same verdicts from many threads as from one, and linear-time behaviour on
 * 100 KB adversarial inputs. A guard's test extends this class and supplies the guard and its example texts.
 */
public abstract class GuardContractTest {

  /** The guard under test; an {@link InputGuard}, an {@link OutputGuard} or both. */
  protected abstract Guard guard();

  /** Texts this guard must object to or report findings on. */
  protected abstract List<String> triggeringTexts();

  /** Texts this guard must pass without findings. */
  protected abstract List<String> benignTexts();

  /**
   * Texts of about 100 KB built from near-matches of the guard's patterns, to catch catastrophic backtracking.
   * The default repeats a fragment of each triggering text; guards with regular expressions override it with
   * the near-misses that stress their own patterns.
   */
  protected List<String> adversarialTexts() {
    List<String> texts = new ArrayList<>();
    for (String t : triggeringTexts()) {
      String fragment = t.substring(0, Math.max(1, t.length() - 1));
      texts.add(fragment.repeat(100_000 / fragment.length() + 1));
    }
    return texts;
  }

  /** Runs the guard on {@code text}; output guards see it as the answer. Override to add sources or context. */
  protected GuardVerdict check(String text) {
    Guard g = guard();
    if (g instanceof InputGuard in) {
      return in.check(InputContext.of(text));
    }
    return ((OutputGuard) g).check(OutputContext.of(text));
  }

  /** Whether findings' details may quote the matched text; false for guards whose matches are secrets or PII. */
  protected boolean detailsMayQuoteMatches() {
    return true;
  }

  @Test
  void hasAStableNameAndVersion() {
    Guard g = guard();
    assertThat(g.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
    assertThat(g.version()).isNotBlank();
    assertThat(guard().name()).isEqualTo(g.name());
  }

  @Test
  void objectsToTriggeringTexts() {
    assertThat(triggeringTexts()).isNotEmpty();
    for (String text : triggeringTexts()) {
      GuardVerdict verdict = check(text);
      assertThat(verdict.findings()).as("findings for %s", text).isNotEmpty();
      assertWellFormed(text, verdict);
    }
  }

  @Test
  void passesBenignTexts() {
    for (String text : benignTexts()) {
      GuardVerdict verdict = check(text);
      assertThat(verdict).as("verdict for %s", text).isInstanceOf(GuardVerdict.Pass.class);
      assertThat(verdict.findings()).as("findings for %s", text).isEmpty();
    }
  }

  @Test
  void answersHostileTextWithAVerdict() {
    List<String> hostile = new ArrayList<>(List.of(
        "", " ", "\u0000", "a\u0000b\u0000c", "\uD800", "x\uDC00y\uD800", "\uD83D\uDE00 emoji", "ＦＵＬＬ ｗｉｄｔｈ",
        "mixed Кириллица and Ελληνικά and 中文 and العربية", "\u202Ereversed\u202C", "line\r\nbreaks\n\n\n"));
    for (String t : triggeringTexts()) {
      hostile.add("\u0000" + t + "\uD800");
      hostile.add(t.toUpperCase(java.util.Locale.ROOT));
    }
    for (String text : hostile) {
      assertWellFormed(text, check(text));
    }
  }

  @Test
  void handlesTenMegabytes() {
    String benign = benignTexts().isEmpty() ? "plain words. " : benignTexts().get(0) + "\n";
    String trigger = triggeringTexts().get(0);
    String big = benign.repeat(10_000_000 / benign.length() + 1) + trigger;
    assertWellFormed(big, check(big));
  }

  @Test
  void staysLinearOnAdversarialInput() {
    for (String text : adversarialTexts()) {
      assertThat(text.length()).isGreaterThanOrEqualTo(50_000);
      // A hang detector, not a speed threshold: backtracking blow-ups on 100 KB take hours, linear scans milliseconds.
      GuardVerdict verdict = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> check(text));
      assertWellFormed(text, verdict);
    }
  }

  @Test
  void givesTheSameVerdictsFromManyThreads() throws Exception {
    List<String> texts = new ArrayList<>(triggeringTexts());
    texts.addAll(benignTexts());
    List<String> expected = texts.stream().map(t -> describe(check(t))).toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        futures.add(pool.submit(() -> {
          List<String> last = List.of();
          for (int round = 0; round < 20; round++) {
            last = texts.stream().map(t -> describe(check(t))).toList();
            if (!last.equals(expected)) {
              return last;
            }
          }
          return last;
        }));
      }
      for (Future<List<String>> f : futures) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String describe(GuardVerdict verdict) {
    return verdict.getClass().getSimpleName() + verdict.findings()
        + (verdict instanceof GuardVerdict.Rewrite r ? r.text() : "");
  }

  private void assertWellFormed(String text, GuardVerdict verdict) {
    assertThat(verdict).isNotNull();
    assertThat(verdict.riskScore()).isBetween(0.0, 1.0);
    for (Finding f : verdict.findings()) {
      TextSpan span = f.span();
      if (span != null) {
        assertThat(span.end()).as("span of %s", f.type()).isLessThanOrEqualTo(text.length());
        String matched = span.of(text);
        if (!detailsMayQuoteMatches() && matched.strip().length() >= 4) {
          assertThat(f.detail()).as("detail of %s must not quote the match", f.type()).doesNotContain(matched.strip());
        }
      }
    }
  }
}
