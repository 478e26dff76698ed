package dev.vigil.model;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Generators of histograms for the property tests. */
final class HistogramArbitraries {
  private HistogramArbitraries() {}

  /**
   * Zero thresholds that are bucket bounds in every schema (2^(16k) bounds schema -4), so no bucket
   * of any schema straddles them and merging never has to raise the threshold.
   */
  static Arbitrary<Double> commonBoundThresholds() {
    return Arbitraries.of(0.0, 0x1p-16, 0x1p-32);
  }

  /** Arbitrary thresholds, including ones inside buckets of every schema. */
  static Arbitrary<Double> anyThresholds() {
    return Arbitraries.oneOf(
        Arbitraries.of(0.0, 0x1p-16, 1e-128, 1e-3, 0.3, 0.7, 1.0, 3.0),
        Arbitraries.doubles().between(0, 10));
  }

  /**
   * Histograms with integral counts and sums that are multiples of 1/1024 below 2^22, so that
   * merging and subtracting them is exact in double arithmetic.
   */
  static Arbitrary<Histogram> exact(Arbitrary<Double> thresholds) {
    Arbitrary<List<Tuple2<Integer, Integer>>> buckets =
        Combinators.combine(
                Arbitraries.integers().between(-40, 40), Arbitraries.integers().between(1, 1000))
            .as(Tuple::of)
            .list()
            .ofMaxSize(12);
    return Combinators.combine(
            Arbitraries.integers().between(-4, 8),
            thresholds,
            Arbitraries.integers().between(0, 50),
            Arbitraries.integers().between(-(1 << 20), 1 << 20),
            buckets,
            buckets)
        .as(
            (schema, threshold, zeroCount, sumIn1024ths, positive, negative) -> {
              HistogramBuilder b =
                  Histogram.builder(schema)
                      .zeroThreshold(threshold)
                      .zeroCount(zeroCount)
                      .sum(sumIn1024ths / 1024.0);
              positive.forEach(t -> b.addPositive(t.get1(), t.get2()));
              negative.forEach(t -> b.addNegative(t.get1(), t.get2()));
              return b.build();
            });
  }

  /**
   * Anything a histogram can hold: fractional and negative counts (from subtraction), NaN and
   * infinite sums, explicit counts, any schema and threshold.
   */
  static Arbitrary<Histogram> any() {
    Arbitrary<Double> counts =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 1 << 20).map(i -> (double) i),
            Arbitraries.doubles().between(1e-6, 1e12).ofScale(6));
    Arbitrary<List<Tuple2<Integer, Double>>> buckets =
        Combinators.combine(Arbitraries.integers().between(-300_000, 300_000), counts)
            .as(Tuple::of)
            .list()
            .ofMaxSize(20);
    Arbitrary<Double> sums =
        Arbitraries.doubles()
            .withSpecialValue(Double.NaN)
            .withSpecialValue(Double.POSITIVE_INFINITY)
            .withSpecialValue(-0.0);
    Arbitrary<Histogram> built =
        Combinators.combine(
                Arbitraries.integers().between(-4, 8),
                anyThresholds(),
                Arbitraries.oneOf(Arbitraries.just(0.0), counts),
                sums,
                buckets,
                buckets,
                Arbitraries.of(true, false))
            .as(
                (schema, threshold, zeroCount, sum, positive, negative, explicitCount) -> {
                  HistogramBuilder b =
                      Histogram.builder(schema)
                          .zeroThreshold(threshold)
                          .zeroCount(zeroCount)
                          .sum(sum);
                  positive.forEach(t -> b.addPositive(t.get1(), t.get2()));
                  negative.forEach(t -> b.addNegative(t.get1(), t.get2()));
                  if (explicitCount) {
                    b.count(zeroCount * 3 + 7);
                  }
                  return b.build();
                });
    return Arbitraries.oneOf(
        built, Combinators.combine(built, built).as(Histogram::subtract), exact(anyThresholds()));
  }
}
