package dev.llmops.inference;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.scoring.ScoringModel;
import dev.llmops.inference.internal.DynamicBatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A cross-encoder that scores how well passages answer a query (for re-ranking retrieved chunks), run in
 * process by ONNX Runtime with dynamic batching.
 *
 * <pre>{@code
 * try (OnnxScoringModel reranker = OnnxScoringModel.builder()
 *     .source(ModelSource.directory(Path.of("models/ms-marco-minilm")))
 *     .build()) {
 *   List<Double> scores = reranker.score("what is dynamic batching?", passages);
 * }
 * }</pre>
 *
 * <p>Each query/passage pair is encoded as one sequence ({@code [CLS] query [SEP] passage [SEP]} with segment
 * ids); a passage that does not fit the window is truncated, the query is kept. The model's output is one logit
 * per pair ({@code [batch, 1]}), turned into a score by the descriptor's activation: sigmoid by default, so scores
 * are in [0, 1]; {@link Activation#NONE} keeps the raw logit. Scores come back in the passages' order.
 *
 * <p>Errors and threading are as for {@link OnnxEmbeddingModel}.
 */
public final class OnnxScoringModel extends EncoderModel implements ScoringModel {

  private final Activation activation;

  private OnnxScoringModel(Builder b) {
    super(b.runtime("a scoring model", true));
    if (runtime.outputRank() != 2 || (runtime.outputDimension() > 1)) {
      runtime.close();
      throw new InvalidRequestException("model '" + runtime.modelId() + "' does not give one logit per pair "
          + "([batch, 1]); it is not a cross-encoder");
    }
    this.activation = b.activation != null ? b.activation
        : runtime.descriptor().activation() == Activation.SOFTMAX ? Activation.SIGMOID : runtime.descriptor().activation();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<Double> score(String query, List<String> passages) {
    return DynamicBatcher.await(submit(query, passages), "scoring " + passages.size() + " passages with '"
        + modelId() + "'");
  }

  /** Queues the pairs and returns at once; cancelling the future drops pairs that have not run. */
  public CompletableFuture<List<Double>> scoreAsync(String query, List<String> passages) {
    return submit(query, passages).future();
  }

  private DynamicBatcher.Ticket<float[], List<Double>> submit(String query, List<String> passages) {
    runtime.validate(query, "query");
    Objects.requireNonNull(passages, "passages");
    runtime.validate(passages, "passages");
    List<EncoderRuntime.Sequence> rows = new ArrayList<>(passages.size());
    for (int i = 0; i < passages.size(); i++) {
      EncoderRuntime.Sequence pair = runtime.pair(query, passages.get(i));
      if (pair.ids().length > runtime.descriptor().maxTokens()) {
        throw new InvalidRequestException("the query is too long for model '" + modelId() + "': with passages["
            + i + "] it needs " + pair.ids().length + " tokens, more than " + runtime.descriptor().maxTokens());
      }
      rows.add(pair);
    }
    return runtime.submit(rows, outputs -> {
      List<Double> scores = new ArrayList<>(outputs.size());
      for (float[] logit : outputs) {
        scores.add(switch (activation) {
          case SIGMOID, SOFTMAX -> Scores.sigmoid(logit[0]);
          case NONE -> (double) logit[0];
        });
      }
      return scores;
    });
  }

  @Override
  public String toString() {
    return "OnnxScoringModel[" + modelId() + "]";
  }

  /** Builds an {@link OnnxScoringModel}; only {@link #source(ModelSource)} is required. */
  public static final class Builder extends EncoderBuilder<Builder> {
    private Activation activation;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Sigmoid (scores in [0, 1], the default) or NONE (raw logits). */
    public Builder activation(Activation kind) {
      if (kind == Activation.SOFTMAX) {
        throw new IllegalArgumentException("a cross-encoder gives one logit per pair; softmax over one value is "
            + "always 1; use SIGMOID or NONE");
      }
      this.activation = kind;
      return this;
    }

    public OnnxScoringModel build() {
      return new OnnxScoringModel(this);
    }
  }
}
