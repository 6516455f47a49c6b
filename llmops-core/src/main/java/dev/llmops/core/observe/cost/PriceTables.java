package dev.llmops.core.observe.cost;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.NotFoundException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.routing.PriceTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Prices per model, per million tokens, as {@link PriceTable}s: loaded from JSON or built from a map.
 *
 * <p>The JSON form is one object whose keys are model names and whose values give {@code input} and {@code output}
 * prices and optionally {@code cached_input} (the price of prompt tokens served from the provider's cache; it
 * defaults to the input price):
 * <pre>{@code
 * {
 *   "gpt-4o-mini": {"input": 0.15, "cached_input": 0.075, "output": 0.6},
 *   "o3-mini":     {"input": 1.10, "cached_input": 0.55,  "output": 4.4}
 * }
 * }</pre>
 * Reading is strict: a duplicate model, an unknown or missing key, a price that is not a number or is negative is a
 * {@link CorruptDataException} naming the file (or source) and the model and key. Costs follow {@link PriceTable}:
 * cached input at its own price and not again as input; reasoning tokens are part of the output tokens and charged
 * once, as output.
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTables {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> KEYS = Set.of("input", "cached_input", "output");

  private final Map<String, PriceTable> tables;
  private final String source;

  private PriceTables(Map<String, PriceTable> tables, String source) {
    this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    this.source = source;
  }

  /**
   * Tables from a map of model name to prices.
   *
   * @throws CorruptDataException if a model name is blank
   */
  public static PriceTables of(Map<String, PriceTable> tables) {
    for (String model : tables.keySet()) {
      if (model.isBlank()) {
        throw new CorruptDataException("price tables: a model name is blank", null);
      }
    }
    return new PriceTables(tables, "price tables");
  }

  /**
   * Reads tables from a JSON file (UTF-8).
   *
   * @throws NotFoundException if the file does not exist
   * @throws UnavailableException if it cannot be read
   * @throws CorruptDataException if it is not valid price tables, naming the file, model and key
   */
  public static PriceTables load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("price table file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UnavailableException("cannot read price table file " + file + ": " + e.getMessage(), null, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads tables from JSON text.
   *
   * @param json the JSON
   * @param source what to call it in error messages (a file name, "config server")
   * @throws CorruptDataException if it is not valid price tables, naming the source, model and key
   */
  public static PriceTables parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CorruptDataException(source + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CorruptDataException(source + ": price tables must be a JSON object of model names, was "
          + (root == null ? "empty" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)), null);
    }
    if (root.isEmpty()) {
      throw new CorruptDataException(source + ": price tables name no model", null);
    }
    Map<String, PriceTable> tables = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String model = entry.getKey();
      if (model.isBlank()) {
        throw new CorruptDataException(source + ": a model name is blank", null);
      }
      JsonNode prices = entry.getValue();
      if (!prices.isObject()) {
        throw new CorruptDataException(source + ": model '" + model + "' must map to an object of prices, was "
            + prices, null);
      }
      for (Map.Entry<String, JsonNode> field : prices.properties()) {
        String key = field.getKey();
        if (!KEYS.contains(key)) {
          throw new CorruptDataException(source + ": model '" + model + "': unknown key '" + key
              + "' (allowed: input, cached_input, output; prices per million tokens)", null);
        }
      }
      double input = price(prices, "input", source, model, null);
      double output = price(prices, "output", source, model, null);
      double cached = price(prices, "cached_input", source, model, input);
      tables.put(model, new PriceTable(input, cached, output));
    }
    return new PriceTables(tables, source);
  }

  private static double price(JsonNode prices, String key, String source, String model, @Nullable Double fallback) {
    JsonNode node = prices.get(key);
    if (node == null) {
      if (fallback != null) {
        return fallback;
      }
      throw new CorruptDataException(source + ": model '" + model + "' has no '" + key + "' price", null);
    }
    if (!node.isNumber() || !(node.asDouble() >= 0) || !Double.isFinite(node.asDouble())) {
      throw new CorruptDataException(source + ": model '" + model + "': '" + key
          + "' must be a price of 0 or more per million tokens, was " + node, null);
    }
    return node.asDouble();
  }

  /** The prices of {@code model}, if listed. */
  public Optional<PriceTable> find(String model) {
    return Optional.ofNullable(tables.get(model));
  }

  /**
   * The prices of {@code model}.
   *
   * @throws NotFoundException if it is not listed, naming it and the source
   */
  public PriceTable get(String model) {
    PriceTable table = tables.get(model);
    if (table == null) {
      throw new NotFoundException(source + " list no prices for model '" + model + "' (they list " + tables.keySet()
          + ")");
    }
    return table;
  }

  /**
   * The cost of {@code usage} on {@code model}, in the tables' currency.
   *
   * @throws NotFoundException if the model is not listed
   */
  public double cost(String model, TokenUsage usage) {
    return get(model).cost(usage);
  }

  /** Every model's prices, in the order read. */
  public Map<String, PriceTable> asMap() {
    return tables;
  }

  @Override
  public String toString() {
    return "PriceTables[" + source + ", " + tables.size() + " models]";
  }
}
