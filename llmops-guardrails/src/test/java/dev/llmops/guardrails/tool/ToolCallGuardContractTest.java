package dev.llmops.guardrails.tool;

import dev.llmops.core.chat.ToolCall;
import dev.llmops.core.guard.Guard;
import dev.llmops.core.guard.GuardVerdict;
import dev.llmops.core.guard.OutputContext;
import dev.llmops.guardrails.GuardContractTest;
import java.util.List;
import java.util.Map;

/** The contract suite over one call to {@code search}, whose arguments are the text under test. */
class ToolCallGuardContractTest extends GuardContractTest {

  static final String SEARCH_SCHEMA = """
      {"type":"object","required":["query"],"additionalProperties":false,
       "properties":{"query":{"type":"string","minLength":1,"maxLength":200},
                     "top_k":{"type":"integer","minimum":1,"maximum":20}}}""";

  private final ToolCallGuard guard = ToolCallGuard.builder()
      .tool(ToolPolicy.builder("search").argumentsSchema(SEARCH_SCHEMA).build())
      .decisionLog(ToolDecisionLog.discarding())
      .build();

  @Override
  protected Guard guard() {
    return guard;
  }

  @Override
  protected GuardVerdict check(String text) {
    return guard.check(new OutputContext("", "q", List.of(), List.of(new ToolCall("call_1", "search", text)),
        "tenant-a", Map.of()));
  }

  @Override
  protected List<String> triggeringTexts() {
    return List.of(
        "{\"query\": 42}",
        "{\"top_k\": 5}",
        "{\"query\": \"cats\", \"top_k\": 500}",
        "{\"query\": \"cats\", \"drop_tables\": true}",
        "{\"query\": \"cats\"",
        "query=cats");
  }

  @Override
  protected List<String> benignTexts() {
    return List.of("{\"query\": \"cats\"}", "{\"query\": \"refund policy\", \"top_k\": 3}", " {\"query\":\"x\"} ");
  }

  @Override
  protected List<String> adversarialTexts() {
    return List.of("[".repeat(100_000), "{\"query\":".repeat(10_000), "{\"query\": \"" + "\\".repeat(99_990),
        "{\"a\":[".repeat(15_000));
  }
}
