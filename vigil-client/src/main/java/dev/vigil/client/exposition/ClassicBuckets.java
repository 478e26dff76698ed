package dev.vigil.client.exposition;

import dev.vigil.model.Histogram;
import java.util.Arrays;

/**
 * Upper bounds of the classic ({@code le}) buckets that a native histogram is folded into for the
 * text formats, which have no native histograms.
 *
 * <p>A native bucket is counted in the first {@code le} at or above its upper bound. Nothing is
 * ever counted below its true bucket, but the observations of the one native bucket that straddles
 * a bound {@code b} are all counted in the next bound, though some of them were {@code <= b}: so
 * {@code le=b} may miss observations in {@code (b / 2^(1/128), b]}. At the recorder's schema 7 that
 * is one native bucket, a band 0.54% wide below each bound; bounds that are powers of two (such as
 * 1) fall on native bucket edges and are exact.
 */
public final class ClassicBuckets {

  /** client_golang's default buckets, in seconds: 5 ms to 10 s. */
  public static final ClassicBuckets DEFAULT =
      of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

  private final double[] upperBounds;

  private ClassicBuckets(double[] upperBounds) {
    this.upperBounds = upperBounds;
  }

  /**
   * Buckets with these finite, non-negative, strictly increasing upper bounds; the {@code +Inf}
   * bucket is always added.
   */
  public static ClassicBuckets of(double... upperBounds) {
    double[] bounds = upperBounds.clone();
    for (int i = 0; i < bounds.length; i++) {
      if (!(bounds[i] >= 0 && bounds[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("bucket bound must be finite and >= 0: " + bounds[i]);
      }
      if (i > 0 && bounds[i] <= bounds[i - 1]) {
        throw new IllegalArgumentException(
            "bucket bounds must increase: " + bounds[i - 1] + " then " + bounds[i]);
      }
    }
    return new ClassicBuckets(bounds);
  }

  /** The finite upper bounds, without {@code +Inf}. */
  public double[] upperBounds() {
    return upperBounds.clone();
  }

  /** Number of finite bounds. */
  public int size() {
    return upperBounds.length;
  }

  /** The {@code i}-th finite upper bound. */
  public double upperBound(int i) {
    return upperBounds[i];
  }

  /**
   * Cumulative counts of {@code histogram} for each finite bound, then {@code +Inf}: {@code size()
   * + 1} non-decreasing values, the last equal to the histogram's count.
   */
  public long[] cumulativeCounts(Histogram histogram) {
    long[] counts = new long[upperBounds.length + 1];
    // The zero bucket covers [-zeroThreshold, zeroThreshold]; durations are never negative, so
    // negative buckets (which the recorder never fills) go with it.
    double zeroAndNegative = histogram.zeroCount();
    for (int i = 0; i < histogram.negativeBucketCount(); i++) {
      zeroAndNegative += histogram.negativeCount(i);
    }
    counts[firstAtOrAbove(histogram.zeroThreshold(), 0)] += (long) zeroAndNegative;
    int schema = histogram.schema();
    int bound = 0;
    for (int i = 0; i < histogram.positiveBucketCount(); i++) {
      // Native buckets come in ascending order, so the matching bound only moves up.
      bound = firstAtOrAbove(Histogram.upperBound(histogram.positiveIndex(i), schema), bound);
      counts[bound] += (long) histogram.positiveCount(i);
    }
    for (int i = 1; i < counts.length; i++) {
      counts[i] += counts[i - 1];
    }
    // NaN observations are in the count but in no bucket: +Inf holds everything.
    counts[upperBounds.length] = Math.max(counts[upperBounds.length], (long) histogram.count());
    return counts;
  }

  private int firstAtOrAbove(double value, int from) {
    int i = from;
    while (i < upperBounds.length && upperBounds[i] < value) {
      i++;
    }
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassicBuckets
        && Arrays.equals(upperBounds, ((ClassicBuckets) o).upperBounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(upperBounds);
  }

  @Override
  public String toString() {
    return "ClassicBuckets" + Arrays.toString(upperBounds);
  }
}
