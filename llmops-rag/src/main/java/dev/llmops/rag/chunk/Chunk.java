package dev.llmops.rag.chunk;

import dev.llmops.core.TextSpan;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A passage of a document, the unit that is embedded, indexed and retrieved.
 *
 * @param documentId the document it was cut from
 * @param ordinal its position among the document's chunks, from 0
 * @param text the passage, equal to {@code span.of(document.text())}
 * @param span where it lies in the document's text
 * @param page the 1-based page its first character is on, or {@code null} for sources without pages
 * @param tokens the length of {@link #embeddingText()} in tokens, as the chunker's
 *     {@link dev.llmops.core.embedding.TokenCounter} counted it
 * @param context text an index puts in front of the passage when it embeds it (for example the document title),
 *     which the chunker counted in {@code tokens}; empty when there is none
 */
public record Chunk(
    String documentId, int ordinal, String text, TextSpan span, @Nullable Integer page, int tokens, String context) {

  /** Validates. */
  public Chunk {
    if (documentId.isBlank()) {
      throw new IllegalArgumentException("a chunk needs a document id");
    }
    if (ordinal < 0) {
      throw new IllegalArgumentException("a chunk ordinal starts at 0 but was " + ordinal);
    }
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(span, "span");
    if (span.length() != text.length()) {
      throw new IllegalArgumentException("chunk " + ordinal + " of " + documentId + " has " + text.length()
          + " characters but its span " + span + " covers " + span.length());
    }
    Objects.requireNonNull(context, "context");
    if (tokens < 0) {
      throw new IllegalArgumentException("a chunk's token count cannot be negative but was " + tokens);
    }
  }

  /** What an index embeds: the context, a line break and the passage, or the passage alone. */
  public String embeddingText() {
    return context.isEmpty() ? text : context + "\n" + text;
  }

  /** The chunk's id in an index: the document id, {@code #}, and the ordinal. */
  public String id() {
    return documentId + "#" + ordinal;
  }
}
