package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Histograms and histogram sequences for the chunk property tests. */
final class HistogramGenerators {
  private HistogramGenerators() {}

  /** Anything a histogram can hold: float and negative counts, NaN sums, any schema. */
  static Arbitrary<Histogram> any() {
    Arbitrary<Double> counts =
        Arbitraries.oneOf(
            Arbitraries.integers().between(1, 1 << 20).map(i -> (double) i),
            Arbitraries.doubles().between(1e-6, 1e12).ofScale(6));
    Arbitrary<List<Tuple2<Integer, Double>>> buckets =
        Combinators.combine(Arbitraries.integers().between(-2000, 2000), counts)
            .as(Tuple::of)
            .list()
            .ofMaxSize(12);
    Arbitrary<Double> sums =
        Arbitraries.doubles()
            .withSpecialValue(Double.NaN)
            .withSpecialValue(Double.POSITIVE_INFINITY)
            .withSpecialValue(-0.0);
    Arbitrary<Histogram> built =
        Combinators.combine(
                Arbitraries.integers().between(-4, 8),
                Arbitraries.of(0.0, 0x1p-16, 1e-3, 0.7),
                Arbitraries.oneOf(Arbitraries.just(0.0), counts),
                sums,
                buckets,
                buckets)
            .as(
                (schema, threshold, zeroCount, sum, positive, negative) -> {
                  HistogramBuilder b =
                      Histogram.builder(schema)
                          .zeroThreshold(threshold)
                          .zeroCount(zeroCount)
                          .sum(sum);
                  positive.forEach(t -> b.addPositive(t.get1(), t.get2()));
                  negative.forEach(t -> b.addNegative(t.get1(), t.get2()));
                  return b.build();
                });
    return Arbitraries.oneOf(built, Combinators.combine(built, built).as(Histogram::subtract));
  }

  /** Sequences mixing unrelated histograms: every layout change path. */
  static Arbitrary<List<Histogram>> unrelated() {
    return any().list().ofMinSize(1).ofMaxSize(40);
  }

  /** A cumulative counter histogram: each sample the previous plus a few observations. */
  static Arbitrary<List<Histogram>> cumulative() {
    Arbitrary<List<Double>> step =
        Arbitraries.doubles().between(1e-4, 1e4).ofScale(4).list().ofMaxSize(8);
    return Combinators.combine(
            Arbitraries.integers().between(0, 8), step.list().ofMinSize(1).ofMaxSize(120))
        .as(
            (schema, steps) -> {
              List<Histogram> out = new ArrayList<>();
              HistogramBuilder b = Histogram.builder(schema).zeroThreshold(1e-3);
              for (List<Double> observations : steps) {
                observations.forEach(b::observe);
                out.add(b.build());
              }
              return out;
            });
  }

  /**
   * Delta histograms with some samples made fractional (merged with a half-count histogram) or
   * negative (subtracted from the previous one): every switch between the chunk's modes.
   */
  static Arbitrary<List<Histogram>> mixed() {
    return Combinators.combine(deltas(), Arbitraries.integers().between(0, 2).list().ofSize(120))
        .as(
            (histograms, kinds) -> {
              List<Histogram> out = new ArrayList<>();
              for (int i = 0; i < histograms.size(); i++) {
                Histogram h = histograms.get(i);
                if (kinds.get(i) == 1) {
                  h = h.merge(Histogram.builder(h.schema()).addPositive(100, 0.5).build());
                } else if (kinds.get(i) == 2 && i > 0) {
                  h = h.subtract(histograms.get(i - 1));
                }
                out.add(h);
              }
              return out;
            });
  }

  /** Per-slot delta histograms: buckets from a stable set come and go, counts vary. */
  static Arbitrary<List<Histogram>> deltas() {
    Arbitrary<List<Integer>> slot = Arbitraries.integers().between(0, 50).list().ofSize(12);
    return Combinators.combine(
            Arbitraries.integers().between(-4, 8), slot.list().ofMinSize(1).ofMaxSize(120))
        .as(
            (schema, slots) -> {
              List<Histogram> out = new ArrayList<>();
              for (List<Integer> counts : slots) {
                HistogramBuilder b = Histogram.builder(schema);
                double sum = 0;
                for (int i = 0; i < counts.size(); i++) {
                  if (counts.get(i) > 0) {
                    b.addPositive(100 + i * 2, counts.get(i));
                    sum += counts.get(i) * Histogram.upperBound(100 + i * 2, schema);
                  }
                }
                out.add(b.sum(sum).build());
              }
              return out;
            });
  }
}
