package dev.llmops.core.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP/1.1 server on a raw {@link ServerSocket} bound to 127.0.0.1 on a free port, for tests of
 * HTTP clients, including the failures a real server library would not produce: a stream that stalls
 * after some events, a connection dropped in the middle of a chunked body, headers that never come.
 *
 * <p>Every connection serves exactly one request and is closed after the response ({@code Connection:
 * close}). Each request is answered with the next {@linkplain #enqueue(Script...) queued script}, or,
 * when the queue is empty, by the {@linkplain #otherwise(Handler) fallback handler} (which by default
 * answers 500). Every request is recorded (method, target, headers, body) for assertions.
 *
 * <p>One thread per connection from a bounded pool. {@link #close()} closes the listening socket and every
 * open connection, wakes scripts that stall or pause, and waits for the threads to end.
 */
final class ScriptedHttpServer implements AutoCloseable {

  private static final int MAX_CONNECTIONS = 64;
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSocket serverSocket;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<RecordedRequest> arrivals = new LinkedBlockingQueue<>();
  private final List<Throwable> serverErrors = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger responsesStarted = new AtomicInteger();
  private volatile Handler fallback = request -> Script.json(500,
      "{\"error\":{\"message\":\"no script left for " + request.method() + " " + request.target() + "\"}}");

  /** Answers one request. */
  @FunctionalInterface
  interface Handler {
    /** The response to {@code request}; called on the connection's thread. */
    Script respond(RecordedRequest request);
  }

  private ScriptedHttpServer() throws IOException {
    serverSocket = new ServerSocket();
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    AtomicInteger threads = new AtomicInteger();
    workers = Executors.newFixedThreadPool(MAX_CONNECTIONS, r -> {
      Thread t = new Thread(r, "scripted-http-" + serverSocket.getLocalPort() + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    acceptor = new Thread(this::acceptLoop, "scripted-http-" + serverSocket.getLocalPort() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a server on a free loopback port. */
  static ScriptedHttpServer start() {
    try {
      return new ScriptedHttpServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port it listens on. */
  int port() {
    return serverSocket.getLocalPort();
  }

  /** {@code http://127.0.0.1:port}, without a path. */
  String root() {
    return "http://127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:port/v1}, an OpenAI-style base URL. */
  String baseUrl() {
    return root() + "/v1";
  }

  /** Queues responses; each answers one request, in order. */
  ScriptedHttpServer enqueue(Script... responses) {
    scripts.addAll(List.of(responses));
    return this;
  }

  /** Answers requests that find the queue empty. */
  ScriptedHttpServer otherwise(Handler handler) {
    this.fallback = handler;
    return this;
  }

  /** The requests received so far, in arrival order. */
  List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** How many requests arrived. */
  int requestCount() {
    return requests.size();
  }

  /** The only request received; fails if there were none or several. */
  RecordedRequest onlyRequest() {
    List<RecordedRequest> all = requests();
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one request but the server received " + all.size() + ": " + all);
    }
    return all.get(0);
  }

  /** The next request to arrive (in arrival order), waiting up to 10 s for it. */
  RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = arrivals.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request arrived within 10 s");
    }
    return request;
  }

  /** How many responses the server began to send (status line about to be written). */
  int responsesStarted() {
    return responsesStarted.get();
  }

  /** Unexpected failures on the server side (malformed requests), for diagnosis. */
  List<Throwable> serverErrors() {
    return List.copyOf(serverErrors);
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!serverSocket.isClosed()) {
          serverErrors.add(e);
        }
        return;
      }
      open.add(socket);
      try {
        workers.execute(() -> serve(socket));
      } catch (RejectedExecutionException e) {
        closeQuietly(socket);
        open.remove(socket);
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(10_000); // a request never takes long to arrive from the client under test
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      RecordedRequest request = readRequest(in);
      if (request == null) {
        return; // connected and went away without a request
      }
      requests.add(request);
      arrivals.add(request);
      Script script = scripts.poll();
      if (script == null) {
        script = fallback.respond(request);
      }
      script.play(socket, closing, responsesStarted);
    } catch (SocketException e) {
      // the client closed the connection (cancelled, timed out) or the server is closing: expected
    } catch (IOException e) {
      if (closing.getCount() > 0 && !isClientGone(e)) {
        serverErrors.add(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      serverErrors.add(e);
    } finally {
      open.remove(socket);
    }
  }

  private static boolean isClientGone(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("broken pipe") || message.contains("reset") || message.contains("closed");
  }

  private static RecordedRequest readRequest(InputStream in) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x request line: '" + requestLine + "'");
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int headerBytes = 0;
    while (true) {
      String line = readLine(in);
      if (line == null) {
        throw new IOException("the connection ended inside the request headers");
      }
      if (line.isEmpty()) {
        break;
      }
      headerBytes += line.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new IOException("request headers exceed " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed request header: '" + line + "'");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(line.substring(colon + 1).trim());
    }
    byte[] body;
    List<String> length = headers.get("content-length");
    List<String> encoding = headers.get("transfer-encoding");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.get(0)));
    } else if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
      body = readChunked(in);
    } else {
      body = new byte[0];
    }
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new RecordedRequest(parts[0], parts[1], Collections.unmodifiableMap(frozen),
        new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      if (sizeLine == null) {
        throw new IOException("the connection ended inside a chunked request body");
      }
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        String trailer;
        do {
          trailer = readLine(in);
        } while (trailer != null && !trailer.isEmpty());
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in); // the CRLF after the chunk
    }
  }

  /** A line of ISO-8859-1 text up to CRLF (or LF), without the terminator; null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) c);
      if (line.length() > MAX_HEADER_BYTES) {
        throw new IOException("request line too long");
      }
    }
    return line.length() == 0 ? null : line.toString();
  }

  /**
   * Closes the listening socket and every connection, wakes paused and stalled scripts, and waits for the
   * connection threads to end.
   */
  @Override
  public void close() {
    closing.countDown();
    closeQuietly(serverSocket);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the scripted server's threads did not end within 5 s");
      }
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  // ------------------------------------------------------------------------------------ requests

  /**
   * One request as it arrived.
   *
   * @param method the HTTP method
   * @param target the request target: path and query
   * @param headers header values by lower-case name
   * @param body the body, decoded as UTF-8
   */
  record RecordedRequest(String method, String target, Map<String, List<String>> headers, String body) {

    /** The path, without the query. */
    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    /** The query string without {@code ?}, or null. */
    String query() {
      int q = target.indexOf('?');
      return q < 0 ? null : target.substring(q + 1);
    }

    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether header {@code name} was sent. */
    boolean hasHeader(String name) {
      return headers.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The body parsed as JSON. */
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("the request body is not JSON: " + body, e);
      }
    }
  }

  // ------------------------------------------------------------------------------------ scripts

  /**
   * A response script: status and headers, then body writes and pauses, then an ending. Build with the
   * static factories and the chained methods; a script is played once.
   */
  static final class Script {

    private enum Framing { LENGTH, CHUNKED, CLOSE }

    private enum Ending { COMPLETE, STALL, DROP }

    private sealed interface Step permits Write, Pause {}

    private record Write(byte[] bytes) implements Step {}

    private record Pause(long millis) implements Step {}

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private Framing framing = Framing.LENGTH;
    private Ending ending = Ending.COMPLETE;
    private long headDelayMillis;
    private boolean stallBeforeHead;
    private boolean closeBeforeHead;

    private Script(int status) {
      this.status = status;
    }

    /** A response with {@code status} and no body yet. */
    static Script status(int status) {
      return new Script(status);
    }

    /** A JSON response with a {@code Content-Length} body. */
    static Script json(int status, String json) {
      return status(status).header("Content-Type", "application/json").body(json);
    }

    /** A plain-text response with a {@code Content-Length} body. */
    static Script text(int status, String text) {
      return status(status).header("Content-Type", "text/plain; charset=utf-8").body(text);
    }

    /** A 200 {@code text/event-stream} response with a chunked body; add events with {@link #event}. */
    static Script sse() {
      return status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache").chunked();
    }

    /**
     * Reads the request and closes the connection without a byte of response, as a server does when it closes an
     * idle keep-alive connection at the moment the client reuses it.
     */
    static Script closeWithoutResponse() {
      Script script = status(200);
      script.closeBeforeHead = true;
      return script;
    }

    /** Reads the request and never answers: no status line, no headers, until the server closes. */
    static Script noResponse() {
      Script script = status(200);
      script.stallBeforeHead = true;
      return script;
    }

    /** Adds a response header. */
    Script header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Appends body text (UTF-8). */
    Script body(String text) {
      return raw(text);
    }

    /** Appends raw body text (UTF-8), written as one piece (one chunk when chunked). */
    Script raw(String text) {
      steps.add(new Write(text.getBytes(StandardCharsets.UTF_8)));
      return this;
    }

    /** Appends one server-sent event: {@code data: <data>} and a blank line. */
    Script event(String data) {
      return raw("data: " + data + "\n\n");
    }

    /** Appends the {@code [DONE]} event. */
    Script done() {
      return event("[DONE]");
    }

    /** Waits before the next write (the headers are already sent). */
    Script pause(long millis) {
      steps.add(new Pause(millis));
      return this;
    }

    /** Waits before sending the status line. */
    Script delayHeaders(Duration delay) {
      this.headDelayMillis = delay.toMillis();
      return this;
    }

    /** Sends the body with chunked transfer-encoding, one chunk per write. */
    Script chunked() {
      framing = Framing.CHUNKED;
      return this;
    }

    /** Sends the body without a length; its end is the end of the connection. */
    Script closeDelimited() {
      framing = Framing.CLOSE;
      return this;
    }

    /** After the writes, sends nothing more but keeps the connection open until the server closes. */
    Script thenStall() {
      ending = Ending.STALL;
      return this;
    }

    /** After the writes, closes the connection without finishing the body (no last chunk). */
    Script thenDrop() {
      ending = Ending.DROP;
      return this;
    }

    /**
     * Plays the script on {@code socket}; counts the response in {@code started} just before its status line.
     *
     * @return whether the response was completed normally
     */
    boolean play(Socket socket, CountDownLatch closing, AtomicInteger started) throws IOException, InterruptedException {
      if (stallBeforeHead) {
        closing.await();
        return false;
      }
      if (closeBeforeHead) {
        return false;
      }
      if (headDelayMillis > 0 && closing.await(headDelayMillis, TimeUnit.MILLISECONDS)) {
        return false;
      }
      started.incrementAndGet();
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (framing == Framing.LENGTH) {
        long length = steps.stream().filter(Write.class::isInstance).mapToLong(s -> ((Write) s).bytes().length).sum();
        head.append("Content-Length: ").append(length).append("\r\n");
      } else if (framing == Framing.CHUNKED) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      for (Step step : steps) {
        if (step instanceof Pause pause) {
          if (closing.await(pause.millis(), TimeUnit.MILLISECONDS)) {
            return false;
          }
        } else if (step instanceof Write write) {
          if (framing == Framing.CHUNKED) {
            if (write.bytes().length == 0) {
              continue; // an empty chunk would end the body
            }
            out.write((Integer.toHexString(write.bytes().length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(write.bytes());
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          } else {
            out.write(write.bytes());
          }
          out.flush();
        }
      }
      switch (ending) {
        case STALL -> {
          closing.await();
          return false;
        }
        case DROP -> {
          socket.close();
          return false;
        }
        default -> {
          if (framing == Framing.CHUNKED) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
          out.flush();
          socket.shutdownOutput();
          return true;
        }
      }
    }

    private static String reason(int status) {
      return switch (status) {
        case 200 -> "OK";
        case 400 -> "Bad Request";
        case 401 -> "Unauthorized";
        case 403 -> "Forbidden";
        case 404 -> "Not Found";
        case 429 -> "Too Many Requests";
        case 500 -> "Internal Server Error";
        case 502 -> "Bad Gateway";
        case 503 -> "Service Unavailable";
        case 504 -> "Gateway Timeout";
        default -> "Status " + status;
      };
    }
  }
}
