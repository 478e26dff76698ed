package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums native histograms with Kahan-Neumaier compensation on every count and on the sum, as
 * Prometheus does, at the coarsest schema of the inputs.
 */
final class HistogramSum {
  private HistogramSum() {}

  /** The sum, scaled by {@code factor} (1 for a sum, 1/n for a mean). */
  static Histogram sum(List<Histogram> hs, double factor) {
    int schema = Integer.MAX_VALUE;
    double zt = hs.get(0).zeroThreshold();
    for (Histogram h : hs) {
      schema = Math.min(schema, h.schema());
      if (h.zeroThreshold() != zt) {
        Histogram acc = hs.get(0);
        for (int i = 1; i < hs.size(); i++) {
          acc = acc.merge(hs.get(i));
        }
        return factor == 1 ? acc : Hist.scale(acc, factor);
      }
    }
    // Pre-scale each input when the plain sum would overflow (the mean of huge counts), as
    // Prometheus switches to an incremental mean.
    double total = 0;
    for (Histogram h : hs) {
      total += h.count();
    }
    double pre = Double.isInfinite(total) ? factor : 1;
    double post = Double.isInfinite(total) ? 1 : factor;
    double[] zero = new double[2];
    double[] count = new double[2];
    double[] sum = new double[2];
    Map<Integer, double[]> pos = new TreeMap<>();
    Map<Integer, double[]> neg = new TreeMap<>();
    for (Histogram h : hs) {
      Histogram r = h.schema() == schema ? h : h.reduceResolution(schema);
      GoMath.kahanInc(r.zeroCount() * pre, zero);
      GoMath.kahanInc(r.count() * pre, count);
      GoMath.kahanInc(r.sum() * pre, sum);
      for (int i = 0; i < r.positiveBucketCount(); i++) {
        GoMath.kahanInc(
            r.positiveCount(i) * pre, pos.computeIfAbsent(r.positiveIndex(i), k -> new double[2]));
      }
      for (int i = 0; i < r.negativeBucketCount(); i++) {
        GoMath.kahanInc(
            r.negativeCount(i) * pre, neg.computeIfAbsent(r.negativeIndex(i), k -> new double[2]));
      }
    }
    double c = (count[0] + count[1]) * post;
    if (!(c >= 0) || Double.isInfinite(c)) {
      return null;
    }
    HistogramBuilder b =
        Histogram.builder(schema)
            .zeroThreshold(zt)
            .zeroCount((zero[0] + zero[1]) * post)
            .sum((sum[0] + sum[1]) * post)
            .count(c);
    for (Map.Entry<Integer, double[]> e : pos.entrySet()) {
      b.addPositive(e.getKey(), (e.getValue()[0] + e.getValue()[1]) * post);
    }
    for (Map.Entry<Integer, double[]> e : neg.entrySet()) {
      b.addNegative(e.getKey(), (e.getValue()[0] + e.getValue()[1]) * post);
    }
    return b.build();
  }
}
