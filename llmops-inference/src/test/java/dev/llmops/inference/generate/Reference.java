package dev.llmops.inference.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Greedy decoding the slow, obviously right way: every step runs the whole sequence through the model with an
 * empty cache and takes the arg max of the last position. Independent of the engine's cache and batching code.
 */
final class Reference implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final int layers;
  private final int kvHeads;
  private final int headDim;

  Reference(Path modelDir, int layers, int kvHeads, int headDim) throws OrtException {
    this.session = env.createSession(modelDir.resolve("model.onnx").toString(), new OrtSession.SessionOptions());
    this.layers = layers;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
  }

  /** The greedy continuation of {@code prompt}: {@code count} tokens, never {@code suppressed}. */
  int[] greedy(int[] prompt, int count, int suppressed) throws OrtException {
    int[] tokens = Arrays.copyOf(prompt, prompt.length + count);
    int length = prompt.length;
    for (int step = 0; step < count; step++) {
      long[][] ids = new long[1][length];
      long[][] mask = new long[1][length];
      long[][] positions = new long[1][length];
      for (int i = 0; i < length; i++) {
        ids[0][i] = tokens[i];
        mask[0][i] = 1;
        positions[0][i] = i;
      }
      Map<String, OnnxTensor> feed = new HashMap<>();
      try {
        feed.put("input_ids", OnnxTensor.createTensor(env, ids));
        feed.put("attention_mask", OnnxTensor.createTensor(env, mask));
        feed.put("position_ids", OnnxTensor.createTensor(env, positions));
        for (int l = 0; l < layers; l++) {
          for (String kind : new String[] {"key", "value"}) {
            feed.put("past_key_values." + l + "." + kind, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                new long[] {1, kvHeads, 0, headDim}));
          }
        }
        try (OrtSession.Result result = session.run(feed, java.util.Set.of("logits"))) {
          float[][][] logits = (float[][][]) result.get(0).getValue();
          float[] last = logits[0][length - 1];
          last[suppressed] = Float.NEGATIVE_INFINITY;
          tokens[length++] = Sampler.argMax(last);
        }
      } finally {
        feed.values().forEach(OnnxTensor::close);
      }
    }
    return Arrays.copyOfRange(tokens, prompt.length, length);
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
