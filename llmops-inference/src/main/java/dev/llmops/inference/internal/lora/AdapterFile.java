package dev.llmops.inference.internal.lora;

import dev.llmops.core.InvalidRequestException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The content of an ONNX Runtime LoRA adapter file ({@code .onnx_adapter}): named tensors that replace model inputs
 * of the same names, plus two version numbers the format carries for its users (ONNX Runtime does not check them).
 * {@link AdapterFiles} reads and writes it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param adapterVersion the adapter's own version, free for the writer to choose
 * @param modelVersion the version of the base model the adapter was made for, free for the writer to choose
 * @param parameters the tensors, in file order; names are unique; may be empty
 */
public record AdapterFile(int adapterVersion, int modelVersion, List<AdapterParameter> parameters) {

  /**
   * Copies the list and checks the names.
   *
   * @throws InvalidRequestException when two parameters have the same name (ONNX Runtime would silently keep one)
   */
  public AdapterFile {
    parameters = List.copyOf(parameters);
    Set<String> names = new HashSet<>();
    for (AdapterParameter parameter : parameters) {
      if (!names.add(parameter.name())) {
        throw new InvalidRequestException("LoRA adapter parameter '" + parameter.name() + "' appears twice");
      }
    }
  }

  /** An adapter of version 1 for model version 1 with {@code parameters}. */
  public static AdapterFile of(AdapterParameter... parameters) {
    return new AdapterFile(1, 1, List.of(parameters));
  }

  /** The parameter named {@code name}, if there is one. */
  public Optional<AdapterParameter> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
