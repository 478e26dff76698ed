package dev.vigil.server.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what ingest accepted and refused, for {@code /metrics}; thread-safe. */
public final class IngestCounters {

  /** Events accepted through {@code /api/v1/requests}. */
  public final LongAdder events = new LongAdder();

  /** Push batches accepted. */
  public final LongAdder pushBatches = new LongAdder();

  /** Requests counted from pushed deltas. */
  public final LongAdder pushedRequests = new LongAdder();

  /** Merges and samples committed to the store by ingest. */
  public final LongAdder samples = new LongAdder();

  /** Slow requests newly stored. */
  public final LongAdder slowRequests = new LongAdder();

  /** Remote write requests accepted through {@code /api/v1/write}. */
  public final LongAdder remoteWriteRequests = new LongAdder();

  /** Float and histogram samples accepted through {@code /api/v1/write}. */
  public final LongAdder remoteWriteSamples = new LongAdder();

  /** System samples collected. */
  public final LongAdder systemSamples = new LongAdder();

  private final ConcurrentHashMap<String, LongAdder> rejected = new ConcurrentHashMap<>();

  /** Counts {@code items} refused for {@code reason} (e.g. "bad_data", "too_late", "too_large"). */
  public void reject(String reason, long items) {
    rejected.computeIfAbsent(reason, r -> new LongAdder()).add(items);
  }

  /** Refused items by reason, sorted by reason. */
  public Map<String, Long> rejected() {
    Map<String, Long> out = new TreeMap<>();
    rejected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
