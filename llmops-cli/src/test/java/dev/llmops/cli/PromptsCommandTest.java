package dev.llmops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsCommandTest {

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("prompts"));
    all.add(args[0]);
    all.add("--store");
    all.add(dir.resolve("prompts").toString());
    all.addAll(List.of(args).subList(1, args.length));
    return LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of("USER", "tester")), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(all.toArray(String[]::new));
  }

  @Test
  void createsLabelsRendersAndRollsBack() throws Exception {
    assertThat(run("create", "greeting", "--text", "Hello {{name}}, welcome to {{place}}.", "--var", "name",
        "--var", "place=Acme", "-m", "first")).isZero();
    assertThat(out.toString().strip()).isEqualTo("greeting@1");
    assertThat(run("create", "greeting", "--text", "Hi {{name}} from {{place}}!", "--var", "name", "--var", "place=Acme",
        "--temperature", "0.3")).isZero();
    assertThat(out.toString().strip()).isEqualTo("greeting@2");

    assertThat(run("label", "greeting", "production", "1", "--reason", "launch")).isZero();
    assertThat(run("label", "greeting", "production", "1:90", "2:10", "--reason", "canary")).isZero();
    assertThat(out.toString()).contains("v1 90% / v2 10%").contains("revision 2");

    assertThat(run("render", "greeting@1", "--var", "name=Ana")).isZero();
    assertThat(out.toString().strip()).isEqualTo("Hello Ana, welcome to Acme.");
    assertThat(run("render", "greeting:production", "--unit", "user-7", "--var", "name=Ana", "--json")).isZero();
    JsonNode rendered = new ObjectMapper().readTree(out.toString());
    assertThat(rendered.path("ref").asText()).matches("greeting@[12]");
    assertThat(rendered.path("messages").get(0).path("role").asText()).isEqualTo("user");

    assertThat(run("rollback", "greeting", "production", "--reason", "bad canary")).isZero();
    assertThat(out.toString()).contains("-> v1 (revision 3)");
    assertThat(run("history", "greeting", "production", "--json")).isZero();
    List<JsonNode> moves = new ArrayList<>();
    for (String line : out.toString().strip().split("\n")) {
      moves.add(new ObjectMapper().readTree(line));
    }
    assertThat(moves).hasSize(3);
    assertThat(moves.get(2).path("from").asText()).isEqualTo("v1 90% / v2 10%");
    assertThat(moves.get(2).path("author").asText()).isEqualTo("tester");
    assertThat(moves.get(2).path("reason").asText()).isEqualTo("bad canary");

    assertThat(run("diff", "greeting", "1", "2")).isZero();
    assertThat(out.toString()).contains("- Hello {{name}}, welcome to {{place}}.").contains("+ Hi {{name}} from {{place}}!")
        .contains("temperature: null -> 0.3");

    assertThat(run("list")).isZero();
    assertThat(out.toString()).contains("greeting  latest v2  production=v1");
    assertThat(run("show", "greeting:production", "--json")).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).path("ref").asText()).isEqualTo("greeting@1");
  }

  @Test
  void createsChatTemplatesFromAFile() throws Exception {
    Path chat = dir.resolve("chat.json");
    Files.writeString(chat, "[{\"role\":\"system\",\"content\":\"You help {{company}} customers.\"},"
        + "{\"role\":\"user\",\"content\":\"{{question}}\"}]");
    assertThat(run("create", "support", "--chat", chat.toString(), "--json")).isZero();
    JsonNode created = new ObjectMapper().readTree(out.toString());
    assertThat(created.path("messages")).hasSize(2);
    assertThat(created.path("variables").findValuesAsText("name")).containsExactly("company", "question");

    assertThat(run("render", "support", "--var", "company=Acme", "--var", "question=Where is my parcel?")).isZero();
    assertThat(out.toString()).isEqualTo("You help Acme customers.\n\nWhere is my parcel?\n");
  }

  @Test
  void everyErrorIsAClearMessageAndANonZeroExit() throws Exception {
    run("create", "p", "--text", "{{a}} and {{b}}");

    assertThat(run("render", "p")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("missing variables a, b");
    assertThat(run("render", "p:production", "--var", "a=1", "--var", "b=2")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("has no label 'production'");
    assertThat(run("label", "p", "production", "7")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("no version 7");
    assertThat(run("label", "p", "production", "1:60", "1:40")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("appears twice");
    assertThat(run("create", "Bad Name", "--text", "x")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("invalid prompt name");
    assertThat(run("rollback", "p", "production")).isEqualTo(ExitCodes.FAILED);

    Files.writeString(dir.resolve("prompts/p/v000001.json"), "{ broken");
    assertThat(run("show", "p@1")).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).contains("v000001.json").contains("not valid JSON");
  }

  @Test
  void needsExactlyOneStore() {
    StringWriter errors = new StringWriter();
    int status = LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(new StringWriter()),
        new PrintWriter(errors, true)).execute("prompts", "list");
    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(errors.toString()).contains("--store").contains("--jdbc");
  }

  @Test
  void anUnreachableDatabaseIsWorthRetrying() {
    StringWriter errors = new StringWriter();
    int status = LlmOpsCommand.commandLine(new LlmOpsCommand(Map.of()), new PrintWriter(new StringWriter()),
        new PrintWriter(errors, true)).execute("prompts", "list", "--jdbc", "jdbc:postgresql://127.0.0.1:9/llmops");
    assertThat(status).isEqualTo(ExitCodes.RETRIABLE);
    assertThat(errors.toString()).startsWith("llmops: ");
  }
}
