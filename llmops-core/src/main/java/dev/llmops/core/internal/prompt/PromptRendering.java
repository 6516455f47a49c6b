package dev.llmops.core.internal.prompt;

import com.samskivert.mustache.MustacheException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.Role;
import dev.llmops.core.prompt.MessageTemplate;
import dev.llmops.core.prompt.PromptTemplate;
import dev.llmops.core.prompt.PromptVersion;
import dev.llmops.core.prompt.RenderedPrompt;
import dev.llmops.core.prompt.VariableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Renders prompt versions: checks the values against the declared variables, then runs Mustache. */
public final class PromptRendering {

  private PromptRendering() {}

  /**
   * Renders {@code version} with {@code values}.
   *
   * @param allowUnknown whether values the version does not declare are ignored instead of refused
   * @throws InvalidRequestException naming every missing variable, or every unknown one
   */
  public static RenderedPrompt render(PromptVersion version, Map<String, ?> values, boolean allowUnknown) {
    Map<String, Object> context = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (VariableSpec v : version.variables()) {
      Object value = values.get(v.name());
      if (value != null) {
        context.put(v.name(), value);
      } else if (v.defaultValue() != null) {
        context.put(v.name(), v.defaultValue());
      } else {
        missing.add(v.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidRequestException("cannot render " + version.ref() + ": missing variable"
          + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
    }
    Set<String> mentioned = TemplateVariables.mentioned(version.template().sources());
    values.forEach((name, value) -> {
      if (value != null && mentioned.contains(name)) {
        context.putIfAbsent(name, value); // a name used inside a section, looked up in the enclosing context
      }
    });
    if (!allowUnknown) {
      TreeSet<String> unknown = new TreeSet<>(values.keySet());
      version.variables().forEach(v -> unknown.remove(v.name()));
      unknown.removeAll(mentioned);
      if (!unknown.isEmpty()) {
        throw new InvalidRequestException("cannot render " + version.ref() + ": unknown variable"
            + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown) + " (declared: "
            + version.variables().stream().map(VariableSpec::name).toList() + "); allow unknown variables to ignore them");
      }
    }
    List<ChatMessage> messages = new ArrayList<>();
    PromptTemplate template = version.template();
    if (template instanceof PromptTemplate.Text text) {
      messages.add(ChatMessage.user(execute(version, text.template(), context)));
    } else if (template instanceof PromptTemplate.Chat chat) {
      for (MessageTemplate m : chat.messages()) {
        String rendered = execute(version, m.template(), context);
        messages.add(m.role() == Role.SYSTEM ? ChatMessage.system(rendered)
            : m.role() == Role.ASSISTANT ? ChatMessage.assistant(rendered) : ChatMessage.user(rendered));
      }
    }
    return new RenderedPrompt(version.name(), version.version(), messages, version.modelConfig());
  }

  private static String execute(PromptVersion version, String source, Map<String, Object> context) {
    try {
      return TemplateVariables.compile(source).execute(context);
    } catch (MustacheException e) {
      throw new InvalidRequestException("cannot render " + version.ref() + ": " + e.getMessage(), e);
    }
  }
}
