package dev.llmops.core.internal.prompt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.VariableSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles Mustache templates (no HTML escaping, no partials) and finds the variables they use at the top level:
 * plain tags and section names. Names inside a section belong to the section's items and are not prompt variables.
 */
public final class TemplateVariables {

  /** The compiler every prompt uses: Mustache without HTML escaping; missing values fail instead of rendering empty. */
  public static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false)
      .withLoader(name -> {
        throw new InvalidRequestException("prompt templates cannot include partials ({{> " + name + "}})");
      });

  private static final Cache<String, Template> COMPILED = Caffeine.newBuilder().maximumSize(10_000).build();

  private TemplateVariables() {}

  /**
   * The compiled template, from a shared cache.
   *
   * @throws InvalidRequestException if the template is not valid Mustache, with the parser's message
   */
  public static Template compile(String source) {
    return COMPILED.get(source, s -> {
      try {
        return COMPILER.compile(s);
      } catch (MustacheException e) {
        throw new InvalidRequestException("the template is not valid Mustache: " + e.getMessage(), e);
      }
    });
  }

  /** The names used at the top level of {@code sources}, in order of first use. */
  public static Set<String> used(List<String> sources) {
    return collect(sources, false);
  }

  /**
   * Every name {@code sources} mention, inside sections too: a value for a name used only inside a section (and
   * looked up in the enclosing context) is not an unknown variable.
   */
  public static Set<String> mentioned(List<String> sources) {
    return collect(sources, true);
  }

  private static Set<String> collect(List<String> sources, boolean descend) {
    Set<String> names = new LinkedHashSet<>();
    for (String source : sources) {
      compile(source).visit(new Mustache.Visitor() {
        @Override
        public void visitText(String text) {}

        @Override
        public void visitVariable(String name) {
          names.add(topName(name));
        }

        @Override
        public boolean visitInclude(String name) {
          throw new InvalidRequestException("prompt templates cannot include partials ({{> " + name + "}}):"
              + " a version must be complete in itself");
        }

        @Override
        public boolean visitSection(String name) {
          names.add(topName(name));
          return descend; // at the top level, names inside refer to the section's items
        }

        @Override
        public boolean visitInvertedSection(String name) {
          names.add(topName(name));
          return descend;
        }
      });
    }
    names.remove(".");
    names.remove("this");
    return names;
  }

  private static String topName(String name) {
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * The variables a version of {@code draft} declares: the draft's own, checked to cover every variable the
   * template uses; or, when the draft declares none, every used variable as required.
   */
  public static List<VariableSpec> declared(PromptDraft draft) {
    Set<String> used = used(draft.template().sources());
    if (draft.variables().isEmpty()) {
      List<VariableSpec> inferred = new ArrayList<>();
      for (String name : used) {
        try {
          inferred.add(VariableSpec.required(name));
        } catch (InvalidRequestException e) {
          throw new InvalidRequestException("prompt '" + draft.name() + "' uses {{" + name + "}}, which is not a valid"
              + " variable name", e);
        }
      }
      return inferred;
    }
    Set<String> declared = new LinkedHashSet<>();
    draft.variables().forEach(v -> declared.add(v.name()));
    List<String> undeclared = used.stream().filter(n -> !declared.contains(n)).toList();
    if (!undeclared.isEmpty()) {
      throw new InvalidRequestException("prompt '" + draft.name() + "' uses variables it does not declare: " + undeclared);
    }
    return draft.variables();
  }
}
