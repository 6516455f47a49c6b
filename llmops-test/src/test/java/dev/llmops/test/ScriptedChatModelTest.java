package dev.llmops.test;

import static dev.llmops.test.LlmOpsAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmops.core.RateLimitedException;
import dev.llmops.core.UnavailableException;
import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.chat.StreamListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScriptedChatModelTest {

  @Test
  void answersRulesFirstThenTheScriptInOrderThenTheFallback() {
    ScriptedChatModel model = ScriptedChatModel.builder()
        .when(r -> r.lastUserText().contains("refund"), "Refunds take 5 days.")
        .replies("first", "second")
        .otherwise("no idea")
        .build();

    assertThat(model.chat("hello")).isEqualTo("first");
    assertThat(model.chat("about my refund")).isEqualTo("Refunds take 5 days.");
    assertThat(model.chat("again")).isEqualTo("second");
    assertThat(model.chat("and again")).isEqualTo("no idea");
    assertThat(model.chat("once more")).isEqualTo("no idea");
    assertThat(model).wasCalledTimes(5).usedWholeScript().lastUserMessageContains("once more");
  }

  @Test
  void failsClearlyWhenTheScriptRunsOut() {
    ScriptedChatModel model = ScriptedChatModel.builder().modelId("bot").reply("only one").build();
    model.chat("one");
    assertThatThrownBy(() -> model.chat("two"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'bot'").hasMessageContaining("call #2").hasMessageContaining("'two'");
  }

  @Test
  void injectsFailuresInOrderAndByRule() {
    ScriptedChatModel model = ScriptedChatModel.builder()
        .failWhen(r -> r.lastUserText().equals("down"), () -> new UnavailableException("maintenance"))
        .fail(() -> new RateLimitedException("slow down", Duration.ofSeconds(3), null))
        .reply("ok")
        .build();

    assertThatThrownBy(() -> model.chat("x")).isInstanceOf(RateLimitedException.class)
        .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(3)));
    assertThatThrownBy(() -> model.chat("down")).isInstanceOf(UnavailableException.class).hasMessage("maintenance");
    assertThat(model.chat("x")).isEqualTo("ok");
    assertThat(model.requests()).hasSize(3);
  }

  @Test
  void honoursStopSequencesAndMaxTokensLikeARealModel() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("one two three END four five");

    ChatResponse stopped = model.chat(ChatRequest.builder().user("q").stop("END").build());
    assertThat(stopped).hasText("one two three ").hasFinishReason(FinishReason.STOP);

    ChatResponse cut = model.chat(ChatRequest.builder().user("q").maxTokens(2).build());
    assertThat(cut).hasText("one two").hasFinishReason(FinishReason.LENGTH).hasUsage(2, 2);
  }

  @Test
  void countsUsageDeterministically() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("three word answer");
    ChatResponse response = model.chat(ChatRequest.builder().system("be brief").user("what is it").build());
    // system: 2 words + role, user: 3 words + role
    assertThat(response).hasUsage(7, 3).hasModelId("scripted-model");
  }

  @Test
  void streamsOneTokenAtATimeAndStopsWhenCancelled() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("alpha beta gamma delta");
    List<String> tokens = new ArrayList<>();
    ChatResponse whole = model.stream(ChatRequest.of("q"), tokens::add);
    assertThat(tokens).containsExactly("alpha", " beta", " gamma", " delta");
    assertThat(String.join("", tokens)).isEqualTo(whole.text());

    List<String> partial = new ArrayList<>();
    ChatResponse cancelled = model.stream(ChatRequest.of("q"), new StreamListener() {
      @Override
      public void onToken(String token) {
        partial.add(token);
      }

      @Override
      public boolean isCancelled() {
        return partial.size() == 2;
      }
    });
    assertThat(partial).containsExactly("alpha", " beta");
    assertThat(cancelled).hasText("alpha beta").hasFinishReason(FinishReason.CANCELLED);
  }

  @Test
  void advancesAFakeClockInsteadOfSleeping() {
    FakeClock clock = FakeClock.create();
    ScriptedChatModel model = ScriptedChatModel.builder()
        .otherwise("a b c").latency(Duration.ofSeconds(2)).tokenInterval(Duration.ofMillis(100)).clock(clock).build();

    ChatResponse response = model.stream(ChatRequest.of("q"), t -> { });

    assertThat(response.latency()).isEqualTo(Duration.ofMillis(2200));
    assertThat(response.timeToFirstToken()).isEqualTo(Duration.ofSeconds(2));
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(2200));
  }

  @Test
  void answersToolCalls() {
    ScriptedChatModel model = ScriptedChatModel.builder()
        .replyWithToolCall("get_weather", "{\"city\":\"Oslo\"}").build();
    ChatResponse response = model.chat(ChatRequest.of("weather?"));
    assertThat(response).hasToolCall("get_weather").hasFinishReason(FinishReason.TOOL_CALLS).hasText("");
    assertThat(response.toolCalls().get(0).argumentsJson()).isEqualTo("{\"city\":\"Oslo\"}");
  }

  @Test
  void recordsEveryRequestFromManyThreadsAndHandsOutEachScriptStepOnce() throws Exception {
    int threads = 8;
    int perThread = 50;
    ScriptedChatModel.Builder builder = ScriptedChatModel.builder();
    for (int i = 0; i < threads * perThread; i++) {
      builder.reply("reply-" + i);
    }
    ScriptedChatModel model = builder.build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          ChatResponse response = model.chat(ChatRequest.of("q"));
          got.add(response.text() + "|" + response.responseId());
        }
        return got;
      }));
    }
    start.countDown();
    Set<String> replies = new HashSet<>();
    for (Future<List<String>> f : futures) {
      replies.addAll(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(replies).hasSize(threads * perThread);
    assertThat(replies.stream().map(r -> r.substring(r.indexOf('|') + 1)).distinct().count())
        .as("every call has its own response id").isEqualTo(threads * perThread);
    assertThat(model.requests()).hasSize(threads * perThread);
    assertThat(model).wasCalledTimes(threads * perThread).usedWholeScript();
  }

  @Test
  void tokensKeepTheirLeadingWhitespace() {
    assertThat(ScriptedChatModel.tokens("Hello,  world!\n")).containsExactly("Hello,", "  world!", "\n");
    assertThat(ScriptedChatModel.tokens("")).isEmpty();
  }
}
