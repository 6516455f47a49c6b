package dev.llmops.core.observe.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.routing.PriceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTablesTest {

  @Test
  void loadsTablesAndPricesCachedAndReasoningTokensRight(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, """
        {
          "gpt-4o-mini": {"input": 0.15, "cached_input": 0.075, "output": 0.6},
          "o3-mini":     {"input": 1.10, "cached_input": 0.55,  "output": 4.4},
          "local-llama": {"input": 0, "output": 0}
        }
        """);
    PriceTables prices = PriceTables.load(file);
    assertThat(prices.asMap()).containsOnlyKeys("gpt-4o-mini", "o3-mini", "local-llama");
    assertThat(prices.get("gpt-4o-mini")).isEqualTo(new PriceTable(0.15, 0.075, 0.6));
    assertThat(prices.get("local-llama").cachedInputPerMillion()).isZero();

    // 10,000 prompt tokens of which 8,000 cached; 2,000 output tokens of which 1,500 reasoning.
    TokenUsage usage = new TokenUsage(10_000, 2_000, 8_000, 1_500);
    // 2,000 uncached x 1.10 + 8,000 cached x 0.55 + 2,000 output x 4.4 (reasoning inside, not again), per million
    assertThat(prices.cost("o3-mini", usage)).isCloseTo((2_000 * 1.10 + 8_000 * 0.55 + 2_000 * 4.4) / 1e6,
        within(1e-15));
    assertThat(prices.cost("o3-mini", usage)).isCloseTo(0.0154, within(1e-15));
    // Without a cached price, cached input costs what input costs.
    assertThat(PriceTables.parse("{\"m\": {\"input\": 2, \"output\": 8}}", "inline").get("m"))
        .isEqualTo(new PriceTable(2, 2, 8));
  }

  @Test
  void strictErrorsNameTheFileModelAndKey(@TempDir Path dir) throws Exception {
    assertCorrupt("{\"gpt\": {\"input\": 1, \"output\": 2, \"ouptut\": 3}}", "prices.json: model 'gpt': unknown key 'ouptut'");
    assertCorrupt("{\"gpt\": {\"input\": 1}}", "prices.json: model 'gpt' has no 'output' price");
    assertCorrupt("{\"gpt\": {\"input\": \"0.15\", \"output\": 2}}", "model 'gpt': 'input' must be a price");
    assertCorrupt("{\"gpt\": {\"input\": -1, \"output\": 2}}", "was -1");
    assertCorrupt("{\"gpt\": {\"input\": 1, \"output\": 2}, \"gpt\": {\"input\": 1, \"output\": 2}}", "gpt");
    assertCorrupt("{\"gpt\": 0.15}", "model 'gpt' must map to an object");
    assertCorrupt("[1, 2]", "must be a JSON object");
    assertCorrupt("{}", "name no model");
    assertCorrupt("{\"gpt\": {\"input\": 1,\n \"output\": }}", "line 2");
    assertThatThrownBy(() -> PriceTables.load(dir.resolve("missing.json"))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("missing.json");
    assertThatThrownBy(() -> PriceTables.parse("{\"m\": {\"input\": 1, \"output\": 1}}", "x").get("other"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("'other'").hasMessageContaining("[m]");
  }

  private static void assertCorrupt(String json, String message) {
    assertThatThrownBy(() -> PriceTables.parse(json, "prices.json")).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("prices.json").hasMessageContaining(message);
  }
}
