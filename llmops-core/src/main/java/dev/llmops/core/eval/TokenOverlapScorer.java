package dev.llmops.core.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link GroundingScorer#tokenOverlap(double)}. Immutable. */
final class TokenOverlapScorer implements GroundingScorer {

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|\\R+");
  private static final Pattern CITATION = Pattern.compile("\\[[^\\]\\n]{1,40}]");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");
  private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "and", "or", "but", "if", "then", "so",
      "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "into", "about", "than", "that", "this", "these",
      "those", "it", "its", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "has", "have",
      "had", "will", "would", "can", "could", "should", "may", "might", "must", "shall", "not", "no", "yes", "i", "you",
      "he", "she", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his", "our", "their", "there", "here",
      "what", "which", "who", "whom", "when", "where", "why", "how", "all", "any", "some", "also", "just", "very");

  private final double minSupport;

  TokenOverlapScorer(double minSupport) {
    this.minSupport = minSupport;
  }

  @Override
  public double groundedFraction(String answer, List<ContextPassage> context) {
    List<Set<String>> passages = new ArrayList<>(context.size());
    for (ContextPassage p : context) {
      passages.add(new HashSet<>(words(p.text())));
    }
    int claims = 0;
    int supported = 0;
    for (String sentence : SENTENCE_END.split(CITATION.matcher(answer).replaceAll(" "))) {
      Set<String> words = words(sentence);
      if (words.isEmpty()) {
        continue;
      }
      claims++;
      for (Set<String> passage : passages) {
        long held = words.stream().filter(passage::contains).count();
        if (held >= minSupport * words.size()) {
          supported++;
          break;
        }
      }
    }
    return claims == 0 ? 1 : (double) supported / claims;
  }

  private static Set<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group();
      if (!STOP_WORDS.contains(w)) {
        words.add(w);
      }
    }
    return words;
  }

  @Override
  public String toString() {
    return "tokenOverlap(" + minSupport + ")";
  }
}
