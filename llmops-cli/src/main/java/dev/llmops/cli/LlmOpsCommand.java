package dev.llmops.cli;

import dev.llmops.core.LlmOpsException;
import dev.llmops.core.openai.OpenAiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code llmops} command; subcommands do the work. */
@Command(
    name = "llmops",
    mixinStandardHelpOptions = true,
    versionProvider = LlmOpsCommand.Version.class,
    description = "Run large language models in production: chat, prompts, embeddings, classifiers, retrieval, guards, "
        + "routing, evaluation, lineage.",
    subcommands = {ChatCommand.class, PromptsCommand.class, EmbedCommand.class, ClassifyCommand.class, QuantizeCommand.class,
        IndexCommand.class, SearchCommand.class, GuardCommand.class, RouteCommand.class, LineageCommand.class,
        EvalCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:success",
        "1:failed; running it again unchanged fails again",
        "2:bad arguments",
        "3:failed in a way that may pass if run again (rate limit, timeout, outage)"})
public final class LlmOpsCommand implements Runnable {

  private final Map<String, String> environment;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** A command that reads the process environment. */
  public LlmOpsCommand() {
    this(System.getenv());
  }

  /** A command that reads {@code environment} instead of the process environment (for tests and embedding). */
  public LlmOpsCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * A client for an OpenAI-compatible server: {@code baseUrl}, else {@code LLMOPS_BASE_URL}, else OpenAI; the API key
   * from the variable named {@code apiKeyVariable}, else {@code LLMOPS_API_KEY} when set.
   *
   * @throws CommandLine.ParameterException for a bad URL or a missing key variable
   */
  OpenAiClient openAiClient(CommandLine.Model.CommandSpec spec, @Nullable String baseUrl, @Nullable String apiKeyVariable,
      Duration timeout) {
    OpenAiClient.Builder builder = OpenAiClient.builder().environment(environment())
        .requestTimeout(timeout).streamIdleTimeout(timeout);
    String url = baseUrl != null ? baseUrl : environment().get("LLMOPS_BASE_URL");
    try {
      if (url != null && !url.isBlank()) {
        builder.baseUrl(url);
      }
      String variable = apiKeyVariable;
      if (variable == null && environment().containsKey("LLMOPS_API_KEY")) {
        variable = "LLMOPS_API_KEY";
      }
      if (variable != null) {
        builder.apiKeyFromEnvironment(variable);
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  Map<String, String> environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** Runs {@code llmops} with {@code args} and exits the JVM with its status. */
  public static void main(String... args) {
    System.exit(execute(args));
  }

  /** Runs {@code llmops} with {@code args} on the process's standard streams and returns the exit status. */
  public static int execute(String... args) {
    return commandLine(new LlmOpsCommand(), new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args);
  }

  /** A picocli command line for {@code command}, writing to {@code out} and {@code err}, with llmops exit codes. */
  public static CommandLine commandLine(LlmOpsCommand command, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(command);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> {
      if (e instanceof CommandLine.ParameterException) {
        return ExitCodes.USAGE;
      }
      return e instanceof LlmOpsException l && l.isRetriable() ? ExitCodes.RETRIABLE : ExitCodes.FAILED;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter stderr = commandLine.getErr();
      stderr.println("llmops: " + message(e));
      if (e instanceof CommandLine.ParameterException p) { // found while running, such as a bad value combination
        stderr.println("Try '" + p.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
        stderr.flush();
        return ExitCodes.USAGE;
      }
      stderr.flush();
      return commandLine.getExitCodeExceptionMapper().getExitCode(e);
    });
    return cli;
  }

  private static String message(Exception e) {
    String text = e.getMessage();
    return text == null ? e.getClass().getSimpleName() : text;
  }

  /** The version, from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"llmops " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
  }

  /** The llmops version this command was built as. */
  public static String version() {
    try (InputStream in = LlmOpsCommand.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      properties.load(Objects.requireNonNull(in, "version.properties is missing from the llmops jar"));
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the llmops version", e);
    }
  }
}
