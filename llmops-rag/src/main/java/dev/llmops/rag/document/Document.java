package dev.llmops.rag.document;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A source document, as loaded and before chunking: its extracted text with where its pages and sections
 * start, so that chunks and citations can point back into it.
 *
 * @param id the stable id that refreshes and citations use (a relative path, a URL, a database key)
 * @param title the title, or the empty string
 * @param source where it was loaded from (a path or URL), or the empty string
 * @param text the extracted text; spans in citations are offsets into it
 * @param metadata fields that queries can filter on by exact value
 * @param access the tenant and groups allowed to retrieve it
 * @param pageStarts for paged sources (PDF), the offset in {@code text} where each page begins: element
 *     {@code i} is where page {@code i + 1} starts, the first is 0; empty for sources without pages
 * @param sectionStarts offsets in {@code text} where a heading starts a new section, ascending; chunkers
 *     prefer to cut there. Empty when the source has no structure
 */
public record Document(
    String id, String title, String source, String text, Map<String, String> metadata, AccessControl access,
    List<Integer> pageStarts, List<Integer> sectionStarts) {

  /** Validates and copies. */
  public Document {
    if (id.isBlank()) {
      throw new IllegalArgumentException("a document needs a non-blank id");
    }
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(access, "access");
    metadata = Map.copyOf(metadata);
    for (String key : metadata.keySet()) {
      if (key.isBlank()) {
        throw new IllegalArgumentException("document " + id + " has a blank metadata field name");
      }
    }
    pageStarts = List.copyOf(pageStarts);
    sectionStarts = List.copyOf(sectionStarts);
    checkOffsets(id, "page", pageStarts, text.length(), true);
    checkOffsets(id, "section", sectionStarts, text.length(), false);
  }

  private static void checkOffsets(String id, String what, List<Integer> starts, int length, boolean fromZero) {
    int previous = -1;
    for (int i = 0; i < starts.size(); i++) {
      int s = starts.get(i);
      if (s < 0 || s > length || s <= previous && !(s == previous && "page".equals(what))) {
        throw new IllegalArgumentException("document " + id + ": " + what + " starts must ascend within the text "
            + "(length " + length + ") but were " + starts);
      }
      previous = s;
    }
    if (fromZero && !starts.isEmpty() && starts.get(0) != 0) {
      throw new IllegalArgumentException("document " + id + ": the first page must start at 0 but was " + starts.get(0));
    }
  }

  /**
   * The 1-based page on which character {@code offset} lies, or {@code null} when the document has no pages.
   *
   * @param offset a character offset in {@link #text()}
   */
  public @Nullable Integer pageAt(int offset) {
    if (pageStarts.isEmpty()) {
      return null;
    }
    int page = 1;
    for (int i = 1; i < pageStarts.size(); i++) {
      if (pageStarts.get(i) <= offset) {
        page = i + 1;
      } else {
        break;
      }
    }
    return page;
  }

  /** A builder for a document with {@code id} and {@code text}; everything else is optional. */
  public static Builder builder(String id, String text) {
    return new Builder(id, text);
  }

  /** A document with only an id and text. */
  public static Document of(String id, String text) {
    return builder(id, text).build();
  }

  /** A builder starting from this document's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id, text).title(title).source(source).access(access);
    b.metadata.putAll(metadata);
    b.pageStarts.addAll(pageStarts);
    b.sectionStarts.addAll(sectionStarts);
    return b;
  }

  /** Builds a {@link Document}. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String text;
    private String title = "";
    private String source = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private AccessControl access = AccessControl.PUBLIC;
    private final List<Integer> pageStarts = new ArrayList<>();
    private final List<Integer> sectionStarts = new ArrayList<>();

    private Builder(String id, String text) {
      this.id = id;
      this.text = text;
    }

    /** Replaces the id. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Replaces the text (and keeps page and section offsets, which must still fit). */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** The title. */
    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** Where the document came from. */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** Adds or replaces a metadata field. */
    public Builder metadata(String name, String value) {
      metadata.put(name, value);
      return this;
    }

    /** Adds or replaces metadata fields. */
    public Builder metadata(Map<String, String> fields) {
      metadata.putAll(fields);
      return this;
    }

    /** Who may retrieve it. */
    public Builder access(AccessControl access) {
      this.access = access;
      return this;
    }

    /** The owning tenant, keeping the groups set so far. */
    public Builder tenant(@Nullable String tenant) {
      this.access = new AccessControl(tenant, access.groups());
      return this;
    }

    /** Restricts it to groups, keeping the tenant. */
    public Builder groups(String... groups) {
      this.access = new AccessControl(access.tenant(), Set.copyOf(Arrays.asList(groups)));
      return this;
    }

    /** Where each page starts (see {@link Document#pageStarts()}). */
    public Builder pageStarts(List<Integer> starts) {
      pageStarts.clear();
      pageStarts.addAll(starts);
      return this;
    }

    /** Where each section starts (see {@link Document#sectionStarts()}). */
    public Builder sectionStarts(List<Integer> starts) {
      sectionStarts.clear();
      sectionStarts.addAll(starts);
      return this;
    }

    /** Builds the document, checking every value. */
    public Document build() {
      return new Document(id, title, source, text, metadata, access, pageStarts, sectionStarts);
    }
  }
}
