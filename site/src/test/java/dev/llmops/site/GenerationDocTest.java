package dev.llmops.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmops.core.chat.ChatRequest;
import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.chat.FinishReason;
import dev.llmops.core.routing.Deployment;
import dev.llmops.core.routing.Release;
import dev.llmops.core.routing.Route;
import dev.llmops.core.routing.RouteRequest;
import dev.llmops.core.routing.Router;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.generate.GenerationRequest;
import dev.llmops.inference.generate.GenerationResult;
import dev.llmops.inference.generate.GenerationStats;
import dev.llmops.inference.generate.OnnxChatModel;
import dev.llmops.inference.generate.SamplingParameters;
import dev.llmops.inference.generate.SchedulerSettings;
import dev.llmops.inference.generate.SyntheticDecoder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of site/src/docs/generation.md; they run as tests. */
class GenerationDocTest {

  @TempDir
  Path tmp;

  @Test
  void chat() {
    Path modelDir = SyntheticDecoder.builder().write(tmp.resolve("tiny-decoder"));
    StringBuilder out = new StringBuilder();
    ChatResponse answer;
    GenerationResult raw;
    // tag::chat[]
    try (OnnxChatModel model = OnnxChatModel.builder()
        .directory(modelDir)                                  // an Optimum export: model.onnx, tokenizer.json, ...
        .build()) {
      ChatRequest request = ChatRequest.builder()
          .system("You are terse.")
          .user("Say hello.")
          .maxTokens(32)
          .build();
      answer = model.stream(request, out::append);            // pieces as they are generated, never half a character

      raw = model.generate(GenerationRequest.of("Once upon a time",   // no chat template
          SamplingParameters.sampled(48, 0.8).withTopK(40).withTopP(0.95).withSeed(42L)
              .withStopSequences(List.of("\n\n"))));
    }
    // end::chat[]
    assertThat(out.toString()).isEqualTo(answer.text());
    assertThat(answer.usage().outputTokens()).isBetween(1, 32);
    assertThat(raw.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
  }

  @Test
  void configure() {
    Path modelDir = SyntheticDecoder.builder().loraRank(4).write(tmp.resolve("tiny-decoder"));
    // tag::configure[]
    OnnxChatModel model = OnnxChatModel.builder()
        .directory(modelDir)
        .execution(ExecutionSettings.cuda(0))                 // falls back to the CPU, with a warning, without a GPU
        .scheduler(SchedulerSettings.defaults()               // continuous batching
            .withMaxBatchSequences(64)                        // sequences decoded together
            .withKvCacheBytes(2L << 30)                       // the key/value cache's memory cap
            .withBlockTokens(16)                              // positions per cache block
            .withPrefillChunkTokens(512))                     // prompt tokens prefilled between decode steps
        .build();

    GenerationStats stats = model.stats();                    // running, queued, cache blocks, tokens, preemptions
    // end::configure[]
    assertThat(stats.kvBlocksTotal()).isPositive();

    // tag::router[]
    Router router = Router.builder()
        .deployment(Deployment.builder("tiny@local", model).build())   // a local model is a ChatModel like any other
        .release(Release.builder("local-v1").deployments("tiny@local").build())
        .route(Route.builder("assistant").release("local-v1", 1).build())
        .build();
    String text = router.chat(RouteRequest.of("assistant", ChatRequest.builder().user("Hi").maxTokens(8).build()))
        .text();
    // end::router[]
    assertThat(text).isNotNull();
    model.close();
  }
}
