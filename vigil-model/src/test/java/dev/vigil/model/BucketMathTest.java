package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketMathTest {
  /** Prometheus' exponentialBounds[3], copied from model/histogram/generic.go. */
  private static final double[] PROMETHEUS_SCHEMA_3 = {
    0.5, 0.5452538663326288, 0.5946035575013605, 0.6484197773255048,
    0.7071067811865475, 0.7711054127039704, 0.8408964152537144, 0.9170040432046711,
  };

  @Test
  void schemaZeroPutsValuesOnABoundIntoTheBucketBelow() {
    assertThat(Histogram.bucketIndex(1.0, 0)).isZero();
    assertThat(Histogram.bucketIndex(2.0, 0)).isEqualTo(1);
    assertThat(Histogram.bucketIndex(1.5, 0)).isEqualTo(1);
    assertThat(Histogram.bucketIndex(0.75, 0)).isZero();
    assertThat(Histogram.bucketIndex(0.5, 0)).isEqualTo(-1);
    assertThat(Histogram.bucketIndex(Math.nextUp(1.0), 0)).isEqualTo(1);
    assertThat(Histogram.upperBound(0, 0)).isEqualTo(1.0);
    assertThat(Histogram.upperBound(1, 0)).isEqualTo(2.0);
    assertThat(Histogram.lowerBound(1, 0)).isEqualTo(1.0);
    assertThat(Histogram.upperBound(-3, 0)).isEqualTo(0.125);
  }

  @Test
  void schemaThreeBoundsAreExactlyPrometheusTable() {
    for (int j = 0; j < 8; j++) {
      // Index j+8*(e-1) has upper bound table[j] * 2^e: bucket 8 is (2^(7/8), 2].
      assertThat(Histogram.upperBound(j, 3)).isEqualTo(PROMETHEUS_SCHEMA_3[j] * 2);
      assertThat(Histogram.upperBound(j + 8, 3)).isEqualTo(PROMETHEUS_SCHEMA_3[j] * 4);
      assertThat(Histogram.upperBound(j - 16, 3)).isEqualTo(PROMETHEUS_SCHEMA_3[j] / 2);
    }
    assertThat(Histogram.upperBound(1, 3)).isEqualTo(1.0905077326652577);
    assertThat(Histogram.bucketIndex(1.0905077326652577, 3)).isEqualTo(1);
    assertThat(Histogram.bucketIndex(Math.nextUp(1.0905077326652577), 3)).isEqualTo(2);
    assertThat(Histogram.bucketIndex(1.5, 3)).isEqualTo(5); // (1.4142, 1.5422]
  }

  @Test
  void schemaEightUsesPrometheusRoundingNotCorrectRounding() {
    // Prometheus' table holds 0.7071067811865475 where sqrt(0.5) rounds to ...476.
    assertThat(Histogram.upperBound(128, 8)).isEqualTo(0.7071067811865475 * 2);
    assertThat(Histogram.upperBound(-128, 8)).isEqualTo(0.7071067811865475);
    assertThat(Histogram.upperBound(255, 8)).isEqualTo(0.9972960560854698 * 2);
    assertThat(Histogram.upperBound(0, 8)).isEqualTo(1.0);
    assertThat(Histogram.bucketIndex(Math.nextUp(1.0), 8)).isEqualTo(1);
  }

  @Test
  void negativeSchemasMergePowersOfTwoRoundingUp() {
    assertThat(Histogram.bucketIndex(1.0, -1)).isZero();
    assertThat(Histogram.bucketIndex(4.0, -1)).isEqualTo(1);
    assertThat(Histogram.bucketIndex(5.0, -1)).isEqualTo(2);
    assertThat(Histogram.bucketIndex(0.25, -1)).isEqualTo(-1); // (1/16, 1/4]
    assertThat(Histogram.bucketIndex(0.2, -1)).isEqualTo(-1);
    assertThat(Histogram.bucketIndex(0.0625, -1)).isEqualTo(-2);
    assertThat(Histogram.upperBound(-1, -1)).isEqualTo(0.25);
    assertThat(Histogram.upperBound(1, -4)).isEqualTo(65536.0);
    assertThat(Histogram.bucketIndex(65536.0, -4)).isEqualTo(1);
    assertThat(Histogram.bucketIndex(65537.0, -4)).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8})
  void everyNormalBoundRoundTripsAndItsNextUpGoesToTheNextBucket(int schema) {
    int first = Histogram.bucketIndex(Double.MIN_NORMAL, schema);
    int last = Histogram.bucketIndex(Double.MAX_VALUE, schema);
    int step = Math.max(1, (last - first) / 5000); // every bucket at low schemas, a sample above
    for (int i = first + 1; i < last; i += step) {
      checkBoundaries(i, schema);
    }
    for (int i = -(1 << Math.max(schema, 0)) * 3; i <= (1 << Math.max(schema, 0)) * 3; i++) {
      checkBoundaries(i, schema); // every bucket in [1/8, 8]
    }
  }

  private static void checkBoundaries(int index, int schema) {
    double upper = Histogram.upperBound(index, schema);
    assertThat(Histogram.bucketIndex(upper, schema)).as("bound %s", upper).isEqualTo(index);
    assertThat(Histogram.bucketIndex(Math.nextUp(upper), schema)).isEqualTo(index + 1);
    assertThat(Histogram.lowerBound(index + 1, schema)).isEqualTo(upper);
    assertThat(upper).isGreaterThan(Histogram.lowerBound(index, schema));
  }

  @Test
  void largestFiniteValueAndInfinityGetPrometheusEdgeBuckets() {
    assertThat(Histogram.bucketIndex(Double.MAX_VALUE, 0)).isEqualTo(1024);
    assertThat(Histogram.upperBound(1024, 0)).isEqualTo(Double.MAX_VALUE);
    assertThat(Histogram.bucketIndex(Double.POSITIVE_INFINITY, 0)).isEqualTo(1025);
    assertThat(Histogram.upperBound(1025, 0)).isEqualTo(Double.POSITIVE_INFINITY);

    assertThat(Histogram.bucketIndex(Double.MAX_VALUE, 8)).isEqualTo(262144);
    assertThat(Histogram.upperBound(262144, 8)).isEqualTo(Double.MAX_VALUE);
    assertThat(Histogram.bucketIndex(Double.POSITIVE_INFINITY, 8)).isEqualTo(262145);
    assertThat(Histogram.upperBound(262145, 8)).isEqualTo(Double.POSITIVE_INFINITY);

    assertThat(Histogram.bucketIndex(Double.MAX_VALUE, -4)).isEqualTo(64);
    assertThat(Histogram.upperBound(64, -4)).isEqualTo(Double.MAX_VALUE);
    assertThat(Histogram.upperBound(65, -4)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void subnormalValuesGetTheirExactBuckets() {
    assertThat(Histogram.bucketIndex(Double.MIN_VALUE, 0)).isEqualTo(-1074);
    assertThat(Histogram.bucketIndex(Double.MIN_VALUE, 8)).isEqualTo(-1074 * 256);
    assertThat(Histogram.bucketIndex(Double.MIN_NORMAL, 0)).isEqualTo(-1022);
    assertThat(Histogram.bucketIndex(Double.MIN_NORMAL / 2, 0)).isEqualTo(-1023);
    assertThat(Histogram.bucketIndex(Double.MIN_NORMAL * 0.75, 0)).isEqualTo(-1022);
    assertThat(Histogram.upperBound(-1074, 0)).isEqualTo(Double.MIN_VALUE);
    assertThat(Histogram.bucketIndex(3 * Double.MIN_VALUE, 1)).isEqualTo(-2144);
  }

  @Test
  void rejectsValuesWithoutABucketAndSchemasOutOfRange() {
    assertThatThrownBy(() -> Histogram.bucketIndex(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> Histogram.bucketIndex(-1, 0)).hasMessageContaining("-1.0");
    assertThatThrownBy(() -> Histogram.bucketIndex(Double.NaN, 0)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> Histogram.bucketIndex(1, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("schema out of range [-4, 8]: 9");
    assertThatThrownBy(() -> Histogram.upperBound(1, -5)).hasMessageContaining("-5");
  }

  @Property(tries = 500)
  void reducedIndexNamesTheCoarseBucketContainingTheFineOne(
      @ForAll @IntRange(min = -4, max = 8) int from,
      @ForAll @IntRange(min = 0, max = 12) int drop,
      @ForAll @IntRange(min = -3000, max = 3000) int index) {
    int to = Math.max(-4, from - drop);
    int coarse = BucketMath.reduceIndex(index, from, to);

    assertThat(Histogram.lowerBound(coarse, to))
        .isLessThanOrEqualTo(Histogram.lowerBound(index, from));
    assertThat(Histogram.upperBound(coarse, to))
        .isGreaterThanOrEqualTo(Histogram.upperBound(index, from));
  }
}
