package dev.vigil.promql;

import dev.vigil.promql.Expr.BinaryExpr;
import dev.vigil.promql.Expr.ParenExpr;
import dev.vigil.promql.Expr.UnaryExpr;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the parser knows about each node beyond the tree: where it starts in the query, its static
 * type, and for a binary operation the operator's position and the matching as written (before
 * Prometheus' normalisation). Keyed by identity, since equal subtrees may sit at different places.
 */
final class NodeTable {

  /** Where a node starts, its type, and for binary operations the operator and raw matching. */
  record Info(int start, int opPos, VectorMatching rawMatching, ValueType type) {}

  private final Map<Expr, Info> infos = new IdentityHashMap<>();

  /** Records a node that starts at {@code start}; returns it. */
  <E extends Expr> E record(E e, int start) {
    infos.put(e, new Info(start, -1, null, staticType(e)));
    return e;
  }

  /** Records a binary operation with its operator position and the matching as written. */
  void recordBinary(BinaryExpr b, int opPos, VectorMatching raw) {
    infos.put(b, new Info(start(b.lhs()), opPos, raw, staticType(b)));
  }

  /** The node's record, or null for a node the parser did not make. */
  Info get(Expr e) {
    return infos.get(e);
  }

  /** Where the node starts (a char index), 0 if unknown. */
  int start(Expr e) {
    Info i = infos.get(e);
    return i == null ? 0 : i.start();
  }

  /** The node's static type, as recorded. */
  ValueType type(Expr e) {
    Info i = infos.get(e);
    return i == null ? e.type() : i.type();
  }

  /**
   * {@link Expr#type()} from the children's recorded types: O(1), where {@code type()} walks down
   * nested operators and would make parsing a long chain quadratic.
   */
  private ValueType staticType(Expr e) {
    if (e instanceof BinaryExpr b) {
      return type(b.lhs()) == ValueType.SCALAR && type(b.rhs()) == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }
    if (e instanceof ParenExpr p) {
      return type(p.expr());
    }
    if (e instanceof UnaryExpr u) {
      return type(u.expr());
    }
    return e.type();
  }
}
