package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.promql.AtModifier;
import dev.vigil.promql.Expr;
import dev.vigil.promql.LabelMatcher;
import dev.vigil.promql.ValueType;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates an expression at every step of [start, end] as Prometheus' engine does: each node is
 * evaluated once for the whole range, selectors load their series once and slide over them.
 *
 * <p>Node results: {@code double[]} (a scalar per step), {@code String}, or {@code List<Steps>} (an
 * instant vector per step).
 */
final class Evaluator {
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  final Storage storage;
  final long start;
  final long end;
  final long interval;
  final int n;
  final long lookbackMillis;
  final long queryStart;
  final long queryEnd;
  long queryStep;
  final Annotations annotations;

  /** Samples this query may still load, shared with its subqueries' evaluators. */
  final long[] sampleBudget;

  /** Prometheus' message when a query would load more samples than allowed. */
  static final String TOO_MANY_SAMPLES =
      "query processing would load too many samples into memory in query execution";

  Evaluator(
      Storage storage,
      long start,
      long end,
      long interval,
      long lookbackMillis,
      long queryStart,
      long queryEnd,
      Annotations annotations) {
    this(
        storage,
        start,
        end,
        interval,
        lookbackMillis,
        queryStart,
        queryEnd,
        annotations,
        new long[] {Long.MAX_VALUE});
  }

  Evaluator(
      Storage storage,
      long start,
      long end,
      long interval,
      long lookbackMillis,
      long queryStart,
      long queryEnd,
      Annotations annotations,
      long[] sampleBudget) {
    this.sampleBudget = sampleBudget;
    this.storage = storage;
    this.start = start;
    this.end = end;
    this.interval = interval <= 0 ? 1 : interval;
    this.n = (int) ((end - start) / this.interval) + 1;
    this.lookbackMillis = lookbackMillis;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.annotations = annotations;
  }

  long stepTime(int i) {
    return start + i * interval;
  }

  static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
  }

  Object eval(Expr e) {
    if (e instanceof Expr.NumberLiteral num) {
      double[] out = new double[n];
      Arrays.fill(out, num.value());
      return out;
    } else if (e instanceof Expr.StringLiteral s) {
      return s.value();
    } else if (e instanceof Expr.ParenExpr p) {
      return eval(p.expr());
    } else if (e instanceof Expr.UnaryExpr u) {
      Object v = eval(u.expr());
      if (!u.negative()) {
        return v;
      }
      if (v instanceof double[] d) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
          out[i] = -d[i];
        }
        return out;
      }
      List<Steps> out = new ArrayList<>();
      for (Steps s : vec(v)) {
        Steps r = new Steps(s.labels, true, n);
        for (int i = 0; i < n; i++) {
          if (s.has[i] && s.h[i] == null) {
            r.set(i, -s.f[i], null);
          } else if (s.has[i]) {
            // A negated histogram has negative counts, which the model cannot hold: no sample.
            annotations.info("a negated native histogram cannot be represented; sample dropped");
          }
        }
        out.add(r);
      }
      return out;
    } else if (e instanceof Expr.VectorSelector vs) {
      return selectVector(vs, false);
    } else if (e instanceof Expr.BinaryExpr b) {
      return new BinaryEval(this).eval(b);
    } else if (e instanceof Expr.AggregateExpr a) {
      return new AggregateEval(this).eval(a);
    } else if (e instanceof Expr.Call c) {
      return new CallEval(this).eval(c);
    } else if (e instanceof Expr.MatrixSelector || e instanceof Expr.SubqueryExpr) {
      throw new EvalException("a range vector cannot be evaluated as an instant vector here");
    }
    throw new EvalException("unsupported expression " + e);
  }

  @SuppressWarnings("unchecked")
  static List<Steps> vec(Object v) {
    return (List<Steps>) v;
  }

  /** The reference time of a selector at step i: its @ time or the step, minus the offset. */
  long refTime(AtModifier at, long offsetMillis, long stepTime) {
    long base = stepTime;
    if (at != null) {
      base =
          switch (at.kind()) {
            case TIMESTAMP -> at.timestampMillis();
            case START -> queryStart;
            case END -> queryEnd;
          };
    }
    return base - offsetMillis;
  }

  /** Loads every series matching the selector with samples in [mint, maxt], stale markers kept. */
  List<RangeSeries> load(Expr.VectorSelector vs, long mint, long maxt, boolean dropStale) {
    List<LabelMatcher> all = vs.allMatchers();
    List<Matcher> eq = new ArrayList<>();
    for (LabelMatcher m : all) {
      if (m.type() == LabelMatcher.MatchType.EQUAL && !m.value().isEmpty()) {
        eq.add(Matcher.equal(m.name(), m.value()));
      }
    }
    List<RangeSeries> out = new ArrayList<>();
    if (maxt < mint) {
      return out;
    }
    try (Querier q = storage.querier(mint, maxt)) {
      for (Series s : q.select(eq.toArray(new Matcher[0]))) {
        if (Thread.currentThread().isInterrupted()) {
          throw new EvalException("query was canceled");
        }
        Labels labels = s.labels();
        boolean ok = true;
        for (LabelMatcher m : all) {
          String v = labels.get(m.name());
          if (!m.matches(v == null ? "" : v)) {
            ok = false;
            break;
          }
        }
        if (!ok) {
          continue;
        }
        long[] t = new long[16];
        double[] f = new double[16];
        Histogram[] h = null;
        int size = 0;
        SampleCursor c = s.cursor();
        while (c.next()) {
          long ts = c.timestampMillis();
          if (ts < mint || ts > maxt) {
            continue;
          }
          boolean hist = c.isHistogram();
          double v = hist ? 0 : c.value();
          if (dropStale && !hist && isStale(v)) {
            continue;
          }
          if (size == t.length) {
            t = Arrays.copyOf(t, size * 2);
            f = Arrays.copyOf(f, size * 2);
            if (h != null) {
              h = Arrays.copyOf(h, size * 2);
            }
          }
          t[size] = ts;
          f[size] = v;
          if (hist) {
            if (h == null) {
              h = new Histogram[t.length];
            }
            h[size] = c.histogram();
          }
          size++;
        }
        sampleBudget[0] -= size;
        if (sampleBudget[0] < 0) {
          throw new EvalException(TOO_MANY_SAMPLES);
        }
        out.add(new RangeSeries(labels, false, t, f, h, size));
      }
    }
    return out;
  }

  /**
   * An instant vector selector at every step: the newest sample in (ref - lookback, ref], unless it
   * is a stale marker. With {@code timestamps}, the value is the sample's timestamp in seconds.
   */
  List<Steps> selectVector(Expr.VectorSelector vs, boolean timestamps) {
    long[] refs = new long[n];
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      refs[i] = refTime(vs.at(), vs.offsetMillis(), stepTime(i));
      min = Math.min(min, refs[i]);
      max = Math.max(max, refs[i]);
    }
    List<Steps> out = new ArrayList<>();
    for (RangeSeries s : load(vs, min - lookbackMillis + 1, max, false)) {
      Steps r = null;
      int next = 0; // first sample after the previous step's reference time
      long prevRef = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        if (refs[i] >= prevRef) {
          while (next < s.size && s.t[next] <= refs[i]) {
            next++;
          }
        } else {
          next = s.after(refs[i]);
        }
        prevRef = refs[i];
        int idx = next - 1;
        if (idx < 0 || s.t[idx] <= refs[i] - lookbackMillis) {
          continue;
        }
        if (!s.isHistogram(idx) && isStale(s.f[idx])) {
          continue;
        }
        if (r == null) {
          r = new Steps(s.labels, false, n);
        }
        if (timestamps) {
          r.set(i, s.t[idx] / 1000.0, null);
        } else {
          r.set(i, s.f[idx], s.isHistogram(idx) ? s.h[idx] : null);
        }
      }
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** A range-vector expression: its series, and the window end (ref time) at each step. */
  record RangeData(List<RangeSeries> series, long[] refs, long rangeMillis) {}

  RangeData evalRange(Expr e) {
    while (e instanceof Expr.ParenExpr p) {
      e = p.expr();
    }
    long[] refs = new long[n];
    if (e instanceof Expr.MatrixSelector ms) {
      Expr.VectorSelector vs = ms.selector();
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        refs[i] = refTime(vs.at(), vs.offsetMillis(), stepTime(i));
        min = Math.min(min, refs[i]);
        max = Math.max(max, refs[i]);
      }
      return new RangeData(load(vs, min - ms.rangeMillis() + 1, max, true), refs, ms.rangeMillis());
    } else if (e instanceof Expr.SubqueryExpr sq) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        refs[i] = refTime(sq.at(), sq.offsetMillis(), stepTime(i));
        min = Math.min(min, refs[i]);
        max = Math.max(max, refs[i]);
      }
      long step = sq.stepMillis() == 0 ? 60_000 : sq.stepMillis();
      long lowest = min - sq.rangeMillis();
      long innerStart = step * (lowest / step);
      if (innerStart <= lowest) {
        innerStart += step;
      }
      List<RangeSeries> series = new ArrayList<>();
      if (innerStart <= max) {
        Evaluator inner =
            new Evaluator(
                storage,
                innerStart,
                max,
                step,
                lookbackMillis,
                queryStart,
                queryEnd,
                annotations,
                sampleBudget);
        inner.queryStep = queryStep;
        Object v = inner.eval(sq.expr());
        if (v instanceof double[] d) {
          Steps s = new Steps(Labels.empty(), false, inner.n);
          for (int i = 0; i < inner.n; i++) {
            s.set(i, d[i], null);
          }
          series.add(inner.toRange(s));
        } else if (v instanceof String) {
          throw new EvalException("a subquery of a string is not supported");
        } else {
          for (Steps s : vec(v)) {
            series.add(inner.toRange(s));
          }
        }
      }
      return new RangeData(series, refs, sq.rangeMillis());
    }
    throw new EvalException("expected a range vector, got " + e.type());
  }

  RangeSeries toRange(Steps s) {
    int count = 0;
    for (boolean b : s.has) {
      if (b) {
        count++;
      }
    }
    long[] t = new long[count];
    double[] f = new double[count];
    Histogram[] h = null;
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (s.has[i]) {
        t[j] = stepTime(i);
        f[j] = s.f[i];
        if (s.h[i] != null) {
          if (h == null) {
            h = new Histogram[count];
          }
          h[j] = s.h[i];
        }
        j++;
      }
    }
    return new RangeSeries(s.labels, s.dropName, t, f, h, count);
  }

  /** The elements of a vector result at one step. */
  static List<Elem> at(List<Steps> v, int i) {
    List<Elem> out = new ArrayList<>();
    for (Steps s : v) {
      if (s.has[i]) {
        out.add(new Elem(s.labels, s.dropName, s.f[i], s.h[i]));
      }
    }
    return out;
  }

  /** A scalar argument: evaluated per step. */
  double[] scalar(Expr e) {
    Object v = eval(e);
    if (v instanceof double[] d) {
      return d;
    }
    throw new EvalException("expected a scalar, got " + e.type());
  }

  static boolean isScalarType(Expr e) {
    return e.type() == ValueType.SCALAR;
  }
}
