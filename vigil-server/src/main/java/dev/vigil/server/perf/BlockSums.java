package dev.vigil.server.perf;

import dev.vigil.model.Histogram;
import dev.vigil.server.series.RequestSeries;
import java.util.HashMap;
import java.util.Map;

/**
 * Request data summed over a span of slots, per (service, method, route): the latency histogram sum
 * and the requests per status class. Immutable once built (nothing adds to its sums again); the
 * generation says which version of its block it was loaded from.
 */
record BlockSums(Map<Key, Sums> endpoints, long generation) {

  /** An endpoint of a service. */
  record Key(String service, String method, String route) {}

  /** An endpoint's sums. */
  record Sums(HistogramSum latency, long[] statusCounts) {}

  /** A copy tagged with {@code gen}. */
  BlockSums withGeneration(long gen) {
    return new BlockSums(endpoints, gen);
  }

  /** Mutable sums while a span is read or blocks are added; confined to one thread. */
  static final class Builder {
    private final Map<Key, Sums> sums = new HashMap<>();

    private Sums of(Key k) {
      return sums.computeIfAbsent(
          k,
          x ->
              new Sums(
                  new HistogramSum(RequestSeries.SCHEMA),
                  new long[RequestSeries.STATUS_CLASSES.length]));
    }

    void addHistogram(Key k, Histogram h) {
      of(k).latency().add(h);
    }

    void addCount(Key k, int statusClass, long n) {
      of(k).statusCounts()[statusClass] += n;
    }

    void addAll(BlockSums block) {
      for (Map.Entry<Key, Sums> e : block.endpoints().entrySet()) {
        add(e.getKey(), e.getValue());
      }
    }

    /**
     * Adds the entries of {@code service} (all when null) under keys without the service, so that
     * instances and services of one endpoint merge.
     */
    void addEndpoints(BlockSums block, String service) {
      for (Map.Entry<Key, Sums> e : block.endpoints().entrySet()) {
        Key k = e.getKey();
        if (service == null || service.equals(k.service())) {
          add(new Key("", k.method(), k.route()), e.getValue());
        }
      }
    }

    void add(Key k, Sums s) {
      Sums mine = of(k);
      mine.latency().add(s.latency());
      for (int i = 0; i < s.statusCounts().length; i++) {
        mine.statusCounts()[i] += s.statusCounts()[i];
      }
    }

    BlockSums build() {
      Map<Key, Sums> out = new HashMap<>();
      sums.forEach(
          (k, s) -> {
            if (!s.latency().isEmpty()) {
              s.latency().compact();
              out.put(k, s);
            }
          });
      return new BlockSums(Map.copyOf(out), 0);
    }
  }
}
