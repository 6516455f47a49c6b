package dev.llmops.core.internal.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.chat.ResponseFormat;
import dev.llmops.core.chat.Role;
import dev.llmops.core.prompt.Allocation;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.MessageTemplate;
import dev.llmops.core.prompt.ModelConfig;
import dev.llmops.core.prompt.PromptTemplate;
import dev.llmops.core.prompt.PromptVersion;
import dev.llmops.core.prompt.VariableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON form of versions, labels and label moves, shared by the directory and database stores. Templates are
 * stored as arrays of lines so that a change shows as a line change in a diff.
 */
public final class PromptJson {

  /** Pretty-printing mapper, thread-safe. */
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PromptJson() {}

  /** A version as JSON. */
  public static ObjectNode version(PromptVersion v) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", v.name()).put("version", v.version()).put("createdAt", v.createdAt().toString())
        .put("author", v.author()).put("message", v.message());
    ArrayNode tags = node.putArray("tags");
    v.tags().stream().sorted().forEach(tags::add);
    ArrayNode variables = node.putArray("variables");
    for (VariableSpec spec : v.variables()) {
      ObjectNode var = variables.addObject().put("name", spec.name());
      if (spec.defaultValue() != null) {
        var.put("default", spec.defaultValue());
      }
    }
    node.set("model", model(v.modelConfig()));
    ObjectNode template = node.putObject("template");
    if (v.template() instanceof PromptTemplate.Text text) {
      template.put("type", "text");
      template.set("lines", lines(text.template()));
    } else if (v.template() instanceof PromptTemplate.Chat chat) {
      template.put("type", "chat");
      ArrayNode messages = template.putArray("messages");
      for (MessageTemplate m : chat.messages()) {
        ObjectNode message = messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT));
        message.set("lines", lines(m.template()));
      }
    }
    return node;
  }

  private static ArrayNode lines(String text) {
    ArrayNode lines = JSON.createArrayNode();
    for (String line : text.split("\n", -1)) {
      lines.add(line);
    }
    return lines;
  }

  private static String text(JsonNode lines) {
    if (!lines.isArray()) {
      throw new IllegalArgumentException("'lines' must be an array of strings");
    }
    List<String> parts = new ArrayList<>();
    lines.forEach(l -> parts.add(requireText(l, "a template line")));
    return String.join("\n", parts);
  }

  private static ObjectNode model(ModelConfig c) {
    ObjectNode node = JSON.createObjectNode();
    if (c.model() != null) {
      node.put("model", c.model());
    }
    if (c.temperature() != null) {
      node.put("temperature", c.temperature());
    }
    if (c.maxTokens() != null) {
      node.put("maxTokens", c.maxTokens());
    }
    ArrayNode stop = node.putArray("stop");
    c.stop().forEach(stop::add);
    ObjectNode format = node.putObject("responseFormat");
    ResponseFormat f = c.responseFormat();
    if (f instanceof ResponseFormat.JsonSchema schema) {
      // The text is what identifies the version (an identical create is a no-op), so it is kept verbatim.
      format.put("type", "json_schema").put("name", schema.name()).put("strict", schema.strict())
          .put("schemaText", schema.schemaJson());
    } else {
      format.put("type", f instanceof ResponseFormat.JsonObject ? "json_object" : "text");
    }
    return node;
  }

  /** Reads a version; any problem is an {@link IllegalArgumentException} saying what. */
  public static PromptVersion parseVersion(JsonNode node) {
    String name = requireText(node.get("name"), "'name'");
    int version = requireInt(node.get("version"), "'version'");
    JsonNode t = node.path("template");
    PromptTemplate template;
    switch (t.path("type").asText("")) {
      case "text" -> template = PromptTemplate.text(text(t.path("lines")));
      case "chat" -> {
        List<MessageTemplate> messages = new ArrayList<>();
        for (JsonNode m : t.path("messages")) {
          Role role = Role.valueOf(requireText(m.get("role"), "a message 'role'").toUpperCase(Locale.ROOT));
          messages.add(new MessageTemplate(role, text(m.path("lines"))));
        }
        template = new PromptTemplate.Chat(messages);
      }
      default -> throw new IllegalArgumentException("'template.type' must be 'text' or 'chat'");
    }
    List<VariableSpec> variables = new ArrayList<>();
    for (JsonNode v : node.path("variables")) {
      variables.add(new VariableSpec(requireText(v.get("name"), "a variable 'name'"),
          v.hasNonNull("default") ? v.get("default").asText() : null));
    }
    Set<String> tags = new LinkedHashSet<>();
    node.path("tags").forEach(tag -> tags.add(tag.asText()));
    return new PromptVersion(name, version, template, variables, parseModel(node.path("model")),
        node.path("message").asText(""), requireText(node.get("author"), "'author'"),
        Instant.parse(requireText(node.get("createdAt"), "'createdAt'")), tags);
  }

  private static ModelConfig parseModel(JsonNode node) {
    List<String> stop = new ArrayList<>();
    node.path("stop").forEach(s -> stop.add(s.asText()));
    JsonNode f = node.path("responseFormat");
    ResponseFormat format = switch (f.path("type").asText("text")) {
      case "json_object" -> ResponseFormat.jsonObject();
      case "json_schema" -> ResponseFormat.jsonSchema(f.path("name").asText("schema"),
          f.has("schemaText") ? f.get("schemaText").asText() : f.path("schema").toString(), f.path("strict").asBoolean());
      default -> ResponseFormat.text();
    };
    return new ModelConfig(node.hasNonNull("model") ? node.get("model").asText() : null,
        node.hasNonNull("temperature") ? node.get("temperature").asDouble() : null,
        node.hasNonNull("maxTokens") ? node.get("maxTokens").asInt() : null, stop, format);
  }

  /** Allocations as JSON. */
  public static ArrayNode allocations(List<Allocation> allocations) {
    ArrayNode array = JSON.createArrayNode();
    allocations.forEach(a -> array.addObject().put("version", a.version()).put("weight", a.weight()));
    return array;
  }

  /** Reads allocations. */
  public static List<Allocation> parseAllocations(JsonNode array) {
    List<Allocation> list = new ArrayList<>();
    for (JsonNode a : array) {
      list.add(new Allocation(requireInt(a.get("version"), "an allocation 'version'"),
          requireInt(a.get("weight"), "an allocation 'weight'")));
    }
    return list;
  }

  /** A label's state as JSON (without its prompt and name, which the container gives). */
  public static ObjectNode label(Label label) {
    ObjectNode node = JSON.createObjectNode().put("revision", label.revision());
    node.set("allocations", allocations(label.allocations()));
    node.put("updatedBy", label.updatedBy()).put("updatedAt", label.updatedAt().toString());
    return node;
  }

  /** Reads a label's state. */
  public static Label parseLabel(String prompt, String name, JsonNode node) {
    return new Label(prompt, name, parseAllocations(node.path("allocations")), node.path("revision").asLong(0),
        node.path("updatedBy").asText(""), Instant.parse(requireText(node.get("updatedAt"), "'updatedAt'")));
  }

  /** A label move as JSON. */
  public static ObjectNode move(LabelMove move) {
    ObjectNode node = JSON.createObjectNode().put("label", move.label()).put("revision", move.revision());
    node.set("from", allocations(move.from()));
    node.set("to", allocations(move.to()));
    node.put("author", move.author()).put("at", move.at().toString()).put("reason", move.reason());
    return node;
  }

  /** Reads a label move. */
  public static LabelMove parseMove(String prompt, JsonNode node) {
    return new LabelMove(prompt, requireText(node.get("label"), "'label'"), node.path("revision").asLong(0),
        parseAllocations(node.path("from")), parseAllocations(node.path("to")), node.path("author").asText(""),
        Instant.parse(requireText(node.get("at"), "'at'")), node.path("reason").asText(""));
  }

  private static String requireText(JsonNode node, String what) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(what + " must be a string");
    }
    return node.asText();
  }

  private static int requireInt(JsonNode node, String what) {
    if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException(what + " must be a whole number");
    }
    return node.asInt();
  }
}
