package dev.llmops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.TextSpan;
import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.chain.ChainFinding;
import dev.llmops.guardrails.chain.ChainResult;
import dev.llmops.guardrails.chain.GuardChain;
import dev.llmops.guardrails.chain.GuardOutcome;
import dev.llmops.guardrails.chain.GuardPolicy;
import dev.llmops.guardrails.chain.GuardRecord;
import dev.llmops.guardrails.chain.GuardResources;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops guard}: JSON Lines of texts in, one guard-chain verdict per text out. */
@Command(
    name = "guard",
    mixinStandardHelpOptions = true,
    description = {
        "Run a guard policy over the texts of a JSON Lines file.",
        "Each input line {\"id\": ..., \"text\": \"...\"} gives one output line {\"id\": ..., \"action\": "
            + "\"pass|rewrite|block|reask|escalate\", \"text\": \"...\", \"risk\": R, \"findings\": [{\"guard\", "
            + "\"type\", \"start\", \"end\", \"score\"}], \"policy\": \"NAME@VERSION\"}, in input order. \"text\" is the "
            + "text to go on with (rewritten or unchanged) for pass and rewrite, and the message for the user, the "
            + "instruction for the model or the reviewer's reason otherwise. start and end are character (UTF-16) "
            + "offsets into the input text, null for findings about the whole text; findings of the chain itself "
            + "(a text over the policy's maxTextLength) have the guard \"chain\".",
        "The default policy runs invisible-text, prompt-injection, pii (redact) and secrets on input, and pii and "
            + "secrets on output.",
        "A bad row is reported on standard error as {\"line\": N, \"id\": ..., \"error\": \"...\"} and skipped; "
            + "the command then exits with 1 after writing every other row."},
    subcommands = {TrainInjectionCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every row got a verdict (whatever the verdicts were)",
        "1:some rows were bad (the others were written), or the run failed and will fail again",
        "2:bad arguments or a malformed policy",
        "3:failed in a way that may pass if run again"})
final class GuardCommand extends TextRowsCommand {

  @Option(names = "--policy", paramLabel = "default|FILE", defaultValue = "default",
      description = "A built-in policy (default) or a policy JSON file (default: ${DEFAULT-VALUE}).")
  String policy = "default";

  @Option(names = "--stage", paramLabel = "input|output", defaultValue = "input",
      description = "Check the texts as model input (the policy's input guards, the default) or as model answers "
          + "(its output guards).")
  String stage = "input";

  @Option(names = "--model", paramLabel = "NAME|DIR|none", defaultValue = "all-minilm-l6-v2",
      description = "The sentence-embedding model for guards that use one (the injection classifier, topics, "
          + "grounding): " + "a built-in model or a model directory; 'none' runs rule-based guards only "
          + "(default: ${DEFAULT-VALUE}).")
  String model = "all-minilm-l6-v2";

  @Override
  String verb() {
    return "guarding";
  }

  @Override
  boolean acceptsBlankText() {
    return true;
  }

  @Override
  void checkOptions() {
    if (!stage.equals("input") && !stage.equals("output")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--stage must be input or output but was '" + stage + "'");
    }
  }

  private GuardPolicy policy() {
    Path file = Path.of(policy);
    if (policy.matches("[a-z0-9-]+") && !Files.exists(file)) {
      return GuardPolicy.builtIn(policy);
    }
    if (!Files.isRegularFile(file)) {
      throw new dev.llmops.core.NotFoundException("policy file " + file + " does not exist");
    }
    return GuardPolicy.load(file);
  }

  @Override
  RowModel load() {
    GuardPolicy parsed;
    try {
      parsed = policy();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, policy);
    }
    OnnxEmbeddingModel embeddings = "none".equals(model) ? null
        : OnnxEmbeddingModel.builder().source(ModelSource.of(model)).batching(BATCHING).build();
    GuardChain chain;
    try {
      GuardResources.Builder resources = GuardResources.builder();
      if (embeddings != null) {
        resources.embeddingModel(embeddings);
      }
      chain = parsed.toChain(resources.build());
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (embeddings != null) {
        embeddings.close();
      }
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, policy);
    } catch (RuntimeException e) {
      if (embeddings != null) {
        embeddings.close();
      }
      throw e;
    }
    boolean input = stage.equals("input");
    return new RowModel() {
      @Override
      public List<ObjectNode> process(List<String> texts) {
        List<ObjectNode> rows = new ArrayList<>(texts.size());
        for (String text : texts) {
          ChainResult r = input ? chain.checkInput(InputContext.of(text)) : chain.checkOutput(OutputContext.of(text));
          rows.add(row(r));
        }
        return rows;
      }

      @Override
      public void close() {
        try {
          chain.close();
        } finally {
          if (embeddings != null) {
            embeddings.close();
          }
        }
      }
    };
  }

  /** The output row of one chain result, without the id. */
  static ObjectNode row(ChainResult r) {
    ObjectNode row = JSON.createObjectNode();
    GuardVerdict v = r.verdict();
    row.put("action", GuardOutcome.of(v).name().toLowerCase(Locale.ROOT));
    row.put("text", message(v, r.text()));
    row.put("risk", v.riskScore());
    ArrayNode findings = row.putArray("findings");
    List<ChainFinding> reported = new ArrayList<>();
    for (GuardRecord g : r.records()) {
      if (g.enforced()) {
        reported.addAll(g.findings()); // monitor-only guards' findings are in the metrics, not in the verdict
      }
    }
    if (reported.isEmpty()) {
      // findings of the chain itself (TEXT_TOO_LONG) belong to no guard's record
      for (Finding f : v.findings()) {
        reported.add(new ChainFinding("chain", f.type(), f.span(), f.score(), f.detail()));
      }
    }
    for (ChainFinding f : reported) {
      ObjectNode node = findings.addObject();
      node.put("guard", f.guard());
      node.put("type", f.type());
      TextSpan span = f.span();
      if (span == null) {
        node.putNull("start");
        node.putNull("end");
      } else {
        node.put("start", span.start());
        node.put("end", span.end());
      }
      node.put("score", f.score());
    }
    row.put("policy", r.policy() + "@" + r.policyVersion());
    return row;
  }

  private static String message(GuardVerdict v, @Nullable String text) {
    if (v instanceof GuardVerdict.Block b) {
      return b.safeMessage();
    } else if (v instanceof GuardVerdict.Reask r) {
      return r.instruction();
    } else if (v instanceof GuardVerdict.Escalate e) {
      return e.reason();
    }
    return text == null ? "" : text;
  }
}
