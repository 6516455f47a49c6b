package dev.llmops.rag.chunk;

import dev.llmops.core.TextSpan;
import dev.llmops.core.embedding.TokenCounter;
import dev.llmops.rag.document.Document;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cuts documents by their structure under a token limit, with overlap.
 *
 * <p>The text is split recursively: first at section starts (headings the loader found), then at blank lines
 * (paragraphs), line breaks, sentence ends, spaces, and as a last resort inside a word, going one level finer
 * only for the pieces that are still over the limit. The pieces are then packed in order into chunks of at
 * most {@link #maxTokens()} tokens; when a chunk is full it ends at the strongest boundary in its second half
 * (a paragraph end rather than a sentence end, a sentence end rather than a space), never spans two sections,
 * and the next chunk starts up to {@link #overlapTokens()} tokens before the end of the last one, on a piece
 * boundary. Chunk text is the document text under the chunk's span, with surrounding white space left out.
 *
 * <p>Tokens are counted with the embedding model's {@link TokenCounter}, so a chunk fits the model's window
 * whole and nothing is silently truncated. The document title becomes each chunk's {@link Chunk#context()} (what
 * an index embeds in front of the passage) when it takes at most a quarter of the limit; its tokens are counted
 * in the chunk's budget. Immutable and thread-safe when the counter is.
 */
public final class RecursiveChunker implements Chunker {

  private static final int SECTION = 5;
  private static final int PARAGRAPH = 4;
  private static final int LINE = 3;
  private static final int SENTENCE = 2;
  private static final int WORD = 1;
  private static final int CHARACTER = 0;

  private final TokenCounter counter;
  private final int maxTokens;
  private final int overlapTokens;

  private RecursiveChunker(TokenCounter counter, int maxTokens, int overlapTokens) {
    this.counter = counter;
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  /**
   * A chunker filling the counter's window ({@link TokenCounter#maxTokens()}, at most 512) with an overlap of
   * one eighth of it.
   */
  public static RecursiveChunker of(TokenCounter counter) {
    return builder(counter).build();
  }

  /** A builder measuring with {@code counter}. */
  public static Builder builder(TokenCounter counter) {
    return new Builder(counter);
  }

  /** The most tokens in a chunk. */
  public int maxTokens() {
    return maxTokens;
  }

  /** The most tokens a chunk repeats from the end of the one before. */
  public int overlapTokens() {
    return overlapTokens;
  }

  @Override
  public String fingerprint() {
    return "recursive/2 max=" + maxTokens + " overlap=" + overlapTokens + " counter=" + counter;
  }

  @Override
  public String toString() {
    return "RecursiveChunker[" + fingerprint() + "]";
  }

  @Override
  public List<Chunk> chunk(Document document) {
    String text = document.text();
    String title = document.title().strip();
    // The title goes in front of every chunk when embedded, if it leaves three quarters of the limit.
    int titleTokens = title.isEmpty() ? 0 : counter.countTokens(title + "\n");
    boolean withTitle = !title.isEmpty() && titleTokens * 4 <= maxTokens;
    String context = withTitle ? title : "";
    int contextTokens = withTitle ? titleTokens : 0;
    int budget = maxTokens - contextTokens;
    List<Piece> pieces = new ArrayList<>();
    List<Integer> sections = new ArrayList<>(document.sectionStarts());
    int from = 0;
    for (int s : sections) {
      if (s > from) {
        split(text, from, s, SECTION, strengthBefore(pieces), budget, pieces);
      }
      from = Math.max(from, s);
      markSectionStart(pieces, from);
    }
    split(text, from, text.length(), SECTION, strengthBefore(pieces), budget, pieces);
    return pack(document, pieces, budget, context, contextTokens);
  }

  /** The boundary strength the next piece gets: a section start if it begins one, else the caller's level. */
  private static int strengthBefore(List<Piece> pieces) {
    return pieces.isEmpty() ? SECTION : PARAGRAPH;
  }

  private static void markSectionStart(List<Piece> pieces, int offset) {
    // The piece that will start at or after offset begins a section; recorded by position in pack().
    pieces.add(new Piece(offset, offset, 0, SECTION));
  }

  /**
   * Splits {@code text[start, end)} into pieces that fit, at the boundaries of {@code level} and finer.
   * {@code before} is the strength of the boundary in front of the first piece.
   */
  private void split(String text, int start, int end, int level, int before, int budget, List<Piece> out) {
    int s = start;
    int e = end;
    while (s < e && Character.isWhitespace(text.charAt(s))) {
      s++;
    }
    while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
      e--;
    }
    if (s >= e) {
      return;
    }
    int tokens = counter.countTokens(text.substring(s, e));
    if (tokens <= budget) {
      out.add(new Piece(s, e, tokens, before));
      return;
    }
    int finer = level - 1;
    if (finer == CHARACTER) {
      splitCharacters(text, s, e, before, budget, out);
      return;
    }
    List<Integer> cuts = boundaries(text, s, e, finer);
    if (cuts.isEmpty()) {
      split(text, s, e, finer, before, budget, out);
      return;
    }
    int pieceStart = s;
    int strength = before;
    for (int cut : cuts) {
      split(text, pieceStart, cut, finer, strength, budget, out);
      pieceStart = cut;
      strength = finer;
    }
    split(text, pieceStart, e, finer, strength, budget, out);
  }

  /** Offsets strictly inside (s, e) where a piece of the given level begins. */
  private static List<Integer> boundaries(String text, int s, int e, int level) {
    List<Integer> cuts = new ArrayList<>();
    switch (level) {
      case PARAGRAPH -> {
        int i = s;
        while (i < e) {
          int nl = text.indexOf('\n', i);
          if (nl < 0 || nl >= e) {
            break;
          }
          int j = nl + 1;
          while (j < e && text.charAt(j) != '\n' && Character.isWhitespace(text.charAt(j))) {
            j++;
          }
          if (j < e && text.charAt(j) == '\n') {
            int k = j;
            while (k < e && Character.isWhitespace(text.charAt(k))) {
              k++;
            }
            if (k < e) {
              cuts.add(k);
            }
            i = k;
          } else {
            i = nl + 1;
          }
        }
      }
      case LINE -> {
        for (int i = s; i < e - 1; i++) {
          if (text.charAt(i) == '\n') {
            cuts.add(i + 1);
          }
        }
      }
      case SENTENCE -> {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text.substring(s, e));
        for (int b = it.next(); b != BreakIterator.DONE; b = it.next()) {
          if (s + b < e) {
            cuts.add(s + b);
          }
        }
      }
      case WORD -> {
        for (int i = s + 1; i < e; i++) {
          if (!Character.isWhitespace(text.charAt(i)) && Character.isWhitespace(text.charAt(i - 1))) {
            cuts.add(i);
          }
        }
      }
      default -> throw new IllegalStateException("no boundaries at level " + level);
    }
    return cuts;
  }

  /** Cuts a run with no usable boundary (a huge word, a base64 blob) into the longest prefixes that fit. */
  private void splitCharacters(String text, int s, int e, int before, int budget, List<Piece> out) {
    int start = s;
    int strength = before;
    while (start < e) {
      int lo = start + 1;
      int hi = e;
      // Gallop before bisecting, so that finding each piece measures about its own length, not the rest of the run
      // (which made a long run quadratic: a 10-million-character blob took minutes).
      int width = Math.max(1, budget);
      while (width < e - start) {
        if (counter.countTokens(text.substring(start, start + width)) <= budget) {
          lo = Math.max(lo, start + width);
          width = (int) Math.min(2L * width, e - start);
        } else {
          hi = start + width - 1;
          break;
        }
      }
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (counter.countTokens(text.substring(start, mid)) <= budget) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      int end = lo;
      if (end < e && Character.isLowSurrogate(text.charAt(end)) && end - 1 > start) {
        end--;
      }
      out.add(new Piece(start, end, counter.countTokens(text.substring(start, end)), strength));
      start = end;
      strength = CHARACTER;
    }
  }

  private List<Chunk> pack(Document document, List<Piece> all, int budget, String context, int contextTokens) {
    String text = document.text();
    // Section markers are zero-width pieces: fold them into the strength of the piece that follows.
    List<Piece> pieces = new ArrayList<>(all.size());
    boolean sectionNext = false;
    for (Piece p : all) {
      if (p.start == p.end) {
        sectionNext = true;
        continue;
      }
      pieces.add(sectionNext ? new Piece(p.start, p.end, p.tokens, SECTION) : p);
      sectionNext = false;
    }
    List<Chunk> chunks = new ArrayList<>();
    int first = 0;
    int previousEnd = 0;
    while (first < pieces.size()) {
      int end = first;
      int tokens = 0;
      while (end < pieces.size()) {
        Piece p = pieces.get(end);
        if (end > first && (p.before == SECTION || tokens + p.tokens > budget)) {
          break;
        }
        tokens += p.tokens;
        end++;
      }
      if (end < pieces.size() && pieces.get(end).before != SECTION) {
        end = strongestCut(pieces, first, end, previousEnd + 1);
      }
      // Counting the joined text can differ from the sum of the pieces (a tokenizer may make tokens of the line
      // breaks between them); shrink until it fits: from the end while the chunk still gets past the previous one,
      // then by giving up overlap. One piece alone always fits.
      String chunkText = text.substring(pieces.get(first).start, pieces.get(end - 1).end);
      int counted = counter.countTokens(chunkText);
      while (counted > budget && end - first > 1) {
        if (end - 1 > previousEnd) {
          end--;
        } else {
          first++;
        }
        chunkText = text.substring(pieces.get(first).start, pieces.get(end - 1).end);
        counted = counter.countTokens(chunkText);
      }
      int start = pieces.get(first).start;
      chunks.add(new Chunk(document.id(), chunks.size(), chunkText, new TextSpan(start, start + chunkText.length()),
          document.pageAt(start), counted + contextTokens, context));
      if (end >= pieces.size()) {
        break;
      }
      first = overlapStart(pieces, first, end, budget);
      previousEnd = end;
    }
    return chunks;
  }

  /** Where to end a full chunk [first, end): at the strongest boundary in its second half, the latest on ties. */
  private int strongestCut(List<Piece> pieces, int first, int end, int minEnd) {
    int total = 0;
    for (int i = first; i < end; i++) {
      total += pieces.get(i).tokens;
    }
    int best = end;
    int bestStrength = pieces.get(end).before;
    int tokens = total;
    for (int cut = end - 1; cut > first && cut >= minEnd; cut--) {
      tokens -= pieces.get(cut).tokens;
      if (tokens * 2 < total) {
        break;
      }
      int strength = pieces.get(cut).before;
      if (strength > bestStrength) {
        best = cut;
        bestStrength = strength;
      }
    }
    return best;
  }

  /** The first piece of the next chunk: as far back from {@code end} as the overlap allows, always past first. */
  private int overlapStart(List<Piece> pieces, int first, int end, int budget) {
    if (pieces.get(end).before == SECTION || overlapTokens == 0) {
      return end;
    }
    int start = end;
    int tokens = 0;
    while (start - 1 > first) {
      Piece p = pieces.get(start - 1);
      if (tokens + p.tokens > overlapTokens || tokens + p.tokens + pieces.get(end).tokens > budget) {
        break;
      }
      tokens += p.tokens;
      start--;
      if (p.before == SECTION) {
        break;
      }
    }
    return start;
  }

  private record Piece(int start, int end, int tokens, int before) {}

  /** Builds a {@link RecursiveChunker}. Not thread-safe. */
  public static final class Builder {
    private final TokenCounter counter;
    private int maxTokens;
    private int overlapTokens = -1;

    private Builder(TokenCounter counter) {
      this.counter = Objects.requireNonNull(counter, "counter");
      this.maxTokens = Math.min(counter.maxTokens(), 512);
    }

    /** The most tokens in a chunk; default the counter's window, at most 512. Cannot exceed the window. */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be at least 1 but was " + maxTokens);
      }
      if (maxTokens > counter.maxTokens()) {
        throw new IllegalArgumentException("maxTokens " + maxTokens + " exceeds the model window of "
            + counter.maxTokens() + " tokens (" + counter + "); chunks would be truncated");
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /** Tokens repeated from the end of the previous chunk; default one eighth of maxTokens. */
    public Builder overlapTokens(int overlapTokens) {
      if (overlapTokens < 0) {
        throw new IllegalArgumentException("overlapTokens cannot be negative but was " + overlapTokens);
      }
      this.overlapTokens = overlapTokens;
      return this;
    }

    /** Builds the chunker. */
    public RecursiveChunker build() {
      int overlap = overlapTokens < 0 ? maxTokens / 8 : overlapTokens;
      if (overlap >= maxTokens) {
        throw new IllegalArgumentException(
            "overlapTokens (" + overlap + ") must be less than maxTokens (" + maxTokens + ")");
      }
      return new RecursiveChunker(counter, maxTokens, overlap);
    }
  }
}
