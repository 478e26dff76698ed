package dev.vigil.model;

import java.util.Arrays;

/**
 * A running sum of histograms that adds each delta in place: after {@code add(d1) ... add(dn)}
 * starting from {@code h}, {@link #toHistogram()} equals {@code h.merge(d1)...merge(dn)}, bit for
 * bit. Not thread-safe.
 *
 * <p>Why: a storage slot that receives a small delta histogram every few milliseconds (one per
 * ingest batch and endpoint) spent most of its time copying the slot's whole histogram in {@link
 * Histogram#merge}, which allocates fresh arrays for every merge; about 40% of ingest CPU went
 * there. Adding a delta here costs a binary search per delta bucket when the slot already has those
 * buckets, and a shift of the buckets above a new one otherwise.
 *
 * <p>Exactness: when a delta has the accumulated schema and zero threshold, {@code merge} adds
 * bucket by bucket, count to count and sum to sum, in that order; this does the same additions. A
 * bucket whose count cancels to zero is kept here (as 0) and dropped by {@link #toHistogram()},
 * which gives the same later sums as dropping it at once, since {@code 0.0 + x == x}. A delta with
 * another schema or zero threshold takes the general path: {@code toHistogram().merge(delta)}.
 */
public final class HistogramAccumulator {
  private int schema;
  private double zeroThreshold;
  private double zeroCount;
  private double count;
  private double sum;
  private int[] positiveIndexes;
  private double[] positiveCounts;
  private int positiveSize;
  private int[] negativeIndexes;
  private double[] negativeCounts;
  private int negativeSize;
  private Histogram value; // the current sum as a histogram, or null until asked for again
  private int[] newIndexes = new int[8]; // scratch: buckets of a delta not yet held
  private double[] newCounts = new double[8];

  /** An accumulator holding {@code initial}. */
  public HistogramAccumulator(Histogram initial) {
    load(initial);
  }

  private void load(Histogram h) {
    schema = h.schema;
    zeroThreshold = h.zeroThreshold;
    zeroCount = h.zeroCount;
    count = h.count;
    sum = h.sum;
    positiveIndexes = h.positiveIndexes.clone();
    positiveCounts = h.positiveCounts.clone();
    positiveSize = positiveIndexes.length;
    negativeIndexes = h.negativeIndexes.clone();
    negativeCounts = h.negativeCounts.clone();
    negativeSize = negativeIndexes.length;
    value = h;
  }

  /** Adds {@code delta}, as {@code toHistogram().merge(delta)} would. */
  public void add(Histogram delta) {
    if (delta.schema != schema || delta.zeroThreshold != zeroThreshold) {
      load(toHistogram().merge(delta));
      return;
    }
    value = null;
    int grown = addSide(delta.positiveIndexes, delta.positiveCounts, true);
    if (grown >= 0) {
      positiveSize = grown;
    }
    grown = addSide(delta.negativeIndexes, delta.negativeCounts, false);
    if (grown >= 0) {
      negativeSize = grown;
    }
    // The order of HistogramArithmetic.combine with sign 1.
    zeroCount = zeroCount + 1.0 * delta.zeroCount;
    count = count + 1.0 * delta.count;
    sum = sum + 1.0 * delta.sum;
  }

  /**
   * Adds sorted delta buckets into one side; returns its new size, or -1 if it did not change.
   * Buckets already present are added in place as they are found; new ones are noted and then
   * merged in from the back (after growing the arrays), so nothing below the lowest new bucket
   * moves.
   */
  private int addSide(int[] deltaIndexes, double[] deltaCounts, boolean positive) {
    int m = deltaIndexes.length;
    if (m == 0) {
      return -1;
    }
    int[] indexes = positive ? positiveIndexes : negativeIndexes;
    double[] counts = positive ? positiveCounts : negativeCounts;
    int n = positive ? positiveSize : negativeSize;
    int missing = 0;
    int from = 0;
    for (int j = 0; j < m; j++) {
      int at = find(indexes, from, n, deltaIndexes[j]);
      if (at >= 0) {
        counts[at] = counts[at] + 1.0 * deltaCounts[j];
        from = at + 1;
      } else {
        if (missing == newIndexes.length) {
          newIndexes = Arrays.copyOf(newIndexes, missing * 2);
          newCounts = Arrays.copyOf(newCounts, missing * 2);
        }
        newIndexes[missing] = deltaIndexes[j];
        newCounts[missing] = 1.0 * deltaCounts[j];
        missing++;
        from = -at - 1;
      }
    }
    if (missing == 0) {
      return -1;
    }
    int size = n + missing;
    if (size > indexes.length) {
      int capacity = Math.max(size, n + (n >> 1) + 8);
      indexes = Arrays.copyOf(indexes, capacity);
      counts = Arrays.copyOf(counts, capacity);
      if (positive) {
        positiveIndexes = indexes;
        positiveCounts = counts;
      } else {
        negativeIndexes = indexes;
        negativeCounts = counts;
      }
    }
    int i = n - 1;
    int j = missing - 1;
    int k = size - 1;
    while (j >= 0) {
      if (i >= 0 && indexes[i] > newIndexes[j]) {
        indexes[k] = indexes[i];
        counts[k] = counts[i];
        i--;
      } else {
        indexes[k] = newIndexes[j];
        counts[k] = newCounts[j];
        j--;
      }
      k--;
    }
    assert k == i : k + " != " + i;
    return size;
  }

  /**
   * Position of {@code index} in the strictly ascending {@code indexes[from, to)}, or {@code
   * -(insertion point) - 1}. Strictly ascending integers put {@code index} at most {@code index -
   * indexes[from]} places after {@code from}, which is exact where the buckets are contiguous, as
   * in the body of a latency histogram: usually found at the first probe.
   */
  private static int find(int[] indexes, int from, int to, int index) {
    if (from >= to) {
      return -from - 1;
    }
    long guess = from + ((long) index - indexes[from]);
    if (guess < from) {
      return -from - 1; // below indexes[from]
    }
    if (guess < to && indexes[(int) guess] == index) {
      return (int) guess;
    }
    return Arrays.binarySearch(indexes, from, (int) Math.min(to, guess + 1), index);
  }

  /** The sum so far as an immutable histogram; the same instance until the next {@link #add}. */
  public Histogram toHistogram() {
    Histogram h = value;
    if (h == null) {
      h =
          new Histogram(
              schema,
              zeroThreshold,
              zeroCount,
              count,
              sum,
              nonZeroIndexes(positiveIndexes, positiveCounts, positiveSize),
              nonZeroCounts(positiveCounts, positiveSize),
              nonZeroIndexes(negativeIndexes, negativeCounts, negativeSize),
              nonZeroCounts(negativeCounts, negativeSize));
      value = h;
    }
    return h;
  }

  /** Buckets the accumulator has room for on both sides, for memory estimates. */
  public int bucketCapacity() {
    return positiveIndexes.length + negativeIndexes.length;
  }

  private static int[] nonZeroIndexes(int[] indexes, double[] counts, int size) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (counts[i] != 0) {
        n++;
      }
    }
    if (n == size && n == indexes.length) {
      return indexes.clone();
    }
    int[] out = new int[n];
    for (int i = 0, k = 0; i < size; i++) {
      if (counts[i] != 0) {
        out[k++] = indexes[i];
      }
    }
    return out;
  }

  private static double[] nonZeroCounts(double[] counts, int size) {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (counts[i] != 0) {
        n++;
      }
    }
    double[] out = new double[n];
    for (int i = 0, k = 0; i < size; i++) {
      if (counts[i] != 0) {
        out[k++] = counts[i];
      }
    }
    return out;
  }
}
