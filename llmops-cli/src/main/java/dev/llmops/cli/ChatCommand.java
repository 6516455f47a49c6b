package dev.llmops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.openai.OpenAiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmops chat}: one question to an OpenAI-compatible server, the answer on standard output. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
        "Ask a model one question through an OpenAI-compatible server (OpenAI, Azure OpenAI, vLLM, Ollama, TGI, ...).",
        "The answer is streamed to standard output; with --json one JSON object (text, finish reason, usage, latency) is printed instead."})
final class ChatCommand implements java.util.concurrent.Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.ParentCommand LlmOpsCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "The server's base URL, such as http://localhost:11434/v1. Default: $LLMOPS_BASE_URL, else OpenAI.")
  @Nullable String baseUrl;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "The model id (Azure: deployment).")
  String model = "";

  @Option(names = "--api-key-env", paramLabel = "VAR",
      description = "Read the API key from this environment variable. Default: OPENAI_API_KEY for OpenAI itself, "
          + "LLMOPS_API_KEY when it is set, else no key. The key is never printed.")
  @Nullable String apiKeyVariable;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message sent before the question.")
  @Nullable String system;

  @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature in [0, 2].")
  @Nullable Double temperature;

  @Option(names = "--max-tokens", paramLabel = "N", description = "The most tokens to generate.")
  @Nullable Integer maxTokens;

  @Option(names = "--stop", paramLabel = "SEQ", description = "A stop sequence; repeat for several.")
  List<String> stop = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "A sampling seed, where the server supports one.")
  @Nullable Long seed;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "The longest wait for the answer, and the longest silence within a stream (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--stream", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Stream tokens as they arrive (default) or wait for the whole answer.")
  boolean stream = true;

  @Option(names = "--json", description = "Print one JSON object with the answer, finish reason, usage and latency.")
  boolean json;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the answer to FILE instead of standard output.")
  @Nullable Path out;

  @Parameters(paramLabel = "QUESTION", arity = "0..*",
      description = "The question; words are joined with spaces. Without it, or with '-', it is read from standard input.")
  List<String> question = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    if (timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second but was " + timeoutSeconds);
    }
    String text = questionText();
    if (text.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing the question (as arguments or on standard input)");
    }
    ChatRequest request;
    try {
      ChatRequest.Builder builder = ChatRequest.builder().model(model).temperature(temperature).maxTokens(maxTokens)
          .seed(seed).stop(stop.toArray(String[]::new));
      if (system != null) {
        builder.system(system);
      }
      request = builder.user(text).build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (OpenAiClient client = client(); Sink sink = sink()) {
      ChatModel chat = client.chatModel(model);
      ChatResponse response;
      if (stream && !json) {
        response = chat.stream(request, token -> write(sink, token));
      } else {
        response = chat.chat(request);
        if (!json) {
          write(sink, response.text());
        }
      }
      write(sink, json ? JSON.writeValueAsString(toJson(response)) + System.lineSeparator() : System.lineSeparator());
      sink.commit();
      TokenUsage usage = response.usage();
      if (!json && usage != null && out != null) {
        spec.commandLine().getErr().printf(Locale.ROOT, "%s: %d input + %d output tokens, %d ms, finish %s%n",
            response.modelId(), usage.inputTokens(), usage.outputTokens(), response.latency().toMillis(),
            response.finishReason().name().toLowerCase(Locale.ROOT));
      }
    }
    return ExitCodes.OK;
  }

  private OpenAiClient client() {
    return parent.openAiClient(spec, baseUrl, apiKeyVariable, Duration.ofSeconds(timeoutSeconds));
  }

  private String questionText() throws IOException {
    if (question.isEmpty() || question.equals(List.of("-"))) {
      InputStream in = System.in;
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    return String.join(" ", question);
  }

  /** Where the answer goes: standard output (left open), or a file replaced only when the command succeeds. */
  private abstract static class Sink extends Writer {
    /** Keeps what was written; without it, closing discards a file's partial content. */
    abstract void commit() throws IOException;
  }

  private Sink sink() throws IOException {
    if (out == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      return new Sink() {
        @Override
        public void write(char[] buffer, int offset, int length) {
          stdout.write(buffer, offset, length);
        }

        @Override
        public void flush() {
          stdout.flush();
        }

        @Override
        void commit() {
          stdout.flush();
        }

        @Override
        public void close() {
          stdout.flush();
        }
      };
    }
    Path target = out.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    Writer file = new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8);
    return new Sink() {
      private boolean committed;

      @Override
      public void write(char[] buffer, int offset, int length) throws IOException {
        file.write(buffer, offset, length);
      }

      @Override
      public void flush() throws IOException {
        file.flush();
      }

      @Override
      void commit() throws IOException {
        file.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
      }

      @Override
      public void close() throws IOException {
        if (!committed) {
          file.close();
          Files.deleteIfExists(temp); // a failed run leaves an earlier answer file as it was
        }
      }
    };
  }

  private static void write(Writer sink, String text) {
    try {
      sink.write(text);
      sink.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the answer", e);
    }
  }

  private static ObjectNode toJson(ChatResponse response) {
    ObjectNode node = JSON.createObjectNode();
    node.put("text", response.text());
    node.put("finish_reason", response.finishReason().name().toLowerCase(Locale.ROOT));
    node.put("model", response.modelId());
    if (response.responseId() != null) {
      node.put("id", response.responseId());
    }
    TokenUsage usage = response.usage();
    if (usage != null) {
      node.putObject("usage").put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens())
          .put("cached_input_tokens", usage.cachedInputTokens()).put("reasoning_tokens", usage.reasoningTokens());
    }
    node.put("latency_ms", response.latency().toMillis());
    if (response.hasToolCalls()) {
      ArrayNode calls = node.putArray("tool_calls");
      for (ToolCall call : response.toolCalls()) {
        calls.addObject().put("id", call.id()).put("name", call.name()).put("arguments", call.argumentsJson());
      }
    }
    return node;
  }
}
