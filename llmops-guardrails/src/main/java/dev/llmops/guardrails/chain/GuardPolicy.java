package dev.llmops.guardrails.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmops.core.guard.Guard;
import dev.llmops.core.guard.InputGuard;
import dev.llmops.core.guard.OutputGuard;
import dev.llmops.guardrails.internal.BuiltInGuards;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named, versioned guard configuration: which guards run on input and output, in which order, with which
 * options, and how the chain behaves. Loaded from JSON and turned into a {@link GuardChain} with
 * {@link #toChain(GuardResources)}.
 *
 * <pre>{@code
 * {
 *   "name": "support-bot", "version": "3",
 *   "mode": "fail-fast",                 // or "run-all"
 *   "onGuardFailure": "fail-closed",      // required: or "fail-open"
 *   "blockMessage": "Sorry, I can't help with that.",
 *   "maxTextLength": 1048576,
 *   "input": [
 *     {"guard": "invisible-text"},
 *     {"guard": "prompt-injection", "timeout": "500ms", "options": {"threshold": 0.5}},
 *     {"guard": "pii", "options": {"operator": "redact"}}
 *   ],
 *   "output": [
 *     {"guard": "json-schema", "streaming": "at-end", "options": {"schema": {"type": "object"}}},
 *     {"guard": "toxicity", "enforce": false}
 *   ]
 * }
 * }</pre>
 *
 * <p>Every guard entry takes {@code guard} (its name), and optionally {@code options} (read by the guard's factory;
 * unknown options are an error), {@code timeout}, {@code onFailure}, {@code enforce} (false for monitor-only) and
 * {@code streaming} ({@code auto}, the default: at the end for JSON Schema, tool-call and grounding guards, per
 * sentence for the others; or {@code per-sentence} or {@code at-end}). Errors name the file and the JSON path of the bad
 * value. {@link #builtIn(String)} loads the policies that ship with the module ({@code default}).
 *
 * @param name the policy name, recorded with every verdict
 * @param version the policy version
 * @param mode fail-fast or run-all
 * @param failurePolicy what a failing guard does unless its entry says otherwise
 * @param blockMessage the message for requests the chain blocks by itself
 * @param maxTextLength the longest text checked
 * @param input the input guards, in order
 * @param output the output guards, in order
 */
public record GuardPolicy(
    String name, String version, ChainMode mode, FailurePolicy failurePolicy, String blockMessage,
    int maxTextLength, List<GuardSpec> input, List<GuardSpec> output) {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .build();

  /** Validates and copies. */
  public GuardPolicy {
    if (name.isBlank() || version.isBlank()) {
      throw new IllegalArgumentException(
          "a guard policy needs a name and a version but got '" + name + "' and '" + version + "'");
    }
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(failurePolicy, "failurePolicy");
    input = List.copyOf(input);
    output = List.copyOf(output);
  }

  /**
   * One guard of a policy.
   *
   * @param guard the guard's name, looked up among custom factories first, then the built-in guards
   * @param settings how the chain runs it
   * @param options the guard's own options, as JSON values
   * @param path where the entry is, such as {@code policy.json: input[1]}, for error messages
   */
  public record GuardSpec(String guard, GuardSettings settings, Map<String, Object> options, String path) {
    /** Copies the options. */
    public GuardSpec {
      options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
  }

  /**
   * Reads a policy file.
   *
   * @throws IllegalArgumentException naming the file and the bad value when the file is malformed
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public static GuardPolicy load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException(file + " is not valid UTF-8", e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read guard policy " + file, e);
    }
  }

  /**
   * Loads a policy that ships with the module: {@code default} runs invisible-text, prompt-injection (rules, and
   * the embedding classifier when the resources have a matching model), PII (redact; the identifying types: email,
   * phone, card, IBAN, SSN, IP address, driver's licence, not dates or domains) and secrets on input, and the same
   * PII and secrets guards on output.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static GuardPolicy builtIn(String name) {
    String resource = "policies/" + name + ".json";
    try (InputStream in = GuardPolicy.class.getResourceAsStream(resource)) {
      if (in == null || !name.matches("[a-z0-9-]+")) {
        throw new IllegalArgumentException("no built-in guard policy '" + name + "'; built in: [default]");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in policy " + name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read built-in policy " + name, e);
    }
  }

  /**
   * Parses a policy.
   *
   * @param json the policy
   * @param origin a name for error messages (a file name)
   * @throws IllegalArgumentException naming {@code origin} and the JSON path of the bad value
   */
  public static GuardPolicy parse(String json, String origin) {
    Map<String, Object> root;
    try {
      root = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException(origin + " is not a valid JSON object" + where + ": "
          + e.getOriginalMessage(), e);
    }
    if (root == null) {
      throw new IllegalArgumentException(origin + " is empty; a guard policy is a JSON object");
    }
    GuardOptions top = new GuardOptions(origin + ":", root);
    String name = top.requiredString("name");
    String version = top.has("version") && top.raw("version") instanceof Number n
        ? n.toString() : top.requiredString("version");
    ChainMode mode = top.enumValue("mode", ChainMode.class, ChainMode.FAIL_FAST);
    if (!top.has("onGuardFailure")) {
      throw new IllegalArgumentException(origin + ": onGuardFailure is required: \"fail-closed\" or \"fail-open\"");
    }
    FailurePolicy failure = top.enumValue("onGuardFailure", FailurePolicy.class, FailurePolicy.FAIL_CLOSED);
    String blockMessage = top.string("blockMessage", GuardChain.DEFAULT_BLOCK_MESSAGE);
    int maxText = top.integer("maxTextLength", GuardChain.DEFAULT_MAX_TEXT_LENGTH);
    if (maxText < 1) {
      throw new IllegalArgumentException(origin + ": maxTextLength must be positive but was " + maxText);
    }
    List<GuardSpec> input = specs(top.nestedList("input"));
    List<GuardSpec> output = specs(top.nestedList("output"));
    top.requireAllRead();
    if (input.isEmpty() && output.isEmpty()) {
      throw new IllegalArgumentException(origin + " has no guards: give an \"input\" or \"output\" list");
    }
    return new GuardPolicy(name, version, mode, failure, blockMessage, maxText, input, output);
  }

  private static List<GuardSpec> specs(List<GuardOptions> entries) {
    List<GuardSpec> specs = new ArrayList<>();
    for (GuardOptions e : entries) {
      String guard = e.requiredString("guard");
      Duration timeout = e.duration("timeout", null);
      FailurePolicy onFailure = e.has("onFailure") ? e.enumValue("onFailure", FailurePolicy.class, null) : null;
      boolean enforce = e.bool("enforce", true);
      GuardSettings.Streaming streaming =
          e.enumValue("streaming", GuardSettings.Streaming.class, GuardSettings.Streaming.AUTO);
      GuardOptions options = e.nested("options");
      e.requireAllRead();
      Map<String, Object> values = options == null ? Map.of() : options.rawMap();
      specs.add(new GuardSpec(guard, new GuardSettings(timeout, onFailure, enforce, streaming), values, e.path()));
    }
    return specs;
  }

  /**
   * Builds the chain this policy describes.
   *
   * @param resources models, keys and custom factories the guards need
   * @throws IllegalArgumentException for an unknown guard, a guard in the wrong stage, or bad options
   * @throws IllegalStateException when a guard needs a resource that was not supplied
   */
  public GuardChain toChain(GuardResources resources) {
    GuardChain.Builder chain = GuardChain.builder(name, version).mode(mode).failurePolicy(failurePolicy)
        .blockMessage(blockMessage).maxTextLength(maxTextLength).meterRegistry(resources.meterRegistry());
    resources.reviewQueue().ifPresent(chain::reviewQueue);
    for (GuardSpec spec : input) {
      Guard g = create(spec, resources);
      if (!(g instanceof InputGuard in)) {
        throw new IllegalArgumentException(spec.path() + ": guard '" + spec.guard() + "' cannot check input");
      }
      chain.input(in, spec.settings());
    }
    for (GuardSpec spec : output) {
      Guard g = create(spec, resources);
      if (!(g instanceof OutputGuard out)) {
        throw new IllegalArgumentException(spec.path() + ": guard '" + spec.guard() + "' cannot check output");
      }
      chain.output(out, spec.settings());
    }
    return chain.build();
  }

  private static Guard create(GuardSpec spec, GuardResources resources) {
    GuardOptions options = new GuardOptions(spec.path() + ".options", spec.options());
    GuardFactory factory = resources.factory(spec.guard()).orElse(null);
    if (factory == null) {
      factory = BuiltInGuards.factory(spec.guard()).orElseThrow(() -> new IllegalArgumentException(
          spec.path() + ": unknown guard '" + spec.guard() + "'; built in: " + BuiltInGuards.names()
              + " (register others with GuardResources.builder().factory(...))"));
    }
    Guard guard = factory.create(options, resources);
    options.requireAllRead();
    return guard;
  }

  /** A short description for logs: name, version and guard names per stage. */
  @Override
  public String toString() {
    return "GuardPolicy[" + name + "@" + version + ", input=" + input.stream().map(GuardSpec::guard).toList()
        + ", output=" + output.stream().map(GuardSpec::guard).toList() + "]";
  }

}
