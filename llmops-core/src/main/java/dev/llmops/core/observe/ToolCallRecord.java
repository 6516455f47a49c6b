package dev.llmops.core.observe;

import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One tool call an agent made, as lineage records it. The arguments are recorded only as a hash
 * ({@link Lineage#sha256Hex(String)} of the arguments JSON), so no user data leaks into the record.
 *
 * @param step the agent step the call belongs to, from 1
 * @param tool the tool's name; not blank
 * @param argumentsHash SHA-256 hex (64 lower-case hex digits) of the arguments
 * @param guardDecision what the tool-call guard decided ({@code pass}, {@code block}, ...), or {@code null} when no
 *     guard judged the call
 * @param duration how long the tool ran; not negative
 * @param status how the call ended ({@code ok}, {@code error}, {@code timeout}, {@code blocked}, ...); not blank
 */
public record ToolCallRecord(
    int step, String tool, String argumentsHash, @Nullable String guardDecision, Duration duration, String status) {

  /**
   * Validates.
   *
   * @throws InvalidRequestException if a value is out of range or the hash is not SHA-256 hex
   */
  public ToolCallRecord {
    if (step < 1) {
      throw new InvalidRequestException("tool call step must be at least 1 but was " + step);
    }
    if (tool.isBlank()) {
      throw new InvalidRequestException("tool call at step " + step + " needs the tool's name but got '" + tool + "'");
    }
    Lineage.checkSha256(argumentsHash, "tool call '" + tool + "' arguments hash");
    if (duration.isNegative()) {
      throw new InvalidRequestException("tool call '" + tool + "' duration must not be negative but was " + duration);
    }
    if (status.isBlank()) {
      throw new InvalidRequestException("tool call '" + tool + "' needs a status but got '" + status + "'");
    }
  }
}
