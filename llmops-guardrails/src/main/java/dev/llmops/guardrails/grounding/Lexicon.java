package dev.llmops.guardrails.grounding;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Content words and numbers of a text, for overlap scoring: words are runs of letters and digits (an apostrophe
 * between letters stays in the word), lower-cased, English stop words dropped, reduced by a light suffix stemmer;
 * numbers are digit runs not touching letters, with thousands separators removed and trailing decimal zeros
 * stripped ({@code 1,500.0} is {@code 1500}). Linear in the text length; no regular expressions.
 */
final class Lexicon {

  private static final Set<String> STOP_WORDS = Set.of(
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
      "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could",
      "did", "do", "does", "doing", "down", "during", "each", "either", "etc", "even", "ever", "every", "few", "for",
      "from", "further", "get", "gets", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
      "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "let",
      "may", "me", "might", "more", "most", "much", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of",
      "off", "on", "once", "one", "only", "or", "other", "otherwise", "our", "ours", "ourselves", "out", "over", "own",
      "per", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
      "themselves", "then", "there", "therefore", "these", "they", "this", "those", "though", "through", "thus", "to",
      "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where",
      "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yes",
      "yet", "you", "your", "yours", "yourself", "yourselves", "according", "based", "provided", "source", "sources",
      "context", "document", "documents", "stated", "states", "says", "said", "see", "note", "mentioned", "noted", "don't", "doesn't",
      "isn't", "aren't", "wasn't", "weren't", "can't", "won't", "it's", "there's", "that's", "i'm", "we're", "they're");

  private Lexicon() {}

  /** What a text contains. */
  record Terms(Set<String> words, Set<String> numbers) {}

  /** The stemmed content words and normalised numbers of {@code text[start, end)}. */
  static Terms terms(CharSequence text, int start, int end) {
    Set<String> words = new LinkedHashSet<>();
    Set<String> numbers = new LinkedHashSet<>();
    int i = start;
    StringBuilder token = new StringBuilder();
    while (i < end) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        i++;
        continue;
      }
      int tokenStart = i;
      boolean letters = false;
      boolean digits = false;
      token.setLength(0);
      while (i < end) {
        char d = text.charAt(i);
        if (Character.isLetter(d)) {
          letters = true;
        } else if (Character.isDigit(d)) {
          digits = true;
        } else if (!(isInnerPunctuation(d) && i + 1 < end && i > tokenStart
            && Character.isLetterOrDigit(text.charAt(i + 1)) && sameKind(text.charAt(i - 1), text.charAt(i + 1), d))) {
          break;
        }
        token.append(d);
        i++;
      }
      if (digits && !letters) {
        String n = normaliseNumber(token.toString());
        if (!n.isEmpty()) {
          numbers.add(n);
        }
      } else {
        String w = token.toString().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        if (!STOP_WORDS.contains(w) && (w.length() > 1 || digits)) {
          words.add(stem(w));
        }
      }
    }
    return new Terms(words, numbers);
  }

  /** Apostrophes join letters ({@code don't}); dots and commas join digits ({@code 1,500.25}). */
  private static boolean isInnerPunctuation(char c) {
    return c == '\'' || c == '\u2019' || c == '.' || c == ',';
  }

  private static boolean sameKind(char before, char after, char punctuation) {
    if (punctuation == '\'' || punctuation == '\u2019') {
      return Character.isLetter(before) && Character.isLetter(after);
    }
    return Character.isDigit(before) && Character.isDigit(after);
  }

  /** {@code 1,500.50} to {@code 1500.5}; a number with commas not in groups of three keeps only its digits and dots. */
  static String normaliseNumber(String raw) {
    if (raw.length() > 40) {
      return raw;
    }
    String s = raw;
    if (s.indexOf(',') >= 0) {
      s = thousandsGrouped(s) ? s.replace(",", "") : s.replace(',', '.');
    }
    int firstDot = s.indexOf('.');
    if (firstDot >= 0 && s.indexOf('.', firstDot + 1) >= 0) {
      return s; // a version or a date such as 1.2.3: compared as written
    }
    try {
      return new BigDecimal(s).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return s;
    }
  }

  private static boolean thousandsGrouped(String s) {
    int dot = s.indexOf('.');
    String integer = dot < 0 ? s : s.substring(0, dot);
    String[] groups = integer.split(",", -1);
    if (groups[0].isEmpty() || groups[0].length() > 3) {
      return false;
    }
    for (int g = 1; g < groups.length; g++) {
      if (groups[g].length() != 3) {
        return false;
      }
    }
    return dot < 0 || s.indexOf(',', dot) < 0;
  }

  /** A light English suffix stemmer; only has to map a word and its inflections to the same string. */
  static String stem(String word) {
    String w = word;
    int n = w.length();
    if (n <= 3) {
      return w;
    }
    if ((w.endsWith("ies") || w.endsWith("ied")) && n > 4) {
      return w.substring(0, n - 3) + "y";
    }
    if (w.endsWith("sses")) {
      w = w.substring(0, n - 2);
    } else if (w.endsWith("es") && n > 4 && (w.endsWith("ses") || w.endsWith("xes") || w.endsWith("zes")
        || w.endsWith("ches") || w.endsWith("shes"))) {
      w = w.substring(0, n - 2);
    } else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
      w = w.substring(0, n - 1);
    } else if (w.endsWith("ing") && n > 5) {
      w = undouble(w.substring(0, n - 3));
    } else if (w.endsWith("ed") && n > 4) {
      w = undouble(w.substring(0, n - 2));
    } else if (w.endsWith("ly") && n > 5) {
      w = w.substring(0, n - 2);
    }
    if (w.endsWith("e") && w.length() > 4) {
      w = w.substring(0, w.length() - 1);
    }
    return w;
  }

  private static String undouble(String s) {
    int n = s.length();
    if (n >= 3 && s.charAt(n - 1) == s.charAt(n - 2) && s.charAt(n - 1) != 'l' && s.charAt(n - 1) != 's') {
      return s.substring(0, n - 1);
    }
    return s;
  }
}
