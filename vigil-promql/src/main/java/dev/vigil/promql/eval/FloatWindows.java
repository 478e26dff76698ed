package dev.vigil.promql.eval;

/**
 * The float functions over one window of one series: {@code f[lo..hi)} at times {@code t[lo..hi)},
 * window (rangeStart, rangeEnd]. Allocation-free except where a function needs a sorted copy.
 */
final class FloatWindows {
  private FloatWindows() {}

  static double floatWindow(
      String name,
      RangeSeries s,
      int lo,
      int hi,
      long rangeStart,
      long rangeEnd,
      long rangeMillis,
      long stepTime,
      double p0,
      double p1) {
    int count = hi - lo;
    double[] f = s.f;
    long[] t = s.t;
    switch (name) {
      case "rate", "increase", "delta" -> {
        if (count < 2) {
          return RangeFunctions.NONE;
        }
        boolean counter = !name.equals("delta");
        double result = f[hi - 1] - f[lo];
        if (counter) {
          double prev = f[lo];
          for (int j = lo + 1; j < hi; j++) {
            if (f[j] < prev) {
              result += prev;
            }
            prev = f[j];
          }
        }
        double factor =
            extrapolationFactor(
                t[lo],
                t[hi - 1],
                count,
                rangeStart,
                rangeEnd,
                counter && result > 0 && f[lo] >= 0 ? f[lo] / result : -1);
        if (name.equals("rate")) {
          factor /= rangeMillis / 1000.0;
        }
        return result * factor;
      }
      case "irate", "idelta" -> {
        if (count < 2) {
          return RangeFunctions.NONE;
        }
        double last = f[hi - 1];
        double prev = f[hi - 2];
        double r;
        if (name.equals("irate")) {
          r = last < prev ? last : last - prev;
          double dt = (t[hi - 1] - t[hi - 2]) / 1000.0;
          if (dt == 0) {
            return RangeFunctions.NONE;
          }
          return r / dt;
        }
        return last - prev;
      }
      case "deriv" -> {
        if (count < 2) {
          return RangeFunctions.NONE;
        }
        return linearRegression(t, f, lo, hi, t[lo])[0];
      }
      case "predict_linear" -> {
        if (count < 2) {
          return RangeFunctions.NONE;
        }
        double[] si = linearRegression(t, f, lo, hi, stepTime);
        return si[0] * p0 + si[1];
      }
      case "resets" -> {
        int r = 0;
        for (int j = lo + 1; j < hi; j++) {
          if (f[j] < f[j - 1]) {
            r++;
          }
        }
        return r;
      }
      case "changes" -> {
        int r = 0;
        for (int j = lo + 1; j < hi; j++) {
          if (f[j] != f[j - 1] && !(Double.isNaN(f[j]) && Double.isNaN(f[j - 1]))) {
            r++;
          }
        }
        return r;
      }
      case "avg_over_time" -> {
        double[] v = java.util.Arrays.copyOfRange(f, lo, hi);
        return AggregateEval.avg(v, v.length);
      }
      case "sum_over_time" -> {
        double[] sc = new double[2];
        for (int j = lo; j < hi; j++) {
          GoMath.kahanInc(f[j], sc);
        }
        return sc[0] + sc[1];
      }
      case "count_over_time" -> {
        return count;
      }
      case "min_over_time", "max_over_time" -> {
        boolean min = name.startsWith("min");
        double v = f[lo];
        for (int j = lo + 1; j < hi; j++) {
          if (min ? (f[j] < v || Double.isNaN(v)) : (f[j] > v || Double.isNaN(v))) {
            v = f[j];
          }
        }
        return v;
      }
      case "ts_of_min_over_time", "ts_of_max_over_time" -> {
        boolean min = name.contains("min");
        double v = f[lo];
        long ts = t[lo];
        for (int j = lo + 1; j < hi; j++) {
          if (min ? (f[j] <= v || Double.isNaN(v)) : (f[j] >= v || Double.isNaN(v))) {
            v = f[j];
            ts = t[j];
          }
        }
        return ts / 1000.0;
      }
      case "ts_of_last_over_time" -> {
        return t[hi - 1] / 1000.0;
      }
      case "ts_of_first_over_time" -> {
        return t[lo] / 1000.0;
      }
      case "stddev_over_time", "stdvar_over_time" -> {
        double c = 0;
        double[] mean = new double[2];
        double[] aux = new double[2];
        for (int j = lo; j < hi; j++) {
          c++;
          double delta = f[j] - (mean[0] + mean[1]);
          GoMath.kahanInc(delta / c, mean);
          GoMath.kahanInc(delta * (f[j] - (mean[0] + mean[1])), aux);
        }
        double var = (aux[0] + aux[1]) / c;
        return name.startsWith("stddev") ? Math.sqrt(var) : var;
      }
      case "quantile_over_time" -> {
        return AggregateEval.quantile(p0, java.util.Arrays.copyOfRange(f, lo, hi));
      }
      case "mad_over_time" -> {
        double[] v = java.util.Arrays.copyOfRange(f, lo, hi);
        for (double x : v) {
          if (Double.isNaN(x)) {
            return Double.NaN; // the median, and so the deviation, is undefined
          }
        }
        double median = AggregateEval.quantile(0.5, v);
        for (int j = 0; j < v.length; j++) {
          v[j] = Math.abs(v[j] - median);
        }
        return AggregateEval.quantile(0.5, v);
      }
      case "last_over_time" -> {
        return f[hi - 1];
      }
      case "first_over_time" -> {
        return f[lo];
      }
      case "present_over_time" -> {
        return 1;
      }
      case "double_exponential_smoothing" -> {
        if (count < 2 || p0 <= 0 || p0 >= 1 || p1 <= 0 || p1 >= 1) {
          if (p0 <= 0 || p0 >= 1 || p1 <= 0 || p1 >= 1) {
            throw new EvalException("invalid smoothing factor or trend factor");
          }
          return RangeFunctions.NONE;
        }
        double s0 = 0;
        double s1 = f[lo];
        double b = f[lo + 1] - f[lo];
        for (int j = lo + 1; j < hi; j++) {
          double x = p0 * f[j];
          double trend = j == lo + 1 ? b : p1 * (s1 - s0) + (1 - p1) * b;
          b = trend;
          double y = (1 - p0) * (s1 + b);
          s0 = s1;
          s1 = x + y;
        }
        return s1;
      }
      default -> throw new EvalException("function " + name + " is not supported");
    }
  }

  /**
   * Prometheus' extrapolation of an increase over a window to its edges; {@code zeroRatio} is
   * first/result for counters that may be extrapolated to zero, else negative.
   */
  static double extrapolationFactor(
      long firstT, long lastT, int count, long rangeStart, long rangeEnd, double zeroRatio) {
    double durationToStart = (firstT - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - lastT) / 1000.0;
    double sampled = (lastT - firstT) / 1000.0;
    double avgBetween = sampled / (count - 1);
    double threshold = avgBetween * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = avgBetween / 2;
    }
    if (zeroRatio >= 0) {
      double durationToZero = sampled * zeroRatio;
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = avgBetween / 2;
    }
    return (sampled + durationToStart + durationToEnd) / sampled;
  }

  /** Least-squares slope and intercept, x in seconds relative to {@code interceptTime}. */
  static double[] linearRegression(long[] t, double[] f, int lo, int hi, long interceptTime) {
    double n = 0;
    double[] sx = new double[2];
    double[] sy = new double[2];
    double[] sxy = new double[2];
    double[] sx2 = new double[2];
    double initY = f[lo];
    boolean constY = true;
    for (int j = lo; j < hi; j++) {
      if (constY && j > lo && f[j] != initY) {
        constY = false;
      }
      n++;
      double x = (t[j] - interceptTime) / 1e3;
      GoMath.kahanInc(x, sx);
      GoMath.kahanInc(f[j], sy);
      GoMath.kahanInc(x * f[j], sxy);
      GoMath.kahanInc(x * x, sx2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    double sumX = sx[0] + sx[1];
    double sumY = sy[0] + sy[1];
    double sumXY = sxy[0] + sxy[1];
    double sumX2 = sx2[0] + sx2[1];
    double cov = sumXY - sumX * sumY / n;
    double var = sumX2 - sumX * sumX / n;
    double slope = cov / var;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }
}
