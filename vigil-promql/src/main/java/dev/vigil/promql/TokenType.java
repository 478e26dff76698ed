package dev.vigil.promql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The kinds of PromQL tokens, grouped as Prometheus' lexer groups its item types. */
enum TokenType {
  EOF(Kind.OTHER, null),
  ERROR(Kind.OTHER, null),
  IDENTIFIER(Kind.OTHER, null),
  METRIC_IDENTIFIER(Kind.OTHER, null),
  NUMBER(Kind.OTHER, null),
  DURATION(Kind.OTHER, null),
  STRING(Kind.OTHER, null),
  LEFT_PAREN(Kind.PUNCTUATION, "("),
  RIGHT_PAREN(Kind.PUNCTUATION, ")"),
  LEFT_BRACE(Kind.PUNCTUATION, "{"),
  RIGHT_BRACE(Kind.PUNCTUATION, "}"),
  LEFT_BRACKET(Kind.PUNCTUATION, "["),
  RIGHT_BRACKET(Kind.PUNCTUATION, "]"),
  COMMA(Kind.PUNCTUATION, ","),
  EQL(Kind.PUNCTUATION, "="),
  COLON(Kind.PUNCTUATION, ":"),
  // Operators.
  ADD(Kind.OPERATOR, "+"),
  SUB(Kind.OPERATOR, "-"),
  MUL(Kind.OPERATOR, "*"),
  DIV(Kind.OPERATOR, "/"),
  MOD(Kind.OPERATOR, "%"),
  POW(Kind.OPERATOR, "^"),
  EQLC(Kind.OPERATOR, "=="),
  NEQ(Kind.OPERATOR, "!="),
  LTE(Kind.OPERATOR, "<="),
  LSS(Kind.OPERATOR, "<"),
  GTE(Kind.OPERATOR, ">="),
  GTR(Kind.OPERATOR, ">"),
  TRIM_UPPER(Kind.OPERATOR, "</"),
  TRIM_LOWER(Kind.OPERATOR, ">/"),
  EQL_REGEX(Kind.OPERATOR, "=~"),
  NEQ_REGEX(Kind.OPERATOR, "!~"),
  AT(Kind.OPERATOR, "@"),
  LAND(Kind.OPERATOR, "and"),
  LOR(Kind.OPERATOR, "or"),
  LUNLESS(Kind.OPERATOR, "unless"),
  ATAN2(Kind.OPERATOR, "atan2"),
  // Aggregators.
  AGGREGATOR(Kind.AGGREGATOR, null),
  // Keywords.
  BOOL(Kind.KEYWORD, "bool"),
  BY(Kind.KEYWORD, "by"),
  GROUP_LEFT(Kind.KEYWORD, "group_left"),
  GROUP_RIGHT(Kind.KEYWORD, "group_right"),
  IGNORING(Kind.KEYWORD, "ignoring"),
  OFFSET(Kind.KEYWORD, "offset"),
  ON(Kind.KEYWORD, "on"),
  WITHOUT(Kind.KEYWORD, "without"),
  ANCHORED(Kind.KEYWORD, "anchored"),
  SMOOTHED(Kind.KEYWORD, "smoothed"),
  FILL(Kind.KEYWORD, "fill"),
  FILL_LEFT(Kind.KEYWORD, "fill_left"),
  FILL_RIGHT(Kind.KEYWORD, "fill_right"),
  // Preprocessors: keywords of the @ modifier and of duration expressions.
  START(Kind.PREPROCESSOR, "start"),
  END(Kind.PREPROCESSOR, "end"),
  STEP(Kind.PREPROCESSOR, "step"),
  RANGE(Kind.PREPROCESSOR, "range");

  /** How Prometheus describes the token in error messages. */
  enum Kind {
    OTHER,
    PUNCTUATION,
    OPERATOR,
    AGGREGATOR,
    KEYWORD,
    PREPROCESSOR
  }

  private static final Map<String, TokenType> WORDS = new HashMap<>();

  static {
    for (TokenType t : values()) {
      if (t.text != null && Character.isLetter(t.text.charAt(0))) {
        WORDS.put(t.text, t);
      }
    }
  }

  final Kind kind;
  final String text;

  TokenType(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /** The keyword, operator word or aggregator of a word, case-insensitive; null if none. */
  static TokenType ofWord(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (AggregationOp.ofKeyword(lower) != null) {
      return AGGREGATOR;
    }
    return WORDS.get(lower);
  }
}
