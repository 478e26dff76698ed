package dev.vigil.promql.eval;

/** Go's math functions where Java's differ in edge cases. */
final class GoMath {
  private GoMath() {}

  /** Go's math.Pow: 1 for pow(1, y) and pow(-1, ±Inf), where Java gives NaN. */
  static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  /** Go's math.Log2: exact for powers of two. */
  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x)) {
      int exp = Math.getExponent(x);
      if (exp >= Double.MIN_EXPONENT) {
        double frac = x / Math.scalb(1.0, exp); // in [1, 2)
        if (frac == 1) {
          return exp;
        }
        return Math.log(frac / 2) * (1 / Math.log(2)) + (exp + 1);
      }
    }
    return Math.log(x) / Math.log(2);
  }

  /** Kahan-Neumaier summation step: returns {sum, compensation}. */
  static void kahanInc(double inc, double[] sc) {
    double sum = sc[0];
    double c = sc[1];
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    sc[0] = t;
    sc[1] = c;
  }
}
