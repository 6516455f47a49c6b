package dev.llmops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.NotFoundException;
import dev.llmops.guardrails.injection.InjectionClassifier;
import dev.llmops.guardrails.injection.LabelledText;
import dev.llmops.guardrails.injection.TrainingSettings;
import dev.llmops.inference.ModelSource;
import dev.llmops.inference.OnnxEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmops guard train-injection}: fits the prompt-injection classifier's weights on labelled texts. */
@Command(
    name = "train-injection",
    mixinStandardHelpOptions = true,
    description = {
        "Train the prompt-injection guard's classifier (logistic regression over sentence embeddings and the rule "
            + "signals) on your own labelled texts, for your embedding model or your traffic.",
        "Each input line is {\"text\": \"...\", \"label\": \"injection\"|\"benign\"} (other fields are ignored). The "
            + "weights file records the model id, the data file's SHA-256 and this command; use it with a policy "
            + "option \"classifier\": \"FILE\" on the prompt-injection guard. Training is deterministic: the same "
            + "file and model give the same weights."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the weights were written",
        "1:the data was unusable (the first bad line is named) or the run failed",
        "2:bad arguments",
        "3:failed in a way that may pass if run again"})
final class TrainInjectionCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE",
      description = "JSON Lines of labelled texts.")
  Path in = Path.of("");

  @Option(names = "--model", required = true, paramLabel = "NAME|DIR", description = TextRowsCommand.MODEL_DESCRIPTION)
  String model = "";

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the weights (JSON); replaced only when training completes.")
  Path out = Path.of("");

  @Option(names = "--l2", paramLabel = "F", description = "L2 regularisation strength (default: the library's).")
  Double l2;

  @Option(names = "--rule-features", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Feed the rule signals to the classifier as features (default: ${DEFAULT-VALUE}).")
  boolean ruleFeatures = true;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(in)) {
      throw new NotFoundException("training file " + in + " does not exist");
    }
    if (l2 != null && !(l2 >= 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--l2 must be >= 0 but was " + l2);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new NotFoundException("the folder of --out " + out.toAbsolutePath() + " does not exist");
    }
    List<LabelledText> examples = read(in);
    TrainingSettings settings = TrainingSettings.defaults().withRuleFeatures(ruleFeatures);
    if (l2 != null) {
      settings = settings.withL2(l2);
    }
    InjectionClassifier classifier;
    try (OnnxEmbeddingModel embeddings = OnnxEmbeddingModel.builder().source(ModelSource.of(model))
        .batching(TextRowsCommand.BATCHING).build()) {
      classifier = InjectionClassifier.train(embeddings, examples, settings);
    }
    String command = "llmops guard train-injection --in " + in.getFileName() + " --model " + model
        + (l2 == null ? "" : " --l2 " + l2) + (ruleFeatures ? "" : " --no-rule-features");
    classifier = classifier.withProvenance(in.getFileName().toString(), sha256(in), command);
    Path target = out.toAbsolutePath();
    Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      classifier.write(temp);
      Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    long injections = examples.stream().filter(LabelledText::injection).count();
    spec.commandLine().getOut().printf(Locale.ROOT, "trained on %,d texts (%,d injection, %,d benign) with %s; "
        + "weights written to %s%n", examples.size(), injections, examples.size() - injections, classifier.modelId(),
        target);
    return ExitCodes.OK;
  }

  private static List<LabelledText> read(Path file) throws IOException {
    List<LabelledText> examples = new ArrayList<>();
    try (InputStream stream = Files.newInputStream(file)) {
      LineReader reader = new LineReader(stream, TextRowsCommand.MAX_LINE_BYTES);
      for (LineReader.Line line; (line = reader.next()) != null; ) {
        if (line instanceof LineReader.Unreadable u) {
          throw new InvalidRequestException(file + " line " + line.number() + ": " + u.problem());
        }
        String text = ((LineReader.Text) line).text();
        if (text.isBlank()) {
          continue;
        }
        JsonNode row;
        try {
          row = TextRowsCommand.JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new InvalidRequestException(file + " line " + line.number() + " is not valid JSON: "
              + e.getOriginalMessage());
        }
        JsonNode value = row == null ? null : row.get("text");
        JsonNode label = row == null ? null : row.get("label");
        if (value == null || !value.isTextual() || label == null || !label.isTextual()) {
          throw new InvalidRequestException(file + " line " + line.number()
              + " needs {\"text\": \"...\", \"label\": \"injection\"|\"benign\"}");
        }
        switch (label.asText()) {
          case "injection" -> examples.add(LabelledText.injection(value.asText()));
          case "benign" -> examples.add(LabelledText.benign(value.asText()));
          default -> throw new InvalidRequestException(file + " line " + line.number() + ": label must be "
              + "\"injection\" or \"benign\" but was \"" + label.asText() + "\"");
        }
      }
    }
    if (examples.stream().noneMatch(LabelledText::injection) || examples.stream().allMatch(LabelledText::injection)) {
      throw new InvalidRequestException(file + " needs both injection and benign examples");
    }
    return examples;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
