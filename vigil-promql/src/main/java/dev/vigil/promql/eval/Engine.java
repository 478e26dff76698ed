package dev.vigil.promql.eval;

import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import dev.vigil.promql.ValueType;
import dev.vigil.tsdb.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates PromQL expressions over a {@link Storage} with Prometheus 3 semantics: 5-minute
 * lookback, left-open windows, stale markers, delayed {@code __name__} removal.
 */
public final class Engine {
  /** Prometheus' default lookback delta. */
  public static final long DEFAULT_LOOKBACK_MILLIS = 5 * 60_000;

  /** Prometheus' default of {@code --query.max-samples}. */
  public static final long DEFAULT_MAX_SAMPLES = 50_000_000;

  private final Storage storage;
  private final long lookbackMillis;
  private final long maxSamples;

  public Engine(Storage storage) {
    this(storage, DEFAULT_LOOKBACK_MILLIS);
  }

  public Engine(Storage storage, long lookbackMillis) {
    this(storage, lookbackMillis, Long.MAX_VALUE);
  }

  /**
   * An engine whose queries fail with Prometheus' "too many samples" error once they have loaded
   * more than {@code maxSamples} samples from the store.
   */
  public Engine(Storage storage, long lookbackMillis, long maxSamples) {
    if (maxSamples < 1) {
      throw new IllegalArgumentException("maxSamples must be positive: " + maxSamples);
    }
    this.storage = storage;
    this.lookbackMillis = lookbackMillis;
    this.maxSamples = maxSamples;
  }

  /** An instant query at {@code timeMillis}. */
  public Result instant(Expr e, long timeMillis) {
    Annotations a = new Annotations();
    Evaluator ev =
        new Evaluator(
            storage,
            timeMillis,
            timeMillis,
            1,
            lookbackMillis,
            timeMillis,
            timeMillis,
            a,
            new long[] {maxSamples});
    Value v;
    if (e.type() == ValueType.MATRIX) {
      Evaluator.RangeData d = ev.evalRange(e);
      long ref = d.refs()[0];
      List<Value.SeriesPoints> out = new ArrayList<>();
      for (RangeSeries s : d.series()) {
        int lo = s.after(ref - d.rangeMillis());
        int hi = s.after(ref);
        if (hi <= lo) {
          continue;
        }
        List<Value.Point> pts = new ArrayList<>();
        for (int j = lo; j < hi; j++) {
          pts.add(new Value.Point(s.t[j], s.f[j], s.isHistogram(j) ? s.h[j] : null));
        }
        Labels l = s.dropName ? s.labels.without(Labels.METRIC_NAME) : s.labels;
        out.add(new Value.SeriesPoints(l, pts));
      }
      out.sort((x, y) -> x.labels().compareTo(y.labels()));
      v = new Value.Matrix(out);
    } else {
      Object r = ev.eval(e);
      if (r instanceof double[] d) {
        v = new Value.Scalar(timeMillis, d[0]);
      } else if (r instanceof String s) {
        v = new Value.Str(timeMillis, s);
      } else {
        List<Value.Sample> samples = new ArrayList<>();
        Map<Labels, Boolean> seen = new HashMap<>();
        for (Steps s : Evaluator.vec(r)) {
          if (!s.has[0]) {
            continue;
          }
          Labels l = s.dropName ? s.labels.without(Labels.METRIC_NAME) : s.labels;
          if (seen.put(l, true) != null) {
            throw new EvalException("vector cannot contain metrics with the same labelset");
          }
          samples.add(new Value.Sample(l, timeMillis, s.f[0], s.h[0]));
        }
        v = new Value.Vector(samples);
      }
    }
    return new Result(v, new ArrayList<>(a.warnings), new ArrayList<>(a.infos));
  }

  /** A range query: the expression at every step of [start, end]. */
  public Result range(Expr e, long startMillis, long endMillis, long stepMillis) {
    if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
      throw new EvalException(
          "invalid expression type \""
              + e.type()
              + "\" for range query, must be Scalar or instant Vector");
    }
    Annotations a = new Annotations();
    Evaluator ev =
        new Evaluator(
            storage,
            startMillis,
            endMillis,
            stepMillis,
            lookbackMillis,
            startMillis,
            endMillis,
            a,
            new long[] {maxSamples});
    if (containsSort(e)) {
      a.warn("sort is ineffective for range queries");
    }
    ev.queryStep = stepMillis;
    Object r = ev.eval(e);
    List<Steps> series;
    if (r instanceof double[] d) {
      Steps s = new Steps(Labels.empty(), false, ev.n);
      for (int i = 0; i < ev.n; i++) {
        s.set(i, d[i], null);
      }
      series = List.of(s);
    } else {
      series = Evaluator.vec(r);
    }
    Map<Labels, Value.Point[]> merged = new LinkedHashMap<>();
    for (Steps s : series) {
      Labels l = s.dropName ? s.labels.without(Labels.METRIC_NAME) : s.labels;
      Value.Point[] pts = merged.computeIfAbsent(l, k -> new Value.Point[ev.n]);
      for (int i = 0; i < ev.n; i++) {
        if (s.has[i]) {
          if (pts[i] != null) {
            throw new EvalException("vector cannot contain metrics with the same labelset");
          }
          pts[i] = new Value.Point(ev.stepTime(i), s.f[i], s.h[i]);
        }
      }
    }
    List<Value.SeriesPoints> out = new ArrayList<>();
    for (Map.Entry<Labels, Value.Point[]> m : merged.entrySet()) {
      List<Value.Point> pts = new ArrayList<>();
      for (Value.Point p : m.getValue()) {
        if (p != null) {
          pts.add(p);
        }
      }
      if (!pts.isEmpty()) {
        out.add(new Value.SeriesPoints(m.getKey(), pts));
      }
    }
    out.sort((x, y) -> x.labels().compareTo(y.labels()));
    return new Result(new Value.Matrix(out), new ArrayList<>(a.warnings), new ArrayList<>(a.infos));
  }

  private static boolean containsSort(Expr e) {
    if (e instanceof Expr.Call c) {
      if (c.function().name().startsWith("sort")) {
        return true;
      }
      for (Expr a : c.args()) {
        if (containsSort(a)) {
          return true;
        }
      }
      return false;
    }
    if (e instanceof Expr.ParenExpr p) {
      return containsSort(p.expr());
    }
    if (e instanceof Expr.UnaryExpr u) {
      return containsSort(u.expr());
    }
    if (e instanceof Expr.AggregateExpr a) {
      return containsSort(a.expr());
    }
    if (e instanceof Expr.BinaryExpr b) {
      return containsSort(b.lhs()) || containsSort(b.rhs());
    }
    if (e instanceof Expr.SubqueryExpr s) {
      return containsSort(s.expr());
    }
    return false;
  }
}
