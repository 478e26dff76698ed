package dev.vigil.client.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ClassicBucketsTest {

  private static final int SCHEMA = 7;

  /** 2^(1/128): the ratio between the bounds of one schema-7 bucket. */
  private static final double BUCKET_RATIO = Math.pow(2, 1.0 / 128);

  @Test
  void foldsNativeBucketsIntoCumulativeClassicBuckets() {
    Histogram h = histogram(0.003, 0.007, 0.02, 0.3, 1.5, 12, 0.04);
    long[] counts = ClassicBuckets.DEFAULT.cumulativeCounts(h);
    assertThat(counts).containsExactly(1, 2, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7);
  }

  @Test
  void countsZeroBucketInFirstBound() {
    Histogram h = Histogram.builder(SCHEMA).zeroCount(4).addPositive(0, 1).build();
    assertThat(ClassicBuckets.of(0.5, 1).cumulativeCounts(h)).containsExactly(4, 5, 5);
  }

  @Test
  void powerOfTwoBoundIsExact() {
    // 1.0 is the upper bound of native bucket 0: an observation of exactly 1 s is in le="1".
    Histogram h = histogram(1.0);
    assertThat(ClassicBuckets.of(0.5, 1, 2).cumulativeCounts(h)).containsExactly(0, 1, 1, 1);
  }

  @Test
  void straddlingNativeBucketGoesToTheNextBound() {
    double bound = 0.005;
    int index = Histogram.bucketIndex(bound, SCHEMA);
    assertThat(Histogram.upperBound(index, SCHEMA)).isGreaterThan(bound);
    ClassicBuckets buckets = ClassicBuckets.of(bound, 0.01);
    // Exactly on the bound: counted one bound up, the documented error.
    assertThat(buckets.cumulativeCounts(histogram(bound))).containsExactly(0, 1, 1);
    // One schema-7 bucket below the bound: always in its bucket.
    assertThat(buckets.cumulativeCounts(histogram(bound / BUCKET_RATIO))).containsExactly(1, 1, 1);
  }

  /**
   * The documented bound on the error: {@code le=b} counts every observation up to {@code b /
   * 2^(1/128)} and none above {@code b}.
   */
  @Property
  void errorIsAtMostOneSchema7Bucket(
      @ForAll @Size(max = 200) List<@DoubleRange(min = 1e-6, max = 100) @Scale(9) Double> seconds) {
    Histogram h = histogram(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    ClassicBuckets buckets = ClassicBuckets.DEFAULT;
    long[] counts = buckets.cumulativeCounts(h);
    for (int i = 0; i < buckets.size(); i++) {
      double b = buckets.upperBound(i);
      long certainlyBelow = seconds.stream().filter(v -> v <= b / BUCKET_RATIO).count();
      long atMost = seconds.stream().filter(v -> v <= b).count();
      assertThat(counts[i]).isBetween(certainlyBelow, atMost);
      if (i > 0) {
        assertThat(counts[i]).isGreaterThanOrEqualTo(counts[i - 1]);
      }
    }
    assertThat(counts[buckets.size()]).isEqualTo(seconds.size());
  }

  @Test
  void rejectsUnorderedOrInfiniteBounds() {
    assertThatThrownBy(() -> ClassicBuckets.of(1, 1)).hasMessageContaining("increase");
    assertThatThrownBy(() -> ClassicBuckets.of(Double.POSITIVE_INFINITY))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> ClassicBuckets.of(-1)).hasMessageContaining(">= 0");
  }

  private static Histogram histogram(double... seconds) {
    HistogramBuilder b = Histogram.builder(SCHEMA);
    for (double s : seconds) {
      b.observe(s);
    }
    return b.build();
  }
}
