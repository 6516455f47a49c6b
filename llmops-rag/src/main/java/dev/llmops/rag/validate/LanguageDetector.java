package dev.llmops.rag.validate;

import java.util.Set;

/**
 * Tells the language of a text, for the language check of a {@link CorpusValidator}. Implementations are
 * deterministic and safe to share across threads.
 *
 * <p>{@link #builtIn()} needs no model: it recognises a script first and, for Latin script, scores stop words
 * (see its Javadoc).
 */
public interface LanguageDetector {

  /** What {@link #detect(String)} returns when the text gives too little to tell. */
  String UNKNOWN = "unknown";

  /**
   * The language of {@code text}.
   *
   * @param text any text, possibly empty
   * @return one of {@link #languages()}, {@link #UNKNOWN} when the text is too short or mixed to tell
   */
  String detect(String text);

  /** Every value {@link #detect(String)} can return, {@link #UNKNOWN} included. */
  Set<String> languages();

  /**
   * The built-in detector. It reads the first 100,000 characters and counts their letters by script; the script
   * with the most letters decides, and fewer than 5 letters in it gives {@code unknown}:
   *
   * <ul>
   *   <li>Han, Hiragana and Katakana together: {@code ja} when at least a tenth of them are kana, else {@code zh};
   *   <li>Hangul {@code ko}, Thai {@code th}, Greek {@code el}, Hebrew {@code he}, Arabic {@code ar} (also Persian
   *       and Urdu), Devanagari {@code hi} (also Marathi and Nepali);
   *   <li>Cyrillic {@code uk} when at least 2% of its letters are {@code і ї є ґ}, else {@code ru} (Bulgarian, Serbian
   *       and the rest report as {@code ru});
   *   <li>Latin: each word that is one of the 42 to 50 most frequent function words of {@code en de fr es it pt nl}
   *       scores for the languages that have it, shared words split their point; the best language needs at least 3
   *       such words, a quarter more score than the runner-up and one point more, else {@code unknown}. Other
   *       Latin-script languages report as {@code unknown} or as their nearest neighbour.
   *   <li>any other script: {@code unknown}.
   * </ul>
   */
  static LanguageDetector builtIn() {
    return BuiltInLanguageDetector.INSTANCE;
  }
}
