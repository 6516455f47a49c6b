package dev.llmops.inference;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What llmops needs to know about an ONNX encoder beyond its file: which files, how to pool, how many tokens it
 * takes, its input and output names, labels and activation.
 *
 * <p>A model directory may carry it as {@code llmops-model.json}, for example
 * <pre>{@code
 * {"model": "model.onnx", "tokenizer": "tokenizer.json", "pooling": "mean", "normalize": true,
 *  "maxTokens": 256, "output": "last_hidden_state", "sha256": "759c3c..."}
 * }</pre>
 * Every field is optional. Without the file, the defaults suit Hugging Face exports (Optimum's
 * {@code model.onnx} or {@code onnx/model.onnx}, {@code tokenizer.json}); labels come from {@code config.json}'s
 * {@code id2label}, multi-label problems get sigmoid, {@code sentence_bert_config.json}'s {@code max_seq_length}
 * and {@code 1_Pooling/config.json}'s pooling mode are honoured.
 *
 * @param modelFile the ONNX file, relative to the model directory
 * @param tokenizerFile the Hugging Face {@code tokenizer.json}, relative to the model directory
 * @param pooling how token vectors become a text vector (embedding models)
 * @param normalize whether embeddings are scaled to unit length
 * @param maxTokens the most tokens (special tokens included) the model takes in one sequence
 * @param output the output to read, or null for the model's first output
 * @param labels class labels in output order (classifiers); empty for other models
 * @param activation how logits become scores (classifiers and cross-encoders)
 * @param sha256 the expected SHA-256 of the model file (lower-case hex), or null to skip the check
 */
public record ModelDescriptor(
    String modelFile,
    String tokenizerFile,
    Pooling pooling,
    boolean normalize,
    int maxTokens,
    @Nullable String output,
    List<String> labels,
    Activation activation,
    @Nullable String sha256) {

  public ModelDescriptor {
    Objects.requireNonNull(modelFile, "modelFile");
    Objects.requireNonNull(tokenizerFile, "tokenizerFile");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(activation, "activation");
    labels = List.copyOf(labels);
    if (maxTokens < 4) {
      throw new IllegalArgumentException("maxTokens must be at least 4 but was " + maxTokens);
    }
    if (sha256 != null) {
      sha256 = sha256.toLowerCase(Locale.ROOT);
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("sha256 must be 64 hex digits but was '" + sha256 + "'");
      }
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i).isBlank()) {
        throw new IllegalArgumentException("label " + i + " is blank");
      }
    }
  }

  /** The defaults: {@code model.onnx}, {@code tokenizer.json}, mean pooling, normalised, 512 tokens, softmax. */
  public static ModelDescriptor defaults() {
    return new ModelDescriptor("model.onnx", "tokenizer.json", Pooling.MEAN, true, 512, null, List.of(),
        Activation.SOFTMAX, null);
  }

  public ModelDescriptor withModelFile(String file) {
    return new ModelDescriptor(file, tokenizerFile, pooling, normalize, maxTokens, output, labels, activation, sha256);
  }

  public ModelDescriptor withTokenizerFile(String file) {
    return new ModelDescriptor(modelFile, file, pooling, normalize, maxTokens, output, labels, activation, sha256);
  }

  public ModelDescriptor withPooling(Pooling mode) {
    return new ModelDescriptor(modelFile, tokenizerFile, mode, normalize, maxTokens, output, labels, activation, sha256);
  }

  public ModelDescriptor withNormalize(boolean unitLength) {
    return new ModelDescriptor(modelFile, tokenizerFile, pooling, unitLength, maxTokens, output, labels, activation,
        sha256);
  }

  public ModelDescriptor withMaxTokens(int tokens) {
    return new ModelDescriptor(modelFile, tokenizerFile, pooling, normalize, tokens, output, labels, activation, sha256);
  }

  public ModelDescriptor withOutput(@Nullable String name) {
    return new ModelDescriptor(modelFile, tokenizerFile, pooling, normalize, maxTokens, name, labels, activation, sha256);
  }

  public ModelDescriptor withLabels(List<String> names) {
    return new ModelDescriptor(modelFile, tokenizerFile, pooling, normalize, maxTokens, output, names, activation, sha256);
  }

  public ModelDescriptor withActivation(Activation kind) {
    return new ModelDescriptor(modelFile, tokenizerFile, pooling, normalize, maxTokens, output, labels, kind, sha256);
  }

  /** Pins the model file's SHA-256: loading a file with another digest fails with a {@code CorruptDataException}. */
  public ModelDescriptor withSha256(@Nullable String hex) {
    return new ModelDescriptor(modelFile, tokenizerFile, pooling, normalize, maxTokens, output, labels, activation, hex);
  }
}
