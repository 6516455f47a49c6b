package dev.llmops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.ChatMessage;
import dev.llmops.core.chat.Role;
import dev.llmops.core.prompt.Allocation;
import dev.llmops.core.prompt.Label;
import dev.llmops.core.prompt.LabelMove;
import dev.llmops.core.prompt.MessageTemplate;
import dev.llmops.core.prompt.ModelConfig;
import dev.llmops.core.prompt.PromptDiff;
import dev.llmops.core.prompt.PromptDraft;
import dev.llmops.core.prompt.PromptRegistry;
import dev.llmops.core.prompt.PromptStore;
import dev.llmops.core.prompt.PromptTemplate;
import dev.llmops.core.prompt.PromptVersion;
import dev.llmops.core.prompt.RenderedPrompt;
import dev.llmops.core.prompt.VariableSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmops prompts}: the prompt registry from the command line. */
@Command(
    name = "prompts",
    mixinStandardHelpOptions = true,
    description = "Manage versioned prompts in a directory (--store DIR) or PostgreSQL (--jdbc URL).",
    subcommands = {
        PromptsCommand.Create.class, PromptsCommand.ListPrompts.class, PromptsCommand.Show.class,
        PromptsCommand.LabelCmd.class, PromptsCommand.History.class, PromptsCommand.Rollback.class,
        PromptsCommand.Diff.class, PromptsCommand.Render.class})
final class PromptsCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.ParentCommand LlmOpsCommand parent;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand");
  }

  /** Where the prompts are, and how to print. */
  static final class StoreOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Location location = new Location();

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Database user (the password is read from $LLMOPS_JDBC_PASSWORD).")
    @Nullable String jdbcUser;

    @Option(names = "--json", description = "Print JSON (one object per line) instead of text.")
    boolean json;

    static final class Location {
      @Option(names = "--store", paramLabel = "DIR", description = "A directory of prompt files (created if missing).")
      @Nullable Path directory;

      @Option(names = "--jdbc", paramLabel = "URL", description = "A PostgreSQL JDBC URL, such as jdbc:postgresql://localhost/llmops.")
      @Nullable String jdbcUrl;
    }
  }

  /** What every subcommand shares: the store options, the environment and the output. */
  abstract static class Sub implements Callable<Integer> {
    @CommandLine.ParentCommand PromptsCommand prompts;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin StoreMixin store;

    PromptRegistry registry() {
      StoreOptions o = store.options;
      PromptStore backing;
      if (o.location.directory != null) {
        backing = PromptStore.directory(o.location.directory);
      } else {
        String password = prompts.parent.environment().get("LLMOPS_JDBC_PASSWORD");
        String url = o.location.jdbcUrl;
        if (url == null || !url.startsWith("jdbc:")) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--jdbc needs a JDBC URL such as"
              + " jdbc:postgresql://host/db, not '" + url + "'");
        }
        backing = PromptStore.jdbc(url, o.jdbcUser, password);
      }
      return PromptRegistry.builder(backing).build();
    }

    boolean json() {
      return store.options.json;
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void print(JsonNode node) {
      out().println(node.toString());
    }

    void printMove(Label moved) {
      if (json()) {
        print(labelJson(moved));
      } else {
        out().println(moved.prompt() + ":" + moved.name() + " -> " + Allocation.describe(moved.allocations())
            + " (revision " + moved.revision() + ")");
      }
    }

    String author(@Nullable String given) {
      if (given != null && !given.isBlank()) {
        return given;
      }
      String user = prompts.parent.environment().get("USER");
      return user == null || user.isBlank() ? "cli" : user;
    }

    @Override
    public Integer call() throws Exception {
      try (PromptRegistry registry = registry()) {
        run(registry);
      }
      out().flush();
      return ExitCodes.OK;
    }

    abstract void run(PromptRegistry registry) throws Exception;
  }

  /** The store options as a picocli mixin. */
  static final class StoreMixin {
    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Store:%n")
    StoreOptions options = new StoreOptions();
  }

  /** A prompt reference: {@code name}, {@code name@3} or {@code name:production}. */
  record Ref(String name, @Nullable Integer version, @Nullable String label) {
    static Ref parse(String text) {
      int at = text.indexOf('@');
      int colon = text.indexOf(':');
      try {
        if (at > 0) {
          return new Ref(text.substring(0, at), Integer.parseInt(text.substring(at + 1)), null);
        }
      } catch (NumberFormatException e) {
        throw new InvalidRequestException("'" + text + "' is not NAME@VERSION: the version must be a number");
      }
      if (colon > 0) {
        return new Ref(text.substring(0, colon), null, text.substring(colon + 1));
      }
      return new Ref(text, null, null);
    }

    PromptVersion resolve(PromptRegistry registry, @Nullable String unit) {
      if (version != null) {
        return registry.version(name, version);
      }
      if (label != null) {
        return unit == null ? registry.resolve(name, label).version() : registry.resolve(name, label, unit).version();
      }
      return registry.latest(name);
    }
  }

  static ObjectNode versionJson(PromptVersion v) {
    ObjectNode node = JSON.createObjectNode().put("ref", v.ref()).put("name", v.name()).put("version", v.version())
        .put("author", v.author()).put("message", v.message()).put("createdAt", v.createdAt().toString());
    ArrayNode vars = node.putArray("variables");
    v.variables().forEach(s -> {
      ObjectNode var = vars.addObject().put("name", s.name());
      if (s.defaultValue() != null) {
        var.put("default", s.defaultValue());
      }
    });
    if (v.template() instanceof PromptTemplate.Text text) {
      node.put("text", text.template());
    } else if (v.template() instanceof PromptTemplate.Chat chat) {
      ArrayNode messages = node.putArray("messages");
      chat.messages().forEach(m -> messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT))
          .put("content", m.template()));
    }
    ModelConfig c = v.modelConfig();
    ObjectNode model = node.putObject("model");
    if (c.model() != null) {
      model.put("model", c.model());
    }
    if (c.temperature() != null) {
      model.put("temperature", c.temperature());
    }
    if (c.maxTokens() != null) {
      model.put("maxTokens", c.maxTokens());
    }
    ArrayNode tags = node.putArray("tags");
    v.tags().stream().sorted().forEach(tags::add);
    return node;
  }

  static ObjectNode labelJson(Label l) {
    ObjectNode node = JSON.createObjectNode().put("prompt", l.prompt()).put("label", l.name())
        .put("revision", l.revision()).put("points", Allocation.describe(l.allocations()))
        .put("updatedBy", l.updatedBy()).put("updatedAt", l.updatedAt().toString());
    ArrayNode allocations = node.putArray("allocations");
    l.allocations().forEach(a -> allocations.addObject().put("version", a.version()).put("percent", a.weight() / 100.0));
    return node;
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create the next version of a prompt (no-op when identical to the latest) and print its NAME@VERSION.")
  static final class Create extends Sub {
    @Parameters(index = "0", paramLabel = "NAME", description = "The prompt's name.")
    String name = "";

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source = new Source();

    static final class Source {
      @Option(names = "--text", paramLabel = "TEMPLATE", description = "The template text.")
      @Nullable String text;

      @Option(names = "--file", paramLabel = "FILE", description = "Read the template text from FILE.")
      @Nullable Path file;

      @Option(names = "--chat", paramLabel = "FILE",
          description = "Read a chat template from FILE: a JSON array of {\"role\": \"system|user|assistant\", \"content\": \"...\"}.")
      @Nullable Path chat;
    }

    @Option(names = "--var", paramLabel = "NAME[=DEFAULT]", description = "Declare a variable (repeat); without --var they are inferred.")
    List<String> variables = new ArrayList<>();

    @Option(names = "--model", paramLabel = "MODEL") @Nullable String model;
    @Option(names = "--temperature", paramLabel = "T") @Nullable Double temperature;
    @Option(names = "--max-tokens", paramLabel = "N") @Nullable Integer maxTokens;
    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why this version exists.") String message = "";
    @Option(names = "--author", paramLabel = "NAME", description = "Default: $USER.") @Nullable String author;
    @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeat).") List<String> tags = new ArrayList<>();

    @Override
    void run(PromptRegistry registry) throws IOException {
      PromptDraft.Builder draft = PromptDraft.builder(name).message(message).author(author(author))
          .modelConfig(ModelConfig.DEFAULTS.withModel(model).withTemperature(temperature).withMaxTokens(maxTokens))
          .tags(tags.toArray(String[]::new));
      if (source.text != null) {
        draft.text(source.text);
      } else if (source.file != null) {
        draft.text(Files.readString(source.file, StandardCharsets.UTF_8));
      } else if (source.chat != null) {
        List<MessageTemplate> messages = new ArrayList<>();
        JsonNode array = JSON.readTree(Files.readString(source.chat, StandardCharsets.UTF_8));
        if (!array.isArray()) {
          throw new InvalidRequestException(source.chat + " must hold a JSON array of messages");
        }
        for (JsonNode m : array) {
          Role role;
          try {
            role = Role.valueOf(m.path("role").asText("").toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(source.chat + ": unknown role '" + m.path("role").asText("") + "'");
          }
          if (!m.path("content").isTextual()) {
            throw new InvalidRequestException(source.chat + ": every message needs a \"content\" string");
          }
          messages.add(new MessageTemplate(role, m.path("content").asText()));
        }
        draft.template(new PromptTemplate.Chat(messages));
      }
      for (String v : variables) {
        int eq = v.indexOf('=');
        draft.variable(eq < 0 ? VariableSpec.required(v) : VariableSpec.optional(v.substring(0, eq), v.substring(eq + 1)));
      }
      PromptVersion created = registry.create(draft.build());
      if (json()) {
        print(versionJson(created));
      } else {
        out().println(created.ref());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List prompts with their latest version and labels.")
  static final class ListPrompts extends Sub {
    @Override
    void run(PromptRegistry registry) {
      for (String name : registry.prompts()) {
        PromptVersion latest = registry.latest(name);
        List<Label> labels = registry.labels(name);
        if (json()) {
          ObjectNode node = JSON.createObjectNode().put("name", name).put("latest", latest.version());
          ArrayNode array = node.putArray("labels");
          labels.forEach(l -> array.add(labelJson(l)));
          print(node);
        } else {
          StringBuilder line = new StringBuilder(name + "  latest v" + latest.version());
          labels.forEach(l -> line.append("  ").append(l.name()).append("=").append(Allocation.describe(l.allocations())));
          out().println(line);
        }
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a version: NAME, NAME@VERSION or NAME:LABEL.")
  static final class Show extends Sub {
    @Parameters(index = "0", paramLabel = "REF") String ref = "";
    @Option(names = "--unit", paramLabel = "ID", description = "For a label that splits traffic: the user, session or tenant id.")
    @Nullable String unit;

    @Override
    void run(PromptRegistry registry) {
      PromptVersion v = Ref.parse(ref).resolve(registry, unit);
      if (json()) {
        print(versionJson(v));
        return;
      }
      out().println(v.ref() + "  by " + v.author() + " at " + v.createdAt() + (v.message().isEmpty() ? "" : "  \"" + v.message() + "\""));
      out().println("variables: " + v.variables().stream().map(s -> s.defaultValue() == null ? s.name() : s.name() + "=" + s.defaultValue()).toList());
      if (v.template() instanceof PromptTemplate.Text text) {
        out().println(text.template());
      } else if (v.template() instanceof PromptTemplate.Chat chat) {
        chat.messages().forEach(m -> out().println("[" + m.role().name().toLowerCase(Locale.ROOT) + "] " + m.template()));
      }
    }
  }

  @Command(name = "label", mixinStandardHelpOptions = true,
      description = "Point a label at a version, or split it: 'label NAME production 3' or 'label NAME production 3:90 4:10'.")
  static final class LabelCmd extends Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name = "";
    @Parameters(index = "1", paramLabel = "LABEL") String label = "";
    @Parameters(index = "2..*", arity = "1..*", paramLabel = "VERSION[:PERCENT]") List<String> targets = new ArrayList<>();
    @Option(names = "--author", paramLabel = "NAME", description = "Default: $USER.") @Nullable String author;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the history.") String reason = "";

    @Override
    void run(PromptRegistry registry) {
      List<Allocation> allocations = new ArrayList<>();
      for (String t : targets) {
        int colon = t.indexOf(':');
        try {
          allocations.add(colon < 0 ? Allocation.all(Integer.parseInt(t))
              : Allocation.percent(Integer.parseInt(t.substring(0, colon)), Double.parseDouble(t.substring(colon + 1))));
        } catch (NumberFormatException e) {
          throw new InvalidRequestException("'" + t + "' is not VERSION or VERSION:PERCENT");
        }
      }
      printMove(registry.split(name, label, allocations, author(author), reason));
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "Every move of a label, oldest first.")
  static final class History extends Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name = "";
    @Parameters(index = "1", paramLabel = "LABEL") String label = "";

    @Override
    void run(PromptRegistry registry) {
      for (LabelMove m : registry.history(name, label)) {
        if (json()) {
          print(JSON.createObjectNode().put("revision", m.revision()).put("from", Allocation.describe(m.from()))
              .put("to", Allocation.describe(m.to())).put("author", m.author()).put("at", m.at().toString())
              .put("reason", m.reason()));
        } else {
          out().println("r" + m.revision() + "  " + m.at() + "  " + Allocation.describe(m.from()) + " -> "
              + Allocation.describe(m.to()) + "  by " + m.author() + (m.reason().isEmpty() ? "" : "  (" + m.reason() + ")"));
        }
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Move a label back to where it pointed before its last move.")
  static final class Rollback extends Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name = "";
    @Parameters(index = "1", paramLabel = "LABEL") String label = "";
    @Option(names = "--author", paramLabel = "NAME", description = "Default: $USER.") @Nullable String author;
    @Option(names = "--reason", paramLabel = "TEXT") String reason = "";

    @Override
    void run(PromptRegistry registry) {
      printMove(registry.rollback(name, label, author(author), reason));
    }
  }

  @Command(name = "diff", mixinStandardHelpOptions = true, description = "The differences between two versions.")
  static final class Diff extends Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name = "";
    @Parameters(index = "1", paramLabel = "FROM") int from;
    @Parameters(index = "2", paramLabel = "TO") int to;

    @Override
    void run(PromptRegistry registry) {
      PromptDiff diff = registry.diff(name, from, to);
      if (json()) {
        ObjectNode node = JSON.createObjectNode().put("from", diff.from()).put("to", diff.to());
        ArrayNode template = node.putArray("template");
        diff.template().forEach(template::add);
        ArrayNode settings = node.putArray("settings");
        diff.settings().forEach(settings::add);
        print(node);
      } else {
        out().print(diff);
      }
    }
  }

  @Command(name = "render", mixinStandardHelpOptions = true,
      description = "Render a version (NAME, NAME@VERSION or NAME:LABEL) with values; prints the text, or messages with --json.")
  static final class Render extends Sub {
    @Parameters(index = "0", paramLabel = "REF") String ref = "";
    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A value (repeat).") Map<String, String> values = new LinkedHashMap<>();
    @Option(names = "--vars", paramLabel = "FILE", description = "Values from a JSON object in FILE (lists and objects allowed).")
    @Nullable Path valuesFile;
    @Option(names = "--unit", paramLabel = "ID", description = "For a label that splits traffic: the user, session or tenant id.")
    @Nullable String unit;
    @Option(names = "--allow-unknown", description = "Ignore values the version does not declare.") boolean allowUnknown;

    @Override
    void run(PromptRegistry ignored) throws IOException {
      Map<String, Object> all = new LinkedHashMap<>();
      if (valuesFile != null) {
        JsonNode node = JSON.readTree(Files.readString(valuesFile, StandardCharsets.UTF_8));
        if (!node.isObject()) {
          throw new InvalidRequestException(valuesFile + " must hold a JSON object of values");
        }
        all.putAll(JSON.convertValue(node, JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
      }
      all.putAll(values);
      PromptRegistry registry = PromptRegistry.builder(ignored.store()).allowUnknownVariables(allowUnknown).build();
      PromptVersion version = Ref.parse(ref).resolve(registry, unit);
      RenderedPrompt rendered = registry.render(version, all);
      if (json()) {
        ObjectNode node = JSON.createObjectNode().put("ref", rendered.ref());
        ArrayNode messages = node.putArray("messages");
        for (ChatMessage m : rendered.messages()) {
          messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.text());
        }
        print(node);
      } else {
        out().println(rendered.text());
      }
    }
  }
}
