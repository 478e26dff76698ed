package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.promql.BinaryOp;
import dev.vigil.promql.Expr;
import dev.vigil.promql.VectorMatching;
import dev.vigil.promql.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Binary operations: scalar-scalar, vector-scalar and vector-vector with matching. */
final class BinaryEval {
  private final Evaluator ev;

  BinaryEval(Evaluator ev) {
    this.ev = ev;
  }

  Object eval(Expr.BinaryExpr b) {
    Object l = ev.eval(b.lhs());
    Object r = ev.eval(b.rhs());
    BinaryOp op = b.op();
    int n = ev.n;
    if (l instanceof double[] ls && r instanceof double[] rs) {
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        if (op.isComparison()) {
          out[i] = compare(op, ls[i], rs[i]) ? 1 : 0;
        } else {
          out[i] = arith(op, ls[i], rs[i]);
        }
      }
      return out;
    }
    StepCollector out = new StepCollector(n);
    if (l instanceof double[] ls) {
      vectorScalar(op, Evaluator.vec(r), ls, true, b.returnBool(), out);
    } else if (r instanceof double[] rs) {
      vectorScalar(op, Evaluator.vec(l), rs, false, b.returnBool(), out);
    } else {
      VectorMatching m = b.matching() == null ? VectorMatching.oneToOne() : b.matching();
      List<Steps> lv = Evaluator.vec(l);
      List<Steps> rv = Evaluator.vec(r);
      for (int i = 0; i < n; i++) {
        List<Elem> le = Evaluator.at(lv, i);
        List<Elem> re = Evaluator.at(rv, i);
        if (op.isSetOperator()) {
          setOp(op, m, le, re, i, out);
        } else {
          vectorVector(op, m, b.returnBool(), le, re, i, out);
        }
      }
    }
    return out.list();
  }

  static boolean dropsName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, MOD, POW, ATAN2 -> true;
      default -> false;
    };
  }

  private void vectorScalar(
      BinaryOp op, List<Steps> v, double[] s, boolean swap, boolean bool, StepCollector out) {
    for (Steps series : v) {
      for (int i = 0; i < ev.n; i++) {
        if (!series.has[i]) {
          continue;
        }
        Elem e = new Elem(series.labels, series.dropName, series.f[i], series.h[i]);
        Elem r = elemScalar(op, e, s[i], swap, bool);
        if (r != null) {
          out.add(i, r);
        }
      }
    }
  }

  private Elem elemScalar(BinaryOp op, Elem e, double s, boolean swap, boolean bool) {
    boolean drop = e.dropName() || dropsName(op) || bool;
    if (e.h() != null) {
      Histogram h = histScalar(op, e.h(), s, swap);
      if (h == null) {
        ev.annotations.info(
            "incompatible sample types encountered for binary operator \"" + op.symbol() + "\"");
        return null;
      }
      return new Elem(e.labels(), drop, 0, h);
    }
    double lv = swap ? s : e.f();
    double rv = swap ? e.f() : s;
    if (op.isComparison()) {
      boolean keep = compare(op, lv, rv);
      if (bool) {
        return new Elem(e.labels(), drop, keep ? 1 : 0, null);
      }
      return keep ? new Elem(e.labels(), drop, e.f(), null) : null;
    }
    return new Elem(e.labels(), drop, arith(op, lv, rv), null);
  }

  private Histogram histScalar(BinaryOp op, Histogram h, double s, boolean swap) {
    if ((op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER) && !swap && !Double.isNaN(s)) {
      return HistogramTrim.trim(h, s, op == BinaryOp.TRIM_LOWER);
    }
    if (op == BinaryOp.MUL) {
      return Hist.scale(h, s);
    }
    if (op == BinaryOp.DIV && !swap) {
      return Hist.scale(h, 1 / s);
    }
    return null;
  }

  static String signature(Labels l, VectorMatching m) {
    StringBuilder sb = new StringBuilder();
    if (m.on()) {
      for (String name : new TreeSet<>(m.matchingLabels())) {
        String v = l.get(name);
        if (v != null) {
          sb.append(name).append('\u0000').append(v).append('\u0001');
        }
      }
    } else {
      Set<String> ignore = new HashSet<>(m.matchingLabels());
      ignore.add(Labels.METRIC_NAME);
      for (int i = 0; i < l.size(); i++) {
        if (!ignore.contains(l.name(i))) {
          sb.append(l.name(i)).append('\u0000').append(l.value(i)).append('\u0001');
        }
      }
    }
    return sb.toString();
  }

  private void setOp(
      BinaryOp op, VectorMatching m, List<Elem> le, List<Elem> re, int i, StepCollector out) {
    switch (op) {
      case AND -> {
        Set<String> rs = new HashSet<>();
        for (Elem e : re) {
          rs.add(signature(e.labels(), m));
        }
        for (Elem e : le) {
          if (rs.contains(signature(e.labels(), m))) {
            out.add(i, e);
          }
        }
      }
      case OR -> {
        Set<String> ls = new HashSet<>();
        for (Elem e : le) {
          ls.add(signature(e.labels(), m));
          out.add(i, e);
        }
        for (Elem e : re) {
          if (!ls.contains(signature(e.labels(), m))) {
            out.add(i, e);
          }
        }
      }
      case UNLESS -> {
        Set<String> rs = new HashSet<>();
        for (Elem e : re) {
          rs.add(signature(e.labels(), m));
        }
        for (Elem e : le) {
          if (!rs.contains(signature(e.labels(), m))) {
            out.add(i, e);
          }
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
  }

  private void vectorVector(
      BinaryOp op,
      VectorMatching m,
      boolean bool,
      List<Elem> le,
      List<Elem> re,
      int i,
      StepCollector out) {
    Cardinality card = m.cardinality();
    if (card == Cardinality.MANY_TO_MANY) {
      throw new EvalException("many-to-many only allowed for set operators");
    }
    List<Elem> many = le;
    List<Elem> one = re;
    if (card == Cardinality.ONE_TO_MANY) {
      many = re;
      one = le;
    }
    Map<String, Elem> oneBySig = new HashMap<>();
    for (Elem e : one) {
      String sig = signature(e.labels(), m);
      Elem prev = oneBySig.put(sig, e);
      if (prev != null) {
        String side = card == Cardinality.ONE_TO_MANY ? "left" : "right";
        throw new EvalException(
            "found duplicate series for the match group "
                + matchGroup(e.labels(), m)
                + " on the "
                + side
                + " hand-side of the operation: ["
                + prev.labels()
                + ", "
                + e.labels()
                + "];many-to-many matching not allowed: matching labels must be unique on one"
                + " side");
      }
    }
    Set<String> matched = new HashSet<>();
    Set<Labels> inserted = new HashSet<>();
    for (Elem ms : many) {
      String sig = signature(ms.labels(), m);
      Elem os = oneBySig.get(sig);
      if (os == null) {
        continue;
      }
      Elem vl = ms;
      Elem vr = os;
      if (card == Cardinality.ONE_TO_MANY) {
        vl = os;
        vr = ms;
      }
      double value = 0;
      Histogram hist = null;
      boolean keep = true;
      if (vl.h() != null || vr.h() != null) {
        if (vl.h() != null && vr.h() != null && (op == BinaryOp.ADD || op == BinaryOp.SUB)) {
          try {
            hist = op == BinaryOp.ADD ? vl.h().merge(vr.h()) : vl.h().subtract(vr.h());
          } catch (RuntimeException ex) {
            keep = false;
          }
        } else if (vl.h() != null
            && vr.h() != null
            && (op == BinaryOp.EQLC || op == BinaryOp.NEQ)) {
          boolean eq = vl.h().equals(vr.h());
          keep = op == BinaryOp.EQLC ? eq : !eq;
          if (bool) {
            value = keep ? 1 : 0;
          } else {
            hist = vl.h();
          }
        } else if (vl.h() != null && vr.h() == null && (op == BinaryOp.MUL || op == BinaryOp.DIV)) {
          hist = Hist.scale(vl.h(), op == BinaryOp.MUL ? vr.f() : 1 / vr.f());
          keep = hist != null;
        } else if (vr.h() != null && vl.h() == null && op == BinaryOp.MUL) {
          hist = Hist.scale(vr.h(), vl.f());
          keep = hist != null;
        } else {
          ev.annotations.info(
              "incompatible sample types encountered for binary operator \"" + op.symbol() + "\"");
          keep = false;
          if (bool && op.isComparison()) {
            continue;
          }
        }
      } else if (op.isComparison()) {
        keep = compare(op, vl.f(), vr.f());
        value = bool ? (keep ? 1 : 0) : vl.f();
      } else {
        value = arith(op, vl.f(), vr.f());
      }
      Labels metric = resultMetric(ms.labels(), os.labels(), m);
      if (card == Cardinality.ONE_TO_ONE) {
        if (!matched.add(sig)) {
          throw new EvalException(
              "multiple matches for labels: many-to-one matching must be explicit"
                  + " (group_left/group_right)");
        }
      } else if (!inserted.add(metric)) {
        throw new EvalException(
            "multiple matches for labels: grouping labels must ensure unique matches");
      }
      if (!keep && !(bool && op.isComparison())) {
        continue;
      }
      boolean drop = ms.dropName() || dropsName(op) || bool;
      out.add(i, new Elem(metric, drop, value, hist));
    }
  }

  private static String matchGroup(Labels l, VectorMatching m) {
    Labels.Builder b = Labels.builder();
    if (m.on()) {
      for (String name : m.matchingLabels()) {
        String v = l.get(name);
        if (v != null) {
          b.put(name, v);
        }
      }
    } else {
      Set<String> ignore = new HashSet<>(m.matchingLabels());
      ignore.add(Labels.METRIC_NAME);
      for (int i = 0; i < l.size(); i++) {
        if (!ignore.contains(l.name(i))) {
          b.put(l.name(i), l.value(i));
        }
      }
    }
    return b.build().toString();
  }

  private static Labels resultMetric(Labels many, Labels one, VectorMatching m) {
    Labels l = many;
    if (m.cardinality() == Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Labels.Builder b = Labels.builder();
        for (String name : m.matchingLabels()) {
          String v = l.get(name);
          if (v != null) {
            b.put(name, v);
          }
        }
        l = b.build();
      } else {
        for (String name : m.matchingLabels()) {
          l = l.without(name);
        }
      }
    }
    for (String name : m.include()) {
      String v = one.get(name);
      l = v == null || v.isEmpty() ? l.without(name) : l.with(name, v);
    }
    return l;
  }

  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQLC -> l == r;
      case NEQ -> l != r;
      case LSS -> l < r;
      case LTE -> l <= r;
      case GTR -> l > r;
      case GTE -> l >= r;
      default -> throw new IllegalStateException(op.toString());
    };
  }

  static double arith(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> l % r;
      case POW -> GoMath.pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> throw new EvalException("operator " + op.symbol() + " not defined on floats");
    };
  }

  static List<Elem> copy(List<Elem> in) {
    return new ArrayList<>(in);
  }
}
