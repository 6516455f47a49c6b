package dev.llmops.guardrails.chain;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.guard.Guard;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.InputContext;
import dev.llmops.guardrails.chain.TestGuards.WordGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardPolicyTest {

  /** A custom guard type: blocks a configured word, takes "word" and optional "message". */
  private static final GuardFactory BAN_WORD = new GuardFactory() {
    @Override
    public String guard() {
      return "ban-word";
    }

    @Override
    public Guard create(GuardOptions options, GuardResources resources) {
      String word = options.requiredString("word");
      String message = options.string("message", "blocked");
      return new WordGuard("ban-word", word, f -> GuardVerdict.block(message, 1, f.findings()));
    }
  };

  private static final GuardResources RESOURCES = GuardResources.builder().factory(BAN_WORD).build();

  private static GuardPolicy parse(String json) {
    return GuardPolicy.parse(json, "policy.json");
  }

  @Test
  void readsEverySettingAndBuildsTheChain() {
    GuardPolicy policy = parse("""
        {
          "name": "support", "version": 3, "mode": "run-all", "onGuardFailure": "fail-open",
          "blockMessage": "No.", "maxTextLength": 100,
          // comments are allowed
          "input": [
            {"guard": "ban-word", "timeout": "250ms", "onFailure": "fail-closed", "options": {"word": "bomb"}},
            {"guard": "ban-word", "enforce": false, "options": {"word": "cake", "message": "no cake"}}
          ],
          "output": [{"guard": "ban-word", "streaming": "at-end", "timeout": "PT2S", "options": {"word": "x"}}]
        }""");
    assertThat(policy.name()).isEqualTo("support");
    assertThat(policy.version()).isEqualTo("3");
    assertThat(policy.mode()).isEqualTo(ChainMode.RUN_ALL);
    assertThat(policy.failurePolicy()).isEqualTo(FailurePolicy.FAIL_OPEN);
    assertThat(policy.input().get(0).settings())
        .isEqualTo(new GuardSettings(Duration.ofMillis(250), FailurePolicy.FAIL_CLOSED, true,
            GuardSettings.Streaming.AUTO));
    assertThat(policy.input().get(1).settings().enforce()).isFalse();
    assertThat(policy.output().get(0).settings().streaming()).isEqualTo(GuardSettings.Streaming.AT_END);
    assertThat(policy.output().get(0).settings().timeout()).isEqualTo(Duration.ofSeconds(2));
    try (GuardChain chain = policy.toChain(RESOURCES)) {
      assertThat(chain.name()).isEqualTo("support");
      ChainResult r = chain.checkInput(InputContext.of("a bomb and cake"));
      assertThat(r.verdict()).isBlock();
      assertThat(((GuardVerdict.Block) r.verdict()).safeMessage()).isEqualTo("blocked");
      assertThat(r.records()).extracting(GuardRecord::outcome).containsExactly(GuardOutcome.BLOCK, GuardOutcome.BLOCK);
      assertThat(chain.checkInput(InputContext.of("cake only")).verdict()).isPass();
      assertThat(chain.checkInput(InputContext.of("x".repeat(101))).verdict()).isBlock()
          .hasFindingOfType("TEXT_TOO_LONG");
    }
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(file, """
        {"name": "p", "version": "1", "onGuardFailure": "fail-closed", "input": [{"guard": "ban-word",
         "options": {"word": "w"}}]}""");
    assertThat(GuardPolicy.load(file).input()).singleElement().extracting(GuardPolicy.GuardSpec::guard)
        .isEqualTo("ban-word");
    Files.write(file, new byte[] {'{', (byte) 0xC3, '}'});
    assertThatThrownBy(() -> GuardPolicy.load(file)).hasMessageContaining(file.toString());
  }

  @Test
  void malformedPoliciesGetErrorsThatSayWhereAndWhat() {
    assertThatThrownBy(() -> parse("{\"name\": \"p\",")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy.json is not a valid JSON object at line 1");
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("policy.json");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "input": [{"guard": "ban-word"}]}"""))
        .hasMessageContaining("policy.json: onGuardFailure is required");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "maybe", "input": [{"guard": "ban-word"}]}"""))
        .hasMessageContaining("policy.json: onGuardFailure must be one of [fail-open, fail-closed] but was \"maybe\"");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open", "inptu": []}"""))
        .hasMessageContaining("unknown option(s) [inptu]");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open",
         "input": [{"guard": "ban-word", "timeout": "soon"}]}"""))
        .hasMessageContaining("policy.json: input[0].timeout must be a positive duration").hasMessageContaining("soon");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open", "input": [{"guard": "ban-word"}],
         "input": []}""")).hasMessageContaining("Duplicate field 'input'").hasMessageContaining("line 2");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open", "input": []}"""))
        .hasMessageContaining("has no guards");
  }

  @Test
  void unknownGuardsMisspeltOptionsAndMissingOptionsAreRejectedWhenBuilding() {
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open", "input": [{"guard": "no-such-guard"}]}""")
        .toChain(RESOURCES)).hasMessageContaining("policy.json: input[0]: unknown guard 'no-such-guard'");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open",
         "input": [{"guard": "ban-word", "options": {"word": "w", "mesage": "typo"}}]}""").toChain(RESOURCES))
        .hasMessageContaining("policy.json: input[0].options has unknown option(s) [mesage]");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open",
         "input": [{"guard": "ban-word", "options": {"word": 7}}]}""").toChain(RESOURCES))
        .hasMessageContaining("policy.json: input[0].options.word must be a string but was 7");
    assertThatThrownBy(() -> parse("""
        {"name": "p", "version": "1", "onGuardFailure": "fail-open", "input": [{"guard": "ban-word"}]}""")
        .toChain(RESOURCES)).hasMessageContaining("policy.json: input[0].options.word is required");
  }

  @Test
  void unknownBuiltInPolicyIsNamed() {
    assertThatThrownBy(() -> GuardPolicy.builtIn("strictest")).hasMessageContaining("no built-in guard policy 'strictest'");
    assertThatThrownBy(() -> GuardPolicy.builtIn("../x")).hasMessageContaining("no built-in guard policy");
  }

  @Test
  void guardOptionsReadTypedValuesWithPaths() {
    GuardOptions o = new GuardOptions("p.json: input[0].options", java.util.Map.of(
        "n", 2.5, "i", 3, "list", java.util.List.of("a", "b"), "map", java.util.Map.of("k", java.util.List.of("v"))));
    assertThat(o.number("n", 0, 0, 10)).isEqualTo(2.5);
    assertThat(o.integer("i", 0)).isEqualTo(3);
    assertThat(o.strings("list", java.util.List.of())).containsExactly("a", "b");
    assertThat(o.stringListMap("map", java.util.Map.of())).containsEntry("k", java.util.List.of("v"));
    assertThatThrownBy(() -> o.integer("n", 0)).hasMessageContaining("p.json: input[0].options.n must be a whole number");
    assertThatThrownBy(() -> o.number("i", 0, 0, 1)).hasMessageContaining("must be in [0.0, 1.0] but was 3.0");
    o.requireAllRead();
  }
}
