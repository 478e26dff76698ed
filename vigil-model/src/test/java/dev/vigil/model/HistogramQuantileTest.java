package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramQuantileTest {
  private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

  @Test
  void outOfRangeQuantilesAreInfiniteEvenForEmptyHistograms() {
    Histogram empty = Histogram.builder(3).build();
    Histogram one = Histogram.builder(3).observe(1).build();

    assertThat(empty.quantile(-0.1)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(empty.quantile(1.1)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(one.quantile(-0.1)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(one.quantile(1.1)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void emptyHistogramOrNanQuantileGivesNan() {
    assertThat(Histogram.builder(3).build().quantile(0.5)).isNaN();
    assertThat(Histogram.builder(3).observe(1).build().quantile(Double.NaN)).isNaN();
  }

  @Test
  void interpolatesExponentiallyWithinABucket() {
    Histogram h = Histogram.builder(0).addPositive(1, 4).build(); // (1, 2]

    assertThat(h.quantile(0)).isEqualTo(1.0);
    assertThat(h.quantile(0.5)).isCloseTo(Math.sqrt(2), within(1e-15));
    assertThat(h.quantile(0.25)).isCloseTo(Math.pow(2, 0.25), within(1e-15));
    assertThat(h.quantile(1)).isEqualTo(2.0);
  }

  @Test
  void findsTheBucketByRankFromTheNearerEnd() {
    Histogram h = Histogram.builder(0).addPositive(1, 1).addPositive(2, 1).build();

    assertThat(h.quantile(0.5)).isEqualTo(2.0); // reverse: the rank ends at (2, 4]'s bottom
    assertThat(h.quantile(0.25)).isCloseTo(Math.sqrt(2), within(1e-15));
    assertThat(h.quantile(0.75)).isCloseTo(2 * Math.sqrt(2), within(1e-15));
  }

  @Test
  void mirrorsInterpolationForNegativeBuckets() {
    Histogram h = Histogram.builder(0).addNegative(1, 4).build(); // [-2, -1)

    assertThat(h.quantile(0)).isEqualTo(-2.0);
    assertThat(h.quantile(0.5)).isCloseTo(-Math.sqrt(2), within(1e-15));
    assertThat(h.quantile(0.25)).isCloseTo(-Math.pow(2, 0.75), within(1e-15));
    assertThat(h.quantile(1)).isEqualTo(-1.0);
  }

  @Test
  void interpolatesLinearlyInTheZeroBucketWhenItIsAllThereIs() {
    Histogram h = Histogram.builder(0).zeroThreshold(1).zeroCount(4).build();

    assertThat(h.quantile(0)).isEqualTo(-1.0);
    assertThat(h.quantile(0.25)).isEqualTo(-0.5);
    assertThat(h.quantile(0.5)).isEqualTo(0.0);
    assertThat(h.quantile(1)).isEqualTo(1.0);
  }

  @Test
  void zeroBucketStartsAtZeroWhenThereAreOnlyPositiveBuckets() {
    Histogram h = Histogram.builder(0).zeroThreshold(1).zeroCount(2).addPositive(1, 2).build();
    Histogram negative =
        Histogram.builder(0).zeroThreshold(1).zeroCount(2).addNegative(1, 2).build();

    assertThat(h.quantile(0.25)).isEqualTo(0.5);
    assertThat(negative.quantile(0.75)).isEqualTo(-0.5);
  }

  @Test
  void spansNegativeZeroAndPositiveBuckets() {
    Histogram h =
        Histogram.builder(0)
            .zeroThreshold(0.5)
            .addNegative(1, 1)
            .zeroCount(2)
            .addPositive(1, 1)
            .build();

    assertThat(h.quantile(0.125)).isCloseTo(-Math.sqrt(2), within(1e-15));
    assertThat(h.quantile(0.5)).isEqualTo(0.0);
    assertThat(h.quantile(0.875)).isCloseTo(Math.sqrt(2), within(1e-15));
  }

  @Test
  void clipsABucketOverlappingTheZeroBucketAtTheThreshold() {
    Histogram h = Histogram.builder(0).zeroThreshold(1.5).addPositive(1, 2).build(); // (1, 2]

    assertThat(h.quantile(0)).isCloseTo(1.5, within(1e-15));
    assertThat(h.quantile(1)).isEqualTo(2.0);
  }

  @Test
  void nanObservationsPushHighRanksToTheHighestBucketBound() {
    Histogram h = Histogram.builder(0).observe(Double.NaN).observe(0.75).build();

    assertThat(h.quantile(0.5)).isEqualTo(1.0);
    assertThat(h.quantile(0.9)).isEqualTo(1.0);
    assertThat(h.quantile(0.25)).isCloseTo(Math.pow(2, -0.5), within(1e-15));
  }

  @Test
  void fractionIsTheInverseOfQuantile() {
    Histogram h = Histogram.builder(0).addPositive(1, 1).addPositive(2, 1).build();

    assertThat(h.fraction(Double.NEGATIVE_INFINITY, 2)).isEqualTo(0.5);
    assertThat(h.fraction(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThat(h.fraction(1, 4)).isEqualTo(1.0);
    assertThat(h.fraction(Double.NEGATIVE_INFINITY, h.quantile(0.3))).isCloseTo(0.3, within(1e-12));
    assertThat(h.fraction(3, 2)).isZero();
    assertThat(h.fraction(Double.NaN, 2)).isNaN();
    assertThat(Histogram.builder(0).build().fraction(0, 1)).isNaN();
  }

  @Test
  void fractionInterpolatesLinearlyInTheZeroBucket() {
    Histogram h = Histogram.builder(0).zeroThreshold(1).zeroCount(4).build();

    assertThat(h.fraction(-1, 0)).isEqualTo(0.5);
    assertThat(h.fraction(-0.5, 0.5)).isEqualTo(0.5);
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 8})
  void lognormalQuantilesAreWithinOnePercentOfExact(int schema) {
    Random random = new Random(42);
    double mu = Math.log(0.1);
    checkAccuracy(schema, () -> Math.exp(mu + random.nextGaussian()));
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 8})
  void bimodalQuantilesAreWithinOnePercentOfExact(int schema) {
    Random random = new Random(7);
    // Fast cache hits around 2 ms and slow database calls around 300 ms, 80:20.
    checkAccuracy(
        schema,
        () ->
            random.nextDouble() < 0.8
                ? Math.exp(Math.log(0.002) + 0.3 * random.nextGaussian())
                : Math.exp(Math.log(0.3) + 0.5 * random.nextGaussian()));
  }

  private static void checkAccuracy(int schema, DoubleSupplier latencies) {
    int n = 1_000_000;
    double[] values = new double[n];
    HistogramBuilder builder = Histogram.builder(schema);
    for (int i = 0; i < n; i++) {
      values[i] = latencies.getAsDouble();
      builder.observe(values[i]);
    }
    Histogram h = builder.build();
    Arrays.sort(values);
    for (double q : QUANTILES) {
      double exact = values[(int) Math.ceil(q * n) - 1];
      assertThat(h.quantile(q)).as("q=%s", q).isCloseTo(exact, within(exact * 0.01));
    }
  }
}
