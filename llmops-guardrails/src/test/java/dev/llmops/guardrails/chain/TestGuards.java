package dev.llmops.guardrails.chain;

import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.core.guard.OutputGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Small guards with known behaviour for chain tests. */
final class TestGuards {

  private TestGuards() {}

  /** A guard that finds every occurrence of a word and answers with what {@code onFound} makes of the findings. */
  static final class WordGuard implements InputGuard, OutputGuard {
    private final String name;
    private final String word;
    private final Function<Found, GuardVerdict> onFound;

    record Found(String text, List<Finding> findings) {}

    WordGuard(String name, String word, Function<Found, GuardVerdict> onFound) {
      this.name = name;
      this.word = word;
      this.onFound = onFound;
    }

    static WordGuard blocking(String word) {
      return new WordGuard("block-" + word, word, f -> GuardVerdict.block("blocked", 0.9, f.findings()));
    }

    static WordGuard replacing(String word, String replacement) {
      return new WordGuard("replace-" + word, word,
          f -> GuardVerdict.rewrite(f.text().replace(word, replacement), 0.5, f.findings()));
    }

    static WordGuard escalating(String word) {
      return new WordGuard("escalate-" + word, word, f -> GuardVerdict.escalate("needs a human", 0.7, f.findings()));
    }

    static WordGuard reasking(String word) {
      return new WordGuard("reask-" + word, word, f -> GuardVerdict.reask("do not say " + word, 0.6, f.findings()));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public GuardVerdict check(InputContext input) {
      return decide(input.text());
    }

    @Override
    public GuardVerdict check(OutputContext output) {
      return decide(output.text());
    }

    private GuardVerdict decide(String text) {
      List<Finding> findings = new ArrayList<>();
      for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
        findings.add(new Finding("WORD", new TextSpan(at, at + word.length()), 1, "the word"));
      }
      return findings.isEmpty() ? GuardVerdict.pass() : onFound.apply(new Found(text, findings));
    }
  }

  /** A guard that runs {@code body} (which may throw or block) and then passes. */
  static InputGuard running(String name, Runnable body) {
    return new InputGuard() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String version() {
        return "1";
      }

      @Override
      public GuardVerdict check(InputContext input) {
        body.run();
        return GuardVerdict.pass();
      }
    };
  }
}
