package dev.llmops.core.internal.openai;

import dev.llmops.core.CancelledException;
import dev.llmops.core.RequestTimeoutException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response read whole, for calls that are not streamed, with the whole exchange (connect, headers, body)
 * bounded by one deadline.
 *
 * <p>It uses the blocking {@link HttpClient#send}, not {@code sendAsync(...).get(timeout)}: the asynchronous
 * path completes through {@code CompletableFuture}'s default executor, which on a machine with two cores is a new
 * thread per call, and that halved the throughput of concurrent callers in the client-overhead benchmark. The
 * deadline is enforced by a watchdog that interrupts the waiting thread, which makes the JDK client abandon the
 * exchange; the interrupt never leaks to the caller.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body bytes
 */
public record HttpWholeResponse(int status, HttpHeaders headers, byte[] body) {

  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "llmops-http-deadlines");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /**
   * Sends {@code request} and waits for the whole response.
   *
   * @param endpoint the method and URL, for messages
   * @param timeout the longest wait for all of it
   * @throws RequestTimeoutException if it does not complete in time (the exchange is then abandoned)
   * @throws dev.llmops.core.UnavailableException if the server could not be reached or the connection failed
   * @throws CancelledException if the calling thread is interrupted
   */
  public static HttpWholeResponse send(HttpClient client, HttpRequest request, String endpoint, Duration timeout) {
    Deadline deadline = new Deadline(Thread.currentThread());
    ScheduledFuture<?> alarm = WATCHDOG.schedule(deadline::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      HttpResponse<byte[]> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (!HttpLineStream.closedBeforeResponse(e)) {
          throw e;
        }
        // A stale keep-alive connection: the server closed it without answering. Once more, on a fresh one.
        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      }
      deadline.finish();
      return new HttpWholeResponse(response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      if (deadline.finish()) {
        throw new RequestTimeoutException(endpoint + " did not finish its response within " + HttpLineStream.seconds(timeout));
      }
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for " + endpoint, e);
    } catch (IOException e) {
      if (deadline.finish()) {
        throw new RequestTimeoutException(endpoint + " did not finish its response within " + HttpLineStream.seconds(timeout));
      }
      throw HttpLineStream.toException(e, endpoint, "before the response was complete");
    } finally {
      alarm.cancel(false);
      deadline.finish(); // idempotent; also covers unchecked exceptions, so a late alarm cannot interrupt the caller
    }
  }

  /** The body as UTF-8 text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Interrupts the waiting thread once, unless the call finished first. Both transitions happen under the same
   * lock, so when {@link #finish()} sees the expiry the interrupt has already been delivered and can be cleared.
   */
  private static final class Deadline {
    private final Thread caller;
    private boolean finished;
    private boolean expired;

    Deadline(Thread caller) {
      this.caller = caller;
    }

    synchronized void expire() {
      if (!finished) {
        expired = true;
        caller.interrupt();
      }
    }

    /** Ends the race; returns whether the deadline fired, clearing its interrupt from the caller. */
    synchronized boolean finish() {
      finished = true;
      if (expired) {
        Thread.interrupted(); // ours, not the caller's: do not let it leak
      }
      return expired;
    }
  }
}
