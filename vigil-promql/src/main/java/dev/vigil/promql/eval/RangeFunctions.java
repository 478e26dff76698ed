package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import java.util.List;
import java.util.Set;

/** Functions over range vectors: each series' window (ref - range, ref] at every step. */
final class RangeFunctions {
  private static final Set<String> NAMES =
      Set.of(
          "rate",
          "increase",
          "delta",
          "irate",
          "idelta",
          "deriv",
          "predict_linear",
          "resets",
          "changes",
          "avg_over_time",
          "sum_over_time",
          "count_over_time",
          "min_over_time",
          "max_over_time",
          "stddev_over_time",
          "stdvar_over_time",
          "quantile_over_time",
          "last_over_time",
          "first_over_time",
          "present_over_time",
          "absent_over_time",
          "mad_over_time",
          "ts_of_max_over_time",
          "ts_of_min_over_time",
          "ts_of_last_over_time",
          "ts_of_first_over_time",
          "double_exponential_smoothing");

  private final Evaluator ev;

  RangeFunctions(Evaluator ev) {
    this.ev = ev;
  }

  static boolean handles(String name) {
    return NAMES.contains(name);
  }

  Object eval(Expr.Call c) {
    String name = c.function().name();
    List<Expr> args = c.args();
    int matrixArg = name.equals("quantile_over_time") ? 1 : 0;
    double[] p0 = null;
    double[] p1 = null;
    if (name.equals("quantile_over_time")) {
      p0 = ev.scalar(args.get(0));
    } else if (name.equals("predict_linear")) {
      p0 = ev.scalar(args.get(1));
    } else if (name.equals("double_exponential_smoothing")) {
      p0 = ev.scalar(args.get(1));
      p1 = ev.scalar(args.get(2));
    }
    Evaluator.RangeData data = ev.evalRange(args.get(matrixArg));
    if (name.equals("absent_over_time")) {
      Steps r = new Steps(CallEval.absentLabels(args.get(0)), false, ev.n);
      for (int i = 0; i < ev.n; i++) {
        boolean any = false;
        for (RangeSeries s : data.series()) {
          long ref = data.refs()[i];
          if (s.after(ref) > s.after(ref - data.rangeMillis())) {
            any = true;
            break;
          }
        }
        if (!any) {
          r.set(i, 1, null);
        }
      }
      return List.of(r);
    }
    boolean keepName = name.equals("last_over_time") || name.equals("first_over_time");
    StepCollector out = new StepCollector(ev.n);
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    for (RangeSeries s : data.series()) {
      if (counterCheck && s.size > 0 && s.h == null) {
        String metric = s.labels.get(Labels.METRIC_NAME);
        if (metric != null
            && !(metric.endsWith("_total")
                || metric.endsWith("_sum")
                || metric.endsWith("_count")
                || metric.endsWith("_bucket"))) {
          ev.annotations.info(
              "metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
                  + metric
                  + "\"");
        }
      }
      int lo = 0;
      int hi = 0;
      long prevRef = Long.MIN_VALUE;
      for (int i = 0; i < ev.n; i++) {
        long ref = data.refs()[i];
        long rangeStart = ref - data.rangeMillis();
        if (ref >= prevRef) {
          // Steps move forward: slide both window edges instead of searching again.
          while (lo < s.size && s.t[lo] <= rangeStart) {
            lo++;
          }
          if (hi < lo) {
            hi = lo;
          }
          while (hi < s.size && s.t[hi] <= ref) {
            hi++;
          }
        } else {
          lo = s.after(rangeStart);
          hi = s.after(ref);
        }
        prevRef = ref;
        if (hi <= lo) {
          continue;
        }
        boolean anyHist = false;
        boolean anyFloat = s.h == null;
        if (s.h != null) {
          for (int j = lo; j < hi; j++) {
            if (s.h[j] != null) {
              anyHist = true;
            } else {
              anyFloat = true;
            }
          }
        }
        int windowLo = lo;
        if ((name.equals("irate") || name.equals("idelta")) && hi - lo >= 2) {
          // Only the last two samples count, whatever came before them.
          windowLo = hi - 2;
          anyHist = s.isHistogram(windowLo) || s.isHistogram(windowLo + 1);
          anyFloat = !s.isHistogram(windowLo) || !s.isHistogram(windowLo + 1);
        }
        Elem r;
        if (name.equals("quantile_over_time") && !(p0[i] >= 0 && p0[i] <= 1)) {
          ev.annotations.warn("quantile value should be between 0 and 1, got " + p0[i]);
        }
        if (anyHist && (!anyFloat || !FLOAT_ONLY.contains(name))) {
          if (anyFloat
              && (name.equals("sum_over_time")
                  || name.equals("avg_over_time")
                  || name.equals("rate")
                  || name.equals("increase")
                  || name.equals("delta")
                  || name.equals("irate")
                  || name.equals("idelta"))) {
            ev.annotations.warn(
                "encountered a mix of histograms and floats for metric name \""
                    + s.labels.get(Labels.METRIC_NAME)
                    + "\"");
            r = null;
          } else {
            r = histogramWindow(name, s, windowLo, hi, anyFloat, data, i);
          }
        } else {
          RangeSeries fs = s;
          int flo = windowLo;
          int fhi = hi;
          if (anyHist) {
            ev.annotations.info(
                "ignored histograms in a range containing both floats and histograms for metric name \""
                    + s.labels.get(Labels.METRIC_NAME)
                    + "\"");
            fs = floatsOnly(s, windowLo, hi);
            flo = 0;
            fhi = fs.size;
          }
          double v =
              FloatWindows.floatWindow(
                  name,
                  fs,
                  flo,
                  fhi,
                  rangeStart,
                  ref,
                  data.rangeMillis(),
                  ev.stepTime(i),
                  p0 == null ? 0 : p0[i],
                  p1 == null ? 0 : p1[i]);
          r =
              Double.isNaN(v) && Double.doubleToRawLongBits(v) == NO_VALUE
                  ? null
                  : new Elem(s.labels, s.dropName || !keepName, v, null);
        }
        if (r != null) {
          out.add(i, r);
        }
      }
    }
    return out.list();
  }

  /** Functions that use a window's floats only, ignoring its histograms with an info. */
  private static final Set<String> FLOAT_ONLY =
      Set.of(
          "deriv",
          "predict_linear",
          "min_over_time",
          "max_over_time",
          "stddev_over_time",
          "stdvar_over_time",
          "quantile_over_time",
          "mad_over_time",
          "double_exponential_smoothing",
          "ts_of_max_over_time",
          "ts_of_min_over_time");

  private static RangeSeries floatsOnly(RangeSeries s, int lo, int hi) {
    long[] t = new long[hi - lo];
    double[] f = new double[hi - lo];
    int k = 0;
    for (int j = lo; j < hi; j++) {
      if (!s.isHistogram(j)) {
        t[k] = s.t[j];
        f[k] = s.f[j];
        k++;
      }
    }
    return new RangeSeries(s.labels, s.dropName, t, f, null, k);
  }

  /** A NaN payload meaning "no output for this series at this step". */
  static final long NO_VALUE = 0x7ff8dead0000beefL;

  static final double NONE = Double.longBitsToDouble(NO_VALUE);

  private Elem histogramWindow(
      String name, RangeSeries s, int lo, int hi, boolean anyFloat, Evaluator.RangeData d, int i) {
    boolean keep = name.equals("last_over_time") || name.equals("first_over_time");
    switch (name) {
      case "count_over_time" -> {
        return new Elem(s.labels, true, hi - lo, null);
      }
      case "present_over_time" -> {
        return new Elem(s.labels, true, 1, null);
      }
      case "last_over_time" -> {
        int j = hi - 1;
        return new Elem(s.labels, s.dropName || !keep, s.f[j], s.isHistogram(j) ? s.h[j] : null);
      }
      case "first_over_time" -> {
        return new Elem(s.labels, s.dropName, s.f[lo], s.isHistogram(lo) ? s.h[lo] : null);
      }
      case "ts_of_last_over_time" -> {
        return new Elem(s.labels, true, s.t[hi - 1] / 1000.0, null);
      }
      case "ts_of_first_over_time" -> {
        return new Elem(s.labels, true, s.t[lo] / 1000.0, null);
      }
      case "changes", "resets" -> {
        int r = 0;
        for (int j = lo + 1; j < hi; j++) {
          boolean ch = s.isHistogram(j);
          boolean ph = s.isHistogram(j - 1);
          if (ch && ph) {
            if (name.equals("changes")
                ? !s.h[j].equals(s.h[j - 1])
                : s.h[j].isCounterResetSince(s.h[j - 1])) {
              r++;
            }
          } else if (!ch && !ph) {
            if (name.equals("changes")
                ? s.f[j] != s.f[j - 1] && !(Double.isNaN(s.f[j]) && Double.isNaN(s.f[j - 1]))
                : s.f[j] < s.f[j - 1]) {
              r++;
            }
          } else if (name.equals("changes")) {
            r++;
          } else {
            r++;
          }
        }
        return new Elem(s.labels, true, r, null);
      }
      case "irate", "idelta" -> {
        if (hi - lo < 2) {
          return null;
        }
        try {
          Histogram last = s.h[hi - 1];
          Histogram prev = s.h[hi - 2];
          Histogram diff =
              name.equals("irate") && last.isCounterResetSince(prev) ? last : last.subtract(prev);
          if (name.equals("irate")) {
            diff = Hist.scale(diff, 1000.0 / (s.t[hi - 1] - s.t[hi - 2]));
          }
          return diff == null ? null : new Elem(s.labels, true, 0, diff);
        } catch (RuntimeException e) {
          return null; // negative counts: the model cannot hold them
        }
      }
      case "delta" -> {
        if (hi - lo < 2) {
          return null;
        }
        try {
          Histogram diff = s.h[hi - 1].subtract(s.h[lo]);
          double factor =
              FloatWindows.extrapolationFactor(
                  s.t[lo], s.t[hi - 1], hi - lo, d.refs()[i] - d.rangeMillis(), d.refs()[i], -1);
          Histogram r = Hist.scale(diff, factor);
          return r == null ? null : new Elem(s.labels, true, 0, r);
        } catch (RuntimeException e) {
          return null; // negative counts: the model cannot hold them
        }
      }
      case "rate", "increase" -> {
        if (hi - lo < 2) {
          return null;
        }
        try {
          Histogram acc = null;
          for (int j = lo + 1; j < hi; j++) {
            Histogram inc =
                s.h[j].isCounterResetSince(s.h[j - 1]) ? s.h[j] : s.h[j].subtract(s.h[j - 1]);
            acc = acc == null ? inc : acc.merge(inc);
          }
          double first = s.h[lo].count();
          double factor =
              FloatWindows.extrapolationFactor(
                  s.t[lo],
                  s.t[hi - 1],
                  hi - lo,
                  d.refs()[i] - d.rangeMillis(),
                  d.refs()[i],
                  acc.count() > 0 && first >= 0 ? first / acc.count() : -1);
          if (name.equals("rate")) {
            factor /= d.rangeMillis() / 1000.0;
          }
          Histogram r = Hist.scale(acc, factor);
          return r == null ? null : new Elem(s.labels, true, 0, r);
        } catch (RuntimeException e) {
          return null;
        }
      }
      default -> {
        if (anyFloat) {
          return null;
        }
        if (name.equals("sum_over_time") || name.equals("avg_over_time")) {
          java.util.List<Histogram> hs = new java.util.ArrayList<>();
          for (int j = lo; j < hi; j++) {
            hs.add(s.h[j]);
          }
          Histogram acc;
          try {
            acc = HistogramSum.sum(hs, name.equals("avg_over_time") ? 1.0 / (hi - lo) : 1);
          } catch (RuntimeException e) {
            acc = null; // counts the model cannot hold (infinite, negative)
          }
          return acc == null ? null : new Elem(s.labels, true, 0, acc);
        }
        return null;
      }
    }
  }
}
