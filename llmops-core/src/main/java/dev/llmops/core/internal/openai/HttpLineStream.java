package dev.llmops.core.internal.openai;

import dev.llmops.core.CancelledException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.RequestTimeoutException;
import dev.llmops.core.UnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange whose response body is read line by line on the caller's thread, with a timeout on
 * every wait. The HTTP client's threads only put events on a queue; the caller polls it, so a server that
 * stalls is noticed after the idle timeout even though no byte arrives, and a cancelled or closed stream
 * releases its connection. Backpressure: the body is requested a line at a time as the caller consumes.
 * Not thread-safe: one caller reads one stream.
 */
public final class HttpLineStream implements AutoCloseable {

  private static final int PREFETCH_LINES = 64;

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final String endpoint;
  private final Future<?> exchange;
  private volatile Flow.@Nullable Subscription subscription;
  private HttpResponse.@Nullable ResponseInfo info;
  private boolean ended;
  private int consumedSinceRequest;
  private final java.util.concurrent.atomic.AtomicBoolean headersArrived = new java.util.concurrent.atomic.AtomicBoolean();

  private record Line(String text) {}

  private record Failure(Throwable error) {}

  private enum End { INSTANCE }

  private HttpLineStream(HttpClient client, HttpRequest request, String endpoint, ExecutorService executor) {
    this.endpoint = endpoint;
    Flow.Subscriber<String> lines = new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(PREFETCH_LINES);
      }

      @Override
      public void onNext(String line) {
        events.add(new Line(line));
      }

      @Override
      public void onError(Throwable error) {
        events.add(new Failure(error));
      }

      @Override
      public void onComplete() {
        events.add(End.INSTANCE);
      }
    };
    // The blocking send() runs on one of the client's threads for the life of the stream. sendAsync would
    // complete through CompletableFuture's default executor: a new thread per call on a two-core machine.
    HttpResponse.BodyHandler<Void> handler = responseInfo -> {
      headersArrived.set(true);
      events.add(responseInfo);
      return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
    };
    this.exchange = executor.submit(() -> {
      try {
        try {
          client.send(request, handler);
        } catch (IOException e) {
          if (headersArrived.get() || !closedBeforeResponse(e)) {
            throw e;
          }
          client.send(request, handler); // a stale keep-alive connection: once more, on a fresh one
        }
      } catch (IOException e) {
        events.add(new Failure(e));
      } catch (InterruptedException e) {
        events.add(new Failure(e)); // close() abandoned the exchange; nobody reads any more
      } catch (RuntimeException e) {
        events.add(new Failure(e));
      }
    });
  }

  /**
   * Sends {@code request}; the exchange goes on in the background until read or closed.
   *
   * @param endpoint how to name the exchange in error messages, such as {@code POST http://host/v1/embeddings}
   * @param executor runs the blocking exchange; one of its threads is busy until the stream ends or is closed
   */
  public static HttpLineStream open(HttpClient client, HttpRequest request, String endpoint, ExecutorService executor) {
    return new HttpLineStream(client, request, endpoint, executor);
  }

  /**
   * Waits for the status line and headers.
   *
   * @throws RequestTimeoutException if they do not arrive within {@code timeout}
   * @throws UnavailableException if the server could not be reached
   */
  public HttpResponse.ResponseInfo awaitHeaders(Duration timeout) {
    Object event = poll(timeout);
    if (event == null) {
      close();
      throw new RequestTimeoutException(endpoint + " sent no response within " + seconds(timeout));
    }
    if (event instanceof HttpResponse.ResponseInfo responseInfo) {
      info = responseInfo;
      return responseInfo;
    }
    throw failure(event, "before the response headers");
  }

  /** The status code; only after {@link #awaitHeaders(Duration)}. */
  public int status() {
    return requireInfo().statusCode();
  }

  /** The response headers; only after {@link #awaitHeaders(Duration)}. */
  public HttpHeaders headers() {
    return requireInfo().headers();
  }

  private HttpResponse.ResponseInfo requireInfo() {
    if (info == null) {
      throw new IllegalStateException("headers have not arrived yet");
    }
    return info;
  }

  /**
   * The next line of the body, or {@code null} at its end.
   *
   * @param idleTimeout the longest wait for this line
   * @param progress what was received so far, for error messages (such as "after 12 tokens")
   * @throws RequestTimeoutException if no line arrives within {@code idleTimeout}
   * @throws UnavailableException if the connection failed
   */
  public @Nullable String nextLine(Duration idleTimeout, String progress) {
    if (ended) {
      return null;
    }
    Object event = poll(idleTimeout);
    if (event == null) {
      close();
      throw new RequestTimeoutException(endpoint + " sent nothing for " + seconds(idleTimeout) + " " + progress);
    }
    return lineOf(event, progress);
  }

  private @Nullable String lineOf(Object event, String progress) {
    if (event instanceof Line line) {
      // Replenish in batches: a request per line would cost a call into the HTTP client for every token.
      if (++consumedSinceRequest == PREFETCH_LINES / 2) {
        consumedSinceRequest = 0;
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(PREFETCH_LINES / 2);
        }
      }
      return line.text();
    }
    if (event == End.INSTANCE) {
      ended = true;
      return null;
    }
    throw failure(event, progress);
  }

  /**
   * The rest of the body, lines joined with {@code \n}, which must be complete by {@code deadline}.
   *
   * @param deadline the {@link System#nanoTime()} by which the body must have arrived
   * @param limit the time limit the deadline stands for, for the error message
   * @throws RequestTimeoutException if the body does not complete by {@code deadline}
   */
  public String readAll(long deadline, Duration limit) {
    StringBuilder body = new StringBuilder();
    boolean first = true;
    while (!ended) {
      long remaining = deadline - System.nanoTime();
      // Past the deadline, lines that already arrived are still taken; only waiting is refused.
      Object event = remaining > 0 ? poll(Duration.ofNanos(remaining)) : events.poll();
      if (event == null) {
        close();
        throw new RequestTimeoutException(endpoint + " did not finish its response within " + seconds(limit));
      }
      String line = lineOf(event, "while the response body was arriving");
      if (line == null) {
        break;
      }
      if (!first) {
        body.append('\n');
      }
      body.append(line);
      first = false;
    }
    return body.toString();
  }

  private @Nullable Object poll(Duration timeout) {
    try {
      return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for " + endpoint, e);
    }
  }

  private LlmOpsException failure(Object event, String progress) {
    close();
    Throwable error = event instanceof Failure f ? f.error() : new IOException("unexpected event " + event);
    return toException(error, endpoint, progress);
  }

  /**
   * Whether {@code error} says the connection closed before a byte of the response arrived, as when a server
   * closes an idle keep-alive connection just as the client reuses it. The server did not answer, and most likely
   * never read the request, so sending it once more on a fresh connection is what HTTP clients such as OkHttp do.
   */
  public static boolean closedBeforeResponse(Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof java.io.EOFException) {
      return true;
    }
    if (!(error instanceof IOException) || error instanceof ConnectException || error instanceof HttpTimeoutException) {
      return false;
    }
    String message = String.valueOf(error.getMessage());
    return message.contains("received no bytes") || message.contains("EOF reached") || message.contains("Connection reset");
  }

  /**
   * The llmops exception for a transport failure of the HTTP client.
   *
   * @param error what the HTTP client reported (wrappers such as {@link CompletionException} are unwrapped)
   * @param endpoint the method and URL
   * @param progress how far the exchange got, such as "after 3 tokens"
   */
  public static LlmOpsException toException(Throwable error, String endpoint, String progress) {
    while ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
      error = error.getCause();
    }
    String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    if (error instanceof HttpConnectTimeoutException) {
      return new RequestTimeoutException("could not connect to " + endpoint + " in time: " + detail, null, error);
    }
    if (error instanceof HttpTimeoutException) {
      return new RequestTimeoutException(endpoint + " timed out " + progress + ": " + detail, null, error);
    }
    if (error instanceof ConnectException) {
      return new UnavailableException("could not connect to " + endpoint + ": " + detail, null, error);
    }
    return new UnavailableException("the connection to " + endpoint + " failed " + progress + ": " + detail, null, error);
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /**
   * Reads what is left of the body for at most {@code limit}, ignoring it, so that a finished exchange ends
   * cleanly and its connection can be reused. Never throws; if the body does not end in time, {@link #close()}
   * abandons it.
   */
  public void drain(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try {
      while (!ended) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || nextLine(Duration.ofNanos(remaining), "while draining") == null) {
          return;
        }
      }
    } catch (RuntimeException e) {
      // the answer is complete; a failure after it does not matter
    }
  }

  /** Abandons the exchange and releases its connection; safe to call more than once. */
  @Override
  public void close() {
    if (ended) {
      return; // the body ended: the exchange is over and its connection goes back to the pool
    }
    ended = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    exchange.cancel(true);
  }
}
