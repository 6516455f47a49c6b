package dev.llmops.rag.validate;

import dev.llmops.rag.document.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generated corpora for the validator's tests; every generator is seeded, so the corpora are the same each run. */
final class Corpora {

  private static final List<String> EN_FUNCTION = List.of(
      "the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "was", "by", "from", "at", "this");
  private static final List<String> EN_CONTENT = List.of(
      "river", "market", "engineer", "village", "winter", "harbour", "library", "garden", "teacher", "bridge",
      "storm", "record", "ancient", "quiet", "bright", "narrow", "heavy", "golden", "careful", "distant", "builds",
      "carries", "follows", "repairs", "measures", "describes", "collects", "opens", "watches", "paints", "machine",
      "mountain", "letter", "morning", "council", "forest", "kitchen", "station", "window", "painter", "farmer",
      "signal", "island", "lantern", "meadow", "orchard", "pencil", "rocket", "saddle", "tunnel", "valley", "wagon",
      "yellow", "silent", "hollow", "frozen", "gentle", "rapid", "steady", "hidden", "wooden", "copper", "velvet",
      "marble", "amber", "crimson", "silver", "timber", "thunder", "captain", "doctor", "pilot", "sailor", "writer");
  private static final List<String> DE_FUNCTION = List.of(
      "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "auf", "für", "ist", "nicht", "ein");
  private static final List<String> DE_CONTENT = List.of(
      "Fluss", "Markt", "Dorf", "Winter", "Hafen", "Bibliothek", "Garten", "Lehrer", "Brücke", "Sturm", "alte",
      "ruhige", "helle", "schmale", "schwere", "goldene", "baut", "trägt", "folgt", "repariert", "misst", "Maschine",
      "Berg", "Brief", "Morgen", "Rat", "Wald", "Küche", "Bahnhof", "Fenster", "Maler", "Bauer", "Insel", "Laterne",
      "Wiese", "Tunnel", "Tal", "Wagen", "Kupfer", "Silber", "Donner", "Kapitän", "Arzt", "Schreiber");
  private static final String[] SYLLABLES = {
      "ka", "lo", "mi", "ren", "ta", "vos", "pe", "ur", "zan", "dri", "fo", "gul", "he", "jin", "ko", "lam", "nu",
      "or", "pra", "qui", "sel", "tor", "ub", "vex", "wa", "yol", "zeb", "bri", "cas", "dun"};

  private Corpora() {}

  /** {@code words} words of English-like text: content words with English function words between them. */
  static String english(Random random, int words) {
    return text(random, words, EN_FUNCTION, EN_CONTENT);
  }

  /** {@code words} words of German-like text. */
  static String german(Random random, int words) {
    return text(random, words, DE_FUNCTION, DE_CONTENT);
  }

  /** {@code words} invented words (two or three syllables), with English function words between them. */
  static String invented(Random random, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        b.append(' ');
      }
      if (i % 3 == 1) {
        b.append(EN_FUNCTION.get(random.nextInt(EN_FUNCTION.size())));
        continue;
      }
      int syllables = 2 + random.nextInt(2);
      for (int s = 0; s < syllables; s++) {
        b.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
      }
    }
    return b.append('.').toString();
  }

  private static String text(Random random, int words, List<String> function, List<String> content) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        b.append(i % 11 == 0 ? ". " : " ");
      }
      List<String> from = i % 3 == 1 ? function : content;
      String w = from.get(random.nextInt(from.size()));
      b.append(i % 11 == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
    }
    return b.append('.').toString();
  }

  /** {@code count} English-like documents of 15 to 30 words, ids {@code prefix-0} on. */
  static List<Document> englishDocuments(String prefix, int count, long seed) {
    Random random = new Random(seed);
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      documents.add(Document.of(prefix + "-" + i, english(random, 15 + random.nextInt(16))));
    }
    return documents;
  }

  /** {@code count} German-like documents of 15 to 30 words, ids {@code prefix-0} on. */
  static List<Document> germanDocuments(String prefix, int count, long seed) {
    Random random = new Random(seed);
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      documents.add(Document.of(prefix + "-" + i, german(random, 15 + random.nextInt(16))));
    }
    return documents;
  }

  /** {@code text} with its {@code index}th word (0-based, by spaces) replaced by {@code replacement}. */
  static String replaceWord(String text, int index, String replacement) {
    String[] words = text.split(" ");
    if (words[index].equals(replacement)) {
      throw new IllegalArgumentException("word " + index + " already is " + replacement);
    }
    words[index] = replacement;
    return String.join(" ", words);
  }
}
