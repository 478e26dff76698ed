package dev.vigil.promql;

import dev.vigil.promql.Expr.AggregateExpr;
import dev.vigil.promql.Expr.BinaryExpr;
import dev.vigil.promql.Expr.Call;
import dev.vigil.promql.Expr.NumberLiteral;
import dev.vigil.promql.Expr.ParenExpr;
import dev.vigil.promql.Expr.StringLiteral;
import dev.vigil.promql.Expr.UnaryExpr;
import dev.vigil.promql.Expr.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written recursive-descent parser for PromQL 3 with precedence climbing for binary
 * operators. It accepts what Prometheus' yacc grammar accepts (without the experimental duration
 * arithmetic, {@code anchored}/{@code smoothed} and {@code fill} modifiers), builds the same tree,
 * then type-checks it as Prometheus' {@code checkAST} does, reporting the first error in
 * Prometheus' words. Linear in the query's length; not thread-safe, one instance per parse.
 */
public final class Parser {

  /**
   * Parser options.
   *
   * @param experimentalFunctions accept Prometheus' experimental functions and the {@code limitk}
   *     and {@code limit_ratio} aggregations (Prometheus' {@code promql-experimental-functions})
   */
  public record Options(boolean experimentalFunctions) {
    /** Prometheus' defaults: experimental functions disabled. */
    public static final Options DEFAULT = new Options(false);

    /** Everything this parser supports enabled. */
    public static final Options EXPERIMENTAL = new Options(true);
  }

  private final Options options;
  private final TokenStream ts;
  private final NodeTable nodes = new NodeTable();
  private final Modifiers modifiers;

  private Parser(String input, Options options) {
    this.options = options;
    this.ts = new TokenStream(input, Lexer.tokenize(input));
    this.modifiers = new Modifiers(ts, nodes);
  }

  /** Parses and type-checks a query with Prometheus' default options. */
  public static Expr parse(String query) throws ParseException {
    return parse(query, Options.DEFAULT);
  }

  /**
   * Parses and type-checks a query.
   *
   * <p>Parsing and checking recurse once per nesting level. A query nested too deeply for the
   * caller's stack (a few thousand levels) is parsed again on a thread with a {@value
   * #DEEP_STACK_BYTES}-byte stack; deeper still is reported as a parse error.
   */
  public static Expr parse(String query, Options options) throws ParseException {
    try {
      return parseOnThisThread(query, options);
    } catch (StackOverflowError e) {
      return parseOnDeepStack(query, options);
    }
  }

  /** The stack of the thread that re-parses deeply nested queries: about 100,000 levels. */
  static final long DEEP_STACK_BYTES = 64L << 20;

  private static Expr parseOnThisThread(String query, Options options) throws ParseException {
    Parser p = new Parser(query, options);
    Expr e = p.parseQuery();
    new TypeChecker(query, p.nodes).check(e);
    return e;
  }

  private static Expr parseOnDeepStack(String query, Options options) throws ParseException {
    Object[] outcome = new Object[1];
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                outcome[0] = parseOnThisThread(query, options);
              } catch (ParseException | RuntimeException | StackOverflowError e) {
                outcome[0] = e;
              }
            },
            "promql-deep-parse",
            DEEP_STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ParseException(query, 0, "parse interrupted");
    }
    // join() orders the thread's write to outcome before this read.
    if (outcome[0] instanceof Expr e) {
      return e;
    }
    if (outcome[0] instanceof ParseException e) {
      throw e;
    }
    if (outcome[0] instanceof RuntimeException e) {
      throw e;
    }
    throw new ParseException(query, 0, "expression nested too deeply");
  }

  private Expr parseQuery() throws ParseException {
    if (ts.peek().type() == TokenType.EOF) {
      throw ts.error(0, "no expression found in input");
    }
    Expr e = parseExpr(1);
    Token t = ts.peek();
    if (t.type() != TokenType.EOF) {
      throw ts.unexpected(t, "", "");
    }
    return e;
  }

  // ---- expressions ----

  private Expr parseExpr(int minPrecedence) throws ParseException {
    Expr lhs = parseUnary();
    while (true) {
      Token t = ts.peek();
      BinaryOp op = binaryOp(t.type());
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      ts.next();
      boolean returnBool = false;
      if (ts.peek().type() == TokenType.BOOL) {
        ts.next();
        returnBool = true;
      }
      VectorMatching raw = VectorMatching.oneToOne();
      TokenType m = ts.peek().type();
      if (m == TokenType.ON || m == TokenType.IGNORING) {
        ts.next();
        List<String> labels = LabelSyntax.parseGroupingLabels(ts);
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        TokenType g = ts.peek().type();
        if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
          ts.next();
          card =
              g == TokenType.GROUP_LEFT
                  ? VectorMatching.Cardinality.MANY_TO_ONE
                  : VectorMatching.Cardinality.ONE_TO_MANY;
          if (ts.peek().type() == TokenType.LEFT_PAREN) {
            include = LabelSyntax.parseGroupingLabels(ts);
          }
        }
        raw = new VectorMatching(card, labels, m == TokenType.ON, include);
      }
      int nextMin = op.rightAssociative() ? op.precedence() : op.precedence() + 1;
      Expr rhs = parseExpr(nextMin);
      VectorMatching matching = null;
      if (nodes.type(lhs) == ValueType.VECTOR && nodes.type(rhs) == ValueType.VECTOR) {
        matching = raw;
        if (op.isSetOperator() && raw.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
          matching =
              new VectorMatching(
                  VectorMatching.Cardinality.MANY_TO_MANY,
                  raw.matchingLabels(),
                  raw.on(),
                  raw.include());
        }
      }
      BinaryExpr b = new BinaryExpr(op, lhs, rhs, returnBool, matching);
      nodes.recordBinary(b, t.pos(), raw);
      lhs = b;
    }
  }

  private static BinaryOp binaryOp(TokenType t) {
    return switch (t) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQLC;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case TRIM_UPPER -> BinaryOp.TRIM_UPPER;
      case TRIM_LOWER -> BinaryOp.TRIM_LOWER;
      case LAND -> BinaryOp.AND;
      case LUNLESS -> BinaryOp.UNLESS;
      case LOR -> BinaryOp.OR;
      default -> null;
    };
  }

  /** Unary plus and minus bind like {@code *}: looser than {@code ^}, tighter than the rest. */
  private Expr parseUnary() throws ParseException {
    Token t = ts.peek();
    if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
      ts.next();
      Expr operand = parseExpr(BinaryOp.POW.precedence());
      boolean negative = t.type() == TokenType.SUB;
      if (operand instanceof NumberLiteral n) {
        return nodes.record(
            new NumberLiteral(negative ? -n.value() : n.value(), n.duration()), t.pos());
      }
      return nodes.record(new UnaryExpr(negative, operand), t.pos());
    }
    return modifiers.parsePostfix(parsePrimary());
  }

  private Expr parsePrimary() throws ParseException {
    Token t = ts.peek();
    switch (t.type()) {
      case NUMBER -> {
        ts.next();
        try {
          return nodes.record(new NumberLiteral(GoNumbers.parse(t.text())), t.pos());
        } catch (IllegalArgumentException e) {
          throw ts.error(t.pos(), "error parsing number: " + e.getMessage());
        }
      }
      case DURATION -> {
        ts.next();
        return nodes.record(
            new NumberLiteral(modifiers.durationMillis(t, false) / 1000.0, true), t.pos());
      }
      case STRING -> {
        ts.next();
        return nodes.record(new StringLiteral(GoStrings.unquote(t.text())), t.pos());
      }
      case LEFT_PAREN -> {
        ts.next();
        Expr inner = parseExpr(1);
        Token close = ts.peek();
        if (close.type() != TokenType.RIGHT_PAREN) {
          throw ts.unexpected(close, "", "");
        }
        ts.next();
        return nodes.record(new ParenExpr(inner), t.pos());
      }
      case LEFT_BRACE -> {
        return parseSelector("", t.pos());
      }
      case IDENTIFIER -> {
        ts.next();
        if (ts.peek().type() == TokenType.LEFT_PAREN) {
          return parseCall(t);
        }
        return parseSelector(t.text(), t.pos());
      }
      case AGGREGATOR -> {
        ts.next();
        TokenType n = ts.peek().type();
        if (n == TokenType.LEFT_PAREN || n == TokenType.BY || n == TokenType.WITHOUT) {
          return parseAggregation(t);
        }
        return parseSelector(t.text(), t.pos());
      }
      case START, END, STEP, RANGE -> {
        ts.next();
        if (ts.peek().type() == TokenType.LEFT_PAREN) {
          return parseCall(t);
        }
        return parseSelector(t.text(), t.pos());
      }
      case METRIC_IDENTIFIER, LAND, LOR, LUNLESS, BY, WITHOUT, OFFSET, ANCHORED, SMOOTHED -> {
        ts.next();
        return parseSelector(t.text(), t.pos());
      }
      default -> throw ts.unexpected(t, "", "");
    }
  }

  // ---- selectors ----

  private Expr parseSelector(String name, int start) throws ParseException {
    List<LabelMatcher> matchers = List.of();
    if (ts.peek().type() == TokenType.LEFT_BRACE) {
      ts.next();
      matchers = LabelSyntax.parseMatchers(ts);
    }
    return nodes.record(new VectorSelector(name, matchers, 0, null), start);
  }

  // ---- calls and aggregations ----

  private Expr parseCall(Token name) throws ParseException {
    // As in Prometheus, the name is looked up when the call is complete, so a syntax error in the
    // arguments is reported first.
    List<Expr> args = parseArgs();
    String fname = name.text();
    Function f = Functions.get(fname);
    if (f == null) {
      throw ts.error(name.pos(), "unknown function with name " + GoStrings.quote(fname));
    }
    if (f.experimental() && !options.experimentalFunctions()) {
      throw ts.error(name.pos(), "function " + GoStrings.quote(fname) + " is not enabled");
    }
    return nodes.record(new Call(f, args), name.pos());
  }

  /** {@code ( [expr {, expr}] )}; the current token is the left parenthesis. */
  private List<Expr> parseArgs() throws ParseException {
    ts.next();
    List<Expr> args = new ArrayList<>();
    if (ts.peek().type() == TokenType.RIGHT_PAREN) {
      ts.next();
      return args;
    }
    while (true) {
      args.add(parseExpr(1));
      Token t = ts.peek();
      if (t.type() == TokenType.COMMA) {
        ts.next();
        if (!startsExpression(ts.peek().type())) {
          // Prometheus' grammar reduces "args ," on any token that cannot start an argument.
          throw ts.error(t.pos(), "trailing commas not allowed in function call args");
        }
      } else if (t.type() == TokenType.RIGHT_PAREN) {
        ts.next();
        return args;
      } else {
        throw ts.unexpected(t, "", "");
      }
    }
  }

  private static boolean startsExpression(TokenType t) {
    return switch (t) {
      case NUMBER,
          DURATION,
          STRING,
          LEFT_PAREN,
          LEFT_BRACE,
          IDENTIFIER,
          METRIC_IDENTIFIER,
          AGGREGATOR,
          ADD,
          SUB,
          LAND,
          LOR,
          LUNLESS,
          BY,
          WITHOUT,
          OFFSET,
          START,
          END,
          STEP,
          RANGE,
          ANCHORED,
          SMOOTHED ->
          true;
      default -> false;
    };
  }

  private Expr parseAggregation(Token opToken) throws ParseException {
    AggregationOp op = AggregationOp.ofKeyword(opToken.text());
    ts.aggregationDepth++;
    List<String> grouping = null;
    boolean without = false;
    TokenType m = ts.peek().type();
    if (m == TokenType.BY || m == TokenType.WITHOUT) {
      ts.next();
      without = m == TokenType.WITHOUT;
      grouping = LabelSyntax.parseGroupingLabels(ts);
    }
    if (ts.peek().type() != TokenType.LEFT_PAREN) {
      throw ts.unexpected(ts.peek(), "aggregation", "");
    }
    List<Expr> args = parseArgs();
    ts.aggregationDepth--;
    if (grouping == null) {
      m = ts.peek().type();
      if (m == TokenType.BY || m == TokenType.WITHOUT) {
        ts.aggregationDepth++;
        ts.next();
        without = m == TokenType.WITHOUT;
        grouping = LabelSyntax.parseGroupingLabels(ts);
        ts.aggregationDepth--;
      }
    }
    int start = opToken.pos();
    if (args.isEmpty()) {
      throw ts.error(start, "no arguments for aggregate expression provided");
    }
    int desired = 1;
    if (op.hasParam()) {
      if (op.experimental() && !options.experimentalFunctions()) {
        throw ts.error(
            start,
            op.keyword()
                + "() is experimental and must be enabled with"
                + " --enable-feature=promql-experimental-functions");
      }
      desired = 2;
    }
    if (args.size() != desired) {
      throw ts.error(
          start,
          "wrong number of arguments for aggregate expression provided, expected "
              + desired
              + ", got "
              + args.size());
    }
    Expr param = desired == 2 ? args.get(0) : null;
    return nodes.record(
        new AggregateExpr(
            op, param, args.get(desired - 1), grouping == null ? List.of() : grouping, without),
        start);
  }
}
