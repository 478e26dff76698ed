package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HistogramPropertiesTest {
  @Provide
  Arbitrary<Histogram> onCommonBounds() {
    return HistogramArbitraries.exact(HistogramArbitraries.commonBoundThresholds());
  }

  @Provide
  Arbitrary<Histogram> anyThreshold() {
    return HistogramArbitraries.exact(HistogramArbitraries.anyThresholds());
  }

  @Property
  void mergeIsCommutative(
      @ForAll("anyThreshold") Histogram a, @ForAll("anyThreshold") Histogram b) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
  }

  /**
   * Associativity needs thresholds on bounds shared by all schemas: otherwise a merge at a fine
   * schema can fold a bucket into the zero bucket that a later reduction would have merged into a
   * coarse bucket straddling the threshold, and the grouping changes the result.
   */
  @Property
  void mergeIsAssociative(
      @ForAll("onCommonBounds") Histogram a,
      @ForAll("onCommonBounds") Histogram b,
      @ForAll("onCommonBounds") Histogram c) {
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
  }

  @Property
  void mergeWithEmptyOfSameLayoutIsIdentity(@ForAll("anyThreshold") Histogram a) {
    Histogram empty = Histogram.builder(a.schema()).zeroThreshold(a.zeroThreshold()).build();

    assertThat(a.merge(empty)).isEqualTo(a);
  }

  @Property
  void mergeKeepsEveryObservation(
      @ForAll("anyThreshold") Histogram a, @ForAll("anyThreshold") Histogram b) {
    Histogram m = a.merge(b);

    assertThat(m.count()).isEqualTo(a.count() + b.count());
    assertThat(total(m)).isEqualTo(total(a) + total(b));
    assertThat(m.schema()).isEqualTo(Math.min(a.schema(), b.schema()));
    assertThat(m.zeroThreshold()).isGreaterThanOrEqualTo(a.zeroThreshold());
    assertThat(m.zeroThreshold()).isGreaterThanOrEqualTo(b.zeroThreshold());
  }

  /** Subtracting what was merged restores the buckets, in the merged layout. */
  @Property
  void subtractUndoesMerge(
      @ForAll("anyThreshold") Histogram a, @ForAll("anyThreshold") Histogram b) {
    Histogram merged = a.merge(b);
    Histogram layout = Histogram.builder(b.schema()).zeroThreshold(merged.zeroThreshold()).build();

    assertThat(merged.subtract(b)).isEqualTo(a.merge(layout));
    assertThat(merged.isCounterResetSince(a.merge(layout))).isFalse();
  }

  @Property
  void reductionPreservesTotalsAndIsStepwiseConsistent(@ForAll("anyThreshold") Histogram a) {
    int target = Math.max(-4, a.schema() - 3);
    Histogram once = a.reduceResolution(target);
    Histogram stepwise = a;
    for (int s = a.schema() - 1; s >= target; s--) {
      stepwise = stepwise.reduceResolution(s);
    }

    assertThat(once).isEqualTo(stepwise);
    assertThat(total(once)).isEqualTo(total(a));
    assertThat(once.count()).isEqualTo(a.count());
  }

  @Property
  void quantileIsMonotoneInQ(@ForAll("anyThreshold") Histogram h) {
    double previous = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= 256; i++) {
      double q = h.quantile(i / 256.0);
      if (h.count() == 0) {
        assertThat(q).isNaN();
        continue;
      }
      assertThat(q).as("q=%s of %s", i / 256.0, h).isGreaterThanOrEqualTo(previous);
      previous = q;
    }
  }

  @Property
  void quantileLiesWithinTheOccupiedRange(@ForAll("anyThreshold") Histogram h) {
    if (h.count() == 0) {
      return;
    }
    double low = h.quantile(0);
    double high = h.quantile(1);
    double min = lowestBound(h);
    double max = highestBound(h);

    assertThat(low).isGreaterThanOrEqualTo(min);
    assertThat(high).isLessThanOrEqualTo(max);
  }

  private static double lowestBound(Histogram h) {
    if (h.negativeBucketCount() > 0) {
      return -Histogram.upperBound(h.negativeIndex(h.negativeBucketCount() - 1), h.schema());
    }
    return h.positiveBucketCount() > 0 && h.zeroCount() == 0 ? 0 : Math.min(-h.zeroThreshold(), 0);
  }

  private static double highestBound(Histogram h) {
    if (h.positiveBucketCount() > 0) {
      return Histogram.upperBound(h.positiveIndex(h.positiveBucketCount() - 1), h.schema());
    }
    return h.zeroThreshold();
  }

  private static double total(Histogram h) {
    double t = h.zeroCount();
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      t += h.positiveCount(i);
    }
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      t += h.negativeCount(i);
    }
    return t;
  }
}
