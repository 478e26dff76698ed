package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** histogram_quantile over classic {@code le} buckets and native histograms, histogram_*. */
final class HistogramFunctions {
  private final Evaluator ev;

  HistogramFunctions(Evaluator ev) {
    this.ev = ev;
  }

  private record Bucket(double upper, double count) {}

  /** {@code histogram_quantile(q, v)}. */
  Object quantile(List<Expr> args) {
    return quantiles(List.of(ev.scalar(args.get(0))), null, Evaluator.vec(ev.eval(args.get(1))));
  }

  /** {@code histogram_quantiles(v, label, q...)} (experimental): one series per quantile. */
  Object quantiles(List<Expr> args) {
    String label = (String) ev.eval(args.get(1));
    if (!Labels.isValidLabelName(label)) {
      throw new EvalException("invalid label name " + GoQuote.quote(label));
    }
    List<double[]> qs = new ArrayList<>();
    for (int j = 2; j < args.size(); j++) {
      qs.add(ev.scalar(args.get(j)));
    }
    return quantiles(qs, label, Evaluator.vec(ev.eval(args.get(0))));
  }

  private Object quantiles(List<double[]> qs, String label, List<Steps> v) {
    StepCollector out = new StepCollector(ev.n);
    for (int i = 0; i < ev.n; i++) {
      for (double[] q : qs) {
        if (q[i] < 0 || q[i] > 1) {
          ev.annotations.warn("quantile value should be between 0 and 1, got " + q[i]);
        }
      }
      Map<Labels, List<Bucket>> groups = new LinkedHashMap<>();
      Map<Labels, Steps> natives = new LinkedHashMap<>();
      for (Steps s : v) {
        if (!s.has[i]) {
          continue;
        }
        if (s.h[i] != null) {
          natives.put(s.labels.without(Labels.METRIC_NAME), s);
          continue;
        }
        String le = s.labels.get("le");
        double upper;
        try {
          upper = le == null ? Double.NaN : parseGoFloat(le);
        } catch (NumberFormatException e) {
          upper = Double.NaN;
        }
        if (Double.isNaN(upper)) {
          ev.annotations.warn("bucket label \"le\" is missing or has a malformed value");
          continue;
        }
        Labels key = s.labels.without("le").without(Labels.METRIC_NAME);
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Bucket(upper, s.f[i]));
      }
      for (Labels key : new ArrayList<>(natives.keySet())) {
        if (groups.containsKey(key)) {
          ev.annotations.warn(
              "vector contains a mix of classic and native histograms for metric name "
                  + GoQuote.quote(
                      natives.get(key).labels.get(Labels.METRIC_NAME) == null
                          ? ""
                          : natives.get(key).labels.get(Labels.METRIC_NAME)));
          natives.remove(key);
          groups.remove(key);
        }
      }
      for (double[] qa : qs) {
        double q = qa[i];
        for (Steps s : natives.values()) {
          Histogram h = s.h[i];
          double total = bucketTotal(h);
          if (h.count() > total) {
            ev.annotations.info("input to histogram_quantile has NaN observations");
          }
          double r;
          if (Double.isNaN(q)) {
            r = Double.NaN;
          } else if (q < 0) {
            r = Double.NEGATIVE_INFINITY;
          } else if (q > 1) {
            r = Double.POSITIVE_INFINITY;
          } else if (q * h.count() > total) {
            r = Double.NaN;
          } else {
            r = h.quantile(q);
          }
          Labels l = label == null ? s.labels : s.labels.with(label, AggregateEval.formatFloat(q));
          out.add(i, new Elem(l, true, r, null));
        }
        for (Map.Entry<Labels, List<Bucket>> g : groups.entrySet()) {
          Labels l =
              label == null ? g.getKey() : g.getKey().with(label, AggregateEval.formatFloat(q));
          out.add(i, new Elem(l, false, bucketQuantile(q, g.getValue()), null));
        }
      }
    }
    return out.list();
  }

  static double parseGoFloat(String s) {
    String t = s.trim();
    switch (t.toLowerCase(java.util.Locale.ROOT)) {
      case "+inf", "inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {
        if (!t.equals(s)
            || t.isEmpty()
            || t.endsWith("d")
            || t.endsWith("f")
            || t.endsWith("D")
            || t.endsWith("F")) {
          throw new NumberFormatException(s);
        }
        return Double.parseDouble(t);
      }
    }
  }

  private double bucketQuantile(double q, List<Bucket> in) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> b = new ArrayList<>(in);
    b.sort((x, y) -> Double.compare(x.upper, y.upper));
    if (b.get(b.size() - 1).upper != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    // Coalesce buckets with the same upper bound.
    List<Bucket> c = new ArrayList<>();
    for (Bucket x : b) {
      if (!c.isEmpty() && c.get(c.size() - 1).upper == x.upper) {
        Bucket last = c.remove(c.size() - 1);
        c.add(new Bucket(x.upper, last.count + x.count));
      } else {
        c.add(x);
      }
    }
    double[] counts = new double[c.size()];
    for (int j = 0; j < counts.length; j++) {
      counts[j] = c.get(j).count;
    }
    boolean forced = false;
    double prev = counts[0];
    for (int j = 1; j < counts.length; j++) {
      double cur = counts[j];
      if (cur == prev) {
        continue;
      }
      if (Math.abs(cur - prev) <= 1e-12 * Math.max(Math.abs(cur), Math.abs(prev))) {
        counts[j] = prev;
        continue;
      }
      if (cur < prev) {
        counts[j] = prev;
        forced = true;
        continue;
      }
      prev = cur;
    }
    if (forced) {
      ev.annotations.info("input to histogram_quantile needed to be fixed for monotonicity");
    }
    if (counts.length < 2) {
      return Double.NaN;
    }
    double observations = counts[counts.length - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int idx = 0;
    while (idx < counts.length - 1 && !(counts[idx] >= rank)) {
      idx++;
    }
    if (idx == counts.length - 1) {
      return c.get(counts.length - 2).upper;
    }
    if (idx == 0 && c.get(0).upper <= 0) {
      return c.get(0).upper;
    }
    double start = 0;
    double endB = c.get(idx).upper;
    double count = counts[idx];
    if (idx > 0) {
      start = c.get(idx - 1).upper;
      count -= counts[idx - 1];
      rank -= counts[idx - 1];
    }
    return start + (endB - start) * (rank / count);
  }

  /** The observations in buckets (the count minus NaN observations). */
  static double bucketTotal(Histogram h) {
    double t = h.zeroCount();
    for (int j = 0; j < h.positiveBucketCount(); j++) {
      t += h.positiveCount(j);
    }
    for (int j = 0; j < h.negativeBucketCount(); j++) {
      t += h.negativeCount(j);
    }
    return t;
  }

  private double fraction(Histogram h, double lo, double hi) {
    double total = bucketTotal(h);
    if (h.count() > total) {
      ev.annotations.info("input to histogram_fraction has NaN observations");
      if (lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY) {
        return total / h.count();
      }
    }
    return h.fraction(lo, hi);
  }

  /** Prometheus' estimate: each bucket's observations at its geometric midpoint. */
  static double variance(Histogram h) {
    double mean = h.sum() / h.count();
    double[] v = new double[2];
    if (h.zeroCount() > 0) {
      double d = 0 - mean;
      GoMath.kahanInc(h.zeroCount() * d * d, v);
    }
    for (int j = 0; j < h.positiveBucketCount(); j++) {
      double c = h.positiveCount(j);
      if (c == 0) {
        continue;
      }
      int idx = h.positiveIndex(j);
      double val =
          Math.sqrt(Histogram.upperBound(idx, h.schema()) * Histogram.lowerBound(idx, h.schema()));
      double d = val - mean;
      GoMath.kahanInc(c * d * d, v);
    }
    for (int j = 0; j < h.negativeBucketCount(); j++) {
      double c = h.negativeCount(j);
      if (c == 0) {
        continue;
      }
      int idx = h.negativeIndex(j);
      double val =
          -Math.sqrt(Histogram.upperBound(idx, h.schema()) * Histogram.lowerBound(idx, h.schema()));
      double d = val - mean;
      GoMath.kahanInc(c * d * d, v);
    }
    return (v[0] + v[1]) / h.count();
  }

  Object simple(String name, List<Expr> args) {
    double[] lo = null;
    double[] hi = null;
    Expr vecArg = args.get(0);
    if (name.equals("histogram_fraction")) {
      lo = ev.scalar(args.get(0));
      hi = ev.scalar(args.get(1));
      vecArg = args.get(2);
    }
    List<Steps> v = Evaluator.vec(ev.eval(vecArg));
    StepCollector out = new StepCollector(ev.n);
    for (Steps s : v) {
      for (int i = 0; i < ev.n; i++) {
        if (!s.has[i] || s.h[i] == null) {
          continue;
        }
        Histogram h = s.h[i];
        double r =
            switch (name) {
              case "histogram_count" -> h.count();
              case "histogram_sum" -> h.sum();
              case "histogram_avg" -> h.sum() / h.count();
              case "histogram_fraction" -> fraction(h, lo[i], hi[i]);
              case "histogram_stddev" -> Math.sqrt(variance(h));
              case "histogram_stdvar" -> variance(h);
              default -> Double.NaN;
            };
        out.add(i, new Elem(s.labels, true, r, null));
      }
    }
    return out.list();
  }
}
