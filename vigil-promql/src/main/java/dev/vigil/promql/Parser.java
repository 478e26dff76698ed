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
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

  /** Where a node starts, and for binary operations the operator and the matching as written. */
  record NodeInfo(int start, int opPos, VectorMatching rawMatching, ValueType type) {}

  private final String input;
  private final Options options;
  private final List<Token> tokens;
  private final Map<Expr, NodeInfo> info = new IdentityHashMap<>();
  private int index;
  private int aggregationDepth;

  private Parser(String input, Options options) {
    this.input = input;
    this.options = options;
    this.tokens = Lexer.tokenize(input);
  }

  /** Parses and type-checks a query with Prometheus' default options. */
  public static Expr parse(String query) throws ParseException {
    return parse(query, Options.DEFAULT);
  }

  /**
   * Parses and type-checks a query.
   *
   * <p>Parsing and checking recurse once per nesting level; a tree too deep for the thread's stack
   * (tens of thousands of levels on a default stack) is reported as a parse error.
   */
  public static Expr parse(String query, Options options) throws ParseException {
    try {
      Parser p = new Parser(query, options);
      Expr e = p.parseQuery();
      new TypeChecker(query, p.info).check(e);
      return e;
    } catch (StackOverflowError e) {
      throw new ParseException(query, 0, "expression nested too deeply");
    }
  }

  private Expr parseQuery() throws ParseException {
    if (peek().type() == TokenType.EOF) {
      throw error(0, "no expression found in input");
    }
    Expr e = parseExpr(1);
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      throw unexpected(t, "", "");
    }
    return e;
  }

  // ---- tokens ----

  private Token peek() throws ParseException {
    Token t = tokens.get(index);
    if (t.type() == TokenType.ERROR) {
      throw error(t.pos(), t.text());
    }
    return t;
  }

  private Token peekAt(int offset) {
    int i = Math.min(index + offset, tokens.size() - 1);
    return tokens.get(i);
  }

  private Token next() throws ParseException {
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      index++;
    }
    return t;
  }

  private ParseException error(int pos, String reason) {
    return new ParseException(input, pos, reason);
  }

  /** Prometheus' {@code unexpected(context, expected)}; an enclosing aggregation is the default. */
  private ParseException unexpected(Token t, String context, String expected) {
    if (context.isEmpty() && aggregationDepth > 0) {
      context = "aggregation";
    }
    StringBuilder b = new StringBuilder("unexpected ").append(t.describe());
    if (!context.isEmpty()) {
      b.append(" in ").append(context);
    }
    if (!expected.isEmpty()) {
      b.append(", expected ").append(expected);
    }
    return error(t.pos(), b.toString());
  }

  private <E extends Expr> E record(E e, int start) {
    info.put(e, new NodeInfo(start, -1, null, staticType(e)));
    return e;
  }

  /**
   * {@link Expr#type()} from the children's recorded types: O(1), where {@code type()} walks down
   * nested operators and would make parsing a long chain quadratic.
   */
  private ValueType staticType(Expr e) {
    if (e instanceof BinaryExpr b) {
      return typeOf(b.lhs()) == ValueType.SCALAR && typeOf(b.rhs()) == ValueType.SCALAR
          ? ValueType.SCALAR
          : ValueType.VECTOR;
    }
    if (e instanceof ParenExpr p) {
      return typeOf(p.expr());
    }
    if (e instanceof UnaryExpr u) {
      return typeOf(u.expr());
    }
    return e.type();
  }

  private ValueType typeOf(Expr e) {
    return info.get(e).type();
  }

  private int startOf(Expr e) {
    return info.get(e).start();
  }

  // ---- expressions ----

  private Expr parseExpr(int minPrecedence) throws ParseException {
    Expr lhs = parseUnary();
    while (true) {
      Token t = peek();
      BinaryOp op = binaryOp(t.type());
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      next();
      boolean returnBool = false;
      if (peek().type() == TokenType.BOOL) {
        next();
        returnBool = true;
      }
      VectorMatching raw = VectorMatching.oneToOne();
      TokenType m = peek().type();
      if (m == TokenType.ON || m == TokenType.IGNORING) {
        next();
        List<String> labels = parseGroupingLabels();
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        TokenType g = peek().type();
        if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
          next();
          card =
              g == TokenType.GROUP_LEFT
                  ? VectorMatching.Cardinality.MANY_TO_ONE
                  : VectorMatching.Cardinality.ONE_TO_MANY;
          if (peek().type() == TokenType.LEFT_PAREN) {
            include = parseGroupingLabels();
          }
        }
        raw = new VectorMatching(card, labels, m == TokenType.ON, include);
      }
      int nextMin = op.rightAssociative() ? op.precedence() : op.precedence() + 1;
      Expr rhs = parseExpr(nextMin);
      VectorMatching matching = null;
      if (typeOf(lhs) == ValueType.VECTOR && typeOf(rhs) == ValueType.VECTOR) {
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
      info.put(b, new NodeInfo(startOf(lhs), t.pos(), raw, staticType(b)));
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
    Token t = peek();
    if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
      next();
      Expr operand = parseExpr(BinaryOp.POW.precedence());
      boolean negative = t.type() == TokenType.SUB;
      if (operand instanceof NumberLiteral n) {
        return record(new NumberLiteral(negative ? -n.value() : n.value(), n.duration()), t.pos());
      }
      return record(new UnaryExpr(negative, operand), t.pos());
    }
    return parsePostfix(parsePrimary());
  }

  private Expr parsePrimary() throws ParseException {
    Token t = peek();
    switch (t.type()) {
      case NUMBER -> {
        next();
        try {
          return record(new NumberLiteral(GoNumbers.parse(t.text())), t.pos());
        } catch (IllegalArgumentException e) {
          throw error(t.pos(), "error parsing number: " + e.getMessage());
        }
      }
      case DURATION -> {
        next();
        return record(new NumberLiteral(durationMillis(t, false) / 1000.0, true), t.pos());
      }
      case STRING -> {
        next();
        return record(new StringLiteral(GoStrings.unquote(t.text())), t.pos());
      }
      case LEFT_PAREN -> {
        next();
        Expr inner = parseExpr(1);
        Token close = peek();
        if (close.type() != TokenType.RIGHT_PAREN) {
          throw unexpected(close, "", "");
        }
        next();
        return record(new ParenExpr(inner), t.pos());
      }
      case LEFT_BRACE -> {
        return parseSelector("", t.pos());
      }
      case IDENTIFIER -> {
        next();
        if (peek().type() == TokenType.LEFT_PAREN) {
          return parseCall(t);
        }
        return parseSelector(t.text(), t.pos());
      }
      case AGGREGATOR -> {
        next();
        TokenType n = peek().type();
        if (n == TokenType.LEFT_PAREN || n == TokenType.BY || n == TokenType.WITHOUT) {
          return parseAggregation(t);
        }
        return parseSelector(t.text(), t.pos());
      }
      case START, END, STEP, RANGE -> {
        next();
        if (peek().type() == TokenType.LEFT_PAREN) {
          return parseCall(t);
        }
        return parseSelector(t.text(), t.pos());
      }
      case METRIC_IDENTIFIER, LAND, LOR, LUNLESS, BY, WITHOUT, OFFSET, ANCHORED, SMOOTHED -> {
        next();
        return parseSelector(t.text(), t.pos());
      }
      default -> throw unexpected(t, "", "");
    }
  }

  // ---- selectors ----

  private Expr parseSelector(String name, int start) throws ParseException {
    List<LabelMatcher> matchers = List.of();
    if (peek().type() == TokenType.LEFT_BRACE) {
      next();
      matchers = parseMatchers();
    }
    return record(new VectorSelector(name, matchers, 0, null), start);
  }

  private List<LabelMatcher> parseMatchers() throws ParseException {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (peek().type() == TokenType.RIGHT_BRACE) {
      next();
      return matchers;
    }
    while (true) {
      Token label = peek();
      if (label.type() != TokenType.IDENTIFIER && label.type() != TokenType.STRING) {
        throw unexpected(label, "label matching", "identifier or \"}\"");
      }
      next();
      String name =
          label.type() == TokenType.STRING ? GoStrings.unquote(label.text()) : label.text();
      Token op = peek();
      LabelMatcher.MatchType type =
          switch (op.type()) {
            case EQL -> LabelMatcher.MatchType.EQUAL;
            case NEQ -> LabelMatcher.MatchType.NOT_EQUAL;
            case EQL_REGEX -> LabelMatcher.MatchType.REGEX;
            case NEQ_REGEX -> LabelMatcher.MatchType.NOT_REGEX;
            default -> null;
          };
      if (type == null) {
        if (label.type() == TokenType.STRING
            && (op.type() == TokenType.COMMA || op.type() == TokenType.RIGHT_BRACE)) {
          // PromQL 3: a lone quoted name is the metric name, {"my.metric"}.
          matchers.add(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name));
        } else {
          throw unexpected(op, "label matching", "label matching operator");
        }
      } else {
        next();
        Token value = peek();
        if (value.type() != TokenType.STRING) {
          throw unexpected(value, "label matching", "string");
        }
        next();
        try {
          matchers.add(LabelMatcher.of(name, type, GoStrings.unquote(value.text())));
        } catch (IllegalArgumentException e) {
          throw error(label.pos(), e.getMessage());
        }
      }
      Token sep = peek();
      if (sep.type() == TokenType.COMMA) {
        next();
        if (peek().type() == TokenType.RIGHT_BRACE) {
          next();
          return matchers;
        }
      } else if (sep.type() == TokenType.RIGHT_BRACE) {
        next();
        return matchers;
      } else {
        throw unexpected(sep, "label matching", "\",\" or \"}\"");
      }
    }
  }

  // ---- postfix: ranges, subqueries, offset, @ ----

  private Expr parsePostfix(Expr e) throws ParseException {
    while (true) {
      Token t = peek();
      switch (t.type()) {
        case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
        case OFFSET -> e = parseOffset(e);
        case AT -> e = parseAt(e);
        case ANCHORED, SMOOTHED ->
            throw error(
                startOf(e),
                t.text().toLowerCase(Locale.ROOT) + " modifier is experimental and not enabled");
        default -> {
          return e;
        }
      }
    }
  }

  private Expr parseRangeOrSubquery(Expr e) throws ParseException {
    Token open = next();
    long range = parseBracketDuration();
    Token t = peek();
    if (t.type() == TokenType.RIGHT_BRACKET) {
      next();
      String problem = null;
      if (!(e instanceof VectorSelector vs)) {
        problem = "ranges only allowed for vector selectors";
      } else if (vs.offsetMillis() != 0) {
        problem = "no offset modifiers allowed before range";
      } else if (vs.at() != null) {
        problem = "no @ modifiers allowed before range";
      }
      if (problem != null) {
        throw error(open.pos(), problem);
      }
      return record(new MatrixSelector((VectorSelector) e, range), startOf(e));
    }
    if (t.type() != TokenType.COLON) {
      throw durationOrUnexpected(t, "subquery or range", "\":\" or \"]\"");
    }
    next();
    long step = 0;
    Token s = peek();
    if (s.type() == TokenType.DURATION || s.type() == TokenType.NUMBER) {
      step = parseBracketDuration();
      Token close = peek();
      if (close.type() != TokenType.RIGHT_BRACKET) {
        throw durationOrUnexpected(close, "subquery selector", "\"]\"");
      }
    } else if (s.type() != TokenType.RIGHT_BRACKET) {
      throw durationOrUnexpected(s, "subquery selector", "duration or \"]\"");
    }
    next();
    return record(new SubqueryExpr(e, range, step, 0, null), startOf(e));
  }

  /** Duration arithmetic inside brackets is experimental in Prometheus 3 and not supported. */
  private ParseException durationOrUnexpected(Token t, String context, String expected) {
    switch (t.type()) {
      case ADD, SUB, MUL, DIV, MOD, POW, LEFT_PAREN, STEP, RANGE, AGGREGATOR, COMMA:
        return error(t.pos(), "experimental duration expression is not enabled");
      default:
        return unexpected(t, context, expected);
    }
  }

  /** A range or subquery step: a positive duration or number of seconds. */
  private long parseBracketDuration() throws ParseException {
    Token t = peek();
    if (t.type() != TokenType.DURATION && t.type() != TokenType.NUMBER) {
      throw durationOrUnexpected(t, "subquery or range selector", EXPECTED_DURATION);
    }
    next();
    long millis = durationMillis(t, false);
    if (millis <= 0) {
      throw error(t.pos(), "duration must be greater than 0");
    }
    return millis;
  }

  /** Prometheus 3's wording, which names its (experimental) duration functions too. */
  private static final String EXPECTED_DURATION = "number, duration, step(), or range()";

  /** A duration literal, or a number of seconds (PromQL 3), in milliseconds. */
  private long durationMillis(Token t, boolean negative) throws ParseException {
    if (t.type() == TokenType.DURATION) {
      try {
        long ms = Durations.parseMillis(t.text());
        return negative ? -ms : ms;
      } catch (IllegalArgumentException e) {
        throw error(t.pos(), e.getMessage());
      }
    }
    double seconds;
    try {
      seconds = GoNumbers.parse(t.text());
    } catch (IllegalArgumentException e) {
      throw error(t.pos(), "error parsing number: " + e.getMessage());
    }
    if (negative) {
      seconds = -seconds;
    }
    double maxSeconds = Durations.MAX_MILLIS / 1000.0;
    if (Double.isNaN(seconds) || seconds > maxSeconds || seconds < -maxSeconds) {
      throw error(t.pos(), "duration out of range");
    }
    return (long) (seconds * 1000.0);
  }

  private Expr parseOffset(Expr e) throws ParseException {
    next();
    boolean negative = false;
    Token t = peek();
    if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
      negative = t.type() == TokenType.SUB;
      next();
      t = peek();
    }
    if (t.type() != TokenType.DURATION && t.type() != TokenType.NUMBER) {
      throw unexpected(t, "offset", EXPECTED_DURATION);
    }
    next();
    long offset = durationMillis(t, negative);
    int start = startOf(e);
    String target =
        "offset modifier must be preceded by an instant vector selector or range vector selector"
            + " or a subquery";
    if (e instanceof VectorSelector vs) {
      checkOffsetUnset(vs.offsetMillis(), start);
      return record(vs.withOffset(offset), start);
    }
    if (e instanceof MatrixSelector ms) {
      checkOffsetUnset(ms.selector().offsetMillis(), start);
      return record(new MatrixSelector(ms.selector().withOffset(offset), ms.rangeMillis()), start);
    }
    if (e instanceof SubqueryExpr sq) {
      checkOffsetUnset(sq.offsetMillis(), start);
      return record(sq.withOffset(offset), start);
    }
    throw error(start, target);
  }

  private void checkOffsetUnset(long current, int start) throws ParseException {
    if (current != 0) {
      throw error(start, "offset may not be set multiple times");
    }
  }

  private Expr parseAt(Expr e) throws ParseException {
    next();
    Token t = peek();
    AtModifier at;
    int start = startOf(e);
    if (t.type() == TokenType.START || t.type() == TokenType.END) {
      next();
      if (peek().type() != TokenType.LEFT_PAREN || peekAt(1).type() != TokenType.RIGHT_PAREN) {
        throw unexpected(
            peek().type() == TokenType.LEFT_PAREN ? peekAt(1) : peek(), "@", "timestamp");
      }
      next();
      next();
      at = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
    } else {
      boolean negative = false;
      if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
        negative = t.type() == TokenType.SUB;
        next();
        t = peek();
      }
      if (t.type() != TokenType.NUMBER && t.type() != TokenType.DURATION) {
        throw unexpected(t, "@", "timestamp");
      }
      next();
      double seconds;
      if (t.type() == TokenType.DURATION) {
        seconds = durationMillis(t, false) / 1000.0;
      } else {
        try {
          seconds = GoNumbers.parse(t.text());
        } catch (IllegalArgumentException ex) {
          throw error(t.pos(), "error parsing number: " + ex.getMessage());
        }
      }
      if (negative) {
        seconds = -seconds;
      }
      if (Double.isNaN(seconds)
          || Double.isInfinite(seconds)
          || seconds >= (double) Long.MAX_VALUE
          || seconds <= (double) Long.MIN_VALUE) {
        throw error(start, "timestamp out of bounds for @ modifier: " + Printer.goFloatF(seconds));
      }
      at = AtModifier.at(roundHalfAwayFromZero(seconds * 1000.0));
    }
    String target =
        "@ modifier must be preceded by an instant vector selector or range vector selector or a"
            + " subquery";
    if (e instanceof VectorSelector vs) {
      checkAtUnset(vs.at(), start);
      return record(vs.withAt(at), start);
    }
    if (e instanceof MatrixSelector ms) {
      checkAtUnset(ms.selector().at(), start);
      return record(new MatrixSelector(ms.selector().withAt(at), ms.rangeMillis()), start);
    }
    if (e instanceof SubqueryExpr sq) {
      checkAtUnset(sq.at(), start);
      return record(sq.withAt(at), start);
    }
    throw error(start, target);
  }

  private static long roundHalfAwayFromZero(double v) {
    double r = Math.floor(Math.abs(v) + 0.5);
    return (long) (v < 0 ? -r : r);
  }

  private void checkAtUnset(AtModifier current, int start) throws ParseException {
    if (current != null) {
      throw error(start, "@ <timestamp> may not be set multiple times");
    }
  }

  // ---- calls and aggregations ----

  private Expr parseCall(Token name) throws ParseException {
    String fname = name.type() == TokenType.IDENTIFIER ? name.text() : name.text();
    Function f = Functions.get(fname);
    if (f == null) {
      throw error(name.pos(), "unknown function with name " + GoStrings.quote(fname));
    }
    if (f.experimental() && !options.experimentalFunctions()) {
      throw error(name.pos(), "function " + GoStrings.quote(fname) + " is not enabled");
    }
    List<Expr> args = parseArgs();
    return record(new Call(f, args), name.pos());
  }

  /** {@code ( [expr {, expr}] )}; the current token is the left parenthesis. */
  private List<Expr> parseArgs() throws ParseException {
    next();
    List<Expr> args = new ArrayList<>();
    if (peek().type() == TokenType.RIGHT_PAREN) {
      next();
      return args;
    }
    while (true) {
      args.add(parseExpr(1));
      Token t = peek();
      if (t.type() == TokenType.COMMA) {
        next();
        if (peek().type() == TokenType.RIGHT_PAREN) {
          throw error(t.pos(), "trailing commas not allowed in function call args");
        }
      } else if (t.type() == TokenType.RIGHT_PAREN) {
        next();
        return args;
      } else {
        throw unexpected(t, "", "");
      }
    }
  }

  private Expr parseAggregation(Token opToken) throws ParseException {
    AggregationOp op = AggregationOp.ofKeyword(opToken.text());
    aggregationDepth++;
    List<String> grouping = null;
    boolean without = false;
    TokenType m = peek().type();
    if (m == TokenType.BY || m == TokenType.WITHOUT) {
      next();
      without = m == TokenType.WITHOUT;
      grouping = parseGroupingLabels();
    }
    if (peek().type() != TokenType.LEFT_PAREN) {
      throw unexpected(peek(), "aggregation", "");
    }
    List<Expr> args = parseArgs();
    aggregationDepth--;
    if (grouping == null) {
      m = peek().type();
      if (m == TokenType.BY || m == TokenType.WITHOUT) {
        aggregationDepth++;
        next();
        without = m == TokenType.WITHOUT;
        grouping = parseGroupingLabels();
        aggregationDepth--;
      }
    }
    int start = opToken.pos();
    if (args.isEmpty()) {
      throw error(start, "no arguments for aggregate expression provided");
    }
    int desired = 1;
    if (op.hasParam()) {
      if (op.experimental() && !options.experimentalFunctions()) {
        throw error(
            start,
            op.keyword()
                + "() is experimental and must be enabled with"
                + " --enable-feature=promql-experimental-functions");
      }
      desired = 2;
    }
    if (args.size() != desired) {
      throw error(
          start,
          "wrong number of arguments for aggregate expression provided, expected "
              + desired
              + ", got "
              + args.size());
    }
    Expr param = desired == 2 ? args.get(0) : null;
    return record(
        new AggregateExpr(
            op, param, args.get(desired - 1), grouping == null ? List.of() : grouping, without),
        start);
  }

  /** {@code ( [label {, label} [,]] )} after by, without, on, ignoring, group_left/right. */
  private List<String> parseGroupingLabels() throws ParseException {
    Token open = peek();
    if (open.type() != TokenType.LEFT_PAREN) {
      throw unexpected(open, "grouping opts", "\"(\"");
    }
    next();
    List<String> labels = new ArrayList<>();
    if (peek().type() == TokenType.RIGHT_PAREN) {
      next();
      return labels;
    }
    while (true) {
      Token t = peek();
      if (t.type() == TokenType.STRING) {
        labels.add(GoStrings.unquote(t.text()));
      } else if (isWord(t) && Printer.isLegacyLabelName(t.text())) {
        labels.add(t.text());
      } else {
        throw unexpected(t, "grouping opts", "label");
      }
      next();
      Token sep = peek();
      if (sep.type() == TokenType.COMMA) {
        next();
        if (peek().type() == TokenType.RIGHT_PAREN) {
          next();
          return labels;
        }
      } else if (sep.type() == TokenType.RIGHT_PAREN) {
        next();
        return labels;
      } else {
        throw unexpected(sep, "grouping opts", "\",\" or \")\"");
      }
    }
  }

  /** Identifiers and keywords: the lexer may have read a label name as a keyword. */
  private static boolean isWord(Token t) {
    return switch (t.type()) {
      case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR -> true;
      default -> t.type().text != null && Character.isLetter(t.type().text.charAt(0));
    };
  }
}
