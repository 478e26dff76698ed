package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import java.math.BigDecimal;

/** Go's text forms of floats and of Prometheus' FloatHistogram, for label values. */
final class GoFormat {
  private GoFormat() {}

  /** fmt's {@code %v} of a float64: shortest digits, exponent form below 1e-4 or from 1e21. */
  static String v(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return 1 / f < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 21) {
      String digits = d.unscaledValue().abs().toString();
      StringBuilder sb = new StringBuilder();
      if (f < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      return sb.append(a).toString();
    }
    return d.toPlainString();
  }

  /** Prometheus' {@code FloatHistogram.String()}. */
  static String histogram(Histogram h) {
    StringBuilder sb = new StringBuilder();
    sb.append("{count:").append(v(h.count())).append(", sum:").append(v(h.sum()));
    for (int i = h.negativeBucketCount() - 1; i >= 0; i--) {
      if (h.negativeCount(i) == 0) {
        continue;
      }
      int idx = h.negativeIndex(i);
      sb.append(", [")
          .append(v(-Histogram.upperBound(idx, h.schema())))
          .append(',')
          .append(v(-Histogram.lowerBound(idx, h.schema())))
          .append("):")
          .append(v(h.negativeCount(i)));
    }
    if (h.zeroCount() != 0) {
      sb.append(", [")
          .append(v(-h.zeroThreshold()))
          .append(',')
          .append(v(h.zeroThreshold()))
          .append("]:")
          .append(v(h.zeroCount()));
    }
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      if (h.positiveCount(i) == 0) {
        continue;
      }
      int idx = h.positiveIndex(i);
      sb.append(", (")
          .append(v(Histogram.lowerBound(idx, h.schema())))
          .append(',')
          .append(v(Histogram.upperBound(idx, h.schema())))
          .append("]:")
          .append(v(h.positiveCount(i)));
    }
    return sb.append('}').toString();
  }
}
