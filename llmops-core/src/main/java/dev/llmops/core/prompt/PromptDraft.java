package dev.llmops.core.prompt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a caller submits to create a prompt version; the store gives it its number and creation time.
 *
 * @param name the prompt's name ({@link PromptNames#checkPrompt(String)})
 * @param template the template
 * @param variables the declared variables; when empty, every variable the template uses is taken as required
 * @param modelConfig the model settings the prompt was written for
 * @param message the commit message: why this version exists
 * @param author who created it
 * @param tags free-form tags
 */
public record PromptDraft(
    String name, PromptTemplate template, List<VariableSpec> variables, ModelConfig modelConfig, String message,
    String author, Set<String> tags) {

  /** Validates and copies; every problem is an {@link dev.llmops.core.InvalidRequestException}. */
  public PromptDraft {
    PromptNames.checkPrompt(name);
    Objects.requireNonNull(template, "template");
    for (String source : template.sources()) {
      PromptNames.checkText("the template of prompt '" + name + "'", source);
    }
    PromptNames.checkText("the template of prompt '" + name + "'", String.join("", template.sources())); // the whole, too
    variables = List.copyOf(variables);
    Set<String> seen = new LinkedHashSet<>();
    for (VariableSpec v : variables) {
      if (!seen.add(v.name())) {
        throw new dev.llmops.core.InvalidRequestException("prompt '" + name + "' declares variable '" + v.name() + "' twice");
      }
    }
    Objects.requireNonNull(modelConfig, "modelConfig");
    PromptNames.checkText("the commit message", message);
    PromptNames.checkText("the author", author);
    if (author.isBlank()) {
      throw new dev.llmops.core.InvalidRequestException("a prompt version needs an author");
    }
    tags = Set.copyOf(new LinkedHashSet<>(tags));
    for (String tag : tags) {
      PromptNames.checkText("a tag", tag);
    }
  }

  /** A builder for a draft of prompt {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link PromptDraft}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private @Nullable PromptTemplate template;
    private final List<VariableSpec> variables = new ArrayList<>();
    private ModelConfig modelConfig = ModelConfig.DEFAULTS;
    private String message = "";
    private String author = "";
    private final Set<String> tags = new LinkedHashSet<>();

    private Builder(String name) {
      this.name = name;
    }

    /** A text template. */
    public Builder text(String template) {
      this.template = PromptTemplate.text(template);
      return this;
    }

    /** A chat template. */
    public Builder chat(MessageTemplate... messages) {
      this.template = PromptTemplate.chat(messages);
      return this;
    }

    /** The template. */
    public Builder template(PromptTemplate template) {
      this.template = template;
      return this;
    }

    /** Declares a variable. */
    public Builder variable(VariableSpec variable) {
      variables.add(variable);
      return this;
    }

    /** Declares required variables. */
    public Builder variables(String... names) {
      for (String n : names) {
        variables.add(VariableSpec.required(n));
      }
      return this;
    }

    /** The model settings. */
    public Builder modelConfig(ModelConfig config) {
      this.modelConfig = config;
      return this;
    }

    /** The commit message. */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /** The author. */
    public Builder author(String author) {
      this.author = author;
      return this;
    }

    /** Adds tags. */
    public Builder tags(String... tags) {
      this.tags.addAll(List.of(tags));
      return this;
    }

    /** Builds the draft. */
    public PromptDraft build() {
      if (template == null) {
        throw new dev.llmops.core.InvalidRequestException("prompt '" + name + "' needs a template (text or chat)");
      }
      return new PromptDraft(name, template, variables, modelConfig, message, author, tags);
    }
  }
}
