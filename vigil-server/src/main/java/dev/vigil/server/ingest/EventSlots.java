package dev.vigil.server.ingest;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Appender;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A batch of request events pre-aggregated per (endpoint series, slot), as {@link SlotBatch} does
 * for pushed deltas: one histogram merge and at most five count merges per distinct series and
 * slot, however many events fell there. Confined to the thread handling the batch.
 *
 * <p>Hot path, allocation-free per event: an event costs a lookup of its (endpoint, slot) number
 * and one long recording its aggregate and latency bucket. {@link #writeTo} sorts those longs once,
 * which groups each aggregate's buckets in index order, and builds each histogram with {@link
 * Histogram#ofSortedBuckets}; it equals what {@code HistogramBuilder.observe} over the same events
 * would build (same buckets, counts, and sums added in event order), at a fraction of the cost of
 * the builder's TreeMap.
 */
final class EventSlots {

  private static final int[] NO_INDEXES = {};
  private static final double[] NO_COUNTS = {};
  private static final int CLASSES = RequestSeries.STATUS_CLASSES.length;

  private final EventBatch events;
  private final KeyNumbering numbering;
  // Two ways per endpoint (mod 256): the (endpoint, slot) pairs last seen and their aggregates. A
  // batch's events fall in one or two slots, so this answers most lookups without hashing.
  private final int[] recentEndpoints = new int[512];
  private final long[] recentSlots = new long[512];
  private final int[] recentAggregates = new int[512];
  private int size;
  // Room for 256 (endpoint, slot) pairs, which a batch of 1,000 events rarely exceeds.
  private int[] endpoints = new int[256];
  private long[] slots = new long[256];
  private int[] firstItems = new int[256];
  private double[] sums = new double[256];
  private double[] zeroCounts = new double[256];
  private long[] statusCounts = new long[256 * CLASSES];
  private long[] buckets; // (aggregate << 32) | (bucket index with its sign bit flipped)
  private int bucketCount;
  private long requests;

  /** An empty aggregation of the events of {@code events}. */
  EventSlots(EventBatch events) {
    this.events = events;
    this.numbering = new KeyNumbering(256);
    this.buckets = new long[Math.max(16, events.size())];
  }

  /** Adds event {@code item} of the batch into the slot of its timestamp. */
  void observe(int item) {
    int endpoint = events.endpoint(item);
    long slot = RequestSeries.slot(events.timestampMillis(item));
    int r = (endpoint & 255) << 1;
    int a;
    if (recentEndpoints[r] == endpoint + 1 && recentSlots[r] == slot) {
      a = recentAggregates[r];
    } else if (recentEndpoints[r + 1] == endpoint + 1 && recentSlots[r + 1] == slot) {
      a = recentAggregates[r + 1];
    } else {
      a = numbering.number(endpoint, slot);
      if (a == size) {
        add(endpoint, slot, item);
      }
      // The newer pair takes the first way, the older moves to the second.
      recentEndpoints[r + 1] = recentEndpoints[r];
      recentSlots[r + 1] = recentSlots[r];
      recentAggregates[r + 1] = recentAggregates[r];
      recentEndpoints[r] = endpoint + 1;
      recentSlots[r] = slot;
      recentAggregates[r] = a;
    }
    double seconds = events.seconds(item);
    // As HistogramBuilder.observe with zero threshold 0: positive values into their bucket, zero
    // into the zero bucket (validation admits nothing negative or NaN); the sum in event order.
    sums[a] += seconds;
    if (seconds > 0) {
      int index = Histogram.bucketIndex(seconds, RequestSeries.SCHEMA);
      if (bucketCount == buckets.length) {
        buckets = Arrays.copyOf(buckets, bucketCount * 2);
      }
      buckets[bucketCount++] = ((long) a << 32) | ((index ^ Integer.MIN_VALUE) & 0xFFFFFFFFL);
    } else {
      zeroCounts[a]++;
    }
    statusCounts[a * CLASSES + RequestSeries.statusClass(events.statusCode(item))]++;
    requests++;
  }

  private void add(int endpoint, long slot, int item) {
    if (size == endpoints.length) {
      int capacity = size * 2;
      endpoints = Arrays.copyOf(endpoints, capacity);
      slots = Arrays.copyOf(slots, capacity);
      firstItems = Arrays.copyOf(firstItems, capacity);
      sums = Arrays.copyOf(sums, capacity);
      zeroCounts = Arrays.copyOf(zeroCounts, capacity);
      statusCounts = Arrays.copyOf(statusCounts, capacity * CLASSES);
    }
    endpoints[size] = endpoint;
    slots[size] = slot;
    firstItems[size] = item;
    size++;
  }

  /** Distinct slots written, for the readers' caches to forget after the commit. */
  Set<Long> slots() {
    Set<Long> distinct = new HashSet<>();
    for (int a = 0; a < size; a++) {
      distinct.add(slots[a]);
    }
    return distinct;
  }

  /** Requests aggregated. */
  long requests() {
    return requests;
  }

  /** Distinct (series, slot) pairs. */
  int size() {
    return size;
  }

  /**
   * Buffers every aggregate's merges in {@code appender}, histograms first and then counts (so the
   * write-ahead log gets two records per batch, not two per aggregate); returns the number of
   * merges. A refused merge throws {@link SlotBatch.BatchItemRejected} naming the first item that
   * fell into its slot.
   */
  int writeTo(Appender appender) {
    Histogram[] histograms = histograms();
    int merges = 0;
    for (int a = 0; a < size; a++) {
      Labels[] l = events.labels(endpoints[a]);
      try {
        if (histograms[a].count() > 0) {
          appender.mergeHistogram(l[0], slots[a], histograms[a]);
          merges++;
        }
      } catch (dev.vigil.tsdb.SampleRejectedException ex) {
        throw new SlotBatch.BatchItemRejected(firstItems[a], ex);
      }
    }
    for (int a = 0; a < size; a++) {
      Labels[] l = events.labels(endpoints[a]);
      try {
        for (int c = 0; c < CLASSES; c++) {
          long n = statusCounts[a * CLASSES + c];
          if (n != 0) {
            appender.mergeFloat(l[1 + c], slots[a], n);
            merges++;
          }
        }
      } catch (dev.vigil.tsdb.SampleRejectedException ex) {
        throw new SlotBatch.BatchItemRejected(firstItems[a], ex);
      }
    }
    return merges;
  }

  /** Every aggregate's latency histogram, from the sorted bucket records. */
  private Histogram[] histograms() {
    Arrays.sort(buckets, 0, bucketCount);
    Histogram[] out = new Histogram[size];
    int[] indexes = new int[16];
    double[] counts = new double[16];
    int i = 0;
    for (int a = 0; a < size; a++) {
      int n = 0;
      while (i < bucketCount && (int) (buckets[i] >>> 32) == a) {
        int index = ((int) buckets[i]) ^ Integer.MIN_VALUE;
        int run = 1;
        while (i + run < bucketCount && buckets[i + run] == buckets[i]) {
          run++;
        }
        if (n == indexes.length) {
          indexes = Arrays.copyOf(indexes, n * 2);
          counts = Arrays.copyOf(counts, n * 2);
        }
        indexes[n] = index;
        counts[n] = run;
        n++;
        i += run;
      }
      out[a] =
          Histogram.ofSortedBuckets(
              RequestSeries.SCHEMA,
              0.0,
              zeroCounts[a],
              sums[a],
              Arrays.copyOf(indexes, n),
              Arrays.copyOf(counts, n),
              NO_INDEXES,
              NO_COUNTS);
    }
    return out;
  }
}
