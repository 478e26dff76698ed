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
import dev.vigil.promql.LabelMatcher.MatchType;
import dev.vigil.promql.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random well-typed PromQL trees of the shape the parser builds: parentheses ({@link ParenExpr})
 * wherever the grammar needs them, unary minus folded into number literals, vector matching only
 * between vectors, set operators many-to-many.
 */
final class RandomExprs {

  private static final String[] METRICS = {
    "foo", "http_requests_total", "a:b:c", "_x1", "sum", "by", "offset", "and", "start", "step"
  };
  private static final String[] LABELS = {
    "job",
    "instance",
    "le",
    "a_b",
    "on",
    "bool",
    "inf",
    "group_left",
    "a.b",
    "ü",
    "__name__x",
    "with space"
  };
  private static final String[] VALUES = {
    "",
    "x",
    "a\"b",
    "back\\slash",
    "tab\there",
    "new\nline",
    "ünï©ödé",
    "😀",
    "\u0001",
    "'q'",
    "`b`"
  };
  private static final String[] REGEXES = {
    ".*", ".+", "a|b", "[[:alpha:]]+", "(?i)foo", "x{2,3}", "\\d+", "[^a-z]", "a(?P<n>b)c"
  };
  private static final double[] NUMBERS = {
    0,
    -0.0,
    1,
    -1,
    0.5,
    -2.25,
    1e-5,
    1e20,
    123456789012345.0,
    4.9e-324,
    Double.MAX_VALUE,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY
  };
  private static final long[] DURATIONS = {
    1,
    999,
    1000,
    90_000,
    300_000,
    3_600_000,
    86_400_000,
    7 * 86_400_000L,
    365 * 86_400_000L,
    400 * 86_400_000L + 1
  };

  /** Labels that Prometheus 2.42 (no quoted names) can write in every position. */
  private static final String[] LEGACY_LABELS = {
    "job", "instance", "le", "a_b", "on", "bool", "group_left", "__name__x"
  };

  /** Functions added after Prometheus 2.42 that are not experimental in 3.x. */
  private static final java.util.Set<String> AFTER_242 =
      java.util.Set.of("histogram_avg", "histogram_stddev", "histogram_stdvar");

  private final Random r;
  private final boolean legacy;

  RandomExprs(Random random) {
    this(random, false);
  }

  /**
   * Trees of PromQL 3, or with {@code legacy} only trees that Prometheus 2.42 also reads: no
   * durations as numbers, quoted names, trim operators, experimental or newer functions.
   */
  RandomExprs(Random random, boolean legacy) {
    this.r = random;
    this.legacy = legacy;
  }

  /** A random expression of any type. */
  Expr any(int depth) {
    return switch (r.nextInt(5)) {
      case 0 -> scalar(depth);
      case 1 -> matrix(depth);
      case 2 -> new StringLiteral(pick(VALUES));
      default -> vector(depth);
    };
  }

  private <T> T pick(T[] items) {
    return items[r.nextInt(items.length)];
  }

  private long duration() {
    return r.nextBoolean() ? DURATIONS[r.nextInt(DURATIONS.length)] : 1 + r.nextInt(1_000_000_000);
  }

  Expr scalar(int depth) {
    int choice = depth <= 0 ? r.nextInt(2) : r.nextInt(8);
    return switch (choice) {
      case 0 -> number();
      case 1 -> call("time");
      case 2 -> call("scalar", vector(depth - 1));
      case 3 -> paren(scalar(depth - 1));
      case 4 -> unary(scalar(depth - 1));
      case 5 ->
          legacy
              ? call("scalar", vector(depth - 1))
              : call("min_of", scalar(depth - 1), scalar(depth - 1));
      default -> {
        BinaryOp op = arithmeticOrComparison();
        yield binary(op, scalar(depth - 1), scalar(depth - 1), op.isComparison(), null);
      }
    };
  }

  private NumberLiteral number() {
    if (!legacy && r.nextInt(4) == 0) {
      long ms = duration();
      return new NumberLiteral((r.nextBoolean() ? ms : -ms) / 1000.0, true);
    }
    return new NumberLiteral(
        r.nextBoolean() ? NUMBERS[r.nextInt(NUMBERS.length)] : r.nextGaussian() * 1e3);
  }

  private BinaryOp arithmeticOrComparison() {
    BinaryOp op;
    do {
      op = BinaryOp.values()[r.nextInt(BinaryOp.values().length)];
    } while (op.isSetOperator() || (legacy && trim(op)));
    return op;
  }

  private static boolean trim(BinaryOp op) {
    return op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER;
  }

  private BinaryOp anyOperator() {
    BinaryOp op;
    do {
      op = BinaryOp.values()[r.nextInt(BinaryOp.values().length)];
    } while (legacy && trim(op));
    return op;
  }

  Expr vector(int depth) {
    int choice = depth <= 0 ? 0 : r.nextInt(9);
    return switch (choice) {
      case 0, 1 -> selector(true);
      case 2 -> aggregation(depth);
      case 3 -> randomCall(depth, ValueType.VECTOR);
      case 4 -> paren(vector(depth - 1));
      case 5 -> unary(vector(depth - 1));
      case 6 -> {
        BinaryOp op = arithmeticOrComparison();
        boolean scalarLeft = r.nextBoolean();
        Expr s = scalar(depth - 1);
        Expr v = vector(depth - 1);
        yield binary(
            op, scalarLeft ? s : v, scalarLeft ? v : s, op.isComparison() && r.nextBoolean(), null);
      }
      default -> {
        BinaryOp op = anyOperator();
        yield binary(
            op,
            vector(depth - 1),
            vector(depth - 1),
            op.isComparison() && r.nextBoolean(),
            matching(op));
      }
    };
  }

  private VectorMatching matching(BinaryOp op) {
    List<String> labels = labels();
    boolean on = r.nextBoolean();
    if (op.isSetOperator()) {
      return new VectorMatching(Cardinality.MANY_TO_MANY, labels, on, List.of());
    }
    return switch (r.nextInt(4)) {
      case 0 -> VectorMatching.oneToOne();
      case 1 -> new VectorMatching(Cardinality.ONE_TO_ONE, labels, on, List.of());
      default -> {
        List<String> include = new ArrayList<>(labels());
        if (on) {
          include.removeAll(labels);
        }
        Cardinality c = r.nextBoolean() ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
        yield new VectorMatching(c, labels, on, include);
      }
    };
  }

  private List<String> labels() {
    List<String> out = new ArrayList<>();
    int n = r.nextInt(3);
    for (int i = 0; i < n; i++) {
      String l = pick(legacy ? LEGACY_LABELS : LABELS);
      if (!out.contains(l)) {
        out.add(l);
      }
    }
    return out;
  }

  Expr matrix(int depth) {
    if (depth <= 0 || r.nextBoolean()) {
      VectorSelector vs = selector(false);
      return new MatrixSelector(modifiers(vs), duration());
    }
    Expr inner = postfixOperand(vector(depth - 1));
    SubqueryExpr sq =
        new SubqueryExpr(inner, duration(), r.nextBoolean() ? 0 : duration(), 0, null);
    return new SubqueryExpr(
        sq.expr(), sq.rangeMillis(), sq.stepMillis(), offset(), r.nextBoolean() ? null : at());
  }

  private VectorSelector selector(boolean withModifiers) {
    List<LabelMatcher> matchers = new ArrayList<>();
    String name = r.nextInt(3) == 0 ? "" : pick(METRICS);
    int n = r.nextInt(3);
    for (int i = 0; i < n; i++) {
      MatchType t = MatchType.values()[r.nextInt(4)];
      String value = t.isRegex() ? pick(REGEXES) : pick(VALUES);
      matchers.add(LabelMatcher.of(pick(legacy ? LEGACY_LABELS : LABELS), t, value));
    }
    if (name.isEmpty()) {
      matchers.add(
          r.nextBoolean()
              ? LabelMatcher.equal(LabelMatcher.METRIC_NAME, pick(METRICS) + ".utf8")
              : LabelMatcher.of("job", MatchType.REGEX, ".+"));
    }
    VectorSelector vs = new VectorSelector(name, matchers, 0, null);
    return withModifiers ? modifiers(vs) : vs;
  }

  private VectorSelector modifiers(VectorSelector vs) {
    return new VectorSelector(vs.name(), vs.matchers(), offset(), r.nextBoolean() ? null : at());
  }

  private long offset() {
    return switch (r.nextInt(3)) {
      case 0 -> 0;
      case 1 -> duration();
      default -> -duration();
    };
  }

  private AtModifier at() {
    return switch (r.nextInt(3)) {
      case 0 -> AtModifier.START;
      case 1 -> AtModifier.END;
      default -> AtModifier.at((long) ((r.nextDouble() * 2 - 1) * 1e15));
    };
  }

  private Expr aggregation(int depth) {
    AggregationOp op;
    do {
      op = AggregationOp.values()[r.nextInt(AggregationOp.values().length)];
    } while (legacy && op.experimental());
    Expr param = null;
    if (op.hasParam()) {
      param =
          op.paramType() == ValueType.STRING ? new StringLiteral(pick(VALUES)) : scalar(depth - 1);
    }
    return new AggregateExpr(op, param, vector(depth - 1), labels(), r.nextInt(3) == 0);
  }

  private Expr randomCall(int depth, ValueType returnType) {
    List<Function> candidates =
        Functions.all().values().stream()
            .filter(f -> f.returnType() == returnType && !f.name().equals("info"))
            .filter(f -> !legacy || !(f.experimental() || AFTER_242.contains(f.name())))
            .toList();
    Function f = candidates.get(r.nextInt(candidates.size()));
    int max = Math.min(f.maxArgs(), f.minArgs() + 2);
    int count = f.minArgs() + r.nextInt(max - f.minArgs() + 1);
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      args.add(
          switch (f.argType(i)) {
            case SCALAR -> scalar(depth - 1);
            case MATRIX -> matrix(depth - 1);
            case STRING -> new StringLiteral(pick(VALUES));
            default -> vector(depth - 1);
          });
    }
    return new Call(f, args);
  }

  private static Expr call(String name, Expr... args) {
    return new Call(Functions.get(name), List.of(args));
  }

  private static Expr paren(Expr e) {
    return new ParenExpr(e);
  }

  /** Unary plus or minus; a literal operand would be folded, a loose operator needs parens. */
  private Expr unary(Expr operand) {
    if (operand instanceof NumberLiteral
        || (operand instanceof BinaryExpr b && b.op() != BinaryOp.POW)) {
      operand = paren(operand);
    }
    return new UnaryExpr(r.nextBoolean(), operand);
  }

  /** The operand of a subquery's brackets: postfix binds tighter than any operator. */
  private static Expr postfixOperand(Expr e) {
    if (e instanceof BinaryExpr || e instanceof UnaryExpr || e instanceof NumberLiteral) {
      return paren(e);
    }
    return e;
  }

  private static boolean negativeLiteral(Expr e) {
    return e instanceof NumberLiteral n && Double.doubleToRawLongBits(n.value()) < 0;
  }

  private Expr binary(
      BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, VectorMatching matching) {
    if (lhs instanceof BinaryExpr l
        && (l.op().precedence() < op.precedence()
            || (l.op().precedence() == op.precedence() && op.rightAssociative()))) {
      lhs = paren(lhs);
    }
    if (op == BinaryOp.POW && (lhs instanceof UnaryExpr || negativeLiteral(lhs))) {
      lhs = paren(lhs);
    }
    if (rhs instanceof BinaryExpr rb
        && (rb.op().precedence() < op.precedence()
            || (rb.op().precedence() == op.precedence() && !op.rightAssociative()))) {
      rhs = paren(rhs);
    }
    boolean vectors = lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR;
    return new BinaryExpr(op, lhs, rhs, returnBool, vectors ? matching : null);
  }
}
