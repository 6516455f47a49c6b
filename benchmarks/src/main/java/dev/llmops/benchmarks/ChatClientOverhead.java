package dev.llmops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.openai.OpenAiClient;
import dev.llmops.test.FakeOpenAiServer;
import dev.llmops.test.ScriptedChatModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Client-side cost of one chat call through an OpenAI-compatible HTTP client: llmops' {@link OpenAiClient}
 * against LangChain4j's {@code OpenAiChatModel} / {@code OpenAiStreamingChatModel} (JDK HTTP client), with a
 * bare {@code java.net.http} call plus Jackson parsing as the floor. All three talk to the same
 * {@link FakeOpenAiServer} on loopback, answering the same scripted reply, in the same JVM; rounds alternate
 * between the clients so drift of the machine hits all of them alike. Every answer is checked to be the expected
 * text, so the clients do the same work.
 *
 * <p>The server opens one connection per request (see {@link FakeOpenAiServer}), so each call includes a TCP
 * connect on loopback for every client alike. The server runs in the same process and shares the CPU.
 */
final class ChatClientOverhead {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ChatClientOverhead() {}

  /** How much to run. */
  record Settings(int rounds, int calls, int threads, int replyWords, Path out, java.util.Set<String> modes) {
    static Settings parse(String[] args) {
      Map<String, String> o = CommandOptions.parse(args,
          java.util.Set.of("--rounds", "--calls", "--threads", "--reply-words", "--out", "--modes"));
      int rounds = Integer.parseInt(o.getOrDefault("--rounds", "5"));
      int calls = Integer.parseInt(o.getOrDefault("--calls", "400"));
      int threads = Integer.parseInt(o.getOrDefault("--threads", "16"));
      int words = Integer.parseInt(o.getOrDefault("--reply-words", "64"));
      Path out = Path.of(o.getOrDefault("--out", "target/results"));
      java.util.Set<String> modes = java.util.Set.of(o.getOrDefault("--modes", "chat,stream,chat-concurrent").split(","));
      if (rounds < 1 || calls < 1 || threads < 1 || words < 1) {
        throw new IllegalArgumentException("rounds, calls, threads and reply words must be at least 1");
      }
      return new Settings(rounds, calls, threads, words, out, modes);
    }
  }

  /** One client under test. */
  interface Side extends AutoCloseable {
    String name();

    String chat(String question);

    String stream(String question);

    @Override
    void close();
  }

  /** One row of results: a client in a mode, calls per second over the rounds. */
  record Row(String mode, String side, double median, double min, double max) {}

  /** All rows, with the settings and the machine. */
  record Report(Settings settings, List<Row> rows, String machine) {
    double median(String mode, String side) {
      return rows.stream().filter(r -> r.mode().equals(mode) && r.side().equals(side)).findFirst()
          .map(Row::median).orElseThrow();
    }

    String table() {
      StringBuilder text = new StringBuilder();
      text.append(String.format(Locale.ROOT, "client overhead: %d rounds x %d calls, reply %d words, %d threads for "
          + "the concurrent mode; %s%n", settings.rounds(), settings.calls(), settings.replyWords(), settings.threads(), machine));
      text.append(String.format(Locale.ROOT, "%-18s %-12s %12s %10s %10s %16s%n", "mode", "client", "calls/s (med)",
          "min", "max", "llmops / this"));
      for (Row row : rows) {
        double ratio = median(row.mode(), "llmops") / row.median();
        text.append(String.format(Locale.ROOT, "%-18s %-12s %12.1f %10.1f %10.1f %16.2f%n", row.mode(), row.side(),
            row.median(), row.min(), row.max(), ratio));
      }
      return text.toString();
    }

    Path write(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path file = dir.resolve("client-overhead.jsonl");
      List<String> lines = new ArrayList<>();
      String when = Instant.now().toString();
      for (Row row : rows) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("benchmark", "client-overhead");
        line.put("time", when);
        line.put("machine", machine);
        line.put("mode", row.mode());
        line.put("client", row.side());
        line.put("calls_per_second_median", row.median());
        line.put("llmops_ratio", median(row.mode(), "llmops") / row.median());
        line.put("rounds", settings.rounds());
        line.put("calls", settings.calls());
        lines.add(JSON.writeValueAsString(line));
      }
      Files.write(file, lines);
      return file;
    }
  }

  static Report run(Settings settings) throws Exception {
    String reply = Arrays.stream(new String[settings.replyWords()]).map(x -> "word").collect(Collectors.joining(" "));
    try (FakeOpenAiServer server = FakeOpenAiServer.builder().chatModel(ScriptedChatModel.alwaysReplying(reply))
        .threads(Math.max(16, settings.threads())).start()) {
      List<Side> sides = List.of(new Llmops(server.baseUrl()), new LangChain4j(server.baseUrl()), new RawJdk(server.baseUrl()));
      try {
        List<Row> rows = new ArrayList<>();
        if (settings.modes().contains("chat")) {
          rows.addAll(measure("chat", sides, settings, reply, (side, q) -> side.chat(q), 1));
        }
        if (settings.modes().contains("stream")) {
          rows.addAll(measure("stream", sides, settings, reply, (side, q) -> side.stream(q), 1));
        }
        if (settings.modes().contains("chat-concurrent")) {
          rows.addAll(measure("chat-concurrent", sides, settings, reply, (side, q) -> side.chat(q), settings.threads()));
        }
        String machine = Runtime.getRuntime().availableProcessors() + " cpus, Java " + Runtime.version();
        return new Report(settings, rows, machine);
      } finally {
        sides.forEach(Side::close);
      }
    }
  }

  private interface Call {
    String apply(Side side, String question);
  }

  private static List<Row> measure(String mode, List<Side> sides, Settings settings, String reply, Call call, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (Side side : sides) { // warm up, and check that every client gets the whole answer
        runCalls(pool, threads, Math.max(20, settings.calls() / 2), side, call, reply);
      }
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      sides.forEach(s -> rates.put(s.name(), new ArrayList<>()));
      for (int round = 0; round < settings.rounds(); round++) {
        for (int i = 0; i < sides.size(); i++) {
          Side side = sides.get((i + round) % sides.size()); // rotate the order each round
          long start = System.nanoTime();
          runCalls(pool, threads, settings.calls(), side, call, reply);
          double seconds = (System.nanoTime() - start) / 1e9;
          rates.get(side.name()).add(settings.calls() / seconds);
        }
      }
      List<Row> rows = new ArrayList<>();
      for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
        List<Double> sorted = e.getValue().stream().sorted().toList();
        rows.add(new Row(mode, e.getKey(), sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1)));
      }
      return rows;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runCalls(ExecutorService pool, int threads, int calls, Side side, Call call, String reply)
      throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int share = calls / threads + (t < calls % threads ? 1 : 0);
      futures.add(pool.submit(() -> {
        for (int i = 0; i < share; i++) {
          String answer = call.apply(side, "question " + i);
          if (!answer.equals(reply)) {
            throw new IllegalStateException(side.name() + " returned a different answer: " + answer);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.MINUTES);
    }
  }

  /** llmops' client. */
  static final class Llmops implements Side {
    private final OpenAiClient client;
    private final ChatModel model;

    Llmops(String baseUrl) {
      client = OpenAiClient.builder().baseUrl(baseUrl).apiKey("sk-bench").build();
      model = client.chatModel("bench-model");
    }

    @Override
    public String name() {
      return "llmops";
    }

    @Override
    public String chat(String question) {
      return model.chat(question);
    }

    @Override
    public String stream(String question) {
      StringBuilder text = new StringBuilder();
      model.stream(ChatRequest.of(question), text::append);
      return text.toString();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** LangChain4j 1.x, OpenAI module with its default JDK HTTP client. */
  static final class LangChain4j implements Side {
    private final OpenAiChatModel chat;
    private final OpenAiStreamingChatModel streaming;

    LangChain4j(String baseUrl) {
      chat = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("sk-bench").modelName("bench-model")
          .timeout(Duration.ofSeconds(60)).maxRetries(0).build();
      streaming = OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("sk-bench").modelName("bench-model")
          .timeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public String name() {
      return "langchain4j";
    }

    @Override
    public String chat(String question) {
      return chat.chat(question);
    }

    @Override
    public String stream(String question) {
      StringBuilder text = new StringBuilder();
      CompletableFuture<String> done = new CompletableFuture<>();
      streaming.chat(question, new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String partial) {
          text.append(partial);
        }

        @Override
        public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
          done.complete(text.toString());
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
      return done.join();
    }

    @Override
    public void close() {
      // LangChain4j's models hold no resources to release
    }
  }

  /** The floor: a bare java.net.http call and Jackson parsing, no features. */
  static final class RawJdk implements Side {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;

    RawJdk(String baseUrl) {
      uri = URI.create(baseUrl + "/chat/completions");
    }

    @Override
    public String name() {
      return "raw-jdk-http";
    }

    private HttpRequest request(String question, boolean stream) {
      String body = "{\"model\":\"bench-model\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
          + JSON.valueToTree(question) + "}]}";
      return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .header("Authorization", "Bearer sk-bench").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private <T> T send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      try {
        return http.send(request, handler).body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static JsonNode parse(String json) {
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String chat(String question) {
      String body = send(request(question, false), HttpResponse.BodyHandlers.ofString());
      return parse(body).path("choices").path(0).path("message").path("content").asText();
    }

    @Override
    public String stream(String question) {
      StringBuilder text = new StringBuilder();
      send(request(question, true), HttpResponse.BodyHandlers.ofLines()).forEach(line -> {
        if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
          JsonNode delta = parse(line.substring(6)).path("choices").path(0).path("delta").path("content");
          if (delta.isTextual()) {
            text.append(delta.asText());
          }
        }
      });
      return text.toString();
    }

    @Override
    public void close() {
      // nothing to release on Java 17
    }
  }
}
