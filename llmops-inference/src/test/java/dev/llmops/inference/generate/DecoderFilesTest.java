package dev.llmops.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.llmops.core.CorruptDataException;
import dev.llmops.inference.ExecutionProvider;
import dev.llmops.inference.ExecutionSettings;
import dev.llmops.inference.testing.ModelResources;
import dev.llmops.inference.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine reads from an export's files, a WordPiece vocabulary, and the CUDA provider where present. */
class DecoderFilesTest {

  @TempDir
  Path tmp;

  @Test
  void readsOptimumStyleConfigurationFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("export"));
    Files.writeString(dir.resolve("config.json"), """
        {"model_type": "qwen2", "max_position_embeddings": 32768, "eos_token_id": 151643, "bos_token_id": 151643}""");
    Files.writeString(dir.resolve("generation_config.json"), """
        {"do_sample": true, "temperature": 0.7, "top_k": 20, "top_p": 0.8, "repetition_penalty": 1.05,
         "eos_token_id": [151645, 151643], "max_new_tokens": 512}""");
    Files.writeString(dir.resolve("tokenizer_config.json"), """
        {"chat_template": [{"name": "default", "template": "{{ messages[0]['content'] }}"},
                           {"name": "tool_use", "template": "x"}],
         "eos_token": {"content": "<|im_end|>"}, "bos_token": null}""");
    DecoderDescriptor d = DecoderDescriptor.read(dir, 24, 2, 64, 151936, 4096, null);
    assertThat(d.contextLength()).isEqualTo(32768);
    assertThat(d.eosTokenIds()).containsExactlyInAnyOrder(151645, 151643);
    assertThat(d.bosTokenId()).isEqualTo(151643);
    assertThat(d.chatTemplate()).isEqualTo("{{ messages[0]['content'] }}");
    assertThat(d.eosToken()).isEqualTo("<|im_end|>");
    assertThat(d.bosToken()).isNull();
    SamplingParameters defaults = d.defaults();
    assertThat(defaults.temperature()).isEqualTo(0.7);
    assertThat(defaults.topK()).isEqualTo(20);
    assertThat(defaults.topP()).isEqualTo(0.8);
    assertThat(defaults.repetitionPenalty()).isEqualTo(1.05);
    assertThat(defaults.maxNewTokens()).isEqualTo(512);
    assertThat(d.kvFloatsPerToken()).isEqualTo(2L * 24 * 2 * 64);

    DecoderDescriptor bare = DecoderDescriptor.read(Files.createDirectories(tmp.resolve("bare")), 2, 2, 16, 262, 4096,
        "{{ 'given' }}");
    assertThat(bare.contextLength()).isEqualTo(4096);
    assertThat(bare.eosTokenIds()).isEmpty();
    assertThat(bare.chatTemplate()).isEqualTo("{{ 'given' }}");
    assertThat(bare.defaults().isGreedy()).isTrue();

    Files.writeString(dir.resolve("config.json"), "[1, 2]");
    assertThatThrownBy(() -> DecoderDescriptor.read(dir, 2, 2, 16, 262, 4096, null))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("config.json");
  }

  @Test
  void aWordPieceVocabularyDecodesWithTheCacheAsWithoutAndStreamsWholeWords() throws Exception {
    Path tokenizer = ModelResources.copy(ModelResources.MINILM_TOKENIZER, tmp.resolve("tokenizer.json"));
    int sep = (int) TinyModels.tokenId("[SEP]");
    Path dir = SyntheticDecoder.builder().maxPositions(128).seed(5).tokenizer(tokenizer, sep).write(tmp.resolve("wp"));
    try (OnnxChatModel model = OnnxChatModel.builder().directory(dir).build();
        Reference reference = new Reference(dir, 2, 2, 16)) {
      assertThat(model.descriptor().vocabularySize()).isEqualTo(30522);
      int[] prompt = model.tokenize("the quick brown fox jumps over the lazy dog");
      assertThat(prompt).isNotEmpty();
      GenerationResult result = model.generate(GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(16)
          .withMinNewTokens(16)));
      assertThat(result.tokenIds()).containsExactly(reference.greedy(prompt, 16, sep));

      List<String> pieces = new ArrayList<>();
      GenerationResult streamed = model.generate(GenerationRequest.ofTokens(model.tokenize("playing unbelievable"),
          SamplingParameters.sampled(40, 1.0).withSeed(2L)), pieces::add);
      assertThat(String.join("", pieces)).isEqualTo(streamed.text());
      assertThat(streamed.text()).doesNotContain("##");
      assertThat(model.applyChatTemplate(dev.llmops.core.chat.ChatRequest.of("hi"))).isEqualTo("user: hi\nassistant: ");
    }
  }

  @Test
  void runsOnCudaAndAgreesWithTheCpu() throws Exception {
    Assumptions.assumeTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "skipped: this ONNX Runtime has no CUDA provider (providers: " + OrtEnvironment.getAvailableProviders()
            + "); run with the onnxruntime_gpu artifact on a machine with an NVIDIA GPU");
    Path dir = SyntheticDecoder.builder().write(tmp.resolve("gpu"));
    Random random = new Random(3);
    try (OnnxChatModel gpu = OnnxChatModel.builder().directory(dir)
            .execution(ExecutionSettings.cuda(0).withFallbackToCpu(false)).build();
        OnnxChatModel cpu = OnnxChatModel.builder().directory(dir).build()) {
      assertThat(gpu.provider()).isEqualTo(ExecutionProvider.CUDA);
      for (int i = 0; i < 4; i++) {
        int[] prompt = OnnxChatModelTest.prompt(random, 10 + 20 * i);
        GenerationRequest request = GenerationRequest.ofTokens(prompt, SamplingParameters.greedy(24));
        assertThat(gpu.generate(request).tokenIds()).containsExactly(cpu.generate(request).tokenIds());
      }
    }
  }
}
