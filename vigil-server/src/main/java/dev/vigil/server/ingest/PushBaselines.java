package dev.vigil.server.ingest;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last acknowledged cumulative state of every pushing instance, which the next push's deltas
 * are taken against.
 *
 * <p>Durability: every push commits, in the same appender as its deltas, the instance's recorder
 * start ({@value RequestSeries#PUSH_START}) and the cumulative histogram and status counts of each
 * endpoint that changed. {@link #load} rebuilds the map from those series at start, so after a
 * {@code kill -9} the baseline is exactly the last acknowledged push: nothing acknowledged is lost
 * and nothing is counted twice. An endpoint's cumulative samples count only if written since the
 * current recorder start was first seen; an endpoint without one had no requests in this recorder.
 *
 * <p>Thread-safe: the map is concurrent; each instance's entry is replaced whole under the
 * instance's lock held by {@link PushIngest}.
 */
final class PushBaselines {

  /** Identifies a pushing instance. */
  record InstanceKey(String service, String instance) {}

  /** Identifies an endpoint of an instance. */
  record EndpointKey(String method, String route) {}

  /** Cumulative state of one endpoint. */
  record Cumulative(Histogram latency, long[] statusCounts) {}

  /** Cumulative state of one instance at one push. */
  record Baseline(long startMillis, long timestampMillis, Map<EndpointKey, Cumulative> endpoints) {}

  private final ConcurrentHashMap<InstanceKey, Baseline> baselines = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<InstanceKey, Object> locks = new ConcurrentHashMap<>();

  Baseline get(InstanceKey key) {
    return baselines.get(key);
  }

  void put(InstanceKey key, Baseline baseline) {
    baselines.put(key, baseline);
  }

  /** The lock serialising pushes of one instance. */
  Object lock(InstanceKey key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  /** Number of instances known. */
  int size() {
    return baselines.size();
  }

  /** Rebuilds every baseline from the series stored in {@code [fromMillis, toMillis]}. */
  void load(Storage storage, long fromMillis, long toMillis) {
    try (Querier q = storage.querier(fromMillis, toMillis)) {
      Map<InstanceKey, long[]> starts = new HashMap<>(); // start, first seen, last timestamp
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.PUSH_START))) {
        long[] run = null;
        SampleCursor c = s.cursor();
        while (c.next()) {
          long start = (long) c.value();
          if (run == null || run[0] != start) {
            run = new long[] {start, c.timestampMillis(), c.timestampMillis()};
          } else {
            run[2] = c.timestampMillis();
          }
        }
        if (run != null) {
          starts.put(key(s.labels()), run);
        }
      }
      Map<InstanceKey, Map<EndpointKey, Histogram>> latencies = new HashMap<>();
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.PUSH_DURATION))) {
        long[] run = starts.get(key(s.labels()));
        Histogram last = null;
        SampleCursor c = s.cursor();
        while (c.next()) {
          if (run != null && c.timestampMillis() >= run[1] && c.isHistogram()) {
            last = c.histogram();
          }
        }
        if (last != null) {
          latencies
              .computeIfAbsent(key(s.labels()), k -> new HashMap<>())
              .put(endpoint(s.labels()), last);
        }
      }
      Map<InstanceKey, Map<EndpointKey, long[]>> counts = new HashMap<>();
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.PUSH_REQUESTS))) {
        long[] run = starts.get(key(s.labels()));
        int cls = RequestSeries.statusClassIndex(s.labels().get("status"));
        double last = Double.NaN;
        SampleCursor c = s.cursor();
        while (c.next()) {
          if (run != null && c.timestampMillis() >= run[1] && !c.isHistogram()) {
            last = c.value();
          }
        }
        if (cls >= 0 && !Double.isNaN(last)) {
          counts.computeIfAbsent(key(s.labels()), k -> new HashMap<>())
                  .computeIfAbsent(
                      endpoint(s.labels()), k -> new long[RequestSeries.STATUS_CLASSES.length])[
                  cls] =
              (long) last;
        }
      }
      for (Map.Entry<InstanceKey, long[]> e : starts.entrySet()) {
        Map<EndpointKey, Cumulative> endpoints = new HashMap<>();
        Map<EndpointKey, Histogram> lat = latencies.getOrDefault(e.getKey(), Map.of());
        Map<EndpointKey, long[]> cnt = counts.getOrDefault(e.getKey(), Map.of());
        for (Map.Entry<EndpointKey, Histogram> h : lat.entrySet()) {
          long[] c = cnt.getOrDefault(h.getKey(), new long[RequestSeries.STATUS_CLASSES.length]);
          endpoints.put(h.getKey(), new Cumulative(h.getValue(), c));
        }
        baselines.put(e.getKey(), new Baseline(e.getValue()[0], e.getValue()[2], endpoints));
      }
    }
  }

  private static InstanceKey key(Labels l) {
    return new InstanceKey(l.get("service"), l.get("instance"));
  }

  private static EndpointKey endpoint(Labels l) {
    return new EndpointKey(l.get("method"), l.get("route"));
  }
}
