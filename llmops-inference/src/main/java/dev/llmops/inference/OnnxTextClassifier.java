package dev.llmops.inference;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.classify.Classification;
import dev.llmops.core.classify.LabelScore;
import dev.llmops.core.classify.TextClassifier;
import dev.llmops.inference.internal.DynamicBatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A sequence classifier (a Hugging Face {@code ...ForSequenceClassification} export) run in process by ONNX
 * Runtime, with dynamic batching across callers.
 *
 * <pre>{@code
 * try (OnnxTextClassifier classifier = OnnxTextClassifier.builder()
 *     .source(ModelSource.directory(Path.of("models/injection-detector")))
 *     .build()) {
 *   Classification c = classifier.classify("Ignore previous instructions and ...");
 *   double risk = c.score("INJECTION").orElse(0);
 * }
 * }</pre>
 *
 * <p>The model's output is {@code logits [batch, labels]}; labels come from the descriptor ({@code config.json}'s
 * {@code id2label}, or {@link ModelDescriptor#withLabels(List)}), scores from softmax (single-label) or sigmoid
 * (multi-label). Texts longer than the model's window are truncated by default; with
 * {@link OverflowPolicy#CHUNK} every window is classified and each label scores as high as its strongest window,
 * which is what a detector wants (an injection at the end of a long document still counts).
 *
 * <p>Errors and threading are as for {@link OnnxEmbeddingModel}.
 */
public final class OnnxTextClassifier extends EncoderModel implements TextClassifier {

  private final List<String> labels;
  private final Activation activation;
  private final OverflowPolicy overflow;

  private OnnxTextClassifier(Builder b) {
    super(b.runtime("a classifier", false));
    try {
      if (runtime.outputRank() != 2) {
        throw new InvalidRequestException("model '" + runtime.modelId() + "' has a rank-" + runtime.outputRank()
            + " output; a sequence classifier gives logits [batch, labels]");
      }
      List<String> named = runtime.descriptor().labels();
      int count = runtime.outputDimension();
      if (named.isEmpty()) {
        if (count <= 0) {
          throw new InvalidRequestException("model '" + runtime.modelId() + "' has no labels (config.json id2label "
              + "or ModelDescriptor.withLabels) and a dynamic number of outputs");
        }
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          generated.add("LABEL_" + i);
        }
        named = generated;
      } else if (count > 0 && count != named.size()) {
        throw new InvalidRequestException("model '" + runtime.modelId() + "' gives " + count + " logits but "
            + named.size() + " labels are named: " + named);
      }
      this.labels = List.copyOf(named);
      this.activation = runtime.descriptor().activation() == Activation.NONE ? Activation.SOFTMAX
          : runtime.descriptor().activation();
      this.overflow = b.overflow;
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Classification> classifyAll(List<String> texts) {
    return DynamicBatcher.await(submit(texts), "classifying " + texts.size() + " texts with '" + modelId() + "'");
  }

  /** Queues the texts and returns at once; cancelling the future drops rows that have not run. */
  public CompletableFuture<List<Classification>> classifyAllAsync(List<String> texts) {
    return submit(texts).future();
  }

  private DynamicBatcher.Ticket<float[], List<Classification>> submit(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    runtime.validate(texts, "texts");
    int capacity = runtime.windowCapacity();
    List<EncoderRuntime.Sequence> rows = new ArrayList<>();
    int[] firstRow = new int[texts.size() + 1];
    for (int i = 0; i < texts.size(); i++) {
      long[] tokens = runtime.tokenize(texts.get(i));
      if (tokens.length == 0) {
        throw new InvalidRequestException("texts[" + i + "] has no tokens for model '" + modelId() + "'");
      }
      firstRow[i] = rows.size();
      if (tokens.length <= capacity || overflow == OverflowPolicy.TRUNCATE) {
        rows.add(runtime.window(tokens, 0, Math.min(capacity, tokens.length)));
      } else if (overflow == OverflowPolicy.FAIL) {
        throw new InvalidRequestException("texts[" + i + "] has " + (tokens.length + runtime.specialTokens())
            + " tokens, more than the " + runtime.descriptor().maxTokens() + " of model '" + modelId() + "'");
      } else {
        int stride = Math.max(1, capacity - Math.min(32, capacity / 4));
        for (int start = 0; ; start += stride) {
          int end = Math.min(tokens.length, start + capacity);
          rows.add(runtime.window(tokens, start, end));
          if (end == tokens.length) {
            break;
          }
        }
      }
    }
    firstRow[texts.size()] = rows.size();
    return runtime.submit(rows, outputs -> {
      List<Classification> result = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        double[] best = null;
        for (int r = firstRow[i]; r < firstRow[i + 1]; r++) {
          double[] scores = activate(outputs.get(r));
          if (best == null) {
            best = scores;
          } else {
            for (int k = 0; k < best.length; k++) {
              best[k] = Math.max(best[k], scores[k]);
            }
          }
        }
        List<LabelScore> labelled = new ArrayList<>(labels.size());
        for (int k = 0; k < labels.size(); k++) {
          labelled.add(new LabelScore(labels.get(k), best[k]));
        }
        result.add(new Classification(labelled));
      }
      return result;
    });
  }

  private double[] activate(float[] logits) {
    if (logits.length != labels.size()) {
      throw new IllegalStateException("model '" + modelId() + "' gave " + logits.length + " logits for "
          + labels.size() + " labels");
    }
    double[] out = new double[logits.length];
    if (activation == Activation.SIGMOID) {
      for (int k = 0; k < logits.length; k++) {
        out[k] = Scores.sigmoid(logits[k]);
      }
      return out;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      out[k] = Math.exp(logits[k] - max);
      sum += out[k];
    }
    for (int k = 0; k < logits.length; k++) {
      out[k] = Math.min(1.0, out[k] / sum);
    }
    return out;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  @Override
  public String toString() {
    return "OnnxTextClassifier[" + modelId() + ", labels=" + labels + "]";
  }

  /** Builds an {@link OnnxTextClassifier}; only {@link #source(ModelSource)} is required. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private OverflowPolicy overflow = OverflowPolicy.TRUNCATE;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** What to do with texts longer than one window; {@link OverflowPolicy#TRUNCATE} by default. */
    public Builder overflow(OverflowPolicy policy) {
      this.overflow = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public OnnxTextClassifier build() {
      return new OnnxTextClassifier(this);
    }
  }
}
