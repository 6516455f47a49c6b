package dev.llmops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.LlmOpsException;
import dev.llmops.core.chat.ChatModel;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.eval.DatasetError;
import dev.llmops.core.eval.EvalComparison;
import dev.llmops.core.eval.EvalDataset;
import dev.llmops.core.eval.EvalReport;
import dev.llmops.core.eval.EvalTarget;
import dev.llmops.core.eval.Evaluation;
import dev.llmops.core.eval.TargetAnswer;
import dev.llmops.core.openai.OpenAiClient;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.PriceTable;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.Router;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops eval}: a golden dataset against a model behind an OpenAI-compatible server, as a CI gate. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
        "Run a golden dataset (JSON Lines: id, input, vars, expected, context, assert, weight, repeat, tags; see "
            + "site/src/docs/evaluation.md) against a model behind an OpenAI-compatible server, and fail the build "
            + "when the weighted pass rate is below --min-pass-rate.",
        "Standard output gets one JSON line: {\"name\", \"target\", \"weighted_pass_rate\", \"min_pass_rate\", "
            + "\"cases\", \"cases_passed\", \"attempts\", \"bad_rows\", \"passed\", \"regressed\": [ids]} (unless a "
            + "report is written to '-'). Bad dataset rows go to standard error as {\"line\": N, \"id\": ..., "
            + "\"error\": \"...\"}; the other rows run."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the weighted pass rate reached --min-pass-rate and every row was good",
        "1:some dataset rows were bad (the others ran and passed), or the run failed and will fail again",
        "2:bad arguments",
        "3:no case got an answer and the failure may pass if run again (rate limit, timeout, outage)",
        "4:the weighted pass rate is below --min-pass-rate",
        "5:with --fail-on-regression: a case regressed against the --compare baseline"})
final class EvalCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.ParentCommand LlmOpsCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "The golden dataset, JSON Lines.")
  Path dataset = Path.of("");

  @Option(names = "--base-url", paramLabel = "URL",
      description = "The server's base URL, such as http://localhost:11434/v1. Default: $LLMOPS_BASE_URL, else OpenAI.")
  @Nullable String baseUrl;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "NAME", description = "The model id (Azure: deployment).")
  String model = "";

  @Option(names = "--api-key-env", paramLabel = "VAR",
      description = "Read the API key from this environment variable. Default: LLMOPS_API_KEY when it is set, "
          + "OPENAI_API_KEY for OpenAI itself, else no key. The key is never printed.")
  @Nullable String apiKeyVariable;

  @Option(names = "--release", paramLabel = "LABEL",
      description = "Evaluate the model as router release LABEL (route 'eval', the router's retries apply); the label "
          + "names the target in the reports, so runs of two releases can be compared.")
  @Nullable String release;

  @Option(names = "--name", paramLabel = "NAME", description = "The run's name in the reports (default: the dataset's file name).")
  @Nullable String name;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Attempts per case, for cases without their own \"repeat\" (default: ${DEFAULT-VALUE}).")
  int repeat = 1;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "1",
      description = "How many calls run at once (default: ${DEFAULT-VALUE}).")
  int concurrency = 1;

  @Option(names = "--min-pass-rate", paramLabel = "RATE", defaultValue = "1.0",
      description = "The least weighted pass rate, in [0, 1], below which the command exits with 4 (default: ${DEFAULT-VALUE}).")
  double minPassRate = 1;

  @Option(names = "--min-case-pass-rate", paramLabel = "RATE", defaultValue = "1.0",
      description = "The share of a case's attempts that must pass for the case to pass, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double minCasePassRate = 1;

  @Option(names = "--price-input", paramLabel = "PRICE", description = "Price of a million input tokens, for cost "
      + "assertions and totals (with --price-output).")
  @Nullable Double priceInput;

  @Option(names = "--price-output", paramLabel = "PRICE", description = "Price of a million output tokens.")
  @Nullable Double priceOutput;

  @Option(names = "--report-json", paramLabel = "FILE", description = "Write the full report as JSON (- for standard output).")
  @Nullable String reportJson;

  @Option(names = "--report-md", paramLabel = "FILE", description = "Write the report as Markdown (- for standard output).")
  @Nullable String reportMarkdown;

  @Option(names = "--compare", paramLabel = "BASELINE.json",
      description = "A JSON report of an earlier run: list the cases that regressed or improved.")
  @Nullable Path compare;

  @Option(names = "--fail-on-regression", description = "With --compare, exit with 5 when any case regressed.")
  boolean failOnRegression;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "The longest wait for one answer (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 120;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    EvalReport baseline = compare == null ? null : EvalReport.read(compare);
    EvalDataset data = EvalDataset.load(dataset);
    PrintWriter err = spec.commandLine().getErr();
    for (DatasetError e : data.errors()) {
      ObjectNode row = JSON.createObjectNode().put("line", e.line());
      if (e.caseId() != null) {
        row.put("id", e.caseId());
      }
      err.println(JSON.writeValueAsString(row.put("error", e.message())));
    }
    err.flush();
    PriceTable prices = priceInput == null ? null : PriceTable.of(priceInput, priceOutput == null ? 0 : priceOutput);
    EvalReport report;
    Tracking tracking;
    try (OpenAiClient client = client()) {
      ChatModel chat = client.chatModel(model);
      if (release == null) {
        tracking = new Tracking(prices == null ? EvalTarget.of(chat) : EvalTarget.of(chat, prices));
        report = run(data, tracking);
      } else {
        Deployment.Builder deployment = Deployment.builder(model, chat);
        if (prices != null) {
          deployment.prices(prices);
        }
        try (Router router = Router.builder().deployment(deployment.build())
            .release(Release.builder(release).deployments(model).build())
            .route(Route.builder("eval").release(release, 1).build()).build()) {
          tracking = new Tracking(EvalTarget.release(router, "eval", release));
          report = run(data, tracking);
        }
      }
    }
    LlmOpsException failure = tracking.lastFailure.get();
    if (tracking.answered.get() == 0 && failure != null && !data.cases().isEmpty()) {
      throw failure; // nothing answered: report the cause (exit 3 when retrying may help), not a pass rate of 0
    }
    EvalComparison diff = baseline == null ? null : EvalReport.compare(baseline, report);
    write(reportJson, report.toJson());
    if (reportMarkdown != null) {
      write(reportMarkdown, report.toMarkdown() + (diff == null ? "" : "\n" + diff.toMarkdown()));
    }
    boolean passed = report.weightedPassRate() >= minPassRate;
    if (!"-".equals(reportJson) && !"-".equals(reportMarkdown)) {
      ObjectNode summary = JSON.createObjectNode();
      summary.put("name", report.name()).put("target", report.target())
          .put("weighted_pass_rate", report.weightedPassRate()).put("min_pass_rate", minPassRate)
          .put("cases", report.cases().size()).put("cases_passed", report.casesPassed())
          .put("attempts", report.attemptCount()).put("bad_rows", report.errors().size()).put("passed", passed);
      if (diff != null) {
        ArrayNode regressed = summary.putArray("regressed");
        diff.regressed().forEach(c -> regressed.add(c.id()));
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(JSON.writeValueAsString(summary));
      out.flush();
    }
    if (!passed) {
      err.printf(Locale.ROOT, "llmops: weighted pass rate %.4f is below --min-pass-rate %s (%d of %d cases passed)%n",
          report.weightedPassRate(), minPassRate, report.casesPassed(), report.cases().size());
      err.flush();
      return ExitCodes.BELOW_THRESHOLD;
    }
    if (diff != null && failOnRegression && diff.hasRegressions()) {
      err.println("llmops: regressed against " + compare + ": " + diff.regressed());
      err.flush();
      return ExitCodes.REGRESSED;
    }
    return data.errors().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private void checkOptions() {
    CommandLine cl = spec.commandLine();
    if (!(minPassRate >= 0 && minPassRate <= 1)) {
      throw new CommandLine.ParameterException(cl, "--min-pass-rate must be in [0, 1] but was " + minPassRate);
    }
    if (timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(cl, "--timeout must be at least 1 second but was " + timeoutSeconds);
    }
    if ("-".equals(reportJson) && "-".equals(reportMarkdown)) {
      throw new CommandLine.ParameterException(cl, "--report-json and --report-md cannot both go to standard output");
    }
    if ((priceInput == null) != (priceOutput == null)) {
      throw new CommandLine.ParameterException(cl, "--price-input and --price-output go together");
    }
    if (failOnRegression && compare == null) {
      throw new CommandLine.ParameterException(cl, "--fail-on-regression needs --compare BASELINE.json");
    }
    if (release != null && release.isBlank()) {
      throw new CommandLine.ParameterException(cl, "--release must not be blank");
    }
    try {
      if (priceInput != null) {
        PriceTable.of(priceInput, priceOutput == null ? 0 : priceOutput);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  private EvalReport run(EvalDataset data, EvalTarget target) {
    Path file = dataset.getFileName();
    try {
      return Evaluation.builder().name(name != null ? name : file == null ? dataset.toString() : file.toString())
          .dataset(data).target(target).repeat(repeat).concurrency(concurrency).minCasePassRate(minCasePassRate)
          .run();
    } catch (InvalidRequestException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private void write(@Nullable String target, String text) throws IOException {
    if (target == null) {
      return;
    }
    try (Output output = Output.open(target, spec.commandLine().getOut())) {
      output.writer().write(text);
      output.commit();
    }
  }

  private OpenAiClient client() {
    return parent.openAiClient(spec, baseUrl, apiKeyVariable, Duration.ofSeconds(timeoutSeconds));
  }

  /** Counts answers and keeps the last failure, to tell "nothing answered" from "answers were wrong". */
  private static final class Tracking implements EvalTarget {
    private final EvalTarget target;
    final AtomicInteger answered = new AtomicInteger();
    final AtomicReference<@Nullable LlmOpsException> lastFailure = new AtomicReference<>();

    Tracking(EvalTarget target) {
      this.target = target;
    }

    @Override
    public TargetAnswer answer(ChatRequest request) {
      try {
        TargetAnswer answer = target.answer(request);
        answered.incrementAndGet();
        return answer;
      } catch (LlmOpsException e) {
        lastFailure.set(e);
        throw e;
      }
    }

    @Override
    public String description() {
      return target.description();
    }
  }
}
