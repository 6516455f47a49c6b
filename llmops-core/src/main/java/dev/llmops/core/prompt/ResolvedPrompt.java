package dev.llmops.core.prompt;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The concrete version a label served to a caller, to render and to record in lineage.
 *
 * @param version the version
 * @param label the label it was resolved through, or {@code null} when asked for by number
 * @param labelRevision the label's revision at the time, or 0
 */
public record ResolvedPrompt(PromptVersion version, @Nullable String label, long labelRevision) {

  /** Validates the fields. */
  public ResolvedPrompt {
    Objects.requireNonNull(version, "version");
  }

  /** {@code name@version}. */
  public String ref() {
    return version.ref();
  }
}
