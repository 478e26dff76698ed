package dev.vigil.promql.eval;

import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import dev.vigil.promql.LabelMatcher;
import dev.vigil.promql.Re2;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Function calls: instant-vector functions here, range-vector ones in {@link RangeFunctions}. */
final class CallEval {
  private final Evaluator ev;

  CallEval(Evaluator ev) {
    this.ev = ev;
  }

  Object eval(Expr.Call c) {
    String name = c.function().name();
    List<Expr> args = c.args();
    if (RangeFunctions.handles(name)) {
      return new RangeFunctions(ev).eval(c);
    }
    switch (name) {
      case "time" -> {
        double[] out = new double[ev.n];
        for (int i = 0; i < ev.n; i++) {
          out[i] = ev.stepTime(i) / 1000.0;
        }
        return out;
      }
      case "step", "range", "start", "end" -> {
        double v =
            switch (name) {
              case "step" -> ev.queryStep / 1000.0;
              case "range" -> (ev.queryEnd - ev.queryStart) / 1000.0;
              case "start" -> ev.queryStart / 1000.0;
              default -> ev.queryEnd / 1000.0;
            };
        double[] out = new double[ev.n];
        java.util.Arrays.fill(out, v);
        return out;
      }
      case "min_of", "max_of" -> {
        double[] a = ev.scalar(args.get(0));
        double[] b = ev.scalar(args.get(1));
        double[] out = new double[ev.n];
        for (int i = 0; i < ev.n; i++) {
          out[i] =
              Double.isNaN(a[i]) || Double.isNaN(b[i])
                  ? Double.NaN
                  : name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
        }
        return out;
      }
      case "pi" -> {
        double[] out = new double[ev.n];
        java.util.Arrays.fill(out, Math.PI);
        return out;
      }
      case "scalar" -> {
        List<Steps> v = Evaluator.vec(ev.eval(args.get(0)));
        double[] out = new double[ev.n];
        for (int i = 0; i < ev.n; i++) {
          int count = 0;
          double value = Double.NaN;
          for (Steps s : v) {
            if (s.has[i] && s.h[i] == null) {
              count++;
              value = s.f[i];
            }
          }
          out[i] = count == 1 ? value : Double.NaN;
        }
        return out;
      }
      case "vector" -> {
        double[] s = ev.scalar(args.get(0));
        Steps r = new Steps(Labels.empty(), false, ev.n);
        for (int i = 0; i < ev.n; i++) {
          r.set(i, s[i], null);
        }
        return List.of(r);
      }
      case "timestamp" -> {
        Expr a = args.get(0);
        while (a instanceof Expr.ParenExpr p) {
          a = p.expr();
        }
        if (a instanceof Expr.VectorSelector vs) {
          List<Steps> out = new ArrayList<>();
          for (Steps s : ev.selectVector(vs, true)) {
            Steps r = new Steps(s.labels, true, ev.n);
            System.arraycopy(s.f, 0, r.f, 0, ev.n);
            System.arraycopy(s.has, 0, r.has, 0, ev.n);
            out.add(r);
          }
          return out;
        }
        return perElem(
            args.get(0), (e, i) -> new Elem(e.labels(), true, ev.stepTime(i) / 1000.0, null));
      }
      case "absent" -> {
        List<Steps> v = Evaluator.vec(ev.eval(args.get(0)));
        Steps r = new Steps(absentLabels(args.get(0)), false, ev.n);
        for (int i = 0; i < ev.n; i++) {
          boolean any = false;
          for (Steps s : v) {
            any |= s.has[i];
          }
          if (!any) {
            r.set(i, 1, null);
          }
        }
        return List.of(r);
      }
      case "sort", "sort_desc" -> {
        List<Steps> v = Evaluator.vec(ev.eval(args.get(0)));
        if (ev.n != 1) {
          return v;
        }
        boolean desc = name.equals("sort_desc");
        List<Steps> sorted = new ArrayList<>(v);
        sorted.removeIf(s -> s.h[0] != null);
        sorted.sort(
            (a, b) -> {
              boolean an = Double.isNaN(a.f[0]);
              boolean bn = Double.isNaN(b.f[0]);
              if (an || bn) {
                return Boolean.compare(an, bn);
              }
              return desc ? Double.compare(b.f[0], a.f[0]) : Double.compare(a.f[0], b.f[0]);
            });
        return sorted;
      }
      case "sort_by_label", "sort_by_label_desc" -> {
        List<Steps> v = Evaluator.vec(ev.eval(args.get(0)));
        List<String> labels = new ArrayList<>();
        for (int j = 1; j < args.size(); j++) {
          labels.add((String) ev.eval(args.get(j)));
        }
        boolean desc = name.endsWith("_desc");
        List<Steps> sorted = new ArrayList<>(v);
        Comparator<Steps> cmp =
            (a, b) -> {
              for (String l : labels) {
                String x = a.labels.get(l) == null ? "" : a.labels.get(l);
                String y = b.labels.get(l) == null ? "" : b.labels.get(l);
                int r = NaturalOrder.compare(x, y);
                if (r != 0) {
                  return r;
                }
              }
              return a.labels.compareTo(b.labels);
            };
        sorted.sort(desc ? cmp.reversed() : cmp);
        return sorted;
      }
      case "label_replace" -> {
        return labelReplace(args);
      }
      case "label_join" -> {
        return labelJoin(args);
      }
      case "histogram_quantile" -> {
        return new HistogramFunctions(ev).quantile(args);
      }
      case "histogram_quantiles" -> {
        return new HistogramFunctions(ev).quantiles(args);
      }
      case "histogram_count",
          "histogram_sum",
          "histogram_avg",
          "histogram_stddev",
          "histogram_stdvar",
          "histogram_fraction" -> {
        return new HistogramFunctions(ev).simple(name, args);
      }
      case "clamp", "clamp_min", "clamp_max" -> {
        double[] lo = null;
        double[] hi = null;
        if (name.equals("clamp")) {
          lo = ev.scalar(args.get(1));
          hi = ev.scalar(args.get(2));
        } else if (name.equals("clamp_min")) {
          lo = ev.scalar(args.get(1));
        } else {
          hi = ev.scalar(args.get(1));
        }
        double[] flo = lo;
        double[] fhi = hi;
        return perElem(
            args.get(0),
            (e, i) -> {
              if (e.h() != null) {
                return null;
              }
              double mn = flo == null ? Double.NEGATIVE_INFINITY : flo[i];
              double mx = fhi == null ? Double.POSITIVE_INFINITY : fhi[i];
              if (flo != null && fhi != null && mx < mn) {
                return null;
              }
              double v = e.f();
              if (flo != null) {
                v = Math.max(mn, v);
              }
              if (fhi != null) {
                v = Math.min(mx, v);
              }
              return new Elem(e.labels(), true, v, null);
            });
      }
      case "round" -> {
        double[] to = args.size() > 1 ? ev.scalar(args.get(1)) : null;
        return perElem(
            args.get(0),
            (e, i) -> {
              if (e.h() != null) {
                return null;
              }
              double inv = 1.0 / (to == null ? 1 : to[i]);
              return new Elem(e.labels(), true, Math.floor(e.f() * inv + 0.5) / inv, null);
            });
      }
      case "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month",
          "hour",
          "minute",
          "month",
          "year" -> {
        if (args.isEmpty()) {
          Steps r = new Steps(Labels.empty(), false, ev.n);
          for (int i = 0; i < ev.n; i++) {
            r.set(i, dateFn(name, ev.stepTime(i) / 1000.0), null);
          }
          return List.of(r);
        }
        return perElem(
            args.get(0),
            (e, i) -> e.h() != null ? null : new Elem(e.labels(), true, dateFn(name, e.f()), null));
      }
      default -> {
        DoubleUnaryOperator f = mathFunction(name);
        if (f == null) {
          throw new EvalException("function " + name + " is not supported");
        }
        return perElem(
            args.get(0),
            (e, i) ->
                e.h() != null ? null : new Elem(e.labels(), true, f.applyAsDouble(e.f()), null));
      }
    }
  }

  interface ElemFn {
    Elem apply(Elem e, int step);
  }

  private List<Steps> perElem(Expr arg, ElemFn fn) {
    List<Steps> v = Evaluator.vec(ev.eval(arg));
    StepCollector out = new StepCollector(ev.n);
    for (Steps s : v) {
      for (int i = 0; i < ev.n; i++) {
        if (s.has[i]) {
          Elem r = fn.apply(new Elem(s.labels, s.dropName, s.f[i], s.h[i]), i);
          if (r != null) {
            out.add(i, r);
          }
        }
      }
    }
    return out.list();
  }

  static DoubleUnaryOperator mathFunction(String name) {
    return switch (name) {
      case "abs" -> Math::abs;
      case "ceil" -> Math::ceil;
      case "floor" -> Math::floor;
      case "exp" -> Math::exp;
      case "sqrt" -> Math::sqrt;
      case "ln" -> Math::log;
      case "log2" -> GoMath::log2;
      case "log10" -> Math::log10;
      case "sgn" -> v -> v < 0 ? -1 : v > 0 ? 1 : v;
      case "sin" -> Math::sin;
      case "cos" -> Math::cos;
      case "tan" -> Math::tan;
      case "asin" -> Math::asin;
      case "acos" -> Math::acos;
      case "atan" -> Math::atan;
      case "sinh" -> Math::sinh;
      case "cosh" -> Math::cosh;
      case "tanh" -> Math::tanh;
      case "asinh" ->
          v -> Double.isInfinite(v) ? v : (v == 0 ? v : Math.log(v + Math.sqrt(v * v + 1)) * 1);
      case "acosh" -> v -> v < 1 ? Double.NaN : Math.log(v + Math.sqrt(v * v - 1));
      case "atanh" -> v -> 0.5 * Math.log((1 + v) / (1 - v));
      case "deg" -> v -> v * 180 / Math.PI;
      case "rad" -> v -> v * Math.PI / 180;
      default -> null;
    };
  }

  static double dateFn(String name, double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return Double.NaN;
    }
    ZonedDateTime t = Instant.ofEpochSecond((long) seconds).atZone(ZoneOffset.UTC);
    return switch (name) {
      case "day_of_month" -> t.getDayOfMonth();
      case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
      case "day_of_year" -> t.getDayOfYear();
      case "days_in_month" -> t.toLocalDate().lengthOfMonth();
      case "hour" -> t.getHour();
      case "minute" -> t.getMinute();
      case "month" -> t.getMonthValue();
      case "year" -> t.getYear();
      default -> throw new IllegalStateException(name);
    };
  }

  static Labels absentLabels(Expr arg) {
    while (arg instanceof Expr.ParenExpr p) {
      arg = p.expr();
    }
    Expr.VectorSelector vs = null;
    if (arg instanceof Expr.VectorSelector v) {
      vs = v;
    } else if (arg instanceof Expr.MatrixSelector m) {
      vs = m.selector();
    }
    if (vs == null) {
      return Labels.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> dup = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (LabelMatcher m : vs.matchers()) {
      if (!seen.add(m.name())) {
        dup.add(m.name());
      }
      if (m.type() == LabelMatcher.MatchType.EQUAL && !m.name().equals(Labels.METRIC_NAME)) {
        values.put(m.name(), m.value());
      }
    }
    Labels.Builder b = Labels.builder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!dup.contains(e.getKey()) && !e.getValue().isEmpty()) {
        b.put(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  private List<Steps> labelReplace(List<Expr> args) {
    String dst = (String) ev.eval(args.get(1));
    String repl = (String) ev.eval(args.get(2));
    String src = (String) ev.eval(args.get(3));
    String regex = (String) ev.eval(args.get(4));
    Pattern p;
    try {
      p = Re2.compileAnchored(regex);
    } catch (RuntimeException e) {
      throw new EvalException("invalid regular expression in label_replace(): " + regex);
    }
    if (!Labels.isValidLabelName(dst)) {
      throw new EvalException("invalid destination label name in label_replace(): " + dst);
    }
    List<Steps> v = Evaluator.vec(ev.eval(args.get(0)));
    List<Steps> out = new ArrayList<>();
    for (Steps s : v) {
      String sv = s.labels.get(src) == null ? "" : s.labels.get(src);
      Matcher m = p.matcher(sv);
      Labels l = s.labels;
      boolean drop = s.dropName;
      if (m.matches()) {
        String res = expand(repl, m);
        l = res.isEmpty() ? l.without(dst) : l.with(dst, res);
        if (dst.equals(Labels.METRIC_NAME)) {
          drop = false;
        }
      }
      Steps r = new Steps(l, drop, ev.n);
      System.arraycopy(s.f, 0, r.f, 0, ev.n);
      System.arraycopy(s.h, 0, r.h, 0, ev.n);
      System.arraycopy(s.has, 0, r.has, 0, ev.n);
      out.add(r);
    }
    return merge(out);
  }

  /** Series that became equal are merged; two values at one step are an error. */
  private List<Steps> merge(List<Steps> in) {
    StepCollector c = new StepCollector(ev.n);
    Map<String, boolean[]> seen = new LinkedHashMap<>();
    for (Steps s : in) {
      boolean[] used = seen.computeIfAbsent(s.labels + "/" + s.dropName, k -> new boolean[ev.n]);
      for (int i = 0; i < ev.n; i++) {
        if (s.has[i]) {
          if (used[i]) {
            throw new EvalException("vector cannot contain metrics with the same labelset");
          }
          used[i] = true;
          c.add(i, new Elem(s.labels, s.dropName, s.f[i], s.h[i]));
        }
      }
    }
    return c.list();
  }

  /** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char ch = template.charAt(i);
      if (ch != '$' || i + 1 >= template.length()) {
        sb.append(ch);
        i++;
        continue;
      }
      char nx = template.charAt(i + 1);
      if (nx == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int endIdx;
      if (nx == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(ch);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        endIdx = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length()
            && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        name = template.substring(i + 1, j);
        endIdx = j;
      }
      if (name.isEmpty()) {
        sb.append(ch);
        i++;
        continue;
      }
      String val = "";
      if (name.chars().allMatch(Character::isDigit)) {
        int g = Integer.parseInt(name);
        if (g <= m.groupCount() && m.group(g) != null) {
          val = m.group(g);
        }
      } else {
        try {
          String gv = m.group(name);
          val = gv == null ? "" : gv;
        } catch (IllegalArgumentException e) {
          val = "";
        }
      }
      sb.append(val);
      i = endIdx;
    }
    return sb.toString();
  }

  private List<Steps> labelJoin(List<Expr> args) {
    String dst = (String) ev.eval(args.get(1));
    String sep = (String) ev.eval(args.get(2));
    List<String> srcs = new ArrayList<>();
    for (int j = 3; j < args.size(); j++) {
      String src = (String) ev.eval(args.get(j));
      if (!Labels.isValidLabelName(src)) {
        throw new EvalException("invalid source label name in label_join(): " + src);
      }
      srcs.add(src);
    }
    if (!Labels.isValidLabelName(dst)) {
      throw new EvalException("invalid destination label name in label_join(): " + dst);
    }
    List<Steps> v = Evaluator.vec(ev.eval(args.get(0)));
    List<Steps> out = new ArrayList<>();
    for (Steps s : v) {
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < srcs.size(); j++) {
        if (j > 0) {
          sb.append(sep);
        }
        String x = s.labels.get(srcs.get(j));
        sb.append(x == null ? "" : x);
      }
      String res = sb.toString();
      Labels l = res.isEmpty() ? s.labels.without(dst) : s.labels.with(dst, res);
      boolean drop = s.dropName && !dst.equals(Labels.METRIC_NAME);
      Steps r = new Steps(l, drop, ev.n);
      System.arraycopy(s.f, 0, r.f, 0, ev.n);
      System.arraycopy(s.h, 0, r.h, 0, ev.n);
      System.arraycopy(s.has, 0, r.has, 0, ev.n);
      out.add(r);
    }
    return merge(out);
  }
}
