package dev.llmops.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalDatasetTest {

  @Test
  void readsEveryFieldOfARow() {
    String row = "{\"id\": \"refund-1\", \"input\": {\"system\": \"Be brief.\", \"prompt\": \"How long do refunds for "
        + "{{product}} take?\"}, \"vars\": {\"product\": \"shoes\"}, \"expected\": \"Five business days.\", "
        + "\"context\": [\"Refunds take five business days.\", {\"id\": \"kb-9\", \"text\": \"Shoes ship free.\"}], "
        + "\"assert\": [{\"type\": \"contains\", \"value\": \"five\", \"ignore_case\": true}, "
        + "{\"type\": \"grounded\", \"threshold\": 0.5, \"weight\": 2}, {\"type\": \"latency\", \"value\": 1500}], "
        + "\"weight\": 3, \"repeat\": 2, \"tags\": [\"billing\"]}";

    EvalDataset dataset = EvalDataset.parse(row, "golden.jsonl");

    assertThat(dataset.errors()).isEmpty();
    EvalCase c = dataset.cases().get(0);
    assertThat(c.id()).isEqualTo("refund-1");
    assertThat(c.messages()).containsExactly(ChatMessage.system("Be brief."),
        ChatMessage.user("How long do refunds for shoes take?"));
    assertThat(c.expected()).isEqualTo("Five business days.");
    assertThat(c.context()).containsExactly(new ContextPassage("1", "Refunds take five business days."),
        new ContextPassage("kb-9", "Shoes ship free."));
    assertThat(c.assertions()).extracting(w -> w.assertion().name())
        .containsExactly("contains-ignore-case(\"five\")", "grounded(>= 0.5)", "latency(<= 1500 ms)");
    assertThat(c.assertions()).extracting(WeightedAssertion::weight).containsExactly(1.0, 2.0, 1.0);
    assertThat(c.weight()).isEqualTo(3);
    assertThat(c.repeat()).isEqualTo(2);
    assertThat(c.tags()).containsExactly("billing");
    assertThat(c.line()).isEqualTo(1);
  }

  @Test
  void acceptsMessagesAPlainStringAndIntegerIds() {
    EvalDataset dataset = EvalDataset.parse("""
        {"id": 7, "input": "What is 2+2?", "assert": [{"type": "equals", "value": "4"}]}
        {"id": "chat", "input": {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}, {"role": "user", "content": "bye"}]}}
        """, "inline");
    assertThat(dataset.errors()).isEmpty();
    assertThat(dataset.cases()).extracting(EvalCase::id).containsExactly("7", "chat");
    assertThat(dataset.cases().get(1).messages()).hasSize(3);
  }

  @Test
  void badRowsAreReportedWithTheirLineAndTheRestLoad() {
    String jsonl = String.join("\n",
        "{\"id\": \"ok-1\", \"input\": \"fine\"}",
        "{\"id\": \"broken\", \"input\": ",
        "",
        "{\"input\": \"no id\"}",
        "{\"id\": \"typo\", \"input\": \"x\", \"asert\": []}",
        "{\"id\": \"ok-2\", \"input\": \"fine too\", \"assert\": [{\"type\": \"is-json\"}]}",
        "{\"id\": \"bad-type\", \"input\": \"x\", \"assert\": [{\"type\": \"contain\", \"value\": \"a\"}]}",
        "{\"id\": \"bad-regex\", \"input\": \"x\", \"assert\": [{\"type\": \"regex\", \"value\": \"(\"}]}",
        "{\"id\": \"ok-1\", \"input\": \"duplicate\"}",
        "{\"id\": \"no-var\", \"input\": \"Hello {{name}}\"}",
        "{\"id\": \"no-model\", \"input\": \"x\", \"expected\": \"y\", \"assert\": [{\"type\": \"similar\"}]}",
        "[1, 2]",
        "{\"id\": \"zero\", \"input\": \"x\", \"weight\": 0}",
        "{\"id\": \"ok-3\", \"input\": \"last\"}");

    EvalDataset dataset = EvalDataset.parse(jsonl, "golden.jsonl");

    assertThat(dataset.cases()).extracting(EvalCase::id).containsExactly("ok-1", "ok-2", "ok-3");
    assertThat(dataset.cases()).extracting(EvalCase::line).containsExactly(1, 6, 14);
    assertThat(dataset.errors()).extracting(DatasetError::line).containsExactly(2, 4, 5, 7, 8, 9, 10, 11, 12, 13);
    assertThat(dataset.errors()).extracting(DatasetError::toString).satisfiesExactly(
        e -> assertThat(e).startsWith("golden.jsonl:2: not JSON"),
        e -> assertThat(e).isEqualTo("golden.jsonl:4: \"id\" is missing"),
        e -> assertThat(e).startsWith("golden.jsonl:5 (case typo): unknown key \"asert\""),
        e -> assertThat(e).contains("golden.jsonl:7 (case bad-type): assert[0]: unknown assertion type \"contain\"")
            .contains("not-contains"),
        e -> assertThat(e).contains(":8 (case bad-regex): assert[0]: regex /(/ does not compile"),
        e -> assertThat(e).contains(":9 (case ok-1): id 'ok-1' was already used on line 1"),
        e -> assertThat(e).contains(":10 (case no-var): case 'no-var' uses {{name}} but its vars have no 'name'"),
        e -> assertThat(e).contains(":11 (case no-model): assert[0]: similar needs an embedding model"),
        e -> assertThat(e).contains(":12: a row must be a JSON object"),
        e -> assertThat(e).contains(":13 (case zero): case 'zero' needs a positive weight but has 0.0"));
  }

  @Test
  void theLoaderSuppliesEmbeddingsAndCustomAssertionTypes() {
    Assertion polite = Assertion.of("polite", o -> o.text().contains("please"));
    EvalDataset dataset = EvalDataset.loader().embeddingModel(new EvalFixtures.BagOfWords())
        .customAssertion("polite", polite)
        .parse("{\"id\": \"a\", \"input\": \"x\", \"expected\": \"y\", \"assert\": [{\"type\": \"similar\", "
            + "\"threshold\": 0.9}, {\"type\": \"polite\", \"weight\": 0.5}]}", "inline");
    assertThat(dataset.errors()).isEmpty();
    assertThat(dataset.cases().get(0).assertions()).extracting(w -> w.assertion().name())
        .containsExactly("similar(expected, >= 0.9)", "polite");
  }

  @Test
  void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("support.jsonl");
    Files.writeString(file, "{\"id\": \"a\", \"input\": \"x\"}\n{\"id\": \"b\"}\n");

    EvalDataset dataset = EvalDataset.load(file);

    assertThat(dataset.source()).isEqualTo("support.jsonl");
    assertThat(dataset.cases()).hasSize(1);
    assertThat(dataset.errors()).extracting(DatasetError::toString)
        .containsExactly("support.jsonl:2 (case b): \"input\" is missing");
    assertThatThrownBy(() -> EvalDataset.load(dir.resolve("missing.jsonl"))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("missing.jsonl");
    Path latin1 = dir.resolve("latin1.jsonl");
    Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', '}'});
    assertThatThrownBy(() -> EvalDataset.load(latin1)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("latin1.jsonl");
  }

  @Test
  void casesBuiltInCodeMustHaveDistinctIds() {
    EvalCase a = EvalCase.builder("a").prompt("x").build();
    assertThatThrownBy(() -> EvalDataset.of("code", List.of(a, a))).hasMessageContaining("two cases with id 'a'");
  }
}
