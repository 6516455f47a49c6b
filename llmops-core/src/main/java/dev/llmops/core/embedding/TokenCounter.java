package dev.llmops.core.embedding;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way a model's tokenizer does, so that text can be cut into pieces that fit its window.
 * Chunkers measure with it; embedding models that own a tokenizer hand one out (for example
 * {@code OnnxEmbeddingModel.tokenCounter()}). Implementations are safe to share across threads, and their
 * {@code toString()} names the tokenizer and window the same way in every run: chunkers put it in their
 * fingerprint, so that an index re-chunks when the tokenizer changes and only then.
 */
public interface TokenCounter {

  /**
   * The tokens of {@code text}, not counting the special tokens a model adds around every input.
   *
   * @param text any text, possibly empty
   * @return the number of tokens, 0 for empty text
   */
  int countTokens(String text);

  /** The most tokens, special tokens not counted, that one input may have before the model must cut it. */
  int maxTokens();

  /**
   * An estimate for models whose tokenizer is not at hand: one token per word and one per punctuation mark,
   * plus one for every 4 characters a word has beyond its first 6 (long words split into word pieces).
   * Within about 15% of WordPiece and BPE counts on English prose; use the model's own counter when it has one.
   *
   * @param maxTokens the window, at least 1
   * @return the estimating counter
   */
  static TokenCounter approximate(int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1 but was " + maxTokens);
    }
    Pattern piece = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");
    return new TokenCounter() {
      @Override
      public int countTokens(String text) {
        Matcher m = piece.matcher(text);
        int n = 0;
        while (m.find()) {
          int len = m.end() - m.start();
          n += 1 + (len > 6 ? (len - 6 + 3) / 4 : 0);
        }
        return n;
      }

      @Override
      public int maxTokens() {
        return maxTokens;
      }

      @Override
      public String toString() {
        return "TokenCounter.approximate(" + maxTokens + ")";
      }
    };
  }
}
