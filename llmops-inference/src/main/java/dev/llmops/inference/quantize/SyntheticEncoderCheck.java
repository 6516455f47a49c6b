package dev.llmops.inference.quantize;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.Float16;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** {@link AgreementCheck#syntheticEncoderInputs}: random BERT-style inputs, outputs compared by cosine. Thread-safe. */
final class SyntheticEncoderCheck implements AgreementCheck {

  private static final int MIN_SEQUENCE = 8;
  private static final int MAX_SEQUENCE = 64;
  private static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

  private final int samples;
  private final long seed;
  private final double threshold;

  SyntheticEncoderCheck(int samples, long seed, double threshold) {
    if (samples < 1) {
      throw new IllegalArgumentException("the synthetic check needs at least one sample, got " + samples);
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("the agreement threshold must be a finite number, got " + threshold);
    }
    this.samples = samples;
    this.seed = seed;
    this.threshold = threshold;
  }

  @Override
  public Agreement measure(Path original, Path candidate) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(THREADS);
      try (OrtSession reference = open(env, original, options, "original");
          OrtSession tested = open(env, candidate, options, "candidate")) {
        if (!tested.getInputNames().containsAll(reference.getInputNames())) {
          throw new InvalidRequestException("the candidate " + candidate + " takes the inputs "
              + tested.getInputNames() + ", the original " + original + " takes " + reference.getInputNames());
        }
        String output = reference.getOutputNames().iterator().next();
        Random random = new Random(seed);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < samples; i++) {
          int sequence = MIN_SEQUENCE + random.nextInt(MAX_SEQUENCE - MIN_SEQUENCE + 1);
          double cosine = compare(env, reference, tested, output, sequence, random);
          sum += cosine;
          min = Math.min(min, cosine); // NaN stays NaN, and fails the check
        }
        return new Agreement(sum / samples, min, samples, threshold);
      }
    } catch (OrtException e) {
      throw new InvalidRequestException("ONNX Runtime failed comparing " + candidate + " with " + original + ": "
          + e.getMessage(), e);
    }
  }

  private static OrtSession open(OrtEnvironment env, Path model, OrtSession.SessionOptions options, String role) {
    try {
      return env.createSession(model.toString(), options);
    } catch (OrtException e) {
      throw new InvalidRequestException("ONNX Runtime cannot load the " + role + " model " + model + ": "
          + e.getMessage(), e);
    }
  }

  private static double compare(OrtEnvironment env, OrtSession reference, OrtSession tested, String output,
      int sequence, Random random) throws OrtException {
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      for (Map.Entry<String, NodeInfo> entry : reference.getInputInfo().entrySet()) {
        inputs.put(entry.getKey(), input(env, entry.getKey(), entry.getValue(), sequence, random));
      }
      try (OrtSession.Result expected = reference.run(inputs, Set.of(output));
          OrtSession.Result actual = tested.run(inputs, Set.of(output))) {
        OnnxTensor a = tensor(expected.get(0), output);
        OnnxTensor b = tensor(actual.get(0), output);
        long[] shape = a.getInfo().getShape();
        if (!Arrays.equals(shape, b.getInfo().getShape())) {
          throw new InvalidRequestException("output " + output + " has shape " + Arrays.toString(b.getInfo().getShape())
              + " in the candidate and " + Arrays.toString(shape) + " in the original");
        }
        float[] x = floats(a);
        float[] y = floats(b);
        int width = shape.length == 3 ? (int) shape[2] : x.length;
        if (width == 0) {
          return 1;
        }
        double total = 0;
        int vectors = x.length / width;
        for (int v = 0; v < vectors; v++) {
          total += cosine(x, y, v * width, width);
        }
        return total / vectors;
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static OnnxTensor input(OrtEnvironment env, String name, NodeInfo node, int sequence, Random random)
      throws OrtException {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new InvalidRequestException("the synthetic check feeds tensors; input " + name + " is " + node.getInfo());
    }
    long[] shape = info.getShape().clone();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        shape[i] = i == 0 ? 1 : sequence;
      }
    }
    int count = (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
    String lower = name.toLowerCase(Locale.ROOT);
    if (info.type == OnnxJavaType.INT64) {
      long[] values = new long[count];
      int last = shape.length == 0 ? 1 : (int) Math.max(1, shape[shape.length - 1]);
      for (int i = 0; i < count; i++) {
        if (lower.contains("mask")) {
          values[i] = 1;
        } else if (lower.contains("type") || lower.contains("segment")) {
          values[i] = 0;
        } else if (lower.contains("position")) {
          values[i] = i % last;
        } else {
          values[i] = 1000 + random.nextInt(1000);
        }
      }
      return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }
    if (info.type == OnnxJavaType.FLOAT) {
      float[] values = new float[count];
      for (int i = 0; i < count; i++) {
        values[i] = (float) random.nextGaussian();
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }
    throw new InvalidRequestException("the synthetic check generates int64 and float inputs; input " + name + " is "
        + info.type);
  }

  private static OnnxTensor tensor(OnnxValue value, String name) {
    if (value instanceof OnnxTensor tensor) {
      return tensor;
    }
    throw new InvalidRequestException("the synthetic check compares tensors; output " + name + " is " + value.getType());
  }

  private static float[] floats(OnnxTensor tensor) {
    OnnxJavaType type = tensor.getInfo().type;
    if (type == OnnxJavaType.FLOAT) {
      FloatBuffer buffer = tensor.getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return values;
    }
    if (type == OnnxJavaType.FLOAT16) {
      ShortBuffer buffer = tensor.getShortBuffer();
      float[] values = new float[buffer.remaining()];
      for (int i = 0; i < values.length; i++) {
        values[i] = Float16.toFloat(buffer.get());
      }
      return values;
    }
    throw new InvalidRequestException("the synthetic check compares float outputs, got " + type);
  }

  private static double cosine(float[] x, float[] y, int offset, int length) {
    double dot = 0;
    double xx = 0;
    double yy = 0;
    for (int i = offset; i < offset + length; i++) {
      dot += (double) x[i] * y[i];
      xx += (double) x[i] * x[i];
      yy += (double) y[i] * y[i];
    }
    if (xx == 0 && yy == 0) {
      return 1;
    }
    return xx == 0 || yy == 0 ? 0 : dot / Math.sqrt(xx * yy);
  }

  @Override
  public String toString() {
    return "AgreementCheck.syntheticEncoderInputs(" + samples + ", " + seed + ", " + threshold + ")";
  }
}
