package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramAccumulator;
import java.util.Arrays;

/**
 * The mutable recent samples of one series, sorted by timestamp, in parallel arrays; not
 * thread-safe (the owning series' lock guards it).
 *
 * <p>Why sorted arrays and not a tree: samples arrive nearly in order, so an insert is an append in
 * the common case and a short shift otherwise (one hour of 10-second slots is 360 entries); lookups
 * are binary searches; and a float sample costs 16 bytes instead of about 72 for a TreeMap entry
 * with a boxed key and value (40 + 16 + 16 bytes by object layout with compressed oops).
 *
 * <p>Histogram samples being merged into are held in mutable form: the {@value #HOT_SLOTS} most
 * recently merged samples of the tail each have a {@link HistogramAccumulator}, which adds a delta
 * in place instead of copying the whole sample ({@link Histogram#merge} allocates the sum afresh).
 * An ingest slot receives a delta per batch and endpoint, so without this the commit spent most of
 * its time copying slot histograms of hundreds of buckets. {@link #histogram} turns an accumulator
 * back into an immutable histogram on demand (cached until the next merge); more than {@value
 * #HOT_SLOTS} slots being merged at once (late data) evicts the oldest accumulator.
 */
final class SampleTail {
  /** Samples kept mutable at once: the current slot and the one before, for data straddling. */
  static final int HOT_SLOTS = 2;

  private final boolean histogram;
  private long[] timestamps = new long[4];
  private double[] values; // floats only
  private Histogram[] histograms; // histograms only; stale where an accumulator is dirty
  private HistogramAccumulator[] accumulators; // histograms only; at most HOT_SLOTS non-null
  private int size;
  private int hot; // non-null accumulators
  private long histogramBytes; // estimate for the histograms[] entries held
  private long hotBytes; // estimate for the accumulators held

  SampleTail(boolean histogram) {
    this.histogram = histogram;
    if (histogram) {
      histograms = new Histogram[4];
      accumulators = new HistogramAccumulator[4];
    } else {
      values = new double[4];
    }
  }

  int size() {
    return size;
  }

  long timestamp(int i) {
    return timestamps[i];
  }

  double value(int i) {
    return values[i];
  }

  /** The histogram at index {@code i}, made immutable (and cached) if it is being merged into. */
  Histogram histogram(int i) {
    HistogramAccumulator a = accumulators[i];
    if (a != null) {
      Histogram h = a.toHistogram();
      if (h != histograms[i]) {
        histogramBytes += estimatedBytes(h) - estimatedBytes(histograms[i]);
        histograms[i] = h;
      }
    }
    return histograms[i];
  }

  /** Adds {@code delta} into the histogram at index {@code i}, as {@code Histogram.merge} would. */
  void mergeHistogram(int i, Histogram delta) {
    HistogramAccumulator a = accumulators[i];
    if (a == null) {
      if (hot == HOT_SLOTS) {
        evictOldestHot(i);
      }
      a = new HistogramAccumulator(histograms[i]);
      accumulators[i] = a;
      hot++;
      hotBytes += estimatedBytes(a);
    }
    long before = estimatedBytes(a);
    a.add(delta);
    hotBytes += estimatedBytes(a) - before;
  }

  /** Freezes the accumulator of the oldest hot sample other than {@code keep}. */
  private void evictOldestHot(int keep) {
    for (int j = 0; j < size; j++) {
      if (j != keep && accumulators[j] != null) {
        histogram(j);
        dropAccumulator(j);
        return;
      }
    }
    throw new AssertionError("no hot sample to evict among " + size);
  }

  private void dropAccumulator(int i) {
    HistogramAccumulator a = accumulators[i];
    if (a != null) {
      hotBytes -= estimatedBytes(a);
      hot--;
      accumulators[i] = null;
    }
  }

  /** Index of {@code timestamp}, or {@code -(insertion point) - 1} as in Arrays.binarySearch. */
  int find(long timestamp) {
    if (size == 0 || timestamp > timestamps[size - 1]) {
      return -size - 1; // the common case: a new latest sample
    }
    return Arrays.binarySearch(timestamps, 0, size, timestamp);
  }

  /** Inserts at the insertion point {@code at} returned (encoded) by {@link #find}. */
  void insert(int at, long timestamp, double value, Histogram h) {
    if (size == timestamps.length) {
      int capacity = size * 2;
      timestamps = Arrays.copyOf(timestamps, capacity);
      if (histogram) {
        histograms = Arrays.copyOf(histograms, capacity);
        accumulators = Arrays.copyOf(accumulators, capacity);
      } else {
        values = Arrays.copyOf(values, capacity);
      }
    }
    System.arraycopy(timestamps, at, timestamps, at + 1, size - at);
    timestamps[at] = timestamp;
    if (histogram) {
      System.arraycopy(histograms, at, histograms, at + 1, size - at);
      System.arraycopy(accumulators, at, accumulators, at + 1, size - at);
      histograms[at] = h;
      accumulators[at] = null;
      histogramBytes += estimatedBytes(h);
    } else {
      System.arraycopy(values, at, values, at + 1, size - at);
      values[at] = value;
    }
    size++;
  }

  /** Replaces the value at index {@code i}. */
  void set(int i, double value, Histogram h) {
    if (histogram) {
      dropAccumulator(i);
      histogramBytes += estimatedBytes(h) - estimatedBytes(histograms[i]);
      histograms[i] = h;
    } else {
      values[i] = value;
    }
  }

  /** Removes the first {@code count} samples. */
  void removeFirst(int count) {
    if (count == 0) {
      return;
    }
    if (histogram) {
      for (int i = 0; i < count; i++) {
        histogramBytes -= estimatedBytes(histograms[i]);
        dropAccumulator(i);
      }
      System.arraycopy(histograms, count, histograms, 0, size - count);
      Arrays.fill(histograms, size - count, size, null);
      System.arraycopy(accumulators, count, accumulators, 0, size - count);
      Arrays.fill(accumulators, size - count, size, null);
    } else {
      System.arraycopy(values, count, values, 0, size - count);
    }
    System.arraycopy(timestamps, count, timestamps, 0, size - count);
    size -= count;
    if (size < timestamps.length / 4 && timestamps.length > 16) {
      shrink(Math.max(16, size * 2));
    }
  }

  /** Index of the first sample at or after {@code timestamp} (size if none). */
  int firstAtOrAfter(long timestamp) {
    int i = Arrays.binarySearch(timestamps, 0, size, timestamp);
    return i >= 0 ? i : -i - 1;
  }

  /** Copies the timestamps of samples [from, to). */
  long[] copyTimestamps(int from, int to) {
    return Arrays.copyOfRange(timestamps, from, to);
  }

  /** Copies the float values of samples [from, to). */
  double[] copyValues(int from, int to) {
    return Arrays.copyOfRange(values, from, to);
  }

  /** Copies the histograms of samples [from, to); histograms are immutable, so shared. */
  Histogram[] copyHistograms(int from, int to) {
    if (hot > 0) {
      for (int i = from; i < to; i++) {
        histogram(i); // brings histograms[i] up to date where it is being merged into
      }
    }
    return Arrays.copyOfRange(histograms, from, to);
  }

  /** Estimated heap bytes of the arrays, the histograms and the accumulators held. */
  long estimatedBytes() {
    return 48 + 16L * timestamps.length + histogramBytes + hotBytes;
  }

  /** Estimated heap bytes of an accumulator: object, arrays at capacity, cached histogram. */
  private static long estimatedBytes(HistogramAccumulator a) {
    return 160 + 12L * a.bucketCapacity();
  }

  /** Estimated heap bytes of one histogram: object, two pairs of arrays, headers. */
  static long estimatedBytes(Histogram h) {
    return 120 + 12L * (h.positiveBucketCount() + h.negativeBucketCount());
  }

  private void shrink(int capacity) {
    timestamps = Arrays.copyOf(timestamps, capacity);
    if (histogram) {
      histograms = Arrays.copyOf(histograms, capacity);
      accumulators = Arrays.copyOf(accumulators, capacity);
    } else {
      values = Arrays.copyOf(values, capacity);
    }
  }
}
