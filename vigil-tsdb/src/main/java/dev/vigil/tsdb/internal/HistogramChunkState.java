package dev.vigil.tsdb.internal;

/**
 * What a histogram chunk's writer and iterator both remember about the previous sample; both update
 * it through the same methods, so the decoder mirrors the encoder by construction. Not thread-safe.
 */
final class HistogramChunkState {
  int samples;
  int schema;
  double zeroThreshold;

  /** Bucket layout: sorted indexes that only grow while schema and zero threshold stay. */
  int[] positiveLayout = new int[0];

  int[] negativeLayout = new int[0];

  /** The previous sample's counts, slot by slot of the layout (0 where it had no bucket). */
  double[] positive = new double[0];

  double[] negative = new double[0];
  double count;
  double zeroCount;
  double sum;

  /** Whether every count of the previous sample was an exact integer. */
  boolean integral = true;

  /** Lowest bucket index of the previous sample per side (0 if none): sparse mode's base. */
  int positiveFirst;

  int negativeFirst;
  final XorCodec countXor = new XorCodec();
  final XorCodec sumXor = new XorCodec();

  /** Whether a sample with this schema and zero threshold can keep the current layout. */
  boolean sameZeroBucket(int newSchema, double newZeroThreshold) {
    return samples > 0
        && newSchema == schema
        && Double.doubleToRawLongBits(newZeroThreshold)
            == Double.doubleToRawLongBits(zeroThreshold);
  }

  /**
   * Switches to a new layout, which is a superset of the old one when the zero bucket is the same
   * (previous counts move along) and unrelated otherwise (previous counts become 0).
   */
  void setLayout(int newSchema, double newZeroThreshold, int[] newPositive, int[] newNegative) {
    if (sameZeroBucket(newSchema, newZeroThreshold)) {
      positive = HistogramLayout.remap(positive, positiveLayout, newPositive);
      negative = HistogramLayout.remap(negative, negativeLayout, newNegative);
    } else {
      positive = new double[newPositive.length];
      negative = new double[newNegative.length];
    }
    schema = newSchema;
    zeroThreshold = newZeroThreshold;
    positiveLayout = newPositive;
    negativeLayout = newNegative;
  }

  /** The layout a sample with these buckets leaves behind: grown, or its own. */
  int[] grownLayout(boolean positiveSide, int newSchema, double newZeroThreshold, int[] indexes) {
    if (!sameZeroBucket(newSchema, newZeroThreshold)) {
      return indexes;
    }
    return HistogramLayout.union(positiveSide ? positiveLayout : negativeLayout, indexes);
  }

  /** Records a sample written in sparse mode: grows the layout and spreads its counts on it. */
  void afterSparse(int newSchema, double newZeroThreshold, HistogramLayout.Buckets b) {
    int[] grownPositive = grownLayout(true, newSchema, newZeroThreshold, b.positive());
    int[] grownNegative = grownLayout(false, newSchema, newZeroThreshold, b.negative());
    positive = HistogramLayout.remap(b.positiveCounts(), b.positive(), grownPositive);
    negative = HistogramLayout.remap(b.negativeCounts(), b.negative(), grownNegative);
    schema = newSchema;
    zeroThreshold = newZeroThreshold;
    positiveLayout = grownPositive;
    negativeLayout = grownNegative;
  }

  /** Whether the previous sample's counts are all exact integers (absent buckets count 0). */
  boolean valuesIntegral() {
    if (!HistogramLayout.isExactInteger(count) || !HistogramLayout.isExactInteger(zeroCount)) {
      return false;
    }
    for (double c : positive) {
      if (!HistogramLayout.isExactInteger(c)) {
        return false;
      }
    }
    for (double c : negative) {
      if (!HistogramLayout.isExactInteger(c)) {
        return false;
      }
    }
    return true;
  }

  /** Finishes a sample in either mode: the sparse bases, and the count. */
  void finishSample() {
    positiveFirst = firstNonZero(positiveLayout, positive, positiveFirst);
    negativeFirst = firstNonZero(negativeLayout, negative, negativeFirst);
    samples++;
  }

  private static int firstNonZero(int[] layout, double[] counts, int fallback) {
    for (int i = 0; i < layout.length; i++) {
      if (counts[i] != 0) {
        return layout[i];
      }
    }
    return fallback;
  }
}
