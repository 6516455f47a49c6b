package dev.llmops.rag.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

  @Test
  void wordsAreRunsOfLettersDigitsAndMarksAndEachHanOrKanaCharacter() {
    assertThat(Texts.countWords("Hello, world! It's 2024.")).isEqualTo(5);
    assertThat(Texts.countWords("  \n ")).isZero();
    assertThat(Texts.countWords("--- *** ...")).isZero();
    assertThat(Texts.countWords("नमस्ते दुनिया")).as("Devanagari vowel signs and virama are marks").isEqualTo(2);
    assertThat(Texts.countWords("委员会开会")).isEqualTo(5);
    assertThat(Texts.countWords("東京タワーへ行く")).isEqualTo(8);
    assertThat(Texts.countWords("GPU加速")).isEqualTo(3);
    assertThat(Texts.countWords("안녕하세요 세계")).isEqualTo(2);
  }

  @Test
  void theExactKeyIgnoresCaseWhitespaceRunsAndEdgesOnly() {
    long key = Texts.exactKey(Texts.nfc("The Café opens"));

    assertThat(Texts.exactKey(Texts.nfc("  the  CAFE\u0301\n\topens "))).isEqualTo(key);
    assertThat(Texts.exactKey(Texts.nfc("The Café opens."))).isNotEqualTo(key);
    assertThat(Texts.exactKey(Texts.nfc("The Caféopens"))).isNotEqualTo(key);
    assertThat(Texts.exactKey(Texts.nfc("The Cafe opens"))).isNotEqualTo(key);
  }

  @Test
  void blankMeansOnlyWhitespaceIncludingNoBreakSpaces() {
    assertThat(Texts.isBlank("")).isTrue();
    assertThat(Texts.isBlank(" \t\r\n\u00A0\u2003\u3000")).isTrue();
    assertThat(Texts.isBlank(" . ")).isFalse();
    assertThat(Texts.isBlank("\u0000")).isFalse();
  }

  @Test
  void shinglesSkipPunctuationAndCaseAndShortTextsAreOneShingle() {
    assertThat(signature("Hello, World!")).isEqualTo(signature("hello world"));
    assertThat(signature("hello world")).isNotEqualTo(signature("hello there"));
    assertThat(signature("abc")).isNotEqualTo(signature("abd"));
    MinHasher none = new MinHasher();
    Texts.shingle("!!! ---", none);
    assertThat(none.isEmpty()).isTrue();
  }

  private static String signature(String text) {
    MinHasher hasher = new MinHasher();
    Texts.shingle(Texts.nfc(text), hasher);
    char[] signature = new char[MinHasher.PERMUTATIONS];
    hasher.signature(signature, 0);
    return new String(signature);
  }
}
