package dev.vigil.server.perf;

import dev.vigil.model.Histogram;

/**
 * Apdex from a latency histogram: (satisfied + tolerating / 2) / total, satisfied up to T,
 * tolerating up to 4T.
 *
 * <p>A request counts as satisfied when its whole bucket lies at or below T (upper bound <= T), so
 * the only error is in the one bucket that straddles T: its requests count as tolerating, an
 * under-estimate of at most that bucket's share. At schema 7 a bucket is 0.54% wide; T = 0.5 s and
 * 4T = 2 s are powers of two, which are bucket boundaries, so the default score is exact.
 */
public final class Apdex {

  private Apdex() {}

  /** The score in [0, 1], or 1 when there were no requests. */
  public static double score(Histogram h, double thresholdSeconds) {
    double total = h.count();
    if (total <= 0) {
      return 1.0;
    }
    double satisfied = h.zeroCount();
    double tolerating = 0;
    double fourT = 4 * thresholdSeconds;
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      double upper = Histogram.upperBound(h.positiveIndex(i), h.schema());
      if (upper <= thresholdSeconds) {
        satisfied += h.positiveCount(i);
      } else if (upper <= fourT) {
        tolerating += h.positiveCount(i);
      }
    }
    return (satisfied + tolerating / 2) / total;
  }

  /** Bucket indexes are within this bound at every schema; results are clamped to it. */
  private static final int INDEX_LIMIT = 10_000_000;

  /**
   * The highest bucket index whose upper bound is at most {@code t} (bounds increase with the
   * index, so exactly the buckets up to it satisfy {@code upper <= t}), clamped to +-10,000,000.
   */
  static int lastIndexAtMost(double t, int schema) {
    if (!(t > 0)) {
      return -INDEX_LIMIT; // no threshold admits a bucket of positive observations
    }
    if (t == Double.POSITIVE_INFINITY) {
      return INDEX_LIMIT;
    }
    int k = Histogram.bucketIndex(t, schema); // lower(k) < t <= upper(k)
    while (Histogram.upperBound(k, schema) > t) {
      k--;
    }
    while (Histogram.upperBound(k + 1, schema) <= t) {
      k++;
    }
    return Math.max(-INDEX_LIMIT, Math.min(INDEX_LIMIT, k));
  }
}
