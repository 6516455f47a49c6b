package dev.llmops.guardrails.schema;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.guard.Finding;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.schema.JsonCheck.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSchemaGuardTest {

  private static final String SCHEMA = JsonSchemaGuardContractTest.SCHEMA;

  private static GuardVerdict check(JsonSchemaGuard guard, String text) {
    return guard.check(OutputContext.of(text));
  }

  @Test
  void validJsonPasses() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).build();
    assertThat(check(guard, "{\"answer\":\"Paris\",\"confidence\":0.5}")).isPass().hasNoFindings();
  }

  @Test
  void schemaViolationsReaskWithPathsMessagesAndTheSchema() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).build();
    GuardVerdict verdict = check(guard, "{\"answer\": 42, \"confidence\": 2}");
    assertThat(verdict).isReask().hasFindingOfType("SCHEMA_VIOLATION");
    String instruction = ((GuardVerdict.Reask) verdict).instruction();
    assertThat(instruction).contains("$.answer").contains("$.confidence").contains("\"required\"");
    assertThat(verdict.findings()).extracting(Finding::detail)
        .anySatisfy(d -> assertThat(d).startsWith("$.answer: ").contains("string"))
        .anySatisfy(d -> assertThat(d).startsWith("$.confidence: "));
    assertThat(verdict.findings().get(0).span()).isNotNull();
  }

  @Test
  void parseErrorsCarryLineAndColumn() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).extraction(JsonExtraction.WHOLE_TEXT).build();
    GuardVerdict verdict = check(guard, "{\n  \"answer\": \"x\",\n  \"confidence\": 0.5,,\n}");
    assertThat(verdict).isReask().hasFindingOfType("INVALID_JSON");
    assertThat(verdict.findings().get(0).detail()).contains("line 3, column");
  }

  @Test
  void fencedAndEmbeddedJsonIsFoundAndCanBeRewrittenToTheJsonAlone() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).rewriteToJson(true).build();
    String json = "{\"answer\": \"Paris\", \"confidence\": 0.9}";
    assertThat(check(guard, "Sure!\n```json\n" + json + "\n```")).isRewriteTo(json);
    assertThat(check(guard, "Result: " + json + " -- done")).isRewriteTo(json);
    assertThat(check(guard, json)).isPass();
  }

  @Test
  void wholeTextModeRejectsProseAroundJson() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).extraction(JsonExtraction.WHOLE_TEXT).build();
    assertThat(check(guard, "Result: {\"answer\": \"Paris\", \"confidence\": 0.9}")).isReask()
        .hasFindingOfType("INVALID_JSON");
    assertThat(check(guard, "{\"answer\": \"Paris\", \"confidence\": 0.9} trailing")).isReask();
  }

  @Test
  void notJsonAtAllIsReportedAsNotFound() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).action(SchemaAction.BLOCK).build();
    GuardVerdict verdict = check(guard, "I think the answer is Paris.");
    assertThat(verdict).isBlock().hasFindingOfType("JSON_NOT_FOUND");
    assertThat(((GuardVerdict.Block) verdict).safeMessage()).isEqualTo(JsonSchemaGuard.DEFAULT_BLOCK_MESSAGE);
  }

  @Test
  void flagPassesWithFindings() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).action(SchemaAction.FLAG).build();
    GuardVerdict verdict = check(guard, "{\"answer\": \"x\"}");
    assertThat(verdict).isPass().hasFindingOfType("SCHEMA_VIOLATION");
    assertThat(verdict.riskScore()).isEqualTo(1.0);
  }

  @Test
  void hugeNestingIsRefusedWithoutBlowingTheStack() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema("{}").maxDepth(32).build();
    String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
    assertThat(guard.inspect(deep).status()).isEqualTo(Status.TOO_LARGE);
    String deepButShort = "[".repeat(100) + "]".repeat(100);
    assertThat(guard.inspect(deepButShort).status()).isEqualTo(Status.TOO_DEEP);
    assertThat(guard.inspect("[".repeat(32) + "]".repeat(32)).status()).isEqualTo(Status.VALID);
  }

  @Test
  void maxErrorsBoundsTheListedErrors() {
    String schema = "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}";
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(schema).maxErrors(3).build();
    String bad = "[" + "\"x\",".repeat(50) + "\"x\"]";
    GuardVerdict verdict = check(guard, bad);
    assertThat(verdict.findings()).hasSize(4);
    assertThat(verdict.findings().get(3).detail()).isEqualTo("48 more errors not listed");
    assertThat(((GuardVerdict.Reask) verdict).instruction()).contains("- and 48 more");
  }

  @Test
  void draftIsDetectedFromTheSchema() {
    JsonSchemaGuard draft7 = JsonSchemaGuard.builder()
        .schema("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}")
        .build();
    assertThat(draft7.checker().draft()).isEqualTo(SchemaDraft.DRAFT_7);
    assertThat(check(draft7, "[\"a\", 1]")).isPass();
    assertThat(check(draft7, "[1]")).isReask();
    JsonSchemaGuard byDefault = JsonSchemaGuard.builder().schema("{\"type\":\"string\"}").defaultDraft(SchemaDraft.DRAFT_4).build();
    assertThat(byDefault.checker().draft()).isEqualTo(SchemaDraft.DRAFT_4);
  }

  @Test
  void invalidSchemasFailAtBuildWithAClearMessage() {
    assertThatThrownBy(() -> JsonSchemaGuard.builder().schema("{\"type\": ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> JsonSchemaGuard.builder().schema("{\"type\": \"strnig\"}").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid JSON Schema");
    assertThatThrownBy(() -> JsonSchemaGuard.builder().schema("[1, 2]").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object or a boolean");
    assertThatThrownBy(() -> JsonSchemaGuard.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a schema");
    assertThatThrownBy(() -> JsonSchemaGuard.builder().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void unknownDraftsAreRefusedAtBuild() {
    assertThatThrownBy(() -> JsonSchemaGuard.builder()
        .schema("{\"$schema\":\"https://example.invalid/my-meta-schema\",\"type\":\"object\"}").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://example.invalid/my-meta-schema");
  }

  @Test
  void firstValueStaysLinearOnManyUnclosedCandidates() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).extraction(JsonExtraction.FIRST_VALUE).build();
    // every opening bracket starts an unclosed string that runs to the end: each candidate parse reads it all
    String text = "Result: " + ("[\"" + "x".repeat(5_000)).repeat(20);
    JsonCheck check = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
        () -> guard.inspect(text));
    assertThat(check.status()).isEqualTo(Status.INVALID_JSON);
    assertThat(check.errors().get(0).message()).startsWith("line 1, column ");
  }

  @Test
  void remoteReferencesAreRefusedAtBuild() {
    assertThatThrownBy(() -> JsonSchemaGuard.builder()
        .schema("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"https://example.invalid/schema.json\"}}}")
        .build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote");
  }

  @Test
  void localReferencesWork() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema("""
        {"$defs":{"price":{"type":"number","minimum":0}},
         "type":"object","properties":{"price":{"$ref":"#/$defs/price"}}}""").build();
    assertThat(check(guard, "{\"price\": 3}")).isPass();
    assertThat(check(guard, "{\"price\": -3}")).isReask().hasFindingOfType("SCHEMA_VIOLATION");
  }

  @Test
  void schemaCanBeReadFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("answer.schema.json");
    Files.writeString(file, SCHEMA);
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schemaFile(file).build();
    assertThat(check(guard, "{\"answer\":\"x\",\"confidence\":0}")).isPass();
    assertThatThrownBy(() -> JsonSchemaGuard.builder().schemaFile(dir.resolve("missing.json")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.json");
  }

  @Test
  void firstValueSkipsBracketsThatAreNotJson() {
    JsonSchemaGuard guard = JsonSchemaGuard.builder().schema(SCHEMA).extraction(JsonExtraction.FIRST_VALUE).build();
    assertThat(check(guard, "See [the docs] then {\"answer\":\"x\",\"confidence\":1}")).isPass();
  }
}
