package dev.llmops.inference.internal.lora;

import dev.llmops.core.InvalidRequestException;
import dev.llmops.inference.internal.onnx.DataType;
import dev.llmops.inference.internal.onnx.OnnxGraph;
import dev.llmops.inference.internal.onnx.OnnxType;
import dev.llmops.inference.internal.onnx.OnnxValueInfo;
import dev.llmops.inference.internal.onnx.TensorProto;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a LoRA adapter fits a model before ONNX Runtime sees it, and says what is wrong in terms of the
 * adapter and the model. ONNX Runtime only finds out at the first run that uses the adapter, and then reports
 * {@code "Invalid input name: <name>"} for a parameter that is not a graph input, {@code "Got invalid dimensions for
 * input: <name> ..."} for a fixed dimension that differs, and {@code "MatMul dimension mismatch"} from inside the
 * graph for a named dimension that disagrees with another tensor (see {@code LoraAdapterTest}).
 *
 * <p>The check reads the model's graph ({@link dev.llmops.inference.internal.onnx.OnnxFiles}), not the
 * {@code OrtSession}: ONNX Runtime's Java API lists only the inputs without a default ({@code getInputInfo()}), and
 * LoRA inputs normally have one (an initializer of the same name).
 *
 * <p>A parameter fits when the graph has an input of its name with the same element type and rank, the same size
 * in every fixed dimension, and, for every named (dynamic) dimension, the same size as every other tensor the run
 * will see in a dimension of that name: the adapter's other parameters and the defaults of the LoRA inputs it does
 * not replace. So an adapter of rank 8 for a model whose defaults have rank 4 must replace both {@code A} and
 * {@code B}.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * OnnxGraph graph = OnnxFiles.read(modelFile).graph();
 * AdapterCheck.check(AdapterFiles.read(adapterFile), adapterFile.toString(), graph);
 * }</pre>
 */
public final class AdapterCheck {

  private AdapterCheck() {}

  /**
   * Checks {@code adapter} against the inputs of {@code graph}.
   *
   * @param source names the adapter in error messages, such as its file
   * @throws InvalidRequestException naming the first parameter that does not fit and what the model expects
   */
  public static void check(AdapterFile adapter, String source, OnnxGraph graph) {
    Map<String, OnnxValueInfo> inputs = new LinkedHashMap<>();
    graph.inputs().forEach(input -> inputs.put(input.name(), input));
    Map<String, TensorProto> initializers = graph.initializersByName();
    // Named dimension -> the size some tensor of the run gives it, and which tensor.
    Map<String, Long> namedSizes = new HashMap<>();
    Map<String, String> namedBy = new HashMap<>();
    for (AdapterParameter parameter : adapter.parameters()) {
      String prefix = "LoRA adapter " + source + ": parameter '" + parameter.name() + "' ("
          + DataType.name(parameter.dataType()) + Arrays.toString(parameter.dims()) + ")";
      OnnxValueInfo input = inputs.get(parameter.name());
      if (input == null) {
        String why = initializers.containsKey(parameter.name())
            ? " names a constant of the model (an initializer that is not a graph input), which ONNX Runtime does"
                + " not let an adapter replace"
            : " is not an input of the model";
        throw new InvalidRequestException(prefix + why + "; the model's graph inputs are "
            + new TreeSet<>(inputs.keySet()));
      }
      OnnxType.@Nullable TensorType tensor = input.type() == null ? null : input.type().tensorType();
      if (tensor == null) {
        throw new InvalidRequestException(prefix + " replaces the model input '" + input.name()
            + "', which is not a tensor");
      }
      String wanted = describe(tensor);
      Integer elemType = tensor.elemType();
      if (elemType != null && elemType != parameter.dataType()) {
        throw new InvalidRequestException(prefix + " does not match the model input, which is " + wanted
            + ": the element types differ");
      }
      if (tensor.shape() == null) {
        continue;
      }
      List<OnnxType.Dim> expected = tensor.shape().dims();
      long[] actual = parameter.dims();
      if (actual.length != expected.size()) {
        throw new InvalidRequestException(prefix + " does not match the model input, which is " + wanted
            + ": the ranks differ");
      }
      for (int i = 0; i < actual.length; i++) {
        OnnxType.Dim dim = expected.get(i);
        if (dim.value() != null && dim.value() != actual[i]) {
          throw new InvalidRequestException(prefix + " does not match the model input, which is " + wanted
              + ": dimension " + i + " is " + actual[i] + ", the model wants " + dim.value());
        }
        if (dim.value() == null && dim.param() != null) {
          Long seen = namedSizes.putIfAbsent(dim.param(), actual[i]);
          namedBy.putIfAbsent(dim.param(), "parameter '" + parameter.name() + "'");
          if (seen != null && seen != actual[i]) {
            throw new InvalidRequestException(prefix + " gives the model's dimension '" + dim.param() + "' the size "
                + actual[i] + ", but " + namedBy.get(dim.param()) + " gives it " + seen);
          }
        }
      }
    }
    checkDefaults(adapter, source, inputs, initializers, namedSizes, namedBy);
  }

  /** The defaults of the inputs the adapter leaves alone must agree with it in every named dimension. */
  private static void checkDefaults(AdapterFile adapter, String source, Map<String, OnnxValueInfo> inputs,
      Map<String, TensorProto> initializers, Map<String, Long> namedSizes, Map<String, String> namedBy) {
    for (OnnxValueInfo input : inputs.values()) {
      TensorProto fallback = initializers.get(input.name());
      OnnxType.@Nullable TensorType tensor = input.type() == null ? null : input.type().tensorType();
      if (fallback == null || adapter.parameter(input.name()).isPresent() || tensor == null
          || tensor.shape() == null) {
        continue;
      }
      List<OnnxType.Dim> dims = tensor.shape().dims();
      long[] shape = fallback.shape();
      for (int i = 0; i < Math.min(dims.size(), shape.length); i++) {
        String param = dims.get(i).param();
        Long size = param == null ? null : namedSizes.get(param);
        if (size != null && size != shape[i]) {
          throw new InvalidRequestException("LoRA adapter " + source + ": " + namedBy.get(param)
              + " gives the model's dimension '" + param + "' the size " + size + ", but the adapter leaves out '"
              + input.name() + "', whose default in the model gives it " + shape[i]
              + "; the adapter must replace '" + input.name() + "' too");
        }
      }
    }
  }

  private static String describe(OnnxType.TensorType tensor) {
    Integer elemType = tensor.elemType();
    StringBuilder out = new StringBuilder(elemType == null ? "?" : DataType.name(elemType));
    if (tensor.shape() == null) {
      return out.append("[any shape]").toString();
    }
    out.append('[');
    List<OnnxType.Dim> dims = tensor.shape().dims();
    for (int i = 0; i < dims.size(); i++) {
      OnnxType.Dim dim = dims.get(i);
      out.append(i > 0 ? ", " : "").append(dim.value() != null ? dim.value().toString()
          : dim.param() != null ? dim.param() : "?");
    }
    return out.append(']').toString();
  }
}
