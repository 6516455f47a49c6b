package dev.llmops.inference.generate;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.ExecutionProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One decoder model in ONNX Runtime, in the layout Hugging Face Optimum exports for text generation with past key
 * values: inputs {@code input_ids}, {@code attention_mask}, optionally {@code position_ids} (and
 * {@code use_cache_branch} of merged exports), {@code past_key_values.N.key/value [batch, kvHeads, past, headDim]};
 * outputs {@code logits [batch, sequence, vocabulary]} and {@code present.N.key/value}. Checks the layout when
 * opened and names what is missing.
 *
 * <p>{@link #run} runs one padded batch ({@link Step}); outputs are written into the step's own buffers. Used by the
 * scheduler thread only; {@link #close()} after it stopped.
 */
final class DecoderSession implements AutoCloseable {

  private final String modelId;
  private final OrtSession session;
  private final ExecutionProvider provider;
  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int vocabulary;
  private final boolean positionIds;
  private final @Nullable String useCacheBranch;

  DecoderSession(String modelId, OrtSession session, ExecutionProvider provider) {
    this.modelId = modelId;
    this.session = session;
    this.provider = provider;
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      require(inputs, "input_ids", "input");
      require(inputs, "attention_mask", "input");
      require(outputs, "logits", "output");
      this.positionIds = inputs.containsKey("position_ids");
      this.useCacheBranch = inputs.containsKey("use_cache_branch") ? "use_cache_branch" : null;
      int n = 0;
      while (inputs.containsKey("past_key_values." + n + ".key")) {
        n++;
      }
      if (n == 0) {
        throw new InvalidRequestException("model '" + modelId + "' has no input 'past_key_values.0.key': llmops runs "
            + "decoders exported with their key/value cache (Optimum: --task text-generation-with-past); its inputs "
            + "are " + new TreeSet<>(inputs.keySet()));
      }
      this.layers = n;
      long[] shape = shape(inputs, "past_key_values.0.key");
      if (shape.length != 4 || shape[1] <= 0 || shape[3] <= 0) {
        throw new InvalidRequestException("input 'past_key_values.0.key' of model '" + modelId + "' has shape "
            + java.util.Arrays.toString(shape) + "; llmops reads [batch, kvHeads, past, headDim] with fixed heads "
            + "and head size");
      }
      this.kvHeads = (int) shape[1];
      this.headDim = (int) shape[3];
      for (int l = 0; l < layers; l++) {
        for (String kind : List.of("key", "value")) {
          require(inputs, "past_key_values." + l + "." + kind, "input");
          require(outputs, "present." + l + "." + kind, "output");
          TensorInfo info = (TensorInfo) inputs.get("past_key_values." + l + "." + kind).getInfo();
          if (info.type != OnnxJavaType.FLOAT) {
            throw new InvalidRequestException("input 'past_key_values." + l + "." + kind + "' of model '" + modelId
                + "' is " + info.type + "; llmops keeps the cache in float32 (export the model in fp32, or "
                + "quantize its weights only)");
          }
        }
      }
      // Inputs with a default (LoRA slots) are not listed by ONNX Runtime's Java API; any other input is one that
      // nothing here can feed.
      for (String name : inputs.keySet()) {
        boolean known = name.equals("input_ids") || name.equals("attention_mask") || name.equals("position_ids")
            || name.equals("use_cache_branch") || name.startsWith("past_key_values.");
        if (!known) {
          throw new InvalidRequestException("model '" + modelId + "' has an input '" + name + "' that llmops cannot "
              + "feed; decoder models take input_ids, attention_mask, position_ids and past_key_values.N.key/value");
        }
      }
      long[] logits = shape(outputs, "logits");
      if (logits.length != 3 || logits[2] <= 0) {
        throw new InvalidRequestException("output 'logits' of model '" + modelId + "' has shape "
            + java.util.Arrays.toString(logits) + "; llmops reads [batch, sequence, vocabulary]");
      }
      this.vocabulary = (int) logits[2];
    } catch (OrtException e) {
      throw new dev.llmops.core.CorruptDataException("cannot read the inputs and outputs of model '" + modelId
          + "': " + e.getMessage(), e);
    }
  }

  private void require(Map<String, NodeInfo> names, String name, String what) {
    if (!names.containsKey(name)) {
      throw new InvalidRequestException("model '" + modelId + "' has no " + what + " '" + name + "'; decoder models "
          + "take input_ids, attention_mask, position_ids and past_key_values.N.key/value and give logits and "
          + "present.N.key/value (the layout Optimum exports with --task text-generation-with-past); its " + what
          + "s are " + new TreeSet<>(names.keySet()));
    }
  }

  private static long[] shape(Map<String, NodeInfo> infos, String name) {
    return infos.get(name).getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
  }

  int layers() {
    return layers;
  }

  int kvHeads() {
    return kvHeads;
  }

  int headDim() {
    return headDim;
  }

  int vocabulary() {
    return vocabulary;
  }

  ExecutionProvider provider() {
    return provider;
  }

  /**
   * Runs {@code step}; its logits and present buffers hold the outputs afterwards.
   *
   * @param adapter run options with the step's LoRA adapter active, or {@code null} for the base model
   *
   * @throws UnavailableException when ONNX Runtime fails
   */
  void run(Step step, OrtSession.@Nullable RunOptions adapter) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<OnnxTensor> created = new ArrayList<>();
    try {
      int b = step.rows;
      int s = step.fresh;
      int p = step.past;
      int t = p + s;
      Map<String, OnnxTensor> feed = new HashMap<>();
      feed.put("input_ids", track(created, OnnxTensor.createTensor(env, step.inputIds.slice(0, b * s),
          new long[] {b, s})));
      feed.put("attention_mask", track(created, OnnxTensor.createTensor(env, step.mask.slice(0, b * t),
          new long[] {b, t})));
      if (positionIds) {
        feed.put("position_ids", track(created, OnnxTensor.createTensor(env, step.positions.slice(0, b * s),
            new long[] {b, s})));
      }
      if (useCacheBranch != null) {
        feed.put(useCacheBranch, track(created, OnnxTensor.createTensor(env, new boolean[] {p > 0})));
      }
      long[] pastShape = {b, kvHeads, p, headDim};
      long[] presentShape = {b, kvHeads, t, headDim};
      Map<String, OnnxValue> outputs = new HashMap<>();
      outputs.put("logits", track(created, OnnxTensor.createTensor(env, step.logits.slice(0, b * s * vocabulary),
          new long[] {b, s, vocabulary})));
      int pastFloats = b * kvHeads * p * headDim;
      int presentFloats = b * kvHeads * t * headDim;
      for (int l = 0; l < layers; l++) {
        for (int kv = 0; kv < 2; kv++) {
          String kind = kv == 0 ? "key" : "value";
          feed.put("past_key_values." + l + "." + kind, track(created, OnnxTensor.createTensor(env,
              step.pastKv[2 * l + kv].slice(0, pastFloats), pastShape)));
          outputs.put("present." + l + "." + kind, track(created, OnnxTensor.createTensor(env,
              step.presentKv[2 * l + kv].slice(0, presentFloats), presentShape)));
        }
      }
      if (adapter == null) {
        session.run(feed, outputs).close();
      } else {
        session.run(feed, java.util.Set.of(), outputs, adapter).close();
      }
    } catch (OrtException e) {
      throw new UnavailableException("model '" + modelId + "' failed a generation step: " + e.getMessage(), null, e);
    } finally {
      created.forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor track(List<OnnxTensor> created, OnnxTensor tensor) {
    created.add(tensor);
    return tensor;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new UnavailableException("cannot close model '" + modelId + "': " + e.getMessage(), null, e);
    }
  }

  /**
   * The buffers of one padded batch: {@code rows} sequences, each feeding up to {@code fresh} new tokens
   * (right-aligned, left padding) after up to {@code past} cached positions (right-aligned too). Reused between
   * calls; grows when a larger batch needs more room.
   */
  static final class Step {
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final int vocabulary;
    int rows;
    int fresh;
    int past;
    LongBuffer inputIds = longs(0);
    LongBuffer positions = longs(0);
    LongBuffer mask = longs(0);
    FloatBuffer logits = floats(0);
    /** The past tensors of the current call: this step's own, or a decode batch's after {@link #shapeDecode}. */
    final FloatBuffer[] pastKv;
    final FloatBuffer[] presentKv;
    private final FloatBuffer[] ownPast;

    Step(int layers, int kvHeads, int headDim, int vocabulary) {
      this.layers = layers;
      this.kvHeads = kvHeads;
      this.headDim = headDim;
      this.vocabulary = vocabulary;
      this.pastKv = new FloatBuffer[2 * layers];
      this.presentKv = new FloatBuffer[2 * layers];
      this.ownPast = new FloatBuffer[2 * layers];
      java.util.Arrays.fill(ownPast, floats(0));
      java.util.Arrays.fill(pastKv, floats(0));
      java.util.Arrays.fill(presentKv, floats(0));
    }

    /**
     * Sizes the token, position, mask, logits and present buffers for {@code rows} rows of one new token each after
     * {@code past} positions held in {@code externalPast} (one buffer per layer and key/value, owned by the
     * caller), and clears the token, position and mask parts.
     */
    void shapeDecode(int rows, int past, FloatBuffer[] externalPast) {
      this.rows = rows;
      this.fresh = 1;
      this.past = past;
      int total = past + 1;
      inputIds = ensure(inputIds, rows);
      positions = ensure(positions, rows);
      mask = ensure(mask, rows * total);
      for (int i = 0; i < rows; i++) {
        inputIds.put(i, 0);
        positions.put(i, 0);
      }
      for (int i = 0; i < rows * total; i++) {
        mask.put(i, 0);
      }
      logits = ensure(logits, rows * vocabulary);
      long presentFloats = (long) rows * kvHeads * total * headDim;
      if (presentFloats > Integer.MAX_VALUE) {
        throw new InvalidRequestException("a batch of " + rows + " rows x " + total + " positions is too large for "
            + "one call; lower maxBatchSequences");
      }
      for (int i = 0; i < 2 * layers; i++) {
        pastKv[i] = externalPast[i];
        presentKv[i] = ensure(presentKv[i], (int) presentFloats);
      }
    }

    /** Sizes the buffers for a batch and clears the token, position and mask parts. */
    void shape(int rows, int fresh, int past) {
      this.rows = rows;
      this.fresh = fresh;
      this.past = past;
      int total = past + fresh;
      inputIds = ensure(inputIds, rows * fresh);
      positions = ensure(positions, rows * fresh);
      mask = ensure(mask, rows * total);
      for (int i = 0; i < rows * fresh; i++) {
        inputIds.put(i, 0);
        positions.put(i, 0);
      }
      for (int i = 0; i < rows * total; i++) {
        mask.put(i, 0);
      }
      long logitFloats = (long) rows * fresh * vocabulary;
      long pastFloats = (long) rows * kvHeads * past * headDim;
      long presentFloats = (long) rows * kvHeads * total * headDim;
      if (logitFloats > Integer.MAX_VALUE || presentFloats > Integer.MAX_VALUE) {
        throw new InvalidRequestException("a batch of " + rows + " rows x " + total + " positions is too large for "
            + "one call; lower maxBatchSequences or prefillChunkTokens");
      }
      logits = ensure(logits, (int) logitFloats);
      for (int i = 0; i < 2 * layers; i++) {
        ownPast[i] = ensure(ownPast[i], (int) pastFloats);
        pastKv[i] = ownPast[i];
        presentKv[i] = ensure(presentKv[i], (int) presentFloats);
      }
    }

    /**
     * Fills row {@code row}: {@code tokens[from .. from + count)} as its new tokens at positions {@code from ..},
     * after {@code cached} positions already in the cache.
     */
    void row(int row, int[] tokens, int from, int count, int cached) {
      int total = past + fresh;
      for (int i = 0; i < count; i++) {
        int slot = row * fresh + fresh - count + i;
        inputIds.put(slot, tokens[from + i]);
        positions.put(slot, cached + i);
      }
      for (int i = past - cached; i < past; i++) {
        mask.put(row * total + i, 1);
      }
      for (int i = total - count; i < total; i++) {
        mask.put(row * total + i, 1);
      }
    }

    /** Offset of row {@code row}'s last logits in {@link #logits}. */
    int lastLogits(int row) {
      return (row * fresh + fresh - 1) * vocabulary;
    }

    private static LongBuffer ensure(LongBuffer buffer, int size) {
      return buffer.capacity() >= size ? buffer : longs(Math.max(size, buffer.capacity() * 3 / 2));
    }

    private static FloatBuffer ensure(FloatBuffer buffer, int size) {
      return buffer.capacity() >= size ? buffer : floats(Math.max(size, buffer.capacity() * 3 / 2));
    }

    private static LongBuffer longs(int size) {
      return ByteBuffer.allocateDirect(Math.max(1, size) * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static FloatBuffer floats(int size) {
      return ByteBuffer.allocateDirect(Math.max(1, size) * Float.BYTES).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }
  }
}
