package dev.vigil.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PromQL expression: an immutable tree of records, compared by value. Source positions are not
 * part of the tree (the parser reports them in errors only). {@link Printer#print} writes the
 * canonical text, and {@code Parser.parse(Printer.print(e))} equals {@code e} for every tree the
 * parser produces.
 */
public sealed interface Expr
    permits Expr.NumberLiteral,
        Expr.StringLiteral,
        Expr.VectorSelector,
        Expr.MatrixSelector,
        Expr.SubqueryExpr,
        Expr.Call,
        Expr.AggregateExpr,
        Expr.BinaryExpr,
        Expr.UnaryExpr,
        Expr.ParenExpr {

  /** The static type of the expression, as Prometheus' {@code Expr.Type()}. */
  ValueType type();

  /**
   * A number; a unary minus before a number literal is folded into it, as Prometheus does.
   *
   * @param value the number (seconds for a duration)
   * @param duration written as a duration ({@code 5m}), which PromQL 3 reads as seconds; printed
   *     back as a duration
   */
  record NumberLiteral(double value, boolean duration) implements Expr {
    /** A plain number. */
    public NumberLiteral(double value) {
      this(value, false);
    }

    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  /** A string, already unquoted. */
  record StringLiteral(String value) implements Expr {
    public StringLiteral {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * An instant vector selector.
   *
   * @param name the metric name written before the braces, or "" if none
   * @param matchers the matchers written inside the braces, in source order ({@code {"name"}} is a
   *     {@code __name__} equality matcher)
   * @param offsetMillis the offset modifier, 0 if none (negative allowed)
   * @param at the {@code @} modifier, or null
   */
  record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMillis, AtModifier at)
      implements Expr {
    public VectorSelector {
      Objects.requireNonNull(name, "name");
      if (!name.isEmpty() && !name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw new IllegalArgumentException(
            "a metric name before the braces must match [a-zA-Z_:][a-zA-Z0-9_:]*, got "
                + GoStrings.quote(name)
                + "; put other names in a __name__ matcher");
      }
      matchers = List.copyOf(matchers);
    }

    /** A selector without modifiers. */
    public static VectorSelector of(String name, LabelMatcher... matchers) {
      return new VectorSelector(name, List.of(matchers), 0, null);
    }

    /** The matchers including {@code __name__="name"} for a name written before the braces. */
    public List<LabelMatcher> allMatchers() {
      if (name.isEmpty()) {
        return matchers;
      }
      List<LabelMatcher> all = new ArrayList<>(matchers.size() + 1);
      all.addAll(matchers);
      all.add(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name));
      return List.copyOf(all);
    }

    public VectorSelector withOffset(long millis) {
      return new VectorSelector(name, matchers, millis, at);
    }

    public VectorSelector withAt(AtModifier modifier) {
      return new VectorSelector(name, matchers, offsetMillis, modifier);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /**
   * A range vector selector {@code selector[range]}; the selector carries the offset and {@code @}
   * written after the range.
   */
  record MatrixSelector(VectorSelector selector, long rangeMillis) implements Expr {
    public MatrixSelector {
      Objects.requireNonNull(selector, "selector");
      if (rangeMillis < 0) {
        throw new IllegalArgumentException("negative range: " + rangeMillis + " ms");
      }
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /**
   * A subquery {@code expr[range:step]}.
   *
   * @param stepMillis the resolution, 0 when omitted ({@code [1h:]})
   */
  record SubqueryExpr(
      Expr expr, long rangeMillis, long stepMillis, long offsetMillis, AtModifier at)
      implements Expr {
    public SubqueryExpr {
      Objects.requireNonNull(expr, "expr");
      if (rangeMillis < 0 || stepMillis < 0) {
        throw new IllegalArgumentException(
            "negative subquery range or step: " + rangeMillis + " ms, " + stepMillis + " ms");
      }
    }

    public SubqueryExpr withOffset(long millis) {
      return new SubqueryExpr(expr, rangeMillis, stepMillis, millis, at);
    }

    public SubqueryExpr withAt(AtModifier modifier) {
      return new SubqueryExpr(expr, rangeMillis, stepMillis, offsetMillis, modifier);
    }

    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /** A function call. */
  record Call(Function function, List<Expr> args) implements Expr {
    public Call {
      Objects.requireNonNull(function, "function");
      args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
      return function.returnType();
    }
  }

  /**
   * An aggregation.
   *
   * @param param the parameter of {@code topk}, {@code quantile}, {@code count_values}, ..., or
   *     null
   * @param grouping the labels of {@code by} or {@code without}, empty if none
   * @param without true for {@code without}
   */
  record AggregateExpr(
      AggregationOp op, Expr param, Expr expr, List<String> grouping, boolean without)
      implements Expr {
    public AggregateExpr {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(expr, "expr");
      grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  /**
   * A binary operation.
   *
   * @param returnBool the {@code bool} modifier of a comparison
   * @param matching the vector matching; null when either side is a scalar, as Prometheus leaves it
   *     after type checking; set operators always have many-to-many
   */
  record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching)
      implements Expr {
    public BinaryExpr {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(lhs, "lhs");
      Objects.requireNonNull(rhs, "rhs");
    }

    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }
  }

  /** Unary minus ({@code negative}) or plus on a non-literal operand. */
  record UnaryExpr(boolean negative, Expr expr) implements Expr {
    public UnaryExpr {
      Objects.requireNonNull(expr, "expr");
    }

    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /** Parentheses, kept so that printing reproduces the grouping. */
  record ParenExpr(Expr expr) implements Expr {
    public ParenExpr {
      Objects.requireNonNull(expr, "expr");
    }

    @Override
    public ValueType type() {
      return expr.type();
    }
  }
}
