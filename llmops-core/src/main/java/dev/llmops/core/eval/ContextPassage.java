package dev.llmops.core.eval;

import dev.llmops.core.InvalidRequestException;
import java.util.Objects;

/**
 * One retrieved passage a case's answer should be grounded in and may cite.
 *
 * @param id the passage's id, as an answer would cite it (a chunk id, a document id); passages given in a dataset
 *     as plain strings get their 1-based position ({@code "1"}, {@code "2"}, ...), which is what {@code [1]} cites
 * @param text the passage
 */
public record ContextPassage(String id, String text) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException if the id is blank
   */
  public ContextPassage {
    Objects.requireNonNull(text, "text");
    if (id == null || id.isBlank()) {
      throw new InvalidRequestException("a context passage needs a non-blank id but got "
          + (id == null ? "null" : "'" + id + "'"));
    }
  }
}
