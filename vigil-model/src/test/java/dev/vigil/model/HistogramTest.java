package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.Histogram.Span;
import org.junit.jupiter.api.Test;

class HistogramTest {
  @Test
  void observeRoutesValuesToZeroPositiveAndNegativeBuckets() {
    Histogram h =
        Histogram.builder(0)
            .zeroThreshold(0.5)
            .observe(0.5)
            .observe(-0.5)
            .observe(0)
            .observe(1.5)
            .observe(1.5)
            .observe(-3)
            .build();

    assertThat(h.zeroCount()).isEqualTo(3);
    assertThat(h.positiveBucketCount()).isEqualTo(1);
    assertThat(h.positiveIndex(0)).isEqualTo(1);
    assertThat(h.positiveCount(0)).isEqualTo(2);
    assertThat(h.negativeBucketCount()).isEqualTo(1);
    assertThat(h.negativeIndex(0)).isEqualTo(2);
    assertThat(h.negativeCount(0)).isEqualTo(1);
    assertThat(h.count()).isEqualTo(6);
    assertThat(h.sum()).isEqualTo(0.5 - 0.5 + 1.5 + 1.5 - 3);
  }

  @Test
  void observingNanCountsButFillsNoBucketAndPoisonsTheSum() {
    Histogram h = Histogram.builder(0).observe(Double.NaN).observe(1).build();

    assertThat(h.count()).isEqualTo(2);
    assertThat(h.sum()).isNaN();
    assertThat(h.positiveBucketCount()).isEqualTo(1);
  }

  @Test
  void observingInfinityUsesTheBucketAboveTheLargestFiniteValue() {
    Histogram h =
        Histogram.builder(0)
            .observe(Double.POSITIVE_INFINITY)
            .observe(Double.NEGATIVE_INFINITY)
            .build();

    assertThat(h.positiveIndex(0)).isEqualTo(1025);
    assertThat(h.negativeIndex(0)).isEqualTo(1025);
  }

  @Test
  void repeatedAddsAccumulateAndZeroCountsAreDropped() {
    Histogram h =
        Histogram.builder(2)
            .addPositive(3, 1)
            .addPositive(3, 2.5)
            .addPositive(7, 0)
            .addNegative(-1, 4)
            .zeroCount(1)
            .sum(10)
            .build();

    assertThat(h.positiveBucketCount()).isEqualTo(1);
    assertThat(h.positiveCount(0)).isEqualTo(3.5);
    assertThat(h.count()).isEqualTo(8.5); // derived: zero count plus buckets
    assertThat(h)
        .isEqualTo(
            Histogram.builder(2)
                .addPositive(3, 3.5)
                .addNegative(-1, 4)
                .zeroCount(1)
                .sum(10)
                .build());
  }

  @Test
  void explicitCountOverridesTheDerivedOne() {
    Histogram h = Histogram.builder(0).addPositive(1, 2).count(5).build();

    assertThat(h.count()).isEqualTo(5);
  }

  @Test
  void spansUseAbsoluteFirstOffsetAndGapsAfterwards() {
    Histogram h =
        Histogram.builder(0)
            .addPositive(-2, 1)
            .addPositive(-1, 2)
            .addPositive(0, 3)
            .addPositive(3, 4)
            .addPositive(4, 5)
            .addPositive(10, 6)
            .build();

    assertThat(h.positiveSpans()).containsExactly(new Span(-2, 3), new Span(2, 2), new Span(5, 1));
    assertThat(h.positiveCountsInSpanOrder()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(h.negativeSpans()).isEmpty();
    assertThat(h.negativeCountsInSpanOrder()).isEmpty();
  }

  @Test
  void rejectsInvalidSettingsNamingTheValue() {
    assertThatThrownBy(() -> Histogram.builder(9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema out of range [-4, 8]: 9");
    assertThatThrownBy(() -> Histogram.builder(-5)).hasMessageContaining("-5");
    assertThatThrownBy(() -> Histogram.builder(0).zeroThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid zero threshold: -1.0");
    assertThatThrownBy(() -> Histogram.builder(0).zeroThreshold(Double.NaN))
        .hasMessage("invalid zero threshold: NaN");
    assertThatThrownBy(() -> Histogram.builder(0).zeroThreshold(Double.POSITIVE_INFINITY))
        .hasMessage("invalid zero threshold: Infinity");
    assertThatThrownBy(() -> Histogram.builder(0).addPositive(3, -1))
        .hasMessage("invalid count of positive bucket 3: -1.0");
    assertThatThrownBy(() -> Histogram.builder(0).addNegative(3, Double.NaN))
        .hasMessage("invalid count of negative bucket 3: NaN");
    assertThatThrownBy(() -> Histogram.builder(0).zeroCount(-2))
        .hasMessage("invalid zero count: -2.0");
    assertThatThrownBy(() -> Histogram.builder(0).count(Double.POSITIVE_INFINITY))
        .hasMessage("invalid count: Infinity");
  }

  @Test
  void rejectsZeroThresholdChangeAfterObservations() {
    HistogramBuilder builder = Histogram.builder(0).observe(1);

    assertThatThrownBy(() -> builder.zeroThreshold(0.1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0.1");
  }

  @Test
  void equalBucketsMakeEqualHistogramsWhateverTheHistory() {
    Histogram a = Histogram.builder(1).observe(3).observe(-3).observe(0).build();
    Histogram b =
        Histogram.builder(1)
            .addNegative(Histogram.bucketIndex(3, 1), 1)
            .addPositive(Histogram.bucketIndex(3, 1), 1)
            .zeroCount(1)
            .sum(0)
            .build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Histogram.builder(0).observe(3).observe(-3).observe(0).build());
  }

  @Test
  void printsBucketsInValueOrder() {
    Histogram h =
        Histogram.builder(0)
            .zeroThreshold(0.001)
            .observe(-1.5)
            .observe(0)
            .observe(1.5)
            .observe(1.5)
            .build();

    assertThat(h).hasToString("{schema:0, count:4, sum:1.5, [-2,-1):1, [-0.001,0.001]:1, (1,2]:2}");
  }

  @Test
  void mergeAddsCountsSumsAndBuckets() {
    Histogram a = Histogram.builder(0).observe(1.5).observe(-1.5).build();
    Histogram b = Histogram.builder(0).observe(1.5).observe(3).build();

    Histogram merged = a.merge(b);

    assertThat(merged)
        .isEqualTo(Histogram.builder(0).observe(1.5).observe(-1.5).observe(1.5).observe(3).build());
  }

  @Test
  void mergeReducesTheFinerSchemaToTheCoarserOne() {
    // Schema 1 buckets 1 (1, 1.41] and 2 (1.41, 2] both lie in schema 0 bucket 1 (1, 2].
    Histogram fine = Histogram.builder(1).addPositive(1, 2).addPositive(2, 3).build();
    Histogram coarse = Histogram.builder(0).addPositive(1, 1).addPositive(2, 1).build();

    Histogram merged = fine.merge(coarse);

    assertThat(merged.schema()).isZero();
    assertThat(merged.positiveSpans()).containsExactly(new Span(1, 2));
    assertThat(merged.positiveCountsInSpanOrder()).containsExactly(6, 1);
    assertThat(fine.reduceResolution(0)).isEqualTo(Histogram.builder(0).addPositive(1, 5).build());
  }

  @Test
  void reduceResolutionRejectsFinerTarget() {
    assertThatThrownBy(() -> Histogram.builder(0).build().reduceResolution(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from schema 0 to 1");
  }

  @Test
  void mergeWidensTheZeroBucketAndFoldsBucketsInsideIt() {
    Histogram narrow =
        Histogram.builder(0).addPositive(0, 2).addPositive(1, 3).addNegative(0, 4).build();
    Histogram wide = Histogram.builder(0).zeroThreshold(1).zeroCount(5).build();

    Histogram merged = narrow.merge(wide);

    assertThat(merged.zeroThreshold()).isEqualTo(1);
    assertThat(merged.zeroCount()).isEqualTo(5 + 2 + 4); // (0.5, 1] and [-1, -0.5) folded
    assertThat(merged.positiveSpans()).containsExactly(new Span(1, 1));
    assertThat(merged.negativeBucketCount()).isZero();
    assertThat(merged).isEqualTo(wide.merge(narrow));
  }

  @Test
  void mergeRaisesAThresholdThatCutsAPopulatedBucketToThatBucketsUpperBound() {
    Histogram populated = Histogram.builder(0).addPositive(1, 3).addPositive(2, 1).build();
    Histogram wide = Histogram.builder(0).zeroThreshold(1.5).zeroCount(1).build();

    Histogram merged = populated.merge(wide);

    assertThat(merged.zeroThreshold()).isEqualTo(2.0);
    assertThat(merged.zeroCount()).isEqualTo(4);
    assertThat(merged.positiveIndex(0)).isEqualTo(2);
  }

  @Test
  void subtractGivesTheCounterDelta() {
    Histogram earlier = Histogram.builder(0).observe(1.5).observe(0.7).build();
    Histogram later = Histogram.builder(0).observe(1.5).observe(0.7).observe(1.5).build();

    Histogram delta = later.subtract(earlier);

    assertThat(delta.count()).isEqualTo(1);
    assertThat(delta.sum()).isCloseTo(1.5, within(1e-12));
    assertThat(delta.positiveBucketCount()).isEqualTo(1); // the emptied bucket is dropped
    assertThat(delta.positiveIndex(0)).isEqualTo(1);
    assertThat(delta.positiveCount(0)).isEqualTo(1);
  }

  @Test
  void subtractMayProduceNegativeCountsAfterAReset() {
    Histogram earlier = Histogram.builder(0).observe(1.5).observe(1.5).build();
    Histogram later = Histogram.builder(0).observe(3).build();

    Histogram delta = later.subtract(earlier);

    assertThat(later.isCounterResetSince(earlier)).isTrue();
    assertThat(delta.positiveCountsInSpanOrder()).containsExactly(-2, 1);
    assertThat(delta.count()).isEqualTo(-1);
  }

  @Test
  void noCounterResetWhenEveryCountGrows() {
    Histogram earlier = Histogram.builder(1).observe(1.5).observe(-2).observe(0).build();
    Histogram later = Histogram.builder(1).observe(1.5).observe(-2).observe(0).observe(9).build();

    assertThat(later.isCounterResetSince(earlier)).isFalse();
    assertThat(earlier.isCounterResetSince(earlier)).isFalse();
  }

  @Test
  void counterResetWhenABucketShrinksEvenIfTheCountGrows() {
    Histogram earlier = Histogram.builder(0).addPositive(1, 2).addPositive(2, 1).build();
    Histogram later = Histogram.builder(0).addPositive(1, 1).addPositive(2, 3).build();
    Histogram missing = Histogram.builder(0).addPositive(2, 4).build();
    Histogram zeroShrank = Histogram.builder(0).zeroCount(1).addPositive(1, 9).build();

    assertThat(later.isCounterResetSince(earlier)).isTrue();
    assertThat(missing.isCounterResetSince(earlier)).isTrue();
    assertThat(zeroShrank.isCounterResetSince(Histogram.builder(0).zeroCount(2).build())).isTrue();
    assertThat(earlier.isCounterResetSince(later)).isTrue(); // count decreased
  }

  @Test
  void counterResetFollowsSchemaAndZeroThresholdChangesLikePrometheus() {
    Histogram base = Histogram.builder(1).observe(1.2).observe(1.9).build();

    Histogram finer = Histogram.builder(2).observe(1.2).observe(1.9).build();
    assertThat(finer.isCounterResetSince(base)).as("schema increased").isTrue();

    Histogram coarser = Histogram.builder(0).observe(1.2).observe(1.9).build();
    assertThat(coarser.isCounterResetSince(base)).as("schema decreased").isFalse();

    Histogram wider = Histogram.builder(1).zeroThreshold(2).zeroCount(2).sum(3.1).build();
    assertThat(wider.isCounterResetSince(base)).as("buckets folded into zero").isFalse();

    Histogram cuts = Histogram.builder(1).zeroThreshold(1.3).zeroCount(2).sum(3.1).build();
    assertThat(cuts.isCounterResetSince(base)).as("threshold inside (1, 1.41]").isTrue();

    Histogram narrower = Histogram.builder(1).observe(1.2).observe(1.9).build();
    Histogram wideBase = Histogram.builder(1).zeroThreshold(0.1).observe(1.2).build();
    assertThat(narrower.isCounterResetSince(wideBase)).as("threshold decreased").isTrue();
  }
}
