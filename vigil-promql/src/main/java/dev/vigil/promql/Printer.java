package dev.vigil.promql;

import dev.vigil.promql.Expr.AggregateExpr;
import dev.vigil.promql.Expr.BinaryExpr;
import dev.vigil.promql.Expr.Call;
import dev.vigil.promql.Expr.MatrixSelector;
import dev.vigil.promql.Expr.NumberLiteral;
import dev.vigil.promql.Expr.ParenExpr;
import dev.vigil.promql.Expr.StringLiteral;
import dev.vigil.promql.Expr.SubqueryExpr;
import dev.vigil.promql.Expr.UnaryExpr;
import dev.vigil.promql.Expr.VectorSelector;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * Writes an expression as canonical PromQL text in the style of Prometheus' {@code String()}:
 * lower-case keywords, single spaces around binary operators, {@code by (...)} before the
 * aggregation's arguments, durations as {@code 1h30m}, {@code @} before {@code offset}. Parentheses
 * are printed only where the tree has a {@link ParenExpr}; matchers keep their order (Prometheus
 * sorts them), so that parsing the text gives back an equal tree.
 */
public final class Printer {

  private Printer() {}

  /** The canonical text of an expression. */
  public static String print(Expr e) {
    StringBuilder b = new StringBuilder();
    write(b, e);
    return b.toString();
  }

  private static void write(StringBuilder b, Expr node) {
    if (node instanceof NumberLiteral n) {
      b.append(n.duration() ? formatDurationSeconds(n.value()) : formatNumber(n.value()));
    } else if (node instanceof StringLiteral s) {
      b.append(GoStrings.quote(s.value()));
    } else if (node instanceof VectorSelector vs) {
      writeSelector(b, vs);
      writeAtOffset(b, vs.at(), vs.offsetMillis());
    } else if (node instanceof MatrixSelector m) {
      writeSelector(b, m.selector());
      b.append('[').append(Durations.format(m.rangeMillis())).append(']');
      writeAtOffset(b, m.selector().at(), m.selector().offsetMillis());
    } else if (node instanceof SubqueryExpr s) {
      write(b, s.expr());
      b.append('[').append(Durations.format(s.rangeMillis())).append(':');
      if (s.stepMillis() != 0) {
        b.append(Durations.format(s.stepMillis()));
      }
      b.append(']');
      writeAtOffset(b, s.at(), s.offsetMillis());
    } else if (node instanceof Call c) {
      b.append(c.function().name()).append('(');
      writeList(b, c.args());
      b.append(')');
    } else if (node instanceof AggregateExpr a) {
      b.append(a.op().keyword());
      if (a.without()) {
        b.append(" without (");
        writeLabels(b, a.grouping());
        b.append(") ");
      } else if (!a.grouping().isEmpty()) {
        b.append(" by (");
        writeLabels(b, a.grouping());
        b.append(") ");
      }
      b.append('(');
      if (a.param() != null) {
        write(b, a.param());
        b.append(", ");
      }
      write(b, a.expr());
      b.append(')');
    } else if (node instanceof BinaryExpr top) {
      // Left-nested chains (a + b + c + ...) in a loop, so that long sums do not exhaust the stack.
      ArrayDeque<BinaryExpr> spine = new ArrayDeque<>();
      Expr e = top;
      while (e instanceof BinaryExpr bin) {
        spine.push(bin);
        e = bin.lhs();
      }
      write(b, e);
      while (!spine.isEmpty()) {
        BinaryExpr bin = spine.pop();
        b.append(' ').append(bin.op().symbol());
        if (bin.returnBool()) {
          b.append(" bool");
        }
        writeMatching(b, bin.matching());
        b.append(' ');
        write(b, bin.rhs());
      }
    } else if (node instanceof UnaryExpr u) {
      b.append(u.negative() ? '-' : '+');
      write(b, u.expr());
    } else if (node instanceof ParenExpr p) {
      b.append('(');
      write(b, p.expr());
      b.append(')');
    }
  }

  private static void writeList(StringBuilder b, List<Expr> args) {
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      write(b, args.get(i));
    }
  }

  private static void writeMatching(StringBuilder b, VectorMatching vm) {
    if (vm == null) {
      return;
    }
    boolean grouped =
        vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
            || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
      b.append(vm.on() ? " on (" : " ignoring (");
      writeLabels(b, vm.matchingLabels());
      b.append(')');
    }
    if (grouped) {
      b.append(
          vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
              ? " group_left ("
              : " group_right (");
      writeLabels(b, vm.include());
      b.append(')');
    }
  }

  private static void writeSelector(StringBuilder b, VectorSelector vs) {
    b.append(vs.name());
    if (!vs.matchers().isEmpty() || vs.name().isEmpty()) {
      b.append('{');
      for (int i = 0; i < vs.matchers().size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(vs.matchers().get(i));
      }
      b.append('}');
    }
  }

  private static void writeAtOffset(StringBuilder b, AtModifier at, long offsetMillis) {
    if (at != null) {
      switch (at.kind()) {
        case START -> b.append(" @ start()");
        case END -> b.append(" @ end()");
        case TIMESTAMP -> b.append(" @ ").append(formatSeconds(at.timestampMillis()));
      }
    }
    if (offsetMillis > 0) {
      b.append(" offset ").append(Durations.format(offsetMillis));
    } else if (offsetMillis < 0) {
      b.append(" offset -").append(Durations.format(-offsetMillis));
    }
  }

  /** Milliseconds as seconds with three decimals, exactly ({@code 1.500}, {@code -0.001}). */
  static String formatSeconds(long millis) {
    BigDecimal seconds = BigDecimal.valueOf(millis, 3);
    return seconds.toPlainString();
  }

  private static void writeLabels(StringBuilder b, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      String l = labels.get(i);
      String lower = l.toLowerCase(Locale.ROOT);
      // inf and nan lex as numbers, so as grouping labels they need quotes.
      if (isLegacyLabelName(l) && !lower.equals("inf") && !lower.equals("nan")) {
        b.append(l);
      } else {
        b.append(GoStrings.quote(l));
      }
    }
  }

  /** A label name as written in a matcher: bare if legacy-valid, else quoted (PromQL 3). */
  static String labelName(String name) {
    return isLegacyLabelName(name) ? name : GoStrings.quote(name);
  }

  /** {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static boolean isLegacyLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = Lexer.isAlpha(c) || (i > 0 && Lexer.isDigit(c));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A number as PromQL text: integers without a fraction, others in Java's shortest round-trip form
   * ({@code 1.0E-5} is valid PromQL), {@code Inf}, {@code -Inf}, {@code NaN}, {@code -0}.
   */
  static String formatNumber(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static String formatDurationSeconds(double seconds) {
    long millis = Math.round(Math.abs(seconds) * 1000.0);
    return (Double.doubleToRawLongBits(seconds) < 0 ? "-" : "") + Durations.format(millis);
  }

  /** Go's {@code %f}: six decimals, {@code +Inf}, {@code -Inf}, {@code NaN}. */
  static String goFloatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    // Go prints the double's exact decimal expansion.
    return new BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
