package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class HistogramAccumulatorTest {

  /** Histograms of one layout (schema 7, threshold 0), as ingest merges them, some negative. */
  @Provide
  Arbitrary<List<Histogram>> sameLayout() {
    Arbitrary<Histogram> observed =
        Arbitraries.doubles()
            .between(0, 100)
            .list()
            .ofMaxSize(40)
            .map(
                values -> {
                  HistogramBuilder b = Histogram.builder(7).zeroThreshold(0);
                  values.forEach(b::observe);
                  return b.build();
                });
    Arbitrary<Histogram> withCancellations =
        Combinators.combine(observed, observed).as(Histogram::subtract);
    return Arbitraries.oneOf(observed, observed, withCancellations)
        .list()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  /** Anything, including other schemas and thresholds, which take the general path. */
  @Provide
  Arbitrary<List<Histogram>> anyLayout() {
    return HistogramArbitraries.any().list().ofMinSize(1).ofMaxSize(8);
  }

  @Property
  void equalsSuccessiveMergesOfOneLayout(@ForAll("sameLayout") List<Histogram> histograms) {
    assertEqualsSuccessiveMerges(histograms);
  }

  @Property
  void equalsSuccessiveMergesOfAnyLayout(@ForAll("anyLayout") List<Histogram> histograms) {
    assertEqualsSuccessiveMerges(histograms);
  }

  private static void assertEqualsSuccessiveMerges(List<Histogram> histograms) {
    Histogram merged = histograms.get(0);
    HistogramAccumulator acc = new HistogramAccumulator(merged);
    for (Histogram h : histograms.subList(1, histograms.size())) {
      merged = merged.merge(h);
      acc.add(h);
      // Asking in between must not disturb later additions.
      assertThat(acc.toHistogram()).isEqualTo(merged);
    }
    assertThat(acc.toHistogram()).isEqualTo(merged);
    assertThat(acc.toHistogram().hashCode()).isEqualTo(merged.hashCode());
  }

  @Test
  void keepsTheSameInstanceUntilTheNextAdd() {
    Histogram a = Histogram.builder(7).observe(0.1).observe(0.2).build();
    HistogramAccumulator acc = new HistogramAccumulator(a);
    assertThat(acc.toHistogram()).isSameAs(a);
    acc.add(Histogram.builder(7).observe(5).build());
    Histogram sum = acc.toHistogram();
    assertThat(acc.toHistogram()).isSameAs(sum);
    assertThat(sum.count()).isEqualTo(3);
    assertThat(a.count()).isEqualTo(2); // the initial histogram is not changed
  }

  @Test
  void dropsBucketsThatCancelOutAndRefillsThem() {
    Histogram one = Histogram.builder(7).observe(1.5).build();
    HistogramAccumulator acc = new HistogramAccumulator(one);
    Histogram minusOne = Histogram.builder(7).build().subtract(one);
    acc.add(minusOne);
    assertThat(acc.toHistogram().positiveBucketCount()).isZero();
    acc.add(one);
    assertThat(acc.toHistogram()).isEqualTo(one.merge(minusOne).merge(one)).isEqualTo(one);
  }
}
