package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;

/**
 * The native histogram trim operators: {@code h >/ c} keeps the observations above {@code c},
 * {@code h </ c} those below. A bucket the cut falls into keeps the share of its count on the kept
 * side, interpolated exponentially inside exponential buckets and linearly inside the zero bucket.
 * The zero bucket spans [0, zt] when the histogram has only positive buckets, [-zt, 0] when only
 * negative ones, else [-zt, zt]. A trimmed histogram's sum is estimated again from the kept part of
 * each bucket, at its geometric (zero bucket: arithmetic) midpoint; an untouched one is returned as
 * it is.
 */
final class HistogramTrim {
  private HistogramTrim() {}

  static Histogram trim(Histogram h, double cut, boolean keepAbove) {
    int schema = h.schema();
    boolean anyTrimmed = false;
    double count = 0;
    double[] sum = new double[2];
    HistogramBuilder b = Histogram.builder(schema).zeroThreshold(h.zeroThreshold());
    for (int i = h.negativeBucketCount() - 1; i >= 0; i--) {
      int idx = h.negativeIndex(i);
      double lo = -Histogram.upperBound(idx, schema);
      double hi = -Histogram.lowerBound(idx, schema);
      double[] kept = keptExponential(lo, hi, cut, keepAbove);
      double c = h.negativeCount(i) * kept[0];
      anyTrimmed |= kept[0] < 1 && h.negativeCount(i) > 0;
      if (c > 0) {
        b.addNegative(idx, c);
        count += c;
        GoMath.kahanInc(c * kept[1], sum);
      }
    }
    double zt = h.zeroThreshold();
    boolean hasPositive = h.positiveBucketCount() > 0;
    boolean hasNegative = h.negativeBucketCount() > 0;
    double zlo = hasPositive && !hasNegative ? 0 : -zt;
    double zhi = hasNegative && !hasPositive ? 0 : zt;
    double zf = keptLinear(zlo, zhi, cut, keepAbove);
    if (h.zeroCount() > 0) {
      anyTrimmed |= zf < 1;
      double c = h.zeroCount() * zf;
      b.zeroCount(c);
      count += c;
      if (c > 0) {
        double a = keepAbove ? Math.max(zlo, cut) : zlo;
        double e = keepAbove ? zhi : Math.min(zhi, cut);
        GoMath.kahanInc(c * (a + e) / 2, sum);
      }
    }
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      int idx = h.positiveIndex(i);
      double lo = Histogram.lowerBound(idx, schema);
      double hi = Histogram.upperBound(idx, schema);
      double[] kept = keptExponential(lo, hi, cut, keepAbove);
      double c = h.positiveCount(i) * kept[0];
      anyTrimmed |= kept[0] < 1 && h.positiveCount(i) > 0;
      if (c > 0) {
        b.addPositive(idx, c);
        count += c;
        GoMath.kahanInc(c * kept[1], sum);
      }
    }
    if (!anyTrimmed) {
      return h;
    }
    return b.count(count).sum(sum[0] + sum[1]).build();
  }

  /** The kept share of the bucket [lo, hi] (same sign) and the geometric midpoint of that part. */
  private static double[] keptExponential(double lo, double hi, double cut, boolean keepAbove) {
    double a = lo;
    double e = hi;
    double fraction;
    if (keepAbove ? cut <= lo : cut >= hi) {
      fraction = 1;
    } else if (keepAbove ? cut >= hi : cut <= lo) {
      return new double[] {0, 0};
    } else {
      double below = Math.log(Math.abs(cut) / Math.abs(lo)) / Math.log(Math.abs(hi) / Math.abs(lo));
      fraction = keepAbove ? 1 - below : below;
      if (keepAbove) {
        a = cut;
      } else {
        e = cut;
      }
    }
    double mid = Math.signum(lo + hi) * Math.sqrt(Math.abs(a) * Math.abs(e));
    return new double[] {fraction, mid};
  }

  private static double keptLinear(double lo, double hi, double cut, boolean keepAbove) {
    if (keepAbove ? cut <= lo : cut >= hi) {
      return 1;
    }
    if (keepAbove ? cut >= hi : cut <= lo) {
      return 0;
    }
    double below = (cut - lo) / (hi - lo);
    return keepAbove ? 1 - below : below;
  }
}
