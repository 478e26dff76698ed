package dev.vigil.client.push;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.SlowRequest;
import java.util.List;
import java.util.Objects;

/**
 * One push: who sends it, the recorder's cumulative snapshot and the JVM metrics.
 *
 * <p>Counters in the snapshot are cumulative since {@link RecorderSnapshot#startMillis()}, so a
 * lost batch loses time resolution, never counts; slow requests are the ones after the last
 * acknowledged sequence, so a lost batch's slow requests ride along with the next one.
 *
 * @param service name of the service, e.g. "checkout"
 * @param instance name of this instance of it, e.g. a host name and port
 * @param snapshot the recorder's snapshot
 * @param jvmMetrics JVM metric families, possibly empty
 */
public record PushBatch(
    String service, String instance, RecorderSnapshot snapshot, List<MetricFamily> jvmMetrics) {

  /** Checks the fields and copies the list. */
  public PushBatch {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(snapshot, "snapshot");
    jvmMetrics = List.copyOf(jvmMetrics);
  }

  /** Highest slow-request sequence in this batch, or 0 when it has none. */
  public long highestSlowSequence() {
    long max = 0;
    for (SlowRequest r : snapshot.slowRequests()) {
      max = Math.max(max, r.sequence());
    }
    return max;
  }
}
