package dev.vigil.promql;

import java.util.List;

/**
 * The parser's view of the token list: one token of lookahead (two for {@code @ start()}), and
 * errors in Prometheus' words. A lexical error is thrown when the parser reaches it.
 */
final class TokenStream {

  private final String input;
  private final List<Token> tokens;
  private int index;

  /** Open aggregations around the current token: their context names generic errors. */
  int aggregationDepth;

  TokenStream(String input, List<Token> tokens) {
    this.input = input;
    this.tokens = tokens;
  }

  Token peek() throws ParseException {
    Token t = tokens.get(index);
    if (t.type() == TokenType.ERROR) {
      throw error(t.pos(), t.text());
    }
    return t;
  }

  Token peekAt(int offset) {
    int i = Math.min(index + offset, tokens.size() - 1);
    return tokens.get(i);
  }

  Token next() throws ParseException {
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      index++;
    }
    return t;
  }

  ParseException error(int pos, String reason) {
    return new ParseException(input, pos, reason);
  }

  /** Prometheus' {@code unexpected(context, expected)}; an enclosing aggregation is the default. */
  ParseException unexpected(Token t, String context, String expected) {
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
}
