package dev.llmops.rag.validate;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** See {@link LanguageDetector#builtIn()}. Immutable. */
final class BuiltInLanguageDetector implements LanguageDetector {

  private static final int SAMPLE_CHARS = 100_000;
  private static final int MIN_SCRIPT_LETTERS = 5;
  private static final int MIN_STOP_WORDS = 3;

  private static final List<String> LATIN = List.of("en", "de", "fr", "es", "it", "pt", "nl");

  /** The most frequent function words of each Latin-script language, in the order of {@link #LATIN}. */
  private static final List<String> STOP_WORDS = List.of(
      "the of and to in is that it was for on are with as his they be at this have from or had by but not what"
          + " were we when your can said there an which she do their if will would been has who its our these than",
      "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat"
          + " dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur",
      "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont avec ou mais aux"
          + " son cette elle nous vous leur était été ont comme sa ses très ces",
      "de la que el en y los del se las por un para con no una su al es lo como más pero sus le ya o fue este ha sí"
          + " porque esta son entre cuando muy sin sobre también hay donde desde todo nos",
      "di e il la che in a per un è del della le non si con i da una al lo sono come gli ma più nel alla dei anche"
          + " delle ha se questo nella suo loro era degli tra essere ci",
      "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua"
          + " ou ser quando muito há nos já está também pelo pela isso entre são",
      "de van het een en in is dat op te zijn met voor niet aan er die om ook als bij of door maar uit naar dan"
          + " wordt heeft nog hij deze tot was kan ze zich wel werd worden over al geen meer wij");

  private static final Set<String> LANGUAGES = Set.copyOf(List.of(
      "en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "el", "ar", "he", "hi", "zh", "ja", "ko", "th", UNKNOWN));

  /** Declared after the word lists, which its constructor reads. */
  static final BuiltInLanguageDetector INSTANCE = new BuiltInLanguageDetector();

  private enum Script { LATIN, CYRILLIC, GREEK, ARABIC, HEBREW, DEVANAGARI, CJK, HANGUL, THAI, OTHER }

  /** Stop word to its score for each language of {@link #LATIN}. */
  private final Map<String, double[]> scores = new HashMap<>();
  private final int longestStopWord;

  private BuiltInLanguageDetector() {
    Map<String, Set<Integer>> languagesByWord = new HashMap<>();
    for (int l = 0; l < LATIN.size(); l++) {
      for (String word : STOP_WORDS.get(l).split(" ")) {
        languagesByWord.computeIfAbsent(word, w -> new LinkedHashSet<>()).add(l);
      }
    }
    int longest = 0;
    for (Map.Entry<String, Set<Integer>> e : languagesByWord.entrySet()) {
      double[] score = new double[LATIN.size()];
      for (int l : e.getValue()) {
        score[l] = 1.0 / e.getValue().size();
      }
      scores.put(e.getKey(), score);
      longest = Math.max(longest, e.getKey().length());
    }
    longestStopWord = longest;
  }

  @Override
  public Set<String> languages() {
    return LANGUAGES;
  }

  @Override
  public String detect(String text) {
    Tally tally = new Tally();
    int end = Math.min(text.length(), SAMPLE_CHARS);
    for (int i = 0; i < end; ) {
      int cp = Character.codePointAt(text, i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        tally.letter(cp);
      } else {
        tally.endWord();
      }
    }
    tally.endWord();
    return tally.language();
  }

  /** Letters by script and stop-word scores of one text. */
  private final class Tally {
    private final int[] letters = new int[Script.values().length];
    private int kana;
    private int ukrainian;
    private final double[] latinScores = new double[LATIN.size()];
    private int stopWords;
    private final StringBuilder word = new StringBuilder();
    private boolean latinWord = true;

    void letter(int cp) {
      Script script = scriptOf(cp);
      letters[script.ordinal()]++;
      if (script == Script.CJK && isKana(cp)) {
        kana++;
      } else if (script == Script.CYRILLIC && isUkrainianLetter(cp)) {
        ukrainian++;
      }
      latinWord &= script == Script.LATIN;
      if (word.length() <= longestStopWord) {
        word.appendCodePoint(Character.toLowerCase(cp));
      }
    }

    void endWord() {
      if (word.length() == 0) {
        return;
      }
      if (latinWord && word.length() <= longestStopWord) {
        double[] score = scores.get(word.toString());
        if (score != null) {
          stopWords++;
          for (int l = 0; l < score.length; l++) {
            latinScores[l] += score[l];
          }
        }
      }
      word.setLength(0);
      latinWord = true;
    }

    String language() {
      Script dominant = Script.OTHER;
      for (Script s : Script.values()) {
        if (letters[s.ordinal()] > letters[dominant.ordinal()]) {
          dominant = s;
        }
      }
      int count = letters[dominant.ordinal()];
      if (count < MIN_SCRIPT_LETTERS) {
        return UNKNOWN;
      }
      return switch (dominant) {
        case LATIN -> latin(latinScores, stopWords);
        case CYRILLIC -> ukrainian * 50 >= count ? "uk" : "ru";
        case GREEK -> "el";
        case ARABIC -> "ar";
        case HEBREW -> "he";
        case DEVANAGARI -> "hi";
        case CJK -> kana * 10 >= count ? "ja" : "zh";
        case HANGUL -> "ko";
        case THAI -> "th";
        case OTHER -> UNKNOWN;
      };
    }
  }

  private static String latin(double[] scores, int stopWords) {
    if (stopWords < MIN_STOP_WORDS) {
      return UNKNOWN;
    }
    int best = 0;
    for (int l = 1; l < scores.length; l++) {
      if (scores[l] > scores[best]) {
        best = l;
      }
    }
    double second = 0;
    for (int l = 0; l < scores.length; l++) {
      if (l != best) {
        second = Math.max(second, scores[l]);
      }
    }
    return scores[best] >= 1.25 * second && scores[best] - second >= 1.0 ? LATIN.get(best) : UNKNOWN;
  }

  private static boolean isKana(int cp) {
    return cp >= 0x3040 && cp <= 0x30FF || cp >= 0x31F0 && cp <= 0x31FF || cp >= 0xFF66 && cp <= 0xFF9D;
  }

  private static boolean isUkrainianLetter(int cp) {
    return cp == 'і' || cp == 'І' || cp == 'ї' || cp == 'Ї' || cp == 'є' || cp == 'Є' || cp == 'ґ' || cp == 'Ґ';
  }

  private static Script scriptOf(int cp) {
    if (cp < 0x250) {
      return Script.LATIN;
    }
    return switch (Character.UnicodeScript.of(cp)) {
      case LATIN -> Script.LATIN;
      case CYRILLIC -> Script.CYRILLIC;
      case GREEK -> Script.GREEK;
      case ARABIC -> Script.ARABIC;
      case HEBREW -> Script.HEBREW;
      case DEVANAGARI -> Script.DEVANAGARI;
      case HAN, HIRAGANA, KATAKANA -> Script.CJK;
      case HANGUL -> Script.HANGUL;
      case THAI -> Script.THAI;
      default -> Script.OTHER;
    };
  }
}
