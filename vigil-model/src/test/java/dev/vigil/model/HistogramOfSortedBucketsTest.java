package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.junit.jupiter.api.Test;

class HistogramOfSortedBucketsTest {

  @Provide
  Arbitrary<List<Tuple2<Integer, Double>>> buckets() {
    Arbitrary<Double> counts =
        Arbitraries.oneOf(
            Arbitraries.just(0.0),
            Arbitraries.integers().between(1, 1000).map(i -> (double) i),
            Arbitraries.doubles().between(1e-6, 1e9).ofScale(6));
    return Combinators.combine(Arbitraries.integers().between(-3000, 3000), counts)
        .as(Tuple::of)
        .list()
        .ofMaxSize(30)
        .uniqueElements(Tuple2::get1);
  }

  @Provide
  Arbitrary<Double> thresholds() {
    return HistogramArbitraries.anyThresholds();
  }

  @Property
  void equalsTheBuilder(
      @ForAll("buckets") List<Tuple2<Integer, Double>> positive,
      @ForAll("buckets") List<Tuple2<Integer, Double>> negative,
      @ForAll("thresholds") double threshold,
      @ForAll("thresholds") double zeroCount,
      @ForAll double sum,
      @ForAll("schemas") int schema) {
    HistogramBuilder b =
        Histogram.builder(schema).zeroThreshold(threshold).zeroCount(zeroCount).sum(sum);
    positive.forEach(t -> b.addPositive(t.get1(), t.get2()));
    negative.forEach(t -> b.addNegative(t.get1(), t.get2()));
    TreeMap<Integer, Double> p = new TreeMap<>();
    positive.forEach(t -> p.put(t.get1(), t.get2()));
    TreeMap<Integer, Double> n = new TreeMap<>();
    negative.forEach(t -> n.put(t.get1(), t.get2()));

    Histogram h =
        Histogram.ofSortedBuckets(
            schema,
            threshold,
            zeroCount,
            sum,
            p.keySet().stream().mapToInt(Integer::intValue).toArray(),
            p.values().stream().mapToDouble(Double::doubleValue).toArray(),
            n.keySet().stream().mapToInt(Integer::intValue).toArray(),
            n.values().stream().mapToDouble(Double::doubleValue).toArray());

    assertThat(h).isEqualTo(b.build());
  }

  @Provide
  Arbitrary<Integer> schemas() {
    return Arbitraries.integers().between(-4, 8);
  }

  @Test
  void copiesTheArrays() {
    int[] indexes = {1, 2};
    double[] counts = {3, 4};
    Histogram h = Histogram.ofSortedBuckets(0, 0, 0, 1, indexes, counts, new int[0], new double[0]);
    indexes[0] = 0;
    counts[0] = 9;
    assertThat(h.positiveIndex(0)).isEqualTo(1);
    assertThat(h.positiveCount(0)).isEqualTo(3);
    assertThat(h.count()).isEqualTo(7);
  }

  @Test
  void rejectsUnsortedOrInvalidInput() {
    int[] none = new int[0];
    double[] noCounts = new double[0];
    assertThatThrownBy(
            () ->
                Histogram.ofSortedBuckets(
                    0, 0, 0, 0, new int[] {2, 2}, new double[] {1, 1}, none, noCounts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("positive indexes not strictly ascending at 1: 2, 2");
    assertThatThrownBy(
            () ->
                Histogram.ofSortedBuckets(
                    0, 0, 0, 0, none, noCounts, new int[] {1}, new double[] {-1}))
        .hasMessage("invalid count of negative bucket 1: -1.0");
    assertThatThrownBy(
            () -> Histogram.ofSortedBuckets(0, 0, 0, 0, new int[] {1}, noCounts, none, noCounts))
        .hasMessage("positive indexes and counts differ in length: 1 and 0");
    assertThatThrownBy(() -> Histogram.ofSortedBuckets(9, 0, 0, 0, none, noCounts, none, noCounts))
        .hasMessageContaining("schema out of range");
    assertThatThrownBy(() -> Histogram.ofSortedBuckets(0, -1, 0, 0, none, noCounts, none, noCounts))
        .hasMessage("invalid zero threshold: -1.0");
  }
}
