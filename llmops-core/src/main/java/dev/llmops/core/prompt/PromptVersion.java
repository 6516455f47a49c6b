package dev.llmops.core.prompt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable version of a prompt.
 *
 * @param name the prompt's name
 * @param version its number, from 1, without gaps
 * @param template the template
 * @param variables the declared variables (inferred from the template when the draft declared none)
 * @param modelConfig the model settings
 * @param message the commit message
 * @param author who created it
 * @param createdAt when the store created it
 * @param tags free-form tags
 */
public record PromptVersion(
    String name, int version, PromptTemplate template, List<VariableSpec> variables, ModelConfig modelConfig,
    String message, String author, Instant createdAt, Set<String> tags) {

  /** Validates and copies. */
  public PromptVersion {
    PromptNames.checkPrompt(name);
    if (version < 1) {
      throw new IllegalArgumentException("prompt versions start at 1 but was " + version);
    }
    Objects.requireNonNull(template, "template");
    variables = List.copyOf(variables);
    Objects.requireNonNull(modelConfig, "modelConfig");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(createdAt, "createdAt");
    tags = Set.copyOf(tags);
  }

  /** {@code name@version}, as lineage records it. */
  public String ref() {
    return name + "@" + version;
  }

  /** Whether {@code draft} has the same content (template, variables, model settings) as this version. */
  public boolean sameContentAs(PromptDraft draft) {
    return name.equals(draft.name()) && template.equals(draft.template()) && variables.equals(draft.variables())
        && modelConfig.equals(draft.modelConfig());
  }
}
