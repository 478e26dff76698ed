package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import org.junit.jupiter.api.Test;

class ClassicQuantileTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  /** Buckets le=0.1: 10, le=0.5: 20 more, le=1: 8 more, +Inf: 2 more; 40 observations. */
  private static final double[] BOUNDS = {0.1, 0.5, 1.0, INF};

  private static final double[] CUMULATIVE = {10, 30, 38, 40};

  @Test
  void interpolatesLinearlyInsideTheBucketThatReachesTheRank() {
    // rank 20: 10 below 0.1, so 10 of the 20 in (0.1, 0.5] -> 0.1 + 0.4 * 10/20
    assertThat(ClassicQuantile.quantile(0.5, BOUNDS, CUMULATIVE)).isCloseTo(0.3, within(1e-12));
    // rank 36: 30 below 0.5, so 6 of the 8 in (0.5, 1] -> 0.5 + 0.5 * 6/8
    assertThat(ClassicQuantile.quantile(0.9, BOUNDS, CUMULATIVE)).isCloseTo(0.875, within(1e-12));
  }

  @Test
  void firstBucketStartsAtZero() {
    // rank 4 of the 10 in (0, 0.1] -> 0.04
    assertThat(ClassicQuantile.quantile(0.1, BOUNDS, CUMULATIVE)).isCloseTo(0.04, within(1e-12));
    // rank exactly at a bucket's cumulative count gives its upper bound
    assertThat(ClassicQuantile.quantile(0.25, BOUNDS, CUMULATIVE)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void rankInTheInfBucketGivesTheLargestFiniteBound() {
    // rank 39.6 > 38: in +Inf
    assertThat(ClassicQuantile.quantile(0.99, BOUNDS, CUMULATIVE)).isEqualTo(1.0);
  }

  @Test
  void nonPositiveFirstBoundIsReturnedAsIs() {
    double[] bounds = {-1, 0, INF};
    double[] cumulative = {5, 10, 10};
    assertThat(ClassicQuantile.quantile(0.2, bounds, cumulative)).isEqualTo(-1.0);
  }

  @Test
  void outOfRangeAndDegenerateInputsFollowPrometheus() {
    assertThat(ClassicQuantile.quantile(-0.1, BOUNDS, CUMULATIVE)).isEqualTo(-INF);
    assertThat(ClassicQuantile.quantile(1.1, BOUNDS, CUMULATIVE)).isEqualTo(INF);
    assertThat(ClassicQuantile.quantile(0.5, new double[] {0.1, 0.5}, new double[] {1, 2})).isNaN();
    assertThat(ClassicQuantile.quantile(0.5, BOUNDS, new double[] {0, 0, 0, 0})).isNaN();
  }

  @Test
  void accumulatesClientJavaPerBucketCounts() {
    ClassicHistogramBuckets buckets = ClassicHistogramBuckets.of(BOUNDS, new long[] {10, 20, 8, 2});
    assertThat(ClassicQuantile.quantile(0.5, buckets)).isCloseTo(0.3, within(1e-12));
    assertThat(ClassicQuantile.quantile(0.9, buckets)).isCloseTo(0.875, within(1e-12));
  }
}
