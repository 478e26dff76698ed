package dev.vigil.bench;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

/**
 * Prometheus' {@code histogram_quantile} over classic buckets ({@code bucketQuantile} in
 * promql/quantile.go): find the first bucket whose cumulative count reaches rank = q * total and
 * interpolate linearly between its lower and upper bound. This is what a dashboard shows for a
 * Micrometer percentile histogram or a client_java classic histogram.
 *
 * <p>Rules kept from Prometheus: q below 0 gives -Inf, above 1 +Inf; fewer than two buckets, no
 * {@code +Inf} bucket or no observations give NaN; a rank in the {@code +Inf} bucket gives the
 * largest finite bound; the first bucket's lower bound is 0 unless its upper bound is not above 0,
 * in which case that upper bound is the answer. Not kept: Prometheus' repair of non-monotonic
 * counts, which a single snapshot cannot produce.
 */
final class ClassicQuantile {

  private ClassicQuantile() {}

  /**
   * The {@code q}-quantile.
   *
   * @param upperBounds ascending bucket upper bounds; the last must be {@code +Inf}
   * @param cumulativeCounts for each bucket, observations at or below its bound
   */
  static double quantile(double q, double[] upperBounds, double[] cumulativeCounts) {
    if (upperBounds.length != cumulativeCounts.length) {
      throw new IllegalArgumentException(
          upperBounds.length + " bounds but " + cumulativeCounts.length + " counts");
    }
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    int n = upperBounds.length;
    if (n < 2 || upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    double observations = cumulativeCounts[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && cumulativeCounts[b] < rank) {
      b++;
    }
    if (b == n - 1) {
      return upperBounds[n - 2];
    }
    if (b == 0 && upperBounds[0] <= 0) {
      return upperBounds[0];
    }
    double bucketStart = 0;
    double bucketEnd = upperBounds[b];
    double count = cumulativeCounts[b];
    if (b > 0) {
      bucketStart = upperBounds[b - 1];
      count -= cumulativeCounts[b - 1];
      rank -= cumulativeCounts[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /**
   * The {@code q}-quantile of client_java's classic buckets, whose counts are per bucket (the
   * exposition formats accumulate them).
   */
  static double quantile(double q, ClassicHistogramBuckets buckets) {
    int n = buckets.size();
    double[] bounds = new double[n];
    double[] cumulative = new double[n];
    double running = 0;
    for (int i = 0; i < n; i++) {
      bounds[i] = buckets.getUpperBound(i);
      running += buckets.getCount(i);
      cumulative[i] = running;
    }
    return quantile(q, bounds, cumulative);
  }
}
