package dev.vigil.promql;

/**
 * The binary operators of PromQL with Prometheus' precedence: {@code ^} (right-associative) binds
 * tightest, then {@code * / % atan2}, {@code + -}, comparisons, {@code and unless}, and {@code or}
 * loosest. All but {@code ^} are left-associative.
 */
public enum BinaryOp {
  POW("^", 6),
  MUL("*", 5),
  DIV("/", 5),
  MOD("%", 5),
  ATAN2("atan2", 5),
  /** {@code </}: trims a native histogram's observations above the scalar. */
  TRIM_UPPER("</", 5),
  /** {@code >/}: trims a native histogram's observations below the scalar. */
  TRIM_LOWER(">/", 5),
  ADD("+", 4),
  SUB("-", 4),
  EQLC("==", 3),
  NEQ("!=", 3),
  LTE("<=", 3),
  LSS("<", 3),
  GTE(">=", 3),
  GTR(">", 3),
  AND("and", 2),
  UNLESS("unless", 2),
  OR("or", 1);

  /** The precedence of unary plus and minus: that of {@code *}, below {@code ^}. */
  public static final int UNARY_PRECEDENCE = 5;

  private final String symbol;
  private final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  /** The operator as written in PromQL. */
  public String symbol() {
    return symbol;
  }

  /** Higher binds tighter; 1 ({@code or}) to 6 ({@code ^}). */
  public int precedence() {
    return precedence;
  }

  /** Only {@code ^} is right-associative. */
  public boolean rightAssociative() {
    return this == POW;
  }

  /** {@code == != <= < >= >}: the operators that accept {@code bool}. */
  public boolean isComparison() {
    return precedence == 3;
  }

  /** {@code and or unless}: defined between instant vectors only, always many-to-many. */
  public boolean isSetOperator() {
    return this == AND || this == OR || this == UNLESS;
  }
}
