package dev.llmops.inference.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.llmops.core.CorruptDataException;
import dev.llmops.core.UnavailableException;
import dev.llmops.inference.ExecutionProvider;
import dev.llmops.inference.ExecutionSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions the way every llmops model does: threads, optimisation level and spinning from
 * {@link ExecutionSettings}, the CUDA or TensorRT provider where asked, and the fallback to the CPU (logged and
 * counted as {@code llmops.inference.provider.fallback}) when the provider is missing and the settings allow it.
 */
public final class OrtSessions {

  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

  private OrtSessions() {}

  /** A session and the provider it runs on. */
  public record Opened(OrtSession session, ExecutionProvider provider) {}

  /**
   * Opens {@code model}.
   *
   * @param modelId the model's name in messages and meters
   * @param where where the model file came from, for messages
   * @throws UnavailableException when the provider is missing and the fallback is off
   * @throws CorruptDataException when ONNX Runtime cannot load the model
   */
  public static Opened open(byte[] model, ExecutionSettings execution, String modelId, String where,
      MeterRegistry meters) {
    return open((env, options) -> env.createSession(model, options), execution, modelId, where, meters);
  }

  /** {@link #open(byte[], ExecutionSettings, String, String, MeterRegistry)} of a model file, read by ONNX Runtime. */
  public static Opened open(java.nio.file.Path model, ExecutionSettings execution, String modelId, String where,
      MeterRegistry meters) {
    return open((env, options) -> env.createSession(model.toString(), options), execution, modelId, where, meters);
  }

  /** How a session is made from options. */
  @FunctionalInterface
  private interface Loader {
    OrtSession load(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
  }

  private static Opened open(Loader model, ExecutionSettings execution, String modelId, String where,
      MeterRegistry meters) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ExecutionProvider chosen = execution.provider();
    try {
      return new Opened(create(env, model, execution, chosen, modelId, where), chosen);
    } catch (ProviderUnavailable e) {
      if (!execution.fallbackToCpu()) {
        throw new UnavailableException("execution provider " + chosen + " is not available for model '" + modelId
            + "': " + e.getMessage() + " (put the onnxruntime_gpu artifact in place of onnxruntime, or allow the "
            + "fallback to the CPU)", null, e);
      }
      LOG.warn("execution provider {} is not available for model '{}' ({}); running on the CPU", chosen, modelId,
          e.getMessage());
      Counter.builder("llmops.inference.provider.fallback")
          .description("models that asked for a GPU provider and run on the CPU")
          .tag("model", modelId).tag("requested", chosen.name().toLowerCase(Locale.ROOT))
          .register(meters).increment();
      try {
        return new Opened(create(env, model, execution, ExecutionProvider.CPU, modelId, where),
            ExecutionProvider.CPU);
      } catch (ProviderUnavailable impossible) {
        throw new IllegalStateException("the CPU provider is always available", impossible);
      }
    }
  }

  private static final class ProviderUnavailable extends Exception {
    private static final long serialVersionUID = 1L;

    ProviderUnavailable(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  private static OrtSession create(OrtEnvironment env, Loader model, ExecutionSettings execution,
      ExecutionProvider chosen, String modelId, String where) throws ProviderUnavailable {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(execution.effectiveIntraOpThreads());
      options.setInterOpNumThreads(execution.interOpThreads());
      options.setExecutionMode(execution.interOpThreads() > 1 ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
          : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(switch (execution.optimization()) {
        case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      options.addConfigEntry("session.intra_op.allow_spinning", execution.spinWait() ? "1" : "0");
      if (chosen != ExecutionProvider.CPU) {
        Set<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        OrtProvider needed = chosen == ExecutionProvider.CUDA ? OrtProvider.CUDA : OrtProvider.TENSOR_RT;
        if (!available.contains(needed)) {
          throw new ProviderUnavailable("this ONNX Runtime has the providers " + available, null);
        }
        try {
          if (chosen == ExecutionProvider.TENSORRT) {
            options.addTensorrt(execution.deviceId());
          }
          options.addCUDA(execution.deviceId());
        } catch (OrtException e) {
          throw new ProviderUnavailable(e.getMessage(), e);
        }
      }
      try {
        return model.load(env, options);
      } catch (OrtException e) {
        if (chosen != ExecutionProvider.CPU && e.getMessage() != null && e.getMessage().contains("CUDA")) {
          throw new ProviderUnavailable(e.getMessage(), e);
        }
        throw new CorruptDataException("cannot load model file " + where + " as ONNX: " + e.getMessage(), e);
      }
    } catch (OrtException e) {
      throw new CorruptDataException("cannot configure ONNX Runtime for model '" + modelId + "': " + e.getMessage(),
          e);
    }
  }
}
