package dev.llmops.guardrails.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.chain.GuardFactory;
import dev.llmops.guardrails.chain.GuardOptions;
import dev.llmops.guardrails.chain.GuardResources;
import dev.llmops.guardrails.content.ContentAction;
import dev.llmops.guardrails.content.TopicGuard;
import dev.llmops.guardrails.content.ToxicityGuard;
import dev.llmops.guardrails.grounding.CitationStyle;
import dev.llmops.guardrails.grounding.GroundingAction;
import dev.llmops.guardrails.grounding.GroundingGuard;
import dev.llmops.guardrails.grounding.UncitedSentences;
import dev.llmops.guardrails.grounding.UnknownCitationAction;
import dev.llmops.guardrails.injection.InjectionAction;
import dev.llmops.guardrails.injection.InjectionClassifier;
import dev.llmops.guardrails.injection.InjectionGuard;
import dev.llmops.guardrails.injection.InvisibleTextAction;
import dev.llmops.guardrails.injection.InvisibleTextGuard;
import dev.llmops.guardrails.pii.EntityRecognizer;
import dev.llmops.guardrails.pii.PiiAction;
import dev.llmops.guardrails.pii.PiiGuard;
import dev.llmops.guardrails.pii.PiiOperator;
import dev.llmops.guardrails.pii.PiiRestoreGuard;
import dev.llmops.guardrails.pii.PiiVault;
import dev.llmops.guardrails.schema.JsonExtraction;
import dev.llmops.guardrails.schema.JsonSchemaGuard;
import dev.llmops.guardrails.schema.SchemaAction;
import dev.llmops.guardrails.schema.SchemaDraft;
import dev.llmops.guardrails.secrets.EntropyMode;
import dev.llmops.guardrails.secrets.SecretAction;
import dev.llmops.guardrails.secrets.SecretsGuard;
import dev.llmops.guardrails.tool.LimitAction;
import dev.llmops.guardrails.tool.ToolApprover;
import dev.llmops.guardrails.tool.ToolCallGuard;
import dev.llmops.guardrails.tool.ToolDecisionLog;
import dev.llmops.guardrails.tool.ToolPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The factories of the guards that ship with the module, by the name policy files use. Option names are the
 * guards' builder method names; enum values are written in lower case with dashes.
 */
public final class BuiltInGuards {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BuiltInGuards.class);
  private static final Map<String, GuardFactory> FACTORIES = load();

  private BuiltInGuards() {}

  private static GuardFactory factory(String name, BiFunction<GuardOptions, GuardResources, Guard> create) {
    return new GuardFactory() {
      @Override
      public String guard() {
        return name;
      }

      @Override
      public Guard create(GuardOptions options, GuardResources resources) {
        return create.apply(options, resources);
      }
    };
  }

  private static Map<String, GuardFactory> load() {
    Map<String, GuardFactory> map = new TreeMap<>();
    for (GuardFactory f : List.of(
        factory("prompt-injection", BuiltInGuards::injection),
        factory("invisible-text", BuiltInGuards::invisibleText),
        factory("pii", BuiltInGuards::pii),
        factory("pii-restore", BuiltInGuards::piiRestore),
        factory("secrets", BuiltInGuards::secrets),
        factory("topic", BuiltInGuards::topic),
        factory("toxicity", BuiltInGuards::toxicity),
        factory("grounding", BuiltInGuards::grounding),
        factory("json-schema", BuiltInGuards::jsonSchema),
        factory("tool-calls", BuiltInGuards::toolCalls))) {
      map.put(f.guard(), f);
    }
    return Map.copyOf(map);
  }

  /** The factory for {@code guard}, if it is built in. */
  public static Optional<GuardFactory> factory(String guard) {
    return Optional.ofNullable(FACTORIES.get(guard));
  }

  /** The built-in guard names, sorted. */
  public static List<String> names() {
    return FACTORIES.keySet().stream().sorted().toList();
  }

  private static Guard injection(GuardOptions o, GuardResources r) {
    InjectionGuard.Builder b = InjectionGuard.builder();
    if (o.has("action")) {
      b.action(o.enumValue("action", InjectionAction.class, InjectionAction.BLOCK));
    }
    if (o.has("threshold")) {
      b.threshold(o.number("threshold", 0.5));
    }
    if (o.has("classifierThreshold")) {
      b.classifierThreshold(o.number("classifierThreshold", 0.5));
    }
    if (o.has("rules")) {
      b.rules(o.bool("rules", true));
    }
    if (o.has("disabledSignals")) {
      b.disabledSignals(o.strings("disabledSignals", List.of()));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    String classifier = o.string("classifier", "auto");
    switch (classifier) {
      case "none" -> { }
      case "auto" -> r.embeddingModel().ifPresent(model -> {
        try {
          InjectionClassifier.shipped().requireCompatible(model);
          b.embeddingModel(model);
        } catch (IllegalArgumentException mismatch) {
          LOG.warn("{}: the shipped injection classifier is for {}, not {}; running the rules only (set "
              + "\"classifier\" to a weights file trained for this model)", o.path(), InjectionClassifier.SHIPPED_MODEL_ID,
              model.modelId());
        }
      });
      case "shipped" -> b.embeddingModel(r.requireEmbeddingModel(o.path() + ".classifier (shipped)"));
      default -> {
        Path file = Path.of(classifier);
        try {
          b.classifier(InjectionClassifier.read(file));
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException(o.path() + ".classifier: cannot read weights file " + file
              + " (or use \"auto\", \"shipped\" or \"none\"): " + e.getMessage(), e);
        }
        b.embeddingModel(r.requireEmbeddingModel(o.path() + ".classifier (" + file + ")"));
      }
    }
    String textClassifier = o.string("textClassifier", "");
    if (!textClassifier.isEmpty()) {
      b.textClassifier(r.requireClassifier(textClassifier, o.path() + ".textClassifier"));
    }
    if (o.has("textClassifierLabel")) {
      b.textClassifierLabel(o.string("textClassifierLabel", ""));
    }
    if (o.has("textClassifierThreshold")) {
      b.textClassifierThreshold(o.number("textClassifierThreshold", 0.5));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(o.path() + ": " + e.getMessage(), e);
    }
  }

  private static Guard invisibleText(GuardOptions o, GuardResources r) {
    InvisibleTextGuard.Builder b = InvisibleTextGuard.builder();
    if (o.has("action")) {
      b.action(o.enumValue("action", InvisibleTextAction.class, InvisibleTextAction.STRIP));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    return b.build();
  }

  private static Guard pii(GuardOptions o, GuardResources r) {
    PiiGuard.Builder b = PiiGuard.builder();
    if (o.has("entities")) {
      b.entities(new HashSet<>(o.strings("entities", List.of())));
    }
    PiiOperator operator = o.enumValue("operator", PiiOperator.class, null);
    if (operator != null) {
      b.defaultOperator(operator);
    }
    GuardOptions operators = o.nested("operators");
    if (operators != null) {
      for (String entity : operators.rawKeys()) {
        b.operator(entity, operators.enumValue(entity, PiiOperator.class, PiiOperator.REDACT));
      }
      operators.requireAllRead();
    }
    if (o.has("minScore")) {
      b.minScore(o.number("minScore", 0));
    }
    if (o.has("regions")) {
      b.regions(o.strings("regions", List.of()));
    }
    if (o.has("contextWindow")) {
      b.contextWindow(o.integer("contextWindow", 0));
    }
    o.stringListMap("contextWords", Map.of()).forEach(b::contextWords);
    if (o.has("scopeAttribute")) {
      b.scopeAttribute(o.string("scopeAttribute", ""));
    }
    String hashKey = o.string("hashKey", "");
    if (!hashKey.isEmpty()) {
      b.hashKey(r.requireKey(hashKey, o.path() + ".hashKey"));
    }
    if (o.has("hashLength")) {
      b.hashLength(o.integer("hashLength", 16));
    }
    String mask = o.string("maskChar", "");
    if (mask.length() == 1) {
      b.maskChar(mask.charAt(0));
    } else if (!mask.isEmpty()) {
      throw new IllegalArgumentException(o.path() + ".maskChar must be one character but was \"" + mask + "\"");
    }
    if (o.has("maskKeepLast")) {
      b.maskKeepLast(o.integer("maskKeepLast", 4));
    }
    if (o.has("action")) {
      b.action(o.enumValue("action", PiiAction.class, PiiAction.REWRITE));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    r.get(EntityRecognizer.class).ifPresent(b::recognizer);
    boolean pseudonyms = operator == PiiOperator.PSEUDONYMIZE || (operators != null
        && operators.rawValues().contains(PiiOperator.PSEUDONYMIZE.name().toLowerCase(java.util.Locale.ROOT)));
    if (pseudonyms) {
      b.vault(r.require(PiiVault.class, o.path() + " (operator pseudonymize)"));
    } else {
      r.get(PiiVault.class).ifPresent(b::vault);
    }
    return b.build();
  }

  private static Guard piiRestore(GuardOptions o, GuardResources r) {
    PiiVault vault = r.require(PiiVault.class, o.path());
    return o.has("scopeAttribute") ? PiiRestoreGuard.of(vault, o.string("scopeAttribute", ""))
        : PiiRestoreGuard.of(vault);
  }

  private static Guard secrets(GuardOptions o, GuardResources r) {
    SecretsGuard.Builder b = SecretsGuard.builder();
    if (o.has("action")) {
      b.action(o.enumValue("action", SecretAction.class, SecretAction.REDACT));
    }
    if (o.has("inputAction")) {
      b.inputAction(o.enumValue("inputAction", SecretAction.class, SecretAction.REDACT));
    }
    if (o.has("outputAction")) {
      b.outputAction(o.enumValue("outputAction", SecretAction.class, SecretAction.REDACT));
    }
    if (o.has("minScore")) {
      b.minScore(o.number("minScore", 0));
    }
    if (o.has("placeholder")) {
      b.placeholder(o.string("placeholder", ""));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    if (o.has("disabledTypes")) {
      b.disabledTypes(o.strings("disabledTypes", List.of()));
    }
    if (o.has("enabledTypes")) {
      b.enabledTypes(o.strings("enabledTypes", List.of()));
    }
    if (o.has("entropyMode")) {
      b.entropyMode(o.enumValue("entropyMode", EntropyMode.class, EntropyMode.NEAR_KEYWORD));
    }
    if (o.has("keywordEntropy")) {
      b.keywordEntropy(o.number("keywordEntropy", 0));
    }
    if (o.has("longEntropy")) {
      b.longEntropy(o.number("longEntropy", 0));
    }
    return b.build();
  }

  private static Guard topic(GuardOptions o, GuardResources r) {
    TopicGuard.Builder b = TopicGuard.builder();
    r.embeddingModel().ifPresent(b::embeddingModel);
    for (GuardOptions t : o.nestedList("allowed")) {
      String name = t.requiredString("name");
      List<String> examples = t.strings("examples", List.of());
      List<String> keywords = t.strings("keywords", List.of());
      if (t.has("threshold")) {
        b.allowedTopic(name, examples, keywords, t.number("threshold", 0));
      } else {
        b.allowedTopic(name, examples, keywords);
      }
      t.requireAllRead();
    }
    for (GuardOptions t : o.nestedList("banned")) {
      String name = t.requiredString("name");
      List<String> examples = t.strings("examples", List.of());
      List<String> keywords = t.strings("keywords", List.of());
      if (t.has("threshold")) {
        b.bannedTopic(name, examples, keywords, t.number("threshold", 0));
      } else {
        b.bannedTopic(name, examples, keywords);
      }
      t.requireAllRead();
    }
    if (o.has("allowedThreshold")) {
      b.allowedThreshold(o.number("allowedThreshold", 0));
    }
    if (o.has("bannedThreshold")) {
      b.bannedThreshold(o.number("bannedThreshold", 0));
    }
    if (o.has("action")) {
      b.action(o.enumValue("action", ContentAction.class, ContentAction.BLOCK));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    if (o.has("maxEmbedChars")) {
      b.maxEmbedChars(o.integer("maxEmbedChars", 0));
    }
    if (o.has("maxSentences")) {
      b.maxSentences(o.integer("maxSentences", 0));
    }
    return b.build();
  }

  private static Guard toxicity(GuardOptions o, GuardResources r) {
    ToxicityGuard.Builder b = ToxicityGuard.builder();
    if (o.has("useLexicon")) {
      b.useLexicon(o.bool("useLexicon", true));
    }
    if (o.has("categories")) {
      b.categories(o.strings("categories", List.of()));
    }
    for (GuardOptions t : o.nestedList("addTerms")) {
      b.addTerm(t.requiredString("term"), t.requiredString("category"), t.number("severity", 0.8, 0, 1));
      t.requireAllRead();
    }
    if (o.has("removeTerms")) {
      b.removeTerms(o.strings("removeTerms", List.of()));
    }
    if (o.has("minSeverity")) {
      b.minSeverity(o.number("minSeverity", 0));
    }
    if (o.has("action")) {
      b.action(o.enumValue("action", ContentAction.class, ContentAction.BLOCK));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    String classifier = o.string("classifier", "");
    if (!classifier.isEmpty()) {
      b.classifier(r.requireClassifier(classifier, o.path() + ".classifier"));
    }
    if (o.has("classifierLabel")) {
      b.classifierLabel(o.string("classifierLabel", ""));
    }
    if (o.has("classifierThreshold")) {
      b.classifierThreshold(o.number("classifierThreshold", 0));
    }
    if (o.has("maxClassifierChars")) {
      b.maxClassifierChars(o.integer("maxClassifierChars", 0));
    }
    return b.build();
  }

  private static Guard grounding(GuardOptions o, GuardResources r) {
    GroundingGuard.Builder b = GroundingGuard.builder();
    if (o.bool("useEmbeddings", true)) {
      r.embeddingModel().ifPresent(b::embeddingModel);
    }
    if (o.has("citationStyles")) {
      Set<CitationStyle> styles = EnumSet.noneOf(CitationStyle.class);
      GuardOptions list = new GuardOptions(o.path() + ".citationStyles", Map.of());
      for (String s : o.strings("citationStyles", List.of())) {
        styles.add(list.parse(s, CitationStyle.class));
      }
      b.citationStyles(styles);
    }
    if (o.has("numberedCitations")) {
      b.numberedCitations(o.bool("numberedCitations", true));
    }
    if (o.has("uncitedSentences")) {
      b.uncitedSentences(o.enumValue("uncitedSentences", UncitedSentences.class, UncitedSentences.CHECK_ALL_SOURCES));
    }
    if (o.has("action")) {
      b.action(o.enumValue("action", GroundingAction.class, GroundingAction.FLAG));
    }
    if (o.has("unknownCitationAction")) {
      b.unknownCitationAction(
          o.enumValue("unknownCitationAction", UnknownCitationAction.class, UnknownCitationAction.REASK));
    }
    if (o.has("minSupport")) {
      b.minSupport(o.number("minSupport", 0));
    }
    if (o.has("minGroundedFraction")) {
      b.minGroundedFraction(o.number("minGroundedFraction", 0));
    }
    if (o.has("lexicalWeight")) {
      b.lexicalWeight(o.number("lexicalWeight", 0));
    }
    if (o.has("minContentWords")) {
      b.minContentWords(o.integer("minContentWords", 0));
    }
    if (o.has("maxSentences")) {
      b.maxSentences(o.integer("maxSentences", 0));
    }
    if (o.has("abstentionPhrases")) {
      b.abstentionPhrases(o.strings("abstentionPhrases", List.of()));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    return b.build();
  }

  private static Guard jsonSchema(GuardOptions o, GuardResources r) {
    JsonSchemaGuard.Builder b = JsonSchemaGuard.builder();
    if (o.has("schema") && o.has("schemaFile")) {
      throw new IllegalArgumentException(o.path() + " takes schema or schemaFile, not both");
    }
    if (o.has("schema")) {
      b.schema(jsonText(o, "schema"));
    } else if (o.has("schemaFile")) {
      b.schemaFile(Path.of(o.string("schemaFile", "")));
    } else {
      throw new IllegalArgumentException(o.path() + " needs schema (a JSON Schema object) or schemaFile");
    }
    if (o.has("defaultDraft")) {
      b.defaultDraft(o.enumValue("defaultDraft", SchemaDraft.class, null));
    }
    if (o.has("extraction")) {
      b.extraction(o.enumValue("extraction", JsonExtraction.class, JsonExtraction.AUTO));
    }
    if (o.has("action")) {
      b.action(o.enumValue("action", SchemaAction.class, SchemaAction.REASK));
    }
    if (o.has("maxErrors")) {
      b.maxErrors(o.integer("maxErrors", 0));
    }
    if (o.has("maxDepth")) {
      b.maxDepth(o.integer("maxDepth", 0));
    }
    if (o.has("maxChars")) {
      b.maxChars(o.integer("maxChars", 0));
    }
    if (o.has("includeSchemaInReask")) {
      b.includeSchemaInReask(o.bool("includeSchemaInReask", true));
    }
    if (o.has("rewriteToJson")) {
      b.rewriteToJson(o.bool("rewriteToJson", false));
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    return b.build();
  }

  private static Guard toolCalls(GuardOptions o, GuardResources r) {
    ToolCallGuard.Builder b = ToolCallGuard.builder().clock(r.clock());
    List<ToolPolicy> tools = new ArrayList<>();
    for (GuardOptions t : o.nestedList("tools")) {
      ToolPolicy.Builder p = ToolPolicy.builder(t.requiredString("name"));
      if (t.has("argumentsSchema")) {
        p.argumentsSchema(jsonText(t, "argumentsSchema"));
      }
      if (t.has("defaultDraft")) {
        p.defaultDraft(t.enumValue("defaultDraft", SchemaDraft.class, null));
      }
      if (t.has("dangerous")) {
        p.dangerous(t.bool("dangerous", false));
      }
      GuardOptions rate = t.nested("rateLimit");
      if (rate != null) {
        Duration window = rate.duration("window", null);
        if (window == null) {
          throw new IllegalArgumentException(rate.path() + ".window is required, such as \"1m\"");
        }
        p.rateLimit(rate.integer("calls", 0), window);
        rate.requireAllRead();
      }
      if (t.has("maxCallsPerConversation")) {
        p.maxCallsPerConversation(t.integer("maxCallsPerConversation", 0));
      }
      if (t.has("cost")) {
        p.cost(t.number("cost", 1));
      }
      if (t.has("maxArgumentChars")) {
        p.maxArgumentChars(t.integer("maxArgumentChars", 0));
      }
      if (t.has("maxArgumentDepth")) {
        p.maxArgumentDepth(t.integer("maxArgumentDepth", 0));
      }
      t.requireAllRead();
      tools.add(p.build());
    }
    if (tools.isEmpty()) {
      throw new IllegalArgumentException(o.path() + ".tools must list at least one allowed tool");
    }
    b.tools(tools);
    r.get(ToolApprover.class).ifPresent(b::approver);
    r.get(ToolDecisionLog.class).ifPresent(b::decisionLog);
    if (o.has("limitAction")) {
      b.limitAction(o.enumValue("limitAction", LimitAction.class, LimitAction.BLOCK));
    }
    if (o.has("conversationAttribute")) {
      b.conversationAttribute(o.string("conversationAttribute", ""));
    }
    if (o.has("costBudget")) {
      b.costBudget(o.number("costBudget", 0));
    }
    if (o.has("maxErrors")) {
      b.maxErrors(o.integer("maxErrors", 0));
    }
    if (o.has("maxTrackedKeys")) {
      b.maxTrackedKeys(o.integer("maxTrackedKeys", 0));
    }
    Duration idle = o.duration("budgetIdleExpiry", null);
    if (idle != null) {
      b.budgetIdleExpiry(idle);
    }
    if (o.has("blockMessage")) {
      b.blockMessage(o.string("blockMessage", ""));
    }
    return b.build();
  }

  /** An option holding a JSON document (an object, or a string with JSON text), as JSON text. */
  private static String jsonText(GuardOptions o, String key) {
    Object raw = o.raw(key);
    if (raw instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(raw);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(o.path() + "." + key + " is not a JSON document: " + e.getOriginalMessage(), e);
    }
  }
}
