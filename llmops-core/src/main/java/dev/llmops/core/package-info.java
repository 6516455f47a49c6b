/**
 * Cross-cutting types of llmops: the exception hierarchy, character spans and the ticker.
 *
 * <p>Every failure an llmops component reports is a {@link dev.llmops.core.LlmOpsException}. Callers
 * decide what to do from its branch:
 * <ul>
 *   <li>{@link dev.llmops.core.RetriableException} – trying again may succeed:
 *       {@link dev.llmops.core.RateLimitedException} (with the server's {@code Retry-After}),
 *       {@link dev.llmops.core.RequestTimeoutException}, {@link dev.llmops.core.UnavailableException};</li>
 *   <li>{@link dev.llmops.core.NonRetriableException} – the same call fails again:
 *       {@link dev.llmops.core.InvalidRequestException}, {@link dev.llmops.core.AuthenticationException}, {@link dev.llmops.core.QuotaExceededException},
 *       {@link dev.llmops.core.NotFoundException}, {@link dev.llmops.core.ConflictException},
 *       {@link dev.llmops.core.PolicyViolationException}, {@link dev.llmops.core.CancelledException},
 *       {@link dev.llmops.core.MalformedResponseException}, {@link dev.llmops.core.CorruptDataException}.</li>
 * </ul>
 *
 * <p>Time is injected: components that measure latency take a {@link dev.llmops.core.Ticker}
 * ({@link dev.llmops.core.Ticker#system()} in production, a fake one from {@code llmops-test} in tests),
 * and those that stamp wall-clock times take a {@link java.time.Clock}.
 */
@NullMarked
package dev.llmops.core;

import org.jspecify.annotations.NullMarked;
