package dev.llmops.core.observe;

import dev.llmops.core.InvalidRequestException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When the JSON Lines sink ({@link LineageSink#jsonLines}) closes its file and starts a new one: when the next batch
 * would take the file past {@code maxBytes}, and/or when the file is older than {@code maxAge} at the time of a write
 * (files are not rotated between writes, so an idle file stays open). A batch is never split across files — a retry
 * after a failed write then finds none of it stored, so no line is written twice — so a file holds at least one
 * batch and may exceed {@code maxBytes} by up to one batch (the async writer's batches are at most its
 * {@code maxBatch} records).
 *
 * <pre>{@code
 * RotationPolicy.bySize(64 << 20).withMaxAge(Duration.ofHours(1))   // 64 MiB or one hour, whichever comes first
 * }</pre>
 *
 * @param maxBytes the largest file, in bytes; {@link Long#MAX_VALUE} for no limit
 * @param maxAge the oldest file, or {@code null} for no limit
 */
public record RotationPolicy(long maxBytes, @Nullable Duration maxAge) {

  /** One file until the sink is closed. */
  public static final RotationPolicy NEVER = new RotationPolicy(Long.MAX_VALUE, null);

  /**
   * Validates.
   *
   * @throws InvalidRequestException if {@code maxBytes} is not positive or {@code maxAge} is not positive
   */
  public RotationPolicy {
    if (maxBytes < 1) {
      throw new InvalidRequestException("rotation maxBytes must be positive but was " + maxBytes);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new InvalidRequestException("rotation maxAge must be positive but was " + maxAge);
    }
  }

  /** Rotates when a file would exceed {@code maxBytes}. */
  public static RotationPolicy bySize(long maxBytes) {
    return new RotationPolicy(maxBytes, null);
  }

  /** Rotates when a file is older than {@code maxAge}. */
  public static RotationPolicy byTime(Duration maxAge) {
    return new RotationPolicy(Long.MAX_VALUE, maxAge);
  }

  /** This policy with an age limit as well. */
  public RotationPolicy withMaxAge(Duration age) {
    return new RotationPolicy(maxBytes, age);
  }

  /** This policy with a size limit as well. */
  public RotationPolicy withMaxBytes(long bytes) {
    return new RotationPolicy(bytes, maxAge);
  }
}
