package dev.llmops.core.observe.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.observe.LineageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Writes feedback as a JSON Lines dataset for evaluation or fine-tuning: each feedback joined with the prompt and
 * answer its lineage record holds, every text passed through a redactor.
 *
 * <p>One line per feedback, fields in this order ({@code expected} only when the feedback carries a correction; the
 * others always, {@code null} when absent):
 * <pre>
 * {"id":"fb-1","request_id":"req-9","input":"...","output":"...","expected":"...","score":0.0,"label":"wrong",
 *  "comment":"...","release":"support-v8","prompt_version":"support-answer@8","time":"2026-03-01T10:00:00Z"}
 * </pre>
 * {@code input} is the recorded prompt, {@code output} the recorded answer, {@code expected} the feedback's
 * correction; {@code input}, {@code output}, {@code expected} and {@code comment} pass through the redactor. The
 * {@code id}, {@code input}, {@code expected}, {@code score}, {@code label}, {@code comment} and {@code release} fields
 * are what the evaluation datasets read. The author is not exported.
 *
 * <p>Feedback whose request has no lineage record, or whose record holds no prompt text (content capture was off
 * when it was recorded), is skipped and counted in the {@link ExportSummary}.
 *
 * <pre>{@code
 * FeedbackExport export = FeedbackExport.builder(lineageLookup)   // request id -> Optional<LineageRecord>
 *     .redactor(text -> pii.redact(text))
 *     .build();
 * ExportSummary summary = export.write(store.between(monday, friday), Path.of("feedback.jsonl"));
 * }</pre>
 *
 * <p>Immutable and thread-safe if the lookup and redactor are.
 */
public final class FeedbackExport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<String, Optional<LineageRecord>> lookup;
  private final UnaryOperator<String> redactor;

  private FeedbackExport(Function<String, Optional<LineageRecord>> lookup, UnaryOperator<String> redactor) {
    this.lookup = lookup;
    this.redactor = redactor;
  }

  /**
   * A builder over {@code lookup}, which finds the lineage record of a request id (from a lineage reader, a
   * database, a map).
   */
  public static Builder builder(Function<String, Optional<LineageRecord>> lookup) {
    return new Builder(Objects.requireNonNull(lookup, "lookup"));
  }

  /**
   * Writes one line per exportable feedback to {@code out}, in the order given, and flushes it; does not close it.
   *
   * @param feedback the feedback to export
   * @param out where the lines go
   * @return how many were written and skipped
   * @throws UnavailableException if writing fails
   * @throws InvalidRequestException if the redactor returns {@code null}
   */
  public ExportSummary write(Iterable<Feedback> feedback, Writer out) {
    int written = 0;
    int withoutRecord = 0;
    int withoutContent = 0;
    try {
      for (Feedback f : feedback) {
        Optional<LineageRecord> found = lookup.apply(f.requestId());
        if (found.isEmpty()) {
          withoutRecord++;
          continue;
        }
        LineageRecord record = found.get();
        LineageRecord.Content content = record.content();
        if (content == null || content.prompt() == null) {
          withoutContent++;
          continue;
        }
        out.write(line(f, record, content));
        out.write('\n');
        written++;
      }
      out.flush();
    } catch (IOException e) {
      throw new UnavailableException("cannot write the feedback dataset: " + e.getMessage(), null, e);
    }
    return new ExportSummary(written, withoutRecord, withoutContent);
  }

  /**
   * Writes the dataset to {@code file}, replacing it whole: the lines go to a temporary file beside it, which is
   * then moved over it, so a reader never sees half a dataset.
   *
   * @return how many were written and skipped
   * @throws UnavailableException if the file cannot be written
   * @throws InvalidRequestException if the redactor returns {@code null}
   */
  public ExportSummary write(Iterable<Feedback> feedback, Path file) {
    Path target = file.toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
      ExportSummary summary;
      try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        summary = write(feedback, out);
      }
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return summary;
    } catch (IOException | UncheckedIOException e) {
      throw new UnavailableException("cannot write the feedback dataset " + target + ": " + e.getMessage(), null, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // the move succeeded or the write failed first; a leftover temp file is only litter
        }
      }
    }
  }

  private String line(Feedback f, LineageRecord record, LineageRecord.Content content) throws JsonProcessingException {
    ObjectNode row = JSON.createObjectNode();
    row.put("id", f.id());
    row.put("request_id", f.requestId());
    row.put("input", redact(content.prompt(), f));
    row.put("output", redact(content.answer(), f));
    if (f.correction() != null) {
      row.put("expected", redact(f.correction(), f));
    }
    row.put("score", f.score());
    row.put("label", f.label());
    row.put("comment", redact(f.comment(), f));
    row.put("release", record.release());
    row.put("prompt_version", record.prompt());
    row.put("time", f.time().toString());
    return JSON.writeValueAsString(row);
  }

  private @Nullable String redact(@Nullable String text, Feedback f) {
    if (text == null) {
      return null;
    }
    String redacted = redactor.apply(text);
    if (redacted == null) {
      throw new InvalidRequestException("the export's redactor returned null for a text of feedback " + f.id());
    }
    return redacted;
  }

  /** Settings for a {@link FeedbackExport}; not thread-safe. */
  public static final class Builder {
    private final Function<String, Optional<LineageRecord>> lookup;
    private @Nullable UnaryOperator<String> redactor;

    private Builder(Function<String, Optional<LineageRecord>> lookup) {
      this.lookup = lookup;
    }

    /**
     * What every exported text passes through (for example PII masking from the guardrails module). Required: pass
     * {@code UnaryOperator.identity()} to export text as recorded.
     */
    public Builder redactor(UnaryOperator<String> redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor");
      return this;
    }

    /**
     * The export.
     *
     * @throws InvalidRequestException if no redactor was set
     */
    public FeedbackExport build() {
      if (redactor == null) {
        throw new InvalidRequestException("a feedback export needs a redactor; pass UnaryOperator.identity() to"
            + " export text unredacted");
      }
      return new FeedbackExport(lookup, redactor);
    }
  }
}
