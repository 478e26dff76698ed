package dev.vigil.promql;

import dev.vigil.promql.Expr.AggregateExpr;
import dev.vigil.promql.Expr.BinaryExpr;
import dev.vigil.promql.Expr.Call;
import dev.vigil.promql.Expr.MatrixSelector;
import dev.vigil.promql.Expr.ParenExpr;
import dev.vigil.promql.Expr.SubqueryExpr;
import dev.vigil.promql.Expr.UnaryExpr;
import dev.vigil.promql.Expr.VectorSelector;
import java.util.ArrayDeque;

/**
 * The static checks of Prometheus' {@code checkAST}, in its order and words: operand and argument
 * types, {@code bool} only on comparisons, set operators only between vectors, matching clauses
 * only between vectors, selectors with a non-empty matcher.
 */
final class TypeChecker {

  private final String query;
  private final NodeTable nodes;

  TypeChecker(String query, NodeTable nodes) {
    this.query = query;
    this.nodes = nodes;
  }

  private int start(Expr e) {
    return nodes.start(e);
  }

  private ParseException error(int pos, String reason) {
    return new ParseException(query, pos, reason);
  }

  void check(Expr e) throws ParseException {
    typeOf(e, false);
  }

  private void expectType(Expr e, ValueType want, String context) throws ParseException {
    ValueType t = typeOf(e, false);
    if (t != want) {
      throw error(
          start(e),
          "expected type "
              + want.documentedName()
              + " in "
              + context
              + ", got "
              + t.documentedName());
    }
  }

  private ValueType typeOf(Expr node, boolean bypassEmptyMatcherCheck) throws ParseException {
    if (node instanceof AggregateExpr a) {
      expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
      if (a.op().hasParam()) {
        expectType(a.param(), a.op().paramType(), "aggregation parameter");
      }
    } else if (node instanceof BinaryExpr b) {
      return checkBinaryChain(b);
    } else if (node instanceof Call c) {
      checkCall(c);
    } else if (node instanceof ParenExpr p) {
      return typeOf(p.expr(), false);
    } else if (node instanceof UnaryExpr u) {
      ValueType t = typeOf(u.expr(), false);
      if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
        throw error(
            start(u),
            "unary expression only allowed on expressions of type scalar or instant vector, got "
                + GoStrings.quote(t.documentedName()));
      }
      return t;
    } else if (node instanceof SubqueryExpr s) {
      ValueType t = typeOf(s.expr(), false);
      if (t != ValueType.VECTOR) {
        throw error(
            start(s),
            "subquery is only allowed on instant vector, got " + t.internalName() + " instead");
      }
    } else if (node instanceof MatrixSelector m) {
      typeOf(m.selector(), false);
    } else if (node instanceof VectorSelector vs) {
      checkSelector(vs, bypassEmptyMatcherCheck);
    }
    return node.type();
  }

  private void checkSelector(VectorSelector vs, boolean bypassEmptyMatcherCheck)
      throws ParseException {
    if (!vs.name().isEmpty()) {
      for (LabelMatcher m : vs.matchers()) {
        if (m.name().equals(LabelMatcher.METRIC_NAME)) {
          throw error(
              start(vs),
              "metric name must not be set twice: "
                  + GoStrings.quote(vs.name())
                  + " or "
                  + GoStrings.quote(m.value()));
        }
      }
      return;
    }
    if (bypassEmptyMatcherCheck) {
      return;
    }
    for (LabelMatcher m : vs.matchers()) {
      if (!m.matches("")) {
        return;
      }
    }
    throw error(start(vs), "vector selector must contain at least one non-empty matcher");
  }

  /**
   * Checks a chain of left-nested binary operations ({@code a + b + c + ...}) bottom-up in a loop,
   * in the same order as recursion would, so that long sums do not exhaust the stack.
   */
  private ValueType checkBinaryChain(BinaryExpr top) throws ParseException {
    ArrayDeque<BinaryExpr> spine = new ArrayDeque<>();
    Expr e = top;
    while (e instanceof BinaryExpr b) {
      spine.push(b);
      e = b.lhs();
    }
    ValueType lt = typeOf(e, false);
    while (!spine.isEmpty()) {
      BinaryExpr b = spine.pop();
      ValueType rt = typeOf(b.rhs(), false);
      lt = checkBinary(b, lt, rt);
    }
    return lt;
  }

  private ValueType checkBinary(BinaryExpr n, ValueType lt, ValueType rt) throws ParseException {
    NodeTable.Info ni = nodes.get(n);
    int opPos = ni == null ? start(n) : ni.opPos();
    VectorMatching raw = ni == null || ni.rawMatching() == null ? n.matching() : ni.rawMatching();
    if (raw == null) {
      raw = VectorMatching.oneToOne();
    }
    BinaryOp op = n.op();
    if (n.returnBool() && !op.isComparison()) {
      throw error(opPos, "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !n.returnBool() && rt == ValueType.SCALAR && lt == ValueType.SCALAR) {
      throw error(opPos, "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching.Cardinality card = raw.cardinality();
    if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) {
      card = VectorMatching.Cardinality.MANY_TO_MANY;
    }
    if (raw.on()) {
      for (String l1 : raw.matchingLabels()) {
        if (raw.include().contains(l1)) {
          throw error(
              opPos,
              "label " + GoStrings.quote(l1) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    String operands = "binary expression must contain only scalar and instant vector types";
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(start(n.lhs()), operands);
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(start(n.rhs()), operands);
    }
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (!raw.matchingLabels().isEmpty()) {
        throw error(start(n), "vector matching only allowed between instant vectors");
      }
    } else if (op.isSetOperator()) {
      if (card == VectorMatching.Cardinality.ONE_TO_MANY
          || card == VectorMatching.Cardinality.MANY_TO_ONE) {
        throw error(
            start(n), "no grouping allowed for " + GoStrings.quote(op.symbol()) + " operation");
      }
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(
          start(n),
          "set operator "
              + GoStrings.quote(op.symbol())
              + " not allowed in binary scalar expression");
    }
    return lt == ValueType.SCALAR && rt == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
  }

  private void checkCall(Call n) throws ParseException {
    Function f = n.function();
    int nargs = f.argTypes().size();
    int got = n.args().size();
    String fname = GoStrings.quote(f.name());
    if (f.variadic() == 0) {
      if (nargs != got) {
        throw error(
            start(n), "expected " + nargs + " argument(s) in call to " + fname + ", got " + got);
      }
    } else {
      int na = nargs - 1;
      if (na > got) {
        throw error(
            start(n),
            "expected at least " + na + " argument(s) in call to " + fname + ", got " + got);
      } else if (f.variadic() > 0 && na + f.variadic() < got) {
        throw error(
            start(n),
            "expected at most "
                + (na + f.variadic())
                + " argument(s) in call to "
                + fname
                + ", got "
                + got);
      }
    }
    boolean info = f.name().equals("info") && got > 1;
    if (info) {
      Expr labels = n.args().get(1);
      if (labels.type() != ValueType.VECTOR) {
        throw error(
            start(n),
            "expected type instant vector in call to function "
                + fname
                + ", got "
                + labels.type().documentedName());
      }
      if (labels instanceof VectorSelector vs) {
        if (!vs.name().isEmpty()) {
          throw error(start(labels), "expected label selectors only, got vector selector instead");
        }
      } else {
        throw error(start(labels), "expected label selectors only");
      }
    }
    for (int i = 0; i < got; i++) {
      if (i >= nargs && f.variadic() == 0) {
        break;
      }
      Expr arg = n.args().get(i);
      ValueType want = f.argType(i);
      ValueType t = typeOf(arg, info && i == 1);
      if (t != want) {
        throw error(
            start(arg),
            "expected type "
                + want.documentedName()
                + " in call to function "
                + fname
                + ", got "
                + t.documentedName());
      }
    }
  }
}
