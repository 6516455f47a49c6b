package dev.llmops.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.CorruptDataException;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.TokenUsage;
import dev.llmops.core.observe.GuardDecision.Stage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineageRecordTest {

  static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);

  /** A record with every field set, content included. */
  static LineageRecord full(String id) {
    return LineageRecord.builder(id, Instant.parse("2025-03-01T10:15:30.123456789Z"))
        .tenant("acme").userHash(Lineage.hashUser("u-1842", KEY))
        .route("support-bot").release("support-v7").arm("canary").prompt("support-answer@7")
        .deployment("gpt-4o-mini").modelVersion("gpt-4o-mini-2024-07-18").indexSnapshot("s42")
        .chunk(new ChunkRef("c1", "doc3", 0.91)).chunk(new ChunkRef("c2", "doc9", 0.1 + 0.2))
        .guardPolicy("default@3")
        .guard(new GuardDecision("injection", "1.2", Stage.INPUT, "pass", "pass", 0))
        .guard(new GuardDecision("pii", null, Stage.OUTPUT, "rewrite", "rewrite", 2))
        .usage(new TokenUsage(120, 40, 100, 10), true).cost(0.000123)
        .stage("retrieve", Duration.ofNanos(12_345_678)).stage("model", Duration.ofMillis(800))
        .latency(Duration.ofSeconds(1, 1))
        .finishReason(FinishReason.STOP)
        .answer("What is \"x\"?\nline two", "It is x.\u2028 ünïcode", ContentPolicy.on(t -> t.replace("x", "[X]")))
        .toolCall(new ToolCallRecord(1, "search", Lineage.sha256Hex("{\"q\":1}"), "pass", Duration.ofMillis(5), "ok"))
        .steps(2).outcome(LineageRecord.Outcome.ANSWERED)
        .attribute("temperature", "0.2").attribute("app", "v1.4")
        .build();
  }

  @Test
  void jsonRoundTripKeepsEveryFieldOnOneLine() {
    LineageRecord r = full("req-1");
    String json = r.toJson();
    assertThat(json).doesNotContain("\n").doesNotContain("\r").startsWith("{\"schema_version\":1,\"request_id\":\"req-1\"");
    assertThat(json).contains("\"latency_ms\":1000.000001", "\"retrieve\":12.345678", "\"cached_tokens\":100",
        "\"stage\":\"OUTPUT\"", "\"user_hash\":\"" + r.userHash() + "\"");
    assertThat(LineageRecord.fromJson(json)).isEqualTo(r);
    assertThat(r.content()).isEqualTo(new LineageRecord.Content("What is \"[X]\"?\nline two", "It is [X].\u2028 ünïcode"));
  }

  @Test
  void minimalRecordRoundTrips() {
    LineageRecord r = LineageRecord.builder("r", Instant.EPOCH).outcome(LineageRecord.Outcome.FAILED)
        .errorClass("UNAVAILABLE").build();
    assertThat(r.latency()).isZero();
    assertThat(LineageRecord.fromJson(r.toJson())).isEqualTo(r);
    assertThat(LineageRecord.fromJson("{\"request_id\":\"r\",\"time\":\"1970-01-01T00:00:00Z\",\"outcome\":\"FAILED\","
        + "\"error_class\":\"UNAVAILABLE\"}")).isEqualTo(r);
  }

  @Test
  void latencyDefaultsToTheSumOfStages() {
    LineageRecord r = LineageRecord.builder("r", Instant.EPOCH).stage("a", Duration.ofMillis(3))
        .stage("b", Duration.ofMillis(4)).build();
    assertThat(r.latency()).isEqualTo(Duration.ofMillis(7));
    assertThat(r.stageLatencies().keySet()).containsExactly("a", "b");
  }

  @Test
  void fromJsonIsStrict() {
    String good = full("req-1").toJson();
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"steps\"", "\"stepz\"")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("'stepz' is not a known field");
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"chunk_id\"", "\"chunkid\"")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("chunks[0].chunk_id' is required");
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"steps\":2", "\"steps\":\"2\"")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("'steps' must be an integer");
    assertThatThrownBy(() -> LineageRecord.fromJson(good.substring(0, good.length() - 5)))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> LineageRecord.fromJson(good + "{}"))
        .isInstanceOf(CorruptDataException.class);
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"outcome\":\"ANSWERED\"", "\"outcome\":\"MAYBE\"")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("'outcome' has an unknown value 'MAYBE'");
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"prompt\":\"support-answer@7\"", "\"prompt\":\"support\"")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("req-1").hasMessageContaining("'support'");
    assertThatThrownBy(() -> LineageRecord.fromJson("{\"request_id\":\"r\",\"time\":\"1970-01-01T00:00:00Z\"}"))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("'outcome' is required");
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"schema_version\":1", "\"schema_version\":2")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("schema_version");
    assertThatThrownBy(() -> LineageRecord.fromJson(good.replace("\"tenant\":\"acme\"", "\"tenant\":\"acme\",\"tenant\":\"b\"")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("tenant");
  }

  @Test
  void refusesRawUserIdsAndBadValues() {
    assertThatThrownBy(() -> LineageRecord.builder("r", Instant.EPOCH).userHash("alice@example.com").build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("alice@example.com");
    assertThatThrownBy(() -> LineageRecord.builder("r", Instant.EPOCH).cost(-1).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> LineageRecord.builder(" ", Instant.EPOCH).build())
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> LineageRecord.builder("r", Instant.EPOCH).stage("model", Duration.ofMillis(-1)).build())
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("model");
  }

  @Test
  void userHashIsAKeyedHash() {
    String a = Lineage.hashUser("u-1", KEY);
    assertThat(a).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(Lineage.hashUser("u-1", KEY));
    assertThat(Lineage.hashUser("u-2", KEY)).isNotEqualTo(a);
    assertThat(Lineage.hashUser("u-1", "another-key-0123456789".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(Lineage.sha256Hex("u-1"));
    // RFC 4231 test case 2 ("Jefe" is too short for our minimum, so check the known vector with a 20-byte key: case 1)
    byte[] key = new byte[20];
    java.util.Arrays.fill(key, (byte) 0x0b);
    assertThat(Lineage.hashUser("Hi There", key))
        .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assertThatThrownBy(() -> Lineage.hashUser("u", new byte[4])).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("4");
  }

  @Test
  void contentIsOffByDefault() {
    LineageRecord r = LineageRecord.builder("r", Instant.EPOCH).answer("q", "a", ContentPolicy.off()).build();
    assertThat(r.content()).isNull();
    assertThat(r.outputHash()).isEqualTo(Lineage.sha256Hex("a"));
    assertThat(r.toJson()).doesNotContain("\"q\"").contains("\"content\":null");
  }

  @Test
  void aRedactingGuardDecidesWhatContentIsStored() {
    dev.llmops.core.guard.InputGuard digits = new dev.llmops.core.guard.InputGuard() {
      @Override
      public String name() {
        return "digits";
      }

      @Override
      public String version() {
        return "1";
      }

      @Override
      public dev.llmops.core.guard.GuardVerdict check(dev.llmops.core.guard.InputContext input) {
        String text = input.text();
        if (text.contains("secret")) {
          return dev.llmops.core.guard.GuardVerdict.block("no", 1, java.util.List.of());
        }
        return text.matches(".*[0-9].*")
            ? dev.llmops.core.guard.GuardVerdict.rewrite(text.replaceAll("[0-9]", "#"), 0.5, java.util.List.of())
            : dev.llmops.core.guard.GuardVerdict.pass();
      }
    };
    ContentPolicy policy = ContentPolicy.redactedBy(digits);
    assertThat(policy.capture("card 4111", "no digits here"))
        .isEqualTo(new LineageRecord.Content("card ####", "no digits here"));
    assertThat(policy.capture("a secret", null)).isEqualTo(new LineageRecord.Content("[withheld by digits]", null));
    assertThat(ContentPolicy.off().capture("card 4111", "x")).isNull();
  }
}
