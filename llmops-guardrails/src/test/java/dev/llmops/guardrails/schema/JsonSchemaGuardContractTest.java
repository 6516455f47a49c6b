package dev.llmops.guardrails.schema;

import dev.llmops.core.guard.Guard;
import dev.llmops.guardrails.GuardContractTest;
import java.util.List;

class JsonSchemaGuardContractTest extends GuardContractTest {

  static final String SCHEMA = """
      {"type":"object","required":["answer","confidence"],"additionalProperties":false,
       "properties":{"answer":{"type":"string","maxLength":500},
                     "confidence":{"type":"number","minimum":0,"maximum":1},
                     "sources":{"type":"array","items":{"type":"string"}}}}""";

  private final JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).build();

  @Override
  protected Guard guard() {
    return guard;
  }

  @Override
  protected List<String> triggeringTexts() {
    return List.of(
        "{\"answer\": \"Paris\"}",
        "{\"answer\": \"Paris\", \"confidence\": 1.5}",
        "{\"answer\": \"Paris\", \"confidence\": 0.9, \"extra\": true}",
        "The capital is Paris.",
        "```json\n{\"answer\": \"Paris\", \"confidence\": \"high\"}\n```",
        "{\"answer\": \"Paris\", \"confidence\": 0.9,,}");
  }

  @Override
  protected List<String> benignTexts() {
    return List.of(
        "{\"answer\": \"Paris\", \"confidence\": 0.9}",
        "  {\"answer\": \"Paris\", \"confidence\": 0.9, \"sources\": [\"atlas#3\"]}\n",
        "Here you go:\n```json\n{\"answer\": \"Paris\", \"confidence\": 0.9}\n```\nAnything else?",
        "The result is {\"answer\": \"Paris\", \"confidence\": 0.9} as requested.");
  }

  @Override
  protected List<String> adversarialTexts() {
    return List.of(
        "[".repeat(100_000),
        "{".repeat(100_000),
        "{\"a\":".repeat(20_000),
        "```json\n{".repeat(10_000),
        "```".repeat(40_000),
        "x { y [ ".repeat(15_000),
        "[1,".repeat(40_000),
        "{\"answer\": \"" + "\\u00".repeat(30_000));
  }
}
