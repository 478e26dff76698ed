package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import java.util.Arrays;

/**
 * The mutable recent samples of one series, sorted by timestamp, in parallel arrays; not
 * thread-safe (the owning series' lock guards it).
 *
 * <p>Why sorted arrays and not a tree: samples arrive nearly in order, so an insert is an append in
 * the common case and a short shift otherwise (one hour of 10-second slots is 360 entries); lookups
 * are binary searches; and a float sample costs 16 bytes instead of about 72 for a TreeMap entry
 * with a boxed key and value (40 + 16 + 16 bytes by object layout with compressed oops).
 */
final class SampleTail {
  private final boolean histogram;
  private long[] timestamps = new long[4];
  private double[] values; // floats only
  private Histogram[] histograms; // histograms only
  private int size;
  private long histogramBytes; // estimate for the histograms held

  SampleTail(boolean histogram) {
    this.histogram = histogram;
    if (histogram) {
      histograms = new Histogram[4];
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

  Histogram histogram(int i) {
    return histograms[i];
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
      } else {
        values = Arrays.copyOf(values, capacity);
      }
    }
    System.arraycopy(timestamps, at, timestamps, at + 1, size - at);
    timestamps[at] = timestamp;
    if (histogram) {
      System.arraycopy(histograms, at, histograms, at + 1, size - at);
      histograms[at] = h;
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
      }
      System.arraycopy(histograms, count, histograms, 0, size - count);
      Arrays.fill(histograms, size - count, size, null);
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
    return Arrays.copyOfRange(histograms, from, to);
  }

  /** Estimated heap bytes of the arrays and the histograms held. */
  long estimatedBytes() {
    return 48 + 16L * timestamps.length + histogramBytes;
  }

  /** Estimated heap bytes of one histogram: object, two pairs of arrays, headers. */
  static long estimatedBytes(Histogram h) {
    return 120 + 12L * (h.positiveBucketCount() + h.negativeBucketCount());
  }

  private void shrink(int capacity) {
    timestamps = Arrays.copyOf(timestamps, capacity);
    if (histogram) {
      histograms = Arrays.copyOf(histograms, capacity);
    } else {
      values = Arrays.copyOf(values, capacity);
    }
  }
}
