package dev.vigil.server.ingest;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import dev.vigil.model.Labels;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Appender;
import java.util.HashMap;
import java.util.Map;

/**
 * A batch's requests pre-aggregated per (endpoint series, slot): one histogram merge and at most
 * five count merges per distinct series and slot, however many events fell there. This is what
 * makes ingest cheap: at 1,000 events per batch over a few dozen endpoints the store sees tens of
 * merges, not thousands. Confined to the thread handling the batch.
 */
final class SlotBatch {

  /** Identifies an endpoint's series and slot. */
  record SlotKey(String service, String instance, String method, String route, long slotMillis) {}

  /** Aggregate of one key: a builder for observed events or a histogram for pushed deltas. */
  static final class Aggregate {
    HistogramBuilder builder;
    Histogram histogram;
    final long[] statusCounts = new long[RequestSeries.STATUS_CLASSES.length];
    final int firstItem;

    Aggregate(int firstItem) {
      this.firstItem = firstItem;
    }

    Histogram histogram() {
      Histogram observed = builder == null ? null : builder.build();
      if (histogram == null) {
        return observed;
      }
      return observed == null ? histogram : histogram.merge(observed);
    }
  }

  private final Map<SlotKey, Aggregate> aggregates = new HashMap<>();
  private long requests;

  /** Adds one observed request. */
  void observe(SlotKey key, double seconds, int statusCode, int itemIndex) {
    Aggregate a = aggregates.computeIfAbsent(key, k -> new Aggregate(itemIndex));
    if (a.builder == null) {
      a.builder = Histogram.builder(RequestSeries.SCHEMA).zeroThreshold(0.0);
    }
    a.builder.observe(seconds);
    a.statusCounts[RequestSeries.statusClass(statusCode)]++;
    requests++;
  }

  /** Adds a pushed delta: a histogram and counts per status class. */
  void addDelta(SlotKey key, Histogram delta, long[] statusDeltas, int itemIndex) {
    Aggregate a = aggregates.computeIfAbsent(key, k -> new Aggregate(itemIndex));
    a.histogram = a.histogram == null ? delta : a.histogram.merge(delta);
    for (int i = 0; i < statusDeltas.length; i++) {
      a.statusCounts[i] += statusDeltas[i];
      requests += statusDeltas[i];
    }
  }

  /** Distinct slots written, for the readers' caches to forget after the commit. */
  java.util.Set<Long> slots() {
    java.util.Set<Long> slots = new java.util.HashSet<>();
    for (SlotKey k : aggregates.keySet()) {
      slots.add(k.slotMillis());
    }
    return slots;
  }

  /** Requests aggregated. */
  long requests() {
    return requests;
  }

  /** Distinct (series, slot) pairs. */
  int size() {
    return aggregates.size();
  }

  /**
   * Buffers every aggregate's merges in {@code appender}; returns the number of merges. A refused
   * merge throws {@link BatchItemRejected} naming the first item that fell into its slot.
   */
  int writeTo(Appender appender) {
    int merges = 0;
    for (Map.Entry<SlotKey, Aggregate> e : aggregates.entrySet()) {
      SlotKey k = e.getKey();
      Aggregate a = e.getValue();
      try {
        Labels[] labels =
            RequestSeries.deltaLabels(k.service(), k.instance(), k.method(), k.route());
        Histogram h = a.histogram();
        if (h != null && h.count() > 0) {
          appender.mergeHistogram(labels[0], k.slotMillis(), h);
          merges++;
        }
        for (int c = 0; c < a.statusCounts.length; c++) {
          if (a.statusCounts[c] != 0) {
            appender.mergeFloat(labels[1 + c], k.slotMillis(), a.statusCounts[c]);
            merges++;
          }
        }
      } catch (dev.vigil.tsdb.SampleRejectedException ex) {
        throw new BatchItemRejected(a.firstItem, ex);
      }
    }
    return merges;
  }

  /** A merge the store refused, with the index of the first batch item in its slot. */
  static final class BatchItemRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int item;

    BatchItemRejected(int item, dev.vigil.tsdb.SampleRejectedException cause) {
      super(cause.getMessage(), cause);
      this.item = item;
    }

    dev.vigil.tsdb.SampleRejectedException rejection() {
      return (dev.vigil.tsdb.SampleRejectedException) getCause();
    }
  }
}
