package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;

/** Histogram arithmetic the model does not offer directly. */
final class Hist {
  private Hist() {}

  /**
   * Every count and the sum multiplied by {@code factor}; null when the model cannot hold the
   * result (negative or non-finite counts).
   */
  static Histogram scale(Histogram h, double factor) {
    if (!(factor >= 0) || Double.isInfinite(factor)) {
      return null;
    }
    HistogramBuilder b =
        Histogram.builder(h.schema())
            .zeroThreshold(h.zeroThreshold())
            .zeroCount(h.zeroCount() * factor)
            .sum(h.sum() * factor)
            .count(h.count() * factor);
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      b.addPositive(h.positiveIndex(i), h.positiveCount(i) * factor);
    }
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      b.addNegative(h.negativeIndex(i), h.negativeCount(i) * factor);
    }
    return b.build();
  }
}
