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
 * <p>Float samples older than the latest {@value #MUTABLE_FLOATS} are compressed as a {@link
 * ChunkEncoding#FLOAT_XOR} chunk (about 2 bytes a sample instead of 16): the tail spans the whole
 * out-of-order window (240 samples per series at 15 s), so this is most of a head's memory. Every
 * operation keeps its meaning and its indexes; one that changes or looks up a compressed sample (a
 * late sample, a duplicate, a merge into an older slot: rare) first thaws them back into the
 * arrays, and the next append at the end compresses them again. Reads and removals from the front
 * decode without thawing. Histogram samples are never compressed here.
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

  /**
   * Float samples kept uncompressed at the end once older ones are frozen: the latest slots, which
   * merges and duplicates touch, stay in the arrays.
   */
  static final int MUTABLE_FLOATS = 2;

  private final boolean histogram;
  // Floats only: the oldest frozenCount samples, compressed in order (all older than timestamps[0]
  // of the arrays); null when none. Any change among them thaws them back into the arrays first.
  private ChunkWriter frozen;
  private int frozenCount;
  private long[] timestamps = new long[4];
  private double[] values; // floats only
  private Histogram[] histograms; // histograms only; stale where an accumulator is dirty
  private HistogramAccumulator[] accumulators; // histograms only; at most HOT_SLOTS non-null
  private int size; // samples in the arrays, after the frozen ones
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
    return frozenCount + size;
  }

  long timestamp(int i) {
    if (i == 0 && frozenCount > 0) {
      return frozen.minTimeMillis();
    }
    if (i == frozenCount - 1) {
      return frozen.maxTimeMillis();
    }
    if (i < frozenCount) {
      thaw();
    }
    return timestamps[i - frozenCount];
  }

  double value(int i) {
    if (i < frozenCount) {
      thaw();
    }
    return values[i - frozenCount];
  }

  /**
   * Compresses all but the last {@value #MUTABLE_FLOATS} float samples of the arrays into the
   * frozen chunk, once the arrays hold twice that many: a sample costs about 2 bytes there instead
   * of 16.
   */
  private void freezeIfFull() {
    if (histogram || size < 2 * MUTABLE_FLOATS) {
      return;
    }
    int n = size - MUTABLE_FLOATS;
    if (frozen == null) {
      frozen = Chunk.newWriter(ChunkEncoding.FLOAT_XOR);
    }
    if (frozenCount + n > 0xFFFF) {
      return; // a chunk's sample count is 16 bits: keep the rest uncompressed
    }
    for (int j = 0; j < n; j++) {
      frozen.append(timestamps[j], values[j], null);
    }
    frozenCount += n;
    System.arraycopy(timestamps, n, timestamps, 0, size - n);
    System.arraycopy(values, n, values, 0, size - n);
    size -= n;
    if (timestamps.length > 4 * MUTABLE_FLOATS) {
      shrink(2 * MUTABLE_FLOATS);
    }
  }

  /** Moves the frozen samples back into the arrays, before a change among them. */
  private void thaw() {
    if (frozenCount == 0) {
      return;
    }
    int total = frozenCount + size;
    long[] ts = new long[Math.max(4, total + total / 2)];
    double[] vs = new double[ts.length];
    ChunkIterator it = frozen.toChunk().iterator();
    int j = 0;
    while (it.next()) {
      ts[j] = it.timestamp();
      vs[j] = it.value();
      j++;
    }
    System.arraycopy(timestamps, 0, ts, frozenCount, size);
    System.arraycopy(values, 0, vs, frozenCount, size);
    timestamps = ts;
    values = vs;
    size = total;
    frozen = null;
    frozenCount = 0;
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
    if (size == 0
        ? frozenCount == 0 || timestamp > frozen.maxTimeMillis()
        : timestamp > timestamps[size - 1]) {
      return -(frozenCount + size) - 1; // the common case: a new latest sample
    }
    if (frozenCount > 0 && timestamp <= frozen.maxTimeMillis()) {
      if (timestamp < frozen.minTimeMillis()) {
        return -1;
      }
      thaw(); // a late sample or a duplicate among the frozen ones: rare
    }
    int i = Arrays.binarySearch(timestamps, 0, size, timestamp);
    return i >= 0 ? i + frozenCount : i - frozenCount;
  }

  /** Inserts at the insertion point {@code at} returned (encoded) by {@link #find}. */
  void insert(int at, long timestamp, double value, Histogram h) {
    if (at < frozenCount) {
      thaw();
    }
    at -= frozenCount;
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
    if (at == size - 1) {
      freezeIfFull();
    }
  }

  /** Replaces the value at index {@code i}. */
  void set(int i, double value, Histogram h) {
    if (i < frozenCount) {
      thaw();
    }
    i -= frozenCount;
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
    if (frozenCount > 0) {
      if (count < frozenCount) {
        refreezeFrom(count);
        return;
      }
      count -= frozenCount;
      frozen = null;
      frozenCount = 0;
      if (count == 0) {
        return;
      }
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
    if (frozenCount > 0 && timestamp <= frozen.maxTimeMillis()) {
      if (timestamp <= frozen.minTimeMillis()) {
        return 0;
      }
      ChunkIterator it = frozen.toChunk().iterator();
      int j = 0;
      while (it.next() && it.timestamp() < timestamp) {
        j++;
      }
      return j;
    }
    int i = Arrays.binarySearch(timestamps, 0, size, timestamp);
    return frozenCount + (i >= 0 ? i : -i - 1);
  }

  /** Copies the timestamps of samples [from, to). */
  long[] copyTimestamps(int from, int to) {
    long[] out = new long[to - from];
    int j = copyFrozen(from, to, out, null);
    if (to > frozenCount) {
      int start = Math.max(from, frozenCount) - frozenCount;
      System.arraycopy(timestamps, start, out, j, to - frozenCount - start);
    }
    return out;
  }

  /** Copies the float values of samples [from, to). */
  double[] copyValues(int from, int to) {
    double[] out = new double[to - from];
    int j = copyFrozen(from, to, null, out);
    if (to > frozenCount) {
      int start = Math.max(from, frozenCount) - frozenCount;
      System.arraycopy(values, start, out, j, to - frozenCount - start);
    }
    return out;
  }

  /**
   * Decodes frozen samples [from, min(to, frozenCount)) into the arrays given; returns how many.
   */
  private int copyFrozen(int from, int to, long[] ts, double[] vs) {
    if (from >= frozenCount || from >= to) {
      return 0;
    }
    int end = Math.min(to, frozenCount);
    ChunkIterator it = frozen.toChunk().iterator();
    int i = 0;
    int j = 0;
    while (i < end && it.next()) {
      if (i >= from) {
        if (ts != null) {
          ts[j] = it.timestamp();
        } else {
          vs[j] = it.value();
        }
        j++;
      }
      i++;
    }
    return j;
  }

  /** Drops the first {@code count} frozen samples (fewer than all), compressing the rest anew. */
  private void refreezeFrom(int count) {
    ChunkWriter rest = Chunk.newWriter(ChunkEncoding.FLOAT_XOR);
    ChunkIterator it = frozen.toChunk().iterator();
    int i = 0;
    while (it.next()) {
      if (i++ >= count) {
        rest.append(it.timestamp(), it.value(), null);
      }
    }
    frozen = rest;
    frozenCount -= count;
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
    return 48
        + 16L * timestamps.length
        + histogramBytes
        + hotBytes
        + (frozen == null ? 0 : 96 + frozen.sizeBytes());
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
