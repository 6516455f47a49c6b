package dev.llmops.core.observe;

import dev.llmops.core.chat.ChatResponse;
import dev.llmops.core.routing.CallRecord;
import dev.llmops.core.routing.RouterListener;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns the router's calls into lineage records. {@link #forRouter} is a {@link RouterListener} that records every
 * call that reached a release (answered, served from the cache, failed); {@link #fromCall} is the conversion alone,
 * for listeners of your own. A pipeline that also retrieves and guards builds its records with
 * {@link LineageRecord#builder} and {@link LineageRecord.Builder#routed} instead, and leaves this listener out.
 *
 * <pre>{@code
 * AsyncLineageWriter writer = AsyncLineageWriter.builder(LineageSink.jsonLines(dir, RotationPolicy.bySize(64 << 20))).build();
 * Router router = Router.builder()
 *     ...
 *     .listener(LineageRecorder.forRouter(writer, userHashKey))
 *     .build();
 * }</pre>
 */
public final class LineageRecorder {

  private LineageRecorder() {}

  /**
   * A listener that records each call into {@code writer}, without content. With {@link OverflowPolicy#FAIL} a full
   * buffer throws from the listener, which the router logs without failing the call.
   *
   * @param writer where the records go
   * @param userHashKey the key for {@link Lineage#hashUser} of the request's unit id, or {@code null} to record no
   *     user
   */
  public static RouterListener forRouter(AsyncLineageWriter writer, byte @Nullable [] userHashKey) {
    Objects.requireNonNull(writer, "writer");
    return forRouter(writer::record, userHashKey, ContentPolicy.off());
  }

  /**
   * A listener that hands each call's record to {@code target} on the calling thread (which is the request's
   * thread: {@code target} should be quick, as {@link AsyncLineageWriter#record} is).
   *
   * @param target where the records go
   * @param userHashKey the key for {@link Lineage#hashUser}, or {@code null} to record no user
   * @param content whether the answer text is recorded (the prompt is not known to the router)
   */
  public static RouterListener forRouter(
      Consumer<LineageRecord> target, byte @Nullable [] userHashKey, ContentPolicy content) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(content, "content");
    byte[] key = userHashKey == null ? null : userHashKey.clone();
    return new RouterListener() {
      @Override
      public void onCall(CallRecord call) {
        target.accept(fromCall(call, key, content));
      }

      @Override
      public String toString() {
        return "LineageRecorder.forRouter(" + target + ")";
      }
    };
  }

  /**
   * The record of one router call: request id, time, tenant, the unit id's hash, route, release (with its prompt
   * version, index snapshot and guard policy), arm, deployment, model version (the deployment's version, else the
   * model id it answered with), usage, cost, the model's own latency as stage {@code model} and the router's as the
   * total, finish reason, output hash, outcome and error class, and the release's generation parameters as attributes
   * ({@code temperature}, {@code top_p}, {@code max_tokens}, {@code seed}, {@code stop} as a JSON array, each only
   * when pinned).
   *
   * @param call the router's report
   * @param userHashKey the key for {@link Lineage#hashUser}, or {@code null} to record no user
   * @param content whether the answer text is recorded
   */
  public static LineageRecord fromCall(CallRecord call, byte @Nullable [] userHashKey, ContentPolicy content) {
    LineageRecord.Builder b = LineageRecord.builder(call.requestId(), call.time())
        .tenant(call.tenant())
        .route(call.route())
        .release(call.release())
        .arm(call.arm())
        .deployment(call.deployment())
        .cost(call.cost())
        .latency(call.latency());
    if (userHashKey != null && call.unitId() != null && !call.unitId().isEmpty()) {
      b.userHash(Lineage.hashUser(call.unitId(), userHashKey));
    }
    ChatResponse response = call.response();
    String modelVersion = call.deploymentVersion();
    if (response != null) {
      if (modelVersion == null) {
        modelVersion = response.modelId();
      }
      b.usage(response.usage(), call.usageEstimated())
          .finishReason(response.finishReason())
          .answer(null, response.text(), content);
      if (call.outcome() == CallRecord.Outcome.ANSWERED) {
        b.stage("model", response.latency()); // a cached response carries the latency of the call that made it
      }
    }
    b.modelVersion(modelVersion);
    switch (call.outcome()) {
      case ANSWERED:
        b.outcome(LineageRecord.Outcome.ANSWERED);
        break;
      case CACHED:
        b.outcome(LineageRecord.Outcome.CACHED);
        break;
      default:
        b.outcome(LineageRecord.Outcome.FAILED);
        break;
    }
    if (call.errorClass() != null) {
      b.errorClass(call.errorClass().name());
    }
    LineageDiff.parameters(call.release().parameters()).forEach(b::attribute);
    return b.build();
  }
}
