package dev.llmops.core.routing;

import dev.llmops.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable bundle of everything that shapes an answer: the deployment(s) that generate it, the prompt version,
 * the index snapshot, the guard policy version and the generation parameters. Routes send traffic to releases;
 * a canary moves traffic from one release to another; a rollback sends everything back. Each answer's
 * {@link RoutedResponse} names its release, so lineage can name every version inside it.
 *
 * <pre>{@code
 * Release v7 = Release.builder("support-v7")
 *     .deployments("gpt-4o-mini@openai", "llama-3.1-8b@vllm")   // primary, then failover
 *     .prompt("support-answer@7")
 *     .indexSnapshot("s42-9f1c")
 *     .guardPolicy("default@3")
 *     .parameters(GenerationParameters.temperature(0.2).withMaxTokens(400))
 *     .build();
 * }</pre>
 *
 * @param name the release's name
 * @param deployments the deployments that may answer, at least one, each once
 * @param strategy how calls are spread over the deployments
 * @param prompt the prompt as {@code name@version}, or {@code null}
 * @param indexSnapshot the retrieval index snapshot id, or {@code null}
 * @param guardPolicy the guard policy as {@code name@version}, or {@code null}
 * @param parameters the generation parameters it pins
 */
public record Release(
    String name, List<String> deployments, DeploymentStrategy strategy, @Nullable String prompt,
    @Nullable String indexSnapshot, @Nullable String guardPolicy, GenerationParameters parameters) {

  /** Validates and copies. */
  public Release {
    Names.check("release", name);
    deployments = List.copyOf(deployments);
    if (deployments.isEmpty()) {
      throw new InvalidRequestException("release '" + name + "' needs at least one deployment");
    }
    if (new HashSet<>(deployments).size() != deployments.size()) {
      throw new InvalidRequestException("release '" + name + "' names a deployment twice: " + deployments);
    }
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(parameters, "parameters");
    if (prompt != null && !prompt.matches(".+@[0-9]+")) {
      throw new InvalidRequestException("release '" + name + "' must name its prompt as name@version but got '" + prompt + "'");
    }
  }

  /** Starts a release named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link Release}. */
  public static final class Builder {
    private final String name;
    private final List<String> deployments = new ArrayList<>();
    private DeploymentStrategy strategy = DeploymentStrategy.IN_ORDER;
    private @Nullable String prompt;
    private @Nullable String indexSnapshot;
    private @Nullable String guardPolicy;
    private GenerationParameters parameters = GenerationParameters.NONE;

    private Builder(String name) {
      this.name = name;
    }

    /** Adds deployments, in order of preference. */
    public Builder deployments(String... names) {
      deployments.addAll(List.of(names));
      return this;
    }

    /** How calls are spread over the deployments (default {@link DeploymentStrategy#IN_ORDER}). */
    public Builder strategy(DeploymentStrategy strategy) {
      this.strategy = strategy;
      return this;
    }

    /** The prompt version, as {@code name@version}. */
    public Builder prompt(@Nullable String nameAtVersion) {
      this.prompt = nameAtVersion;
      return this;
    }

    /** The index snapshot id. */
    public Builder indexSnapshot(@Nullable String snapshotId) {
      this.indexSnapshot = snapshotId;
      return this;
    }

    /** The guard policy, as {@code name@version}. */
    public Builder guardPolicy(@Nullable String nameAtVersion) {
      this.guardPolicy = nameAtVersion;
      return this;
    }

    /** The generation parameters it pins. */
    public Builder parameters(GenerationParameters parameters) {
      this.parameters = parameters;
      return this;
    }

    /** The release. */
    public Release build() {
      return new Release(name, deployments, strategy, prompt, indexSnapshot, guardPolicy, parameters);
    }
  }
}
