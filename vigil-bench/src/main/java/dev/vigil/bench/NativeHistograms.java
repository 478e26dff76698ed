package dev.vigil.bench;

import dev.vigil.model.Histogram;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;

/**
 * Converts client_java's native-histogram snapshots into Vigil's {@link Histogram}, so that both
 * are read with one implementation of Prometheus' native histogram_quantile.
 *
 * <p>Both follow Prometheus' bucket convention (positive bucket {@code i} of schema {@code s}
 * covers {@code (2^((i-1)/2^s), 2^(i/2^s)]}), so indexes carry over unchanged.
 */
final class NativeHistograms {

  private NativeHistograms() {}

  /** The same buckets, zero bucket, count and sum as a Vigil histogram. */
  static Histogram toVigil(HistogramDataPointSnapshot point) {
    if (!point.hasNativeHistogramData()) {
      throw new IllegalArgumentException("data point has no native histogram");
    }
    var builder =
        Histogram.builder(point.getNativeSchema())
            .zeroThreshold(point.getNativeZeroThreshold())
            .zeroCount(point.getNativeZeroCount());
    NativeHistogramBuckets positive = point.getNativeBucketsForPositiveValues();
    for (int i = 0; i < positive.size(); i++) {
      builder.addPositive(positive.getBucketIndex(i), positive.getCount(i));
    }
    NativeHistogramBuckets negative = point.getNativeBucketsForNegativeValues();
    for (int i = 0; i < negative.size(); i++) {
      builder.addNegative(negative.getBucketIndex(i), negative.getCount(i));
    }
    return builder.count(point.getCount()).sum(point.getSum()).build();
  }
}
