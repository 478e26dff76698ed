package dev.vigil.promql;

import dev.vigil.promql.Expr.MatrixSelector;
import dev.vigil.promql.Expr.SubqueryExpr;
import dev.vigil.promql.Expr.VectorSelector;
import java.util.Locale;

/**
 * The postfix syntax of PromQL, which binds tighter than any operator: ranges {@code [5m]},
 * subqueries {@code [1h:5m]}, {@code offset} and {@code @}, with Prometheus' rules on where each
 * may appear.
 */
final class Modifiers {

  private final TokenStream ts;
  private final NodeTable nodes;

  Modifiers(TokenStream ts, NodeTable nodes) {
    this.ts = ts;
    this.nodes = nodes;
  }

  /** Applies every range, subquery, offset and @ that follows a primary expression. */
  Expr parsePostfix(Expr e) throws ParseException {
    while (true) {
      Token t = ts.peek();
      switch (t.type()) {
        case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
        case OFFSET -> e = parseOffset(e);
        case AT -> e = parseAt(e);
        case ANCHORED, SMOOTHED ->
            throw ts.error(
                nodes.start(e),
                t.text().toLowerCase(Locale.ROOT) + " modifier is experimental and not enabled");
        default -> {
          return e;
        }
      }
    }
  }

  private Expr parseRangeOrSubquery(Expr e) throws ParseException {
    Token open = ts.next();
    long range = parseBracketDuration();
    Token t = ts.peek();
    if (t.type() == TokenType.RIGHT_BRACKET) {
      ts.next();
      String problem = null;
      if (!(e instanceof VectorSelector vs)) {
        problem = "ranges only allowed for vector selectors";
      } else if (vs.offsetMillis() != 0) {
        problem = "no offset modifiers allowed before range";
      } else if (vs.at() != null) {
        problem = "no @ modifiers allowed before range";
      }
      if (problem != null) {
        throw ts.error(open.pos(), problem);
      }
      return nodes.record(new MatrixSelector((VectorSelector) e, range), nodes.start(e));
    }
    if (t.type() != TokenType.COLON) {
      throw durationOrUnexpected(t, "subquery or range", "\":\" or \"]\"");
    }
    ts.next();
    long step = 0;
    Token s = ts.peek();
    if (s.type() == TokenType.DURATION || s.type() == TokenType.NUMBER) {
      step = parseBracketDuration();
      Token close = ts.peek();
      if (close.type() != TokenType.RIGHT_BRACKET) {
        throw durationOrUnexpected(close, "subquery selector", "\"]\"");
      }
    } else if (s.type() != TokenType.RIGHT_BRACKET) {
      throw durationOrUnexpected(s, "subquery selector", "duration or \"]\"");
    }
    ts.next();
    return nodes.record(new SubqueryExpr(e, range, step, 0, null), nodes.start(e));
  }

  /** Duration arithmetic inside brackets is experimental in Prometheus 3 and not supported. */
  private ParseException durationOrUnexpected(Token t, String context, String expected) {
    switch (t.type()) {
      case ADD, SUB, MUL, DIV, MOD, POW, LEFT_PAREN, STEP, RANGE, AGGREGATOR, COMMA:
        return ts.error(t.pos(), "experimental duration expression is not enabled");
      default:
        return ts.unexpected(t, context, expected);
    }
  }

  /** A range or subquery step: a positive duration or number of seconds. */
  private long parseBracketDuration() throws ParseException {
    Token t = ts.peek();
    if (t.type() != TokenType.DURATION && t.type() != TokenType.NUMBER) {
      throw durationOrUnexpected(t, "subquery or range selector", EXPECTED_DURATION);
    }
    ts.next();
    long millis = durationMillis(t, false);
    if (millis <= 0) {
      throw ts.error(t.pos(), "duration must be greater than 0");
    }
    return millis;
  }

  /** Prometheus 3's wording, which names its (experimental) duration functions too. */
  private static final String EXPECTED_DURATION = "number, duration, step(), or range()";

  /** A duration literal, or a number of seconds (PromQL 3), in milliseconds. */
  long durationMillis(Token t, boolean negative) throws ParseException {
    if (t.type() == TokenType.DURATION) {
      try {
        long ms = Durations.parseMillis(t.text());
        return negative ? -ms : ms;
      } catch (IllegalArgumentException e) {
        throw ts.error(t.pos(), e.getMessage());
      }
    }
    double seconds;
    try {
      seconds = GoNumbers.parse(t.text());
    } catch (IllegalArgumentException e) {
      throw ts.error(t.pos(), "error parsing number: " + e.getMessage());
    }
    if (negative) {
      seconds = -seconds;
    }
    double maxSeconds = Durations.MAX_MILLIS / 1000.0;
    if (Double.isNaN(seconds) || seconds > maxSeconds || seconds < -maxSeconds) {
      throw ts.error(t.pos(), "duration out of range");
    }
    return (long) (seconds * 1000.0);
  }

  private Expr parseOffset(Expr e) throws ParseException {
    ts.next();
    boolean negative = false;
    Token t = ts.peek();
    if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
      negative = t.type() == TokenType.SUB;
      ts.next();
      t = ts.peek();
    }
    if (t.type() != TokenType.DURATION && t.type() != TokenType.NUMBER) {
      throw ts.unexpected(t, "offset", EXPECTED_DURATION);
    }
    ts.next();
    long offset = durationMillis(t, negative);
    int start = nodes.start(e);
    String target =
        "offset modifier must be preceded by an instant vector selector or range vector selector"
            + " or a subquery";
    if (e instanceof VectorSelector vs) {
      checkOffsetUnset(vs.offsetMillis(), start);
      return nodes.record(vs.withOffset(offset), start);
    }
    if (e instanceof MatrixSelector ms) {
      checkOffsetUnset(ms.selector().offsetMillis(), start);
      return nodes.record(
          new MatrixSelector(ms.selector().withOffset(offset), ms.rangeMillis()), start);
    }
    if (e instanceof SubqueryExpr sq) {
      checkOffsetUnset(sq.offsetMillis(), start);
      return nodes.record(sq.withOffset(offset), start);
    }
    throw ts.error(start, target);
  }

  private void checkOffsetUnset(long current, int start) throws ParseException {
    if (current != 0) {
      throw ts.error(start, "offset may not be set multiple times");
    }
  }

  private Expr parseAt(Expr e) throws ParseException {
    ts.next();
    Token t = ts.peek();
    AtModifier at;
    int start = nodes.start(e);
    if (t.type() == TokenType.START || t.type() == TokenType.END) {
      ts.next();
      if (ts.peek().type() != TokenType.LEFT_PAREN
          || ts.peekAt(1).type() != TokenType.RIGHT_PAREN) {
        throw ts.unexpected(
            ts.peek().type() == TokenType.LEFT_PAREN ? ts.peekAt(1) : ts.peek(), "@", "timestamp");
      }
      ts.next();
      ts.next();
      at = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
    } else {
      boolean negative = false;
      if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
        negative = t.type() == TokenType.SUB;
        ts.next();
        t = ts.peek();
      }
      if (t.type() != TokenType.NUMBER && t.type() != TokenType.DURATION) {
        throw ts.unexpected(t, "@", "timestamp");
      }
      ts.next();
      double seconds;
      if (t.type() == TokenType.DURATION) {
        seconds = durationMillis(t, false) / 1000.0;
      } else {
        try {
          seconds = GoNumbers.parse(t.text());
        } catch (IllegalArgumentException ex) {
          throw ts.error(t.pos(), "error parsing number: " + ex.getMessage());
        }
      }
      if (negative) {
        seconds = -seconds;
      }
      if (Double.isNaN(seconds)
          || Double.isInfinite(seconds)
          || seconds >= (double) Long.MAX_VALUE
          || seconds <= (double) Long.MIN_VALUE) {
        throw ts.error(
            start, "timestamp out of bounds for @ modifier: " + Printer.goFloatF(seconds));
      }
      at = AtModifier.at(roundHalfAwayFromZero(seconds * 1000.0));
    }
    String target =
        "@ modifier must be preceded by an instant vector selector or range vector selector or a"
            + " subquery";
    if (e instanceof VectorSelector vs) {
      checkAtUnset(vs.at(), start);
      return nodes.record(vs.withAt(at), start);
    }
    if (e instanceof MatrixSelector ms) {
      checkAtUnset(ms.selector().at(), start);
      return nodes.record(new MatrixSelector(ms.selector().withAt(at), ms.rangeMillis()), start);
    }
    if (e instanceof SubqueryExpr sq) {
      checkAtUnset(sq.at(), start);
      return nodes.record(sq.withAt(at), start);
    }
    throw ts.error(start, target);
  }

  private static long roundHalfAwayFromZero(double v) {
    double r = Math.floor(Math.abs(v) + 0.5);
    return (long) (v < 0 ? -r : r);
  }

  private void checkAtUnset(AtModifier current, int start) throws ParseException {
    if (current != null) {
      throw ts.error(start, "@ <timestamp> may not be set multiple times");
    }
  }
}
