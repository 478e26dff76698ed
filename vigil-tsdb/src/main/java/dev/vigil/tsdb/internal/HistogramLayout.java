package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import java.util.Arrays;

/**
 * Bucket-index arithmetic shared by the histogram chunk writer and iterator: spans, unions,
 * subsets, and the integrality test of docs/format/histogram.md.
 */
final class HistogramLayout {
  private static final double MAX_EXACT = 0x1p53;

  private HistogramLayout() {}

  /** A histogram's buckets as sorted index arrays with their counts, one pair per side. */
  record Buckets(int[] positive, double[] positiveCounts, int[] negative, double[] negativeCounts) {
    static Buckets of(Histogram h) {
      return new Buckets(
          positiveIndexes(h),
          HistogramLayout.positiveCounts(h),
          negativeIndexes(h),
          HistogramLayout.negativeCounts(h));
    }
  }

  static int[] positiveIndexes(Histogram h) {
    int[] indexes = new int[h.positiveBucketCount()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = h.positiveIndex(i);
    }
    return indexes;
  }

  static int[] negativeIndexes(Histogram h) {
    int[] indexes = new int[h.negativeBucketCount()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = h.negativeIndex(i);
    }
    return indexes;
  }

  static double[] positiveCounts(Histogram h) {
    double[] counts = new double[h.positiveBucketCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = h.positiveCount(i);
    }
    return counts;
  }

  static double[] negativeCounts(Histogram h) {
    double[] counts = new double[h.negativeBucketCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = h.negativeCount(i);
    }
    return counts;
  }

  /** Whether every positive bucket index of {@code h} is in the sorted {@code layout}. */
  static boolean positiveSubset(Histogram h, int[] layout) {
    int j = 0;
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      int index = h.positiveIndex(i);
      while (j < layout.length && layout[j] < index) {
        j++;
      }
      if (j == layout.length || layout[j] != index) {
        return false;
      }
    }
    return true;
  }

  /** Whether every negative bucket index of {@code h} is in the sorted {@code layout}. */
  static boolean negativeSubset(Histogram h, int[] layout) {
    int j = 0;
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      int index = h.negativeIndex(i);
      while (j < layout.length && layout[j] < index) {
        j++;
      }
      if (j == layout.length || layout[j] != index) {
        return false;
      }
    }
    return true;
  }

  /** The sorted union of two sorted index arrays. */
  static int[] union(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        out[n++] = a[i++];
      } else if (i == a.length || b[j] < a[i]) {
        out[n++] = b[j++];
      } else {
        out[n++] = a[i++];
        j++;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Values of {@code from} (aligned to {@code fromLayout}) moved to {@code toLayout}, a superset;
   * slots new in {@code toLayout} get 0.
   */
  static double[] remap(double[] from, int[] fromLayout, int[] toLayout) {
    double[] out = new double[toLayout.length];
    int j = 0;
    for (int i = 0; i < fromLayout.length; i++) {
      while (toLayout[j] != fromLayout[i]) {
        j++;
      }
      out[j] = from[i];
    }
    return out;
  }

  /** Writes spans of a sorted index array: count, then (offset, length) per span, as varbits. */
  static void writeSpans(BitWriter out, int[] indexes) {
    int spans = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (i == 0 || indexes[i] != indexes[i - 1] + 1) {
        spans++;
      }
    }
    out.writeVarbitInt(spans);
    int start = 0;
    long previousEnd = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (i + 1 == indexes.length || indexes[i + 1] != indexes[i] + 1) {
        long offset = start == 0 ? indexes[0] : indexes[start] - previousEnd;
        out.writeVarbitInt(offset);
        out.writeVarbitInt(i - start + 1);
        previousEnd = indexes[i] + 1L;
        start = i + 1;
      }
    }
  }

  /** Bits {@link #writeSpans} takes for {@code indexes}. */
  static int spansBits(int[] indexes) {
    int spans = 0;
    int bits = 0;
    int start = 0;
    long previousEnd = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (i + 1 == indexes.length || indexes[i + 1] != indexes[i] + 1) {
        long offset = start == 0 ? indexes[0] : indexes[start] - previousEnd;
        bits += BitWriter.varbitIntBits(offset) + BitWriter.varbitIntBits(i - start + 1);
        previousEnd = indexes[i] + 1L;
        start = i + 1;
        spans++;
      }
    }
    return bits + BitWriter.varbitIntBits(spans);
  }

  /** Reads what {@link #writeSpans} wrote, checking sizes against the bits left. */
  static int[] readSpans(BitReader in) {
    long spans = in.readVarbitInt();
    if (spans < 0 || spans > in.remainingBits()) {
      throw new CorruptChunkException("invalid span count " + spans);
    }
    long[] offsets = new long[(int) spans];
    long[] lengths = new long[(int) spans];
    long total = 0;
    for (int s = 0; s < spans; s++) {
      offsets[s] = in.readVarbitInt();
      lengths[s] = in.readVarbitInt();
      if (lengths[s] < 1 || (s > 0 && offsets[s] < 1)) {
        throw new CorruptChunkException(
            "invalid span " + s + ": offset " + offsets[s] + ", length " + lengths[s]);
      }
      total += lengths[s];
      if (total > in.remainingBits()) {
        throw new CorruptChunkException("spans hold more buckets than the chunk has bits");
      }
    }
    int[] indexes = new int[(int) total];
    int n = 0;
    long next = 0;
    for (int s = 0; s < spans; s++) {
      long start = s == 0 ? offsets[0] : next + offsets[s];
      for (long k = 0; k < lengths[s]; k++) {
        long index = start + k;
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
          throw new CorruptChunkException("bucket index " + index + " beyond 32 bits");
        }
        indexes[n++] = (int) index;
      }
      next = start + lengths[s];
    }
    return indexes;
  }

  /** Whether every count of {@code h} is an exact integer the codec writes as a varint. */
  static boolean isIntegral(Histogram h) {
    if (!isExactInteger(h.count()) || !isExactInteger(h.zeroCount())) {
      return false;
    }
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      if (!isExactInteger(h.positiveCount(i))) {
        return false;
      }
    }
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      if (!isExactInteger(h.negativeCount(i))) {
        return false;
      }
    }
    return true;
  }

  /** Integral, within ±2^53, and not -0.0 (which would come back as 0.0). */
  static boolean isExactInteger(double x) {
    return x == Math.rint(x)
        && Math.abs(x) <= MAX_EXACT
        && Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(-0.0);
  }
}
