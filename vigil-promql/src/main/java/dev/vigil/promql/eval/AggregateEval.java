package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.promql.AggregationOp;
import dev.vigil.promql.Expr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Aggregation operators, evaluated step by step over groups in first-seen order. */
final class AggregateEval {
  private final Evaluator ev;

  AggregateEval(Evaluator ev) {
    this.ev = ev;
  }

  Object eval(Expr.AggregateExpr a) {
    AggregationOp op = a.op();
    double[] param = null;
    String label = null;
    if (op == AggregationOp.COUNT_VALUES) {
      label = (String) ev.eval(a.param());
      if (!Labels.isValidLabelName(label)) {
        throw new EvalException("invalid label name " + GoQuote.quote(label));
      }
    } else if (a.param() != null) {
      param = ev.scalar(a.param());
    }
    List<Steps> input = Evaluator.vec(ev.eval(a.expr()));
    if (FastAggregation.handles(op, input)) {
      return FastAggregation.aggregate(op, input, new HashSet<>(a.grouping()), a.without(), ev.n);
    }
    StepCollector out = new StepCollector(ev.n);
    Set<String> grouping = new HashSet<>(a.grouping());
    for (int i = 0; i < ev.n; i++) {
      List<Elem> elems = Evaluator.at(input, i);
      Map<Labels, List<Elem>> groups = new LinkedHashMap<>();
      Set<Labels> dropped = new HashSet<>();
      for (Elem e : elems) {
        Labels key = groupKey(e.labels(), grouping, a.without());
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        if (e.dropName() && key.get(Labels.METRIC_NAME) != null) {
          dropped.add(key);
        }
      }
      if ((op == AggregationOp.TOPK
              || op == AggregationOp.BOTTOMK
              || op == AggregationOp.LIMITK
              || op == AggregationOp.LIMIT_RATIO)
          && Double.isNaN(param[i])) {
        throw new EvalException("Parameter value is NaN");
      }
      switch (op) {
        case MIN, MAX, TOPK, BOTTOMK, QUANTILE, STDDEV, STDVAR -> {
          for (Elem e : elems) {
            if (e.h() != null) {
              ev.annotations.info("ignored histogram in " + op.keyword() + " aggregation");
              break;
            }
          }
        }
        default -> {}
      }
      if (op == AggregationOp.QUANTILE && !(param[i] >= 0 && param[i] <= 1)) {
        ev.annotations.warn("quantile value should be between 0 and 1, got " + param[i]);
      }
      if (op == AggregationOp.COUNT_VALUES) {
        // Counted by the output label set: groups whose grouping label is overwritten merge.
        Map<Labels, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<Labels, List<Elem>> g : groups.entrySet()) {
          for (Elem e : g.getValue()) {
            String value = e.h() != null ? GoFormat.histogram(e.h()) : formatFloat(e.f());
            counts.merge(g.getKey().with(label, value), 1, Integer::sum);
          }
        }
        for (Map.Entry<Labels, Integer> c : counts.entrySet()) {
          out.add(i, new Elem(c.getKey(), false, c.getValue(), null));
        }
        continue;
      }
      for (Map.Entry<Labels, List<Elem>> g : groups.entrySet()) {
        aggregate(
            op,
            g.getKey(),
            dropped.contains(g.getKey()),
            g.getValue(),
            param == null ? 0 : param[i],
            label,
            i,
            out);
      }
    }
    return out.list();
  }

  static Labels groupKey(Labels l, Set<String> grouping, boolean without) {
    if (without) {
      Labels r = l.without(Labels.METRIC_NAME);
      for (String name : grouping) {
        r = r.without(name);
      }
      return r;
    }
    Labels.Builder b = Labels.builder();
    for (int j = 0; j < l.size(); j++) {
      if (grouping.contains(l.name(j))) {
        b.put(l.name(j), l.value(j));
      }
    }
    return b.build();
  }

  private void aggregate(
      AggregationOp op,
      Labels key,
      boolean drop,
      List<Elem> g,
      double param,
      String label,
      int i,
      StepCollector out) {
    switch (op) {
      case SUM -> {
        boolean hist = g.get(0).h() != null;
        if (hist) {
          List<Histogram> hs = new ArrayList<>();
          for (Elem e : g) {
            if (e.h() == null) {
              ev.annotations.warn("encountered a mix of histograms and floats for aggregation");
              return;
            }
            hs.add(e.h());
          }
          Histogram acc = sumHistograms(hs, 1);
          if (acc != null) {
            out.add(i, new Elem(key, drop, 0, acc));
          }
          return;
        }
        double[] sc = new double[2];
        for (Elem e : g) {
          if (e.h() != null) {
            ev.annotations.warn("encountered a mix of histograms and floats for aggregation");
            return;
          }
          GoMath.kahanInc(e.f(), sc);
        }
        out.add(i, new Elem(key, drop, sc[0] + sc[1], null));
      }
      case AVG -> {
        if (g.get(0).h() != null) {
          List<Histogram> hs = new ArrayList<>();
          for (Elem e : g) {
            if (e.h() == null) {
              ev.annotations.warn("encountered a mix of histograms and floats for aggregation");
              return;
            }
            hs.add(e.h());
          }
          Histogram avg = sumHistograms(hs, 1.0 / g.size());
          if (avg != null) {
            out.add(i, new Elem(key, drop, 0, avg));
          }
          return;
        }
        for (Elem e : g) {
          if (e.h() != null) {
            ev.annotations.warn("encountered a mix of histograms and floats for aggregation");
            return;
          }
        }
        double[] fs = floats(g);
        if (fs == null) {
          return;
        }
        out.add(i, new Elem(key, drop, avg(fs, fs.length), null));
      }
      case COUNT -> out.add(i, new Elem(key, drop, g.size(), null));
      case GROUP -> out.add(i, new Elem(key, drop, 1, null));
      case MIN, MAX -> {
        double v = Double.NaN;
        boolean any = false;
        for (Elem e : g) {
          if (e.h() != null) {
            continue;
          }
          if (!any) {
            v = e.f();
            any = true;
          } else if (op == AggregationOp.MIN
              ? (v > e.f() || Double.isNaN(v))
              : (v < e.f() || Double.isNaN(v))) {
            v = e.f();
          }
        }
        if (any) {
          out.add(i, new Elem(key, drop, v, null));
        }
      }
      case STDDEV, STDVAR -> {
        double count = 0;
        double[] mean = new double[2];
        double aux = 0;
        boolean any = false;
        for (Elem e : g) {
          if (e.h() != null) {
            continue;
          }
          any = true;
          count++;
          double delta = e.f() - (mean[0] + mean[1]);
          GoMath.kahanInc(delta / count, mean);
          aux += delta * (e.f() - (mean[0] + mean[1]));
        }
        if (!any) {
          return;
        }
        double var = aux / count;
        out.add(i, new Elem(key, drop, op == AggregationOp.STDDEV ? Math.sqrt(var) : var, null));
      }
      case TOPK, BOTTOMK -> {
        if (Double.isNaN(param)) {
          throw new EvalException("Parameter value is NaN");
        }
        long k = param >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) param;
        if (k < 1) {
          return;
        }
        List<Elem> fl = new ArrayList<>();
        for (Elem e : g) {
          if (e.h() == null) {
            fl.add(e);
          }
        }
        boolean top = op == AggregationOp.TOPK;
        Comparator<Elem> cmp =
            (x, y) -> {
              boolean xn = Double.isNaN(x.f());
              boolean yn = Double.isNaN(y.f());
              if (xn || yn) {
                return Boolean.compare(xn, yn);
              }
              return top ? Double.compare(y.f(), x.f()) : Double.compare(x.f(), y.f());
            };
        fl.sort(cmp);
        for (int j = 0; j < fl.size() && j < k; j++) {
          out.add(i, fl.get(j));
        }
      }
      case QUANTILE -> {
        double[] fs = floats(g);
        if (fs == null) {
          return;
        }
        out.add(i, new Elem(key, drop, quantile(param, fs), null));
      }
      case COUNT_VALUES -> {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Elem e : g) {
          String value = e.h() != null ? GoFormat.histogram(e.h()) : formatFloat(e.f());
          counts.merge(value, 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
          out.add(i, new Elem(key.with(label, c.getKey()), drop, c.getValue(), null));
        }
      }
      case LIMITK -> {
        long k = param >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) param;
        for (int j = 0; j < g.size() && j < k; j++) {
          out.add(i, g.get(j)); // the first k series of the group, in input (label) order
        }
      }
      case LIMIT_RATIO -> {
        if (param >= 1 || param <= -1) {
          for (Elem e : g) {
            out.add(i, e);
          }
        } else if (param != 0) {
          throw new EvalException(
              "limit_ratio with a ratio strictly between -1 and 1 is not supported: " + param);
        }
      }
      default -> throw new EvalException("aggregation " + op.keyword() + " is not supported");
    }
  }

  private Histogram sumHistograms(List<Histogram> hs, double factor) {
    try {
      return HistogramSum.sum(hs, factor);
    } catch (RuntimeException e) {
      return null; // counts the model cannot hold (infinite, negative)
    }
  }

  private double[] floats(List<Elem> g) {
    double[] fs = new double[g.size()];
    int j = 0;
    for (Elem e : g) {
      if (e.h() == null) {
        fs[j++] = e.f();
      }
    }
    if (j == 0) {
      return null;
    }
    return j == fs.length ? fs : java.util.Arrays.copyOf(fs, j);
  }

  /** Prometheus' average: a compensated sum, switching to an incremental mean on overflow. */
  static double avg(double[] fs, int len) {
    double[] sc = {fs[0], 0};
    double count = 1;
    boolean incremental = false;
    double[] mean = new double[2];
    for (int j = 1; j < len; j++) {
      double f = fs[j];
      count++;
      if (!incremental) {
        double[] trial = {sc[0], sc[1]};
        GoMath.kahanInc(f, trial);
        if (!Double.isInfinite(trial[0])) {
          sc = trial;
          continue;
        }
        incremental = true;
        mean[0] = sc[0] / (count - 1);
        mean[1] = sc[1] / (count - 1);
      }
      if (Double.isInfinite(mean[0])) {
        if (Double.isInfinite(f) && (mean[0] > 0) == (f > 0)) {
          continue;
        }
        if (!Double.isInfinite(f) && !Double.isNaN(f)) {
          continue;
        }
      }
      double q = (count - 1) / count;
      mean[0] = q * mean[0];
      mean[1] = q * mean[1];
      GoMath.kahanInc(f / count, mean);
    }
    if (incremental) {
      return mean[0] + mean[1];
    }
    return sc[0] / count + sc[1] / count;
  }

  /** Prometheus' quantile: linear interpolation between closest ranks, NaN sorted first. */
  static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] v = values.clone();
    java.util.Arrays.sort(v); // NaN last in Java; Prometheus sorts NaN first
    int nans = 0;
    for (double d : v) {
      if (Double.isNaN(d)) {
        nans++;
      }
    }
    if (nans > 0) {
      double[] w = new double[v.length];
      for (int j = 0; j < nans; j++) {
        w[j] = Double.NaN;
      }
      System.arraycopy(v, 0, w, nans, v.length - nans);
      v = w;
    }
    double n = v.length;
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return v[(int) lower] * (1 - weight) + v[(int) upper] * weight;
  }

  /** Go's strconv.FormatFloat(f, 'f', -1, 64). */
  static String formatFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return 1 / f < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
  }
}
