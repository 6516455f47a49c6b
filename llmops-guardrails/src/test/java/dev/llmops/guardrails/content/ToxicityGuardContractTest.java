package dev.llmops.guardrails.content;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import java.util.ArrayList;
import java.util.List;

/** The guard contract for {@link ToxicityGuard} with the shipped lexicon. */
class ToxicityGuardContractTest extends GuardContractTest {

  private static final ToxicityGuard GUARD = ToxicityGuard.defaults();

  @Override
  protected Guard guard() {
    return GUARD;
  }

  @Override
  protected List<String> triggeringTexts() {
    return ToxicityCorpus.toxic().stream().map(ToxicityCorpus.Case::text).toList();
  }

  @Override
  protected List<String> benignTexts() {
    return ToxicityCorpus.innocent();
  }

  @Override
  protected boolean detailsMayQuoteMatches() {
    return false;
  }

  @Override
  protected List<String> adversarialTexts() {
    List<String> texts = new ArrayList<>();
    for (String f : List.of("fu", "fuuuuuuuuuuuuuuuuuuuuuuuuuuuu", "f.u.c.", "f u c ", "a.b.c.d.", "f*", "*",
        "i will kill ", "i'll ", "i  ", "kill ", "s h i ", "ss", "ni", "fuck", "f**", "a*b*", "piece of ",
        "son of a ", "m o t h e r ")) {
      texts.add(f.repeat(100_000 / f.length() + 1));
    }
    texts.add("f" + "*".repeat(100_000) + "k");
    texts.add("f" + "u".repeat(100_000) + "ck");
    return texts;
  }
}
