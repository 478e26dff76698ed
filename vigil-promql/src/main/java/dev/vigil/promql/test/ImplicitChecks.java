package dev.vigil.promql.test;

import dev.vigil.promql.AtModifier;
import dev.vigil.promql.Expr;
import dev.vigil.promql.eval.Engine;
import dev.vigil.promql.eval.Result;
import dev.vigil.promql.eval.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The two checks Prometheus' runner adds to every instant eval (FORMAT.md §8): the same query as a
 * range query around the eval time, and the query with every selector pinned by {@code @} to the
 * eval time, evaluated at other times.
 */
final class ImplicitChecks {
  private static final Set<String> TIME_FUNCTIONS =
      Set.of(
          "time",
          "timestamp",
          "predict_linear",
          "start",
          "end",
          "range",
          "step",
          "minute",
          "hour",
          "month",
          "year",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month");
  private static final Set<String> RANGE_PARAMETERS = Set.of("start", "end", "range", "step");

  private ImplicitChecks() {}

  /** Null if the range query t-1m..t+1m agrees with the expectation at t, else the problem. */
  static String rangeMode(Engine engine, Expr e, long at, Expectation exp) {
    if (exp.ordered || exp.rangeVector || exp.string != null || calls(e, RANGE_PARAMETERS)) {
      return null;
    }
    Result r;
    try {
      r = engine.range(e, at - 60_000, at + 60_000, 60_000);
    } catch (RuntimeException ex) {
      return "range-mode check: error: " + ex.getMessage();
    }
    Value.Matrix m = (Value.Matrix) r.value();
    for (int i = 1; i < m.series().size(); i++) {
      if (m.series().get(i - 1).labels().compareTo(m.series().get(i).labels()) >= 0) {
        return "range-mode check: matrix not sorted";
      }
    }
    Value v;
    if (exp.scalar != null) {
      double value = Double.NaN;
      boolean found = false;
      if (!m.series().isEmpty()) {
        for (Value.Point p : m.series().get(0).points()) {
          if (p.timestampMillis() == at) {
            value = p.value();
            found = true;
          }
        }
      }
      if (!found) {
        return "range-mode check: no scalar point at the eval time";
      }
      v = new Value.Scalar(at, value);
    } else {
      List<Value.Sample> samples = new ArrayList<>();
      for (Value.SeriesPoints s : m.series()) {
        for (Value.Point p : s.points()) {
          if (p.timestampMillis() == at) {
            samples.add(new Value.Sample(s.labels(), at, p.value(), p.histogram()));
          }
        }
      }
      v = new Value.Vector(samples);
    }
    String problem = Compare.checkValue(exp, v);
    return problem == null ? null : "range-mode check: " + problem;
  }

  /** Null if the query pinned with {@code @ t} gives the expected result at other times. */
  static String atInvariance(Engine engine, Expr e, long at, Expectation exp) {
    if (calls(e, TIME_FUNCTIONS)) {
      return null;
    }
    Expr pinned = pin(e, at);
    long[] times =
        at == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * at, 0, at / 5, at, 10 * at};
    for (long t : times) {
      Result r;
      try {
        r = engine.instant(pinned, t);
      } catch (RuntimeException ex) {
        if (exp.fail) {
          continue;
        }
        return "@-invariance check at " + t / 1000.0 + "s: error: " + ex.getMessage();
      }
      if (exp.fail) {
        return "@-invariance check at " + t / 1000.0 + "s: no error";
      }
      Value v = r.value();
      if (v instanceof Value.Vector vec) {
        List<Value.Sample> samples = new ArrayList<>();
        for (Value.Sample s : vec.samples()) {
          samples.add(new Value.Sample(s.labels(), at, s.value(), s.histogram()));
        }
        v = new Value.Vector(samples);
      }
      String problem = Compare.checkValue(exp, v);
      if (problem != null) {
        return "@-invariance check at " + t / 1000.0 + "s: " + problem;
      }
    }
    return null;
  }

  static boolean calls(Expr e, Set<String> names) {
    if (e instanceof Expr.Call c) {
      if (names.contains(c.function().name())) {
        return true;
      }
      for (Expr a : c.args()) {
        if (calls(a, names)) {
          return true;
        }
      }
      return false;
    } else if (e instanceof Expr.ParenExpr p) {
      return calls(p.expr(), names);
    } else if (e instanceof Expr.UnaryExpr u) {
      return calls(u.expr(), names);
    } else if (e instanceof Expr.AggregateExpr a) {
      return (a.param() != null && calls(a.param(), names)) || calls(a.expr(), names);
    } else if (e instanceof Expr.BinaryExpr b) {
      return calls(b.lhs(), names) || calls(b.rhs(), names);
    } else if (e instanceof Expr.SubqueryExpr s) {
      return calls(s.expr(), names);
    }
    return false;
  }

  static Expr pin(Expr e, long at) {
    AtModifier mod = AtModifier.at(at);
    if (e instanceof Expr.VectorSelector vs) {
      return vs.at() == null ? vs.withAt(mod) : vs;
    } else if (e instanceof Expr.MatrixSelector ms) {
      return new Expr.MatrixSelector(
          (Expr.VectorSelector) pin(ms.selector(), at), ms.rangeMillis());
    } else if (e instanceof Expr.SubqueryExpr sq) {
      // As Prometheus' runner: the subquery gets the @, what is inside it stays as written.
      return sq.at() != null ? sq : sq.withAt(mod);
    } else if (e instanceof Expr.Call c) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(pin(a, at));
      }
      return new Expr.Call(c.function(), args);
    } else if (e instanceof Expr.AggregateExpr a) {
      return new Expr.AggregateExpr(
          a.op(),
          a.param() == null ? null : pin(a.param(), at),
          pin(a.expr(), at),
          a.grouping(),
          a.without());
    } else if (e instanceof Expr.BinaryExpr b) {
      return new Expr.BinaryExpr(
          b.op(), pin(b.lhs(), at), pin(b.rhs(), at), b.returnBool(), b.matching());
    } else if (e instanceof Expr.UnaryExpr u) {
      return new Expr.UnaryExpr(u.negative(), pin(u.expr(), at));
    } else if (e instanceof Expr.ParenExpr p) {
      return new Expr.ParenExpr(pin(p.expr(), at));
    }
    return e;
  }
}
