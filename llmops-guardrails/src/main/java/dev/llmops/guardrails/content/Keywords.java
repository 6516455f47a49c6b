package dev.llmops.guardrails.content;

import dev.llmops.guardrails.internal.FoldedText;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Keyword matching on folded text: whole words only, case, accents, leet and confusables folded alike. */
final class Keywords {

  /** The folds applied to texts; keywords get the same minus letter joining. */
  static final Set<FoldedText.Fold> TEXT_FOLDS = FoldedText.ALL;

  /**
   * The same without leet: leet folding turns punctuation into letters ({@code "idiot!"} into {@code "idioti"}),
   * so texts are matched in both views.
   */
  static final Set<FoldedText.Fold> NO_LEET_FOLDS = EnumSet.of(FoldedText.Fold.STRIP_ACCENTS,
      FoldedText.Fold.CONFUSABLES, FoldedText.Fold.JOIN_SPACED_LETTERS);

  /** The two views of a text that matching runs on: all folds, and all but leet. */
  static java.util.List<FoldedText> views(String text) {
    return java.util.List.of(FoldedText.of(text, TEXT_FOLDS), FoldedText.of(text, NO_LEET_FOLDS));
  }

  /** Folds a keyword like {@link #NO_LEET_FOLDS} does, without letter joining. */
  static String foldNoLeet(String keyword) {
    return FoldedText.of(keyword.strip(), EnumSet.of(FoldedText.Fold.STRIP_ACCENTS, FoldedText.Fold.CONFUSABLES))
        .folded();
  }

  private Keywords() {}

  /** Folds a keyword the way texts are folded, so {@code "Café"} matches {@code "cafe"} and {@code "c4fe"}. */
  static String fold(String keyword) {
    Set<FoldedText.Fold> folds = EnumSet.copyOf(TEXT_FOLDS);
    folds.remove(FoldedText.Fold.JOIN_SPACED_LETTERS);
    return FoldedText.of(keyword.strip(), folds).folded();
  }

  /**
   * The regular expression body matching the folded keyword as whole words, with any run of spaces (or a hyphen
   * or underscore) between its words.
   */
  static String wordsRegex(String foldedKeyword) {
    String[] words = foldedKeyword.split("[\\s_\\-]+");
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      if (b.length() > 0) {
        b.append("[\\s_\\-]{1,4}+");
      }
      b.append(Pattern.quote(w));
    }
    return b.toString();
  }

  /** Wraps an alternation body in word boundaries (no letter or digit just before or after). */
  static Pattern wholeWords(String alternation) {
    return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternation + ")(?![\\p{L}\\p{N}])");
  }
}
