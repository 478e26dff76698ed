package dev.vigil.model;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link Histogram} from bucket counts or from observations; not thread-safe.
 *
 * <p>This is for snapshots, tests and decoders, not for the recording hot path: each bucket update
 * is a TreeMap operation (about 100 ns).
 */
public final class HistogramBuilder {
  private final int schema;
  private double zeroThreshold;
  private double zeroCount;
  private double sum;
  private double count = Double.NaN; // NaN: derive from the buckets in build()
  private double nanObservations;
  private boolean observed;
  private final TreeMap<Integer, Double> positive = new TreeMap<>();
  private final TreeMap<Integer, Double> negative = new TreeMap<>();

  HistogramBuilder(int schema) {
    BucketMath.checkSchema(schema);
    this.schema = schema;
  }

  /**
   * Sets the zero bucket's half-width (finite, >= 0; default 0). Must precede {@link #observe},
   * which uses it to route values.
   */
  public HistogramBuilder zeroThreshold(double zeroThreshold) {
    if (!(zeroThreshold >= 0 && zeroThreshold < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("invalid zero threshold: " + zeroThreshold);
    }
    if (observed) {
      throw new IllegalStateException(
          "zero threshold must be set before the first observation, was set to " + zeroThreshold);
    }
    this.zeroThreshold = zeroThreshold + 0.0; // + 0.0 turns -0.0 into 0.0 for equals()
    return this;
  }

  /** Sets the zero bucket's count (finite, >= 0); later observations add to it. */
  public HistogramBuilder zeroCount(double zeroCount) {
    this.zeroCount = checkCount(zeroCount, "zero count");
    return this;
  }

  /** Sets the running sum of observations; later observations add to it. NaN is allowed. */
  public HistogramBuilder sum(double sum) {
    this.sum = sum;
    return this;
  }

  /**
   * Sets the total count (finite, >= 0). If never called, the count is the zero count plus all
   * bucket counts plus the number of NaN observations.
   */
  public HistogramBuilder count(double count) {
    this.count = checkCount(count, "count");
    return this;
  }

  /** Adds {@code count} (finite, >= 0) to positive bucket {@code index}. */
  public HistogramBuilder addPositive(int index, double count) {
    positive.merge(index, checkCount(count, "count of positive bucket " + index), Double::sum);
    return this;
  }

  /** Adds {@code count} (finite, >= 0) to negative bucket {@code index}. */
  public HistogramBuilder addNegative(int index, double count) {
    negative.merge(index, checkCount(count, "count of negative bucket " + index), Double::sum);
    return this;
  }

  /**
   * Records one observation as client_golang does: into the zero bucket if {@code |value| <=
   * zeroThreshold}, else into the positive or negative bucket of its absolute value ({@code ±Inf}
   * into the bucket above {@code Double.MAX_VALUE}'s); NaN goes into no bucket but counts and makes
   * the sum NaN.
   */
  public HistogramBuilder observe(double value) {
    observed = true;
    sum += value;
    if (Double.isNaN(value)) {
      nanObservations++;
    } else if (value > zeroThreshold) {
      positive.merge(BucketMath.bucketIndex(value, schema), 1.0, Double::sum);
    } else if (value < -zeroThreshold) {
      negative.merge(BucketMath.bucketIndex(-value, schema), 1.0, Double::sum);
    } else {
      zeroCount++;
    }
    return this;
  }

  /**
   * The histogram; the builder stays usable. Buckets lying entirely inside the zero bucket (upper
   * bound <= zero threshold) are folded into the zero count, as a merge would fold them: a bucket
   * there would overlap the zero bucket and make quantiles run backwards.
   */
  public Histogram build() {
    double zeros = zeroCount + inZeroBucket(positive) + inZeroBucket(negative);
    int[] positiveIndexes = new int[positive.size()];
    double[] positiveCounts = new double[positive.size()];
    int p = copyNonZero(positive, positiveIndexes, positiveCounts);
    int[] negativeIndexes = new int[negative.size()];
    double[] negativeCounts = new double[negative.size()];
    int n = copyNonZero(negative, negativeIndexes, negativeCounts);
    double total = count;
    if (Double.isNaN(total)) {
      total = zeros + nanObservations;
      for (int i = 0; i < p; i++) {
        total += positiveCounts[i];
      }
      for (int i = 0; i < n; i++) {
        total += negativeCounts[i];
      }
    }
    return new Histogram(
        schema,
        zeroThreshold,
        zeros,
        total,
        sum,
        trim(positiveIndexes, p),
        trim(positiveCounts, p),
        trim(negativeIndexes, n),
        trim(negativeCounts, n));
  }

  private static double checkCount(double count, String what) {
    if (!(count >= 0 && count < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("invalid " + what + ": " + count);
    }
    return count + 0.0;
  }

  private double inZeroBucket(TreeMap<Integer, Double> buckets) {
    double folded = 0;
    for (Map.Entry<Integer, Double> e : buckets.entrySet()) {
      if (BucketMath.upperBound(e.getKey(), schema) > zeroThreshold) {
        break; // ascending indexes: all further buckets lie above the threshold, too
      }
      folded += e.getValue();
    }
    return folded;
  }

  private int copyNonZero(TreeMap<Integer, Double> buckets, int[] indexes, double[] counts) {
    int n = 0;
    for (Map.Entry<Integer, Double> e : buckets.entrySet()) {
      if (e.getValue() != 0 && BucketMath.upperBound(e.getKey(), schema) > zeroThreshold) {
        indexes[n] = e.getKey();
        counts[n] = e.getValue();
        n++;
      }
    }
    return n;
  }

  private static int[] trim(int[] a, int n) {
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  private static double[] trim(double[] a, int n) {
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  /** {@link Histogram#ofSortedBuckets}, next to the builder whose result it must equal. */
  static Histogram ofSortedBuckets(
      int schema,
      double zeroThreshold,
      double zeroCount,
      double sum,
      int[] positiveIndexes,
      double[] positiveCounts,
      int[] negativeIndexes,
      double[] negativeCounts) {
    BucketMath.checkSchema(schema);
    if (!(zeroThreshold >= 0 && zeroThreshold < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("invalid zero threshold: " + zeroThreshold);
    }
    if (!(zeroCount >= 0 && zeroCount < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("invalid zero count: " + zeroCount);
    }
    double threshold = zeroThreshold + 0.0; // as the builder: -0.0 becomes 0.0 for equals()
    checkSorted(positiveIndexes, positiveCounts, "positive");
    checkSorted(negativeIndexes, negativeCounts, "negative");
    // The builder's order of additions, so that the doubles agree bit for bit.
    int positiveFrom = foldedPrefix(positiveIndexes, schema, threshold);
    int negativeFrom = foldedPrefix(negativeIndexes, schema, threshold);
    double zeros =
        (zeroCount + 0.0)
            + folded(positiveCounts, positiveFrom)
            + folded(negativeCounts, negativeFrom);
    int[] pi = nonZeroIndexes(positiveIndexes, positiveCounts, positiveFrom);
    double[] pc = nonZeroCounts(positiveCounts, positiveFrom, pi.length);
    int[] ni = nonZeroIndexes(negativeIndexes, negativeCounts, negativeFrom);
    double[] nc = nonZeroCounts(negativeCounts, negativeFrom, ni.length);
    double total = zeros + 0.0; // the builder adds its NaN observations (none) here
    for (double c : pc) {
      total += c;
    }
    for (double c : nc) {
      total += c;
    }
    return new Histogram(schema, threshold, zeros, total, sum, pi, pc, ni, nc);
  }

  private static void checkSorted(int[] indexes, double[] counts, String side) {
    if (indexes.length != counts.length) {
      throw new IllegalArgumentException(
          side
              + " indexes and counts differ in length: "
              + indexes.length
              + " and "
              + counts.length);
    }
    for (int i = 0; i < indexes.length; i++) {
      if (i > 0 && indexes[i] <= indexes[i - 1]) {
        throw new IllegalArgumentException(
            side
                + " indexes not strictly ascending at "
                + i
                + ": "
                + indexes[i - 1]
                + ", "
                + indexes[i]);
      }
      if (!(counts[i] >= 0 && counts[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "invalid count of " + side + " bucket " + indexes[i] + ": " + counts[i]);
      }
    }
  }

  /** Number of leading buckets whose upper bound is at or below the zero threshold. */
  private static int foldedPrefix(int[] indexes, int schema, double threshold) {
    int n = 0;
    while (n < indexes.length && BucketMath.upperBound(indexes[n], schema) <= threshold) {
      n++;
    }
    return n;
  }

  private static double folded(double[] counts, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += counts[i] + 0.0;
    }
    return sum;
  }

  private static int[] nonZeroIndexes(int[] indexes, double[] counts, int from) {
    int n = 0;
    for (int i = from; i < indexes.length; i++) {
      if (counts[i] != 0) {
        n++;
      }
    }
    int[] out = new int[n];
    for (int i = from, k = 0; i < indexes.length; i++) {
      if (counts[i] != 0) {
        out[k++] = indexes[i];
      }
    }
    return out;
  }

  private static double[] nonZeroCounts(double[] counts, int from, int n) {
    double[] out = new double[n];
    for (int i = from, k = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        out[k++] = counts[i] + 0.0;
      }
    }
    return out;
  }
}
