package dev.vigil.promql;

/**
 * A token: its type, its text as written (the message for {@link TokenType#ERROR}) and its start as
 * a char index into the query.
 */
record Token(TokenType type, String text, int pos) {

  /** The description Prometheus' parser uses in "unexpected ..." messages. */
  String describe() {
    return switch (type) {
      case EOF -> "end of input";
      case ERROR -> text;
      case IDENTIFIER -> "identifier " + GoStrings.quote(text);
      case METRIC_IDENTIFIER -> "metric identifier " + GoStrings.quote(text);
      case NUMBER -> "number " + shortQuote(text);
      case DURATION -> "duration " + shortQuote(text);
      case STRING -> "string " + shortQuote(text);
      default ->
          switch (type.kind) {
            case OPERATOR -> "<op:" + text + ">";
            case AGGREGATOR -> "<aggr:" + text + ">";
            case KEYWORD -> "<" + text + ">";
            default -> shortQuote(text);
          };
    };
  }

  /** Go's {@code %q}, or {@code %.10q...} for values longer than 10 bytes. */
  private static String shortQuote(String s) {
    if (s.length() <= 10) {
      return GoStrings.quote(s);
    }
    int end = s.offsetByCodePoints(0, Math.min(10, s.codePointCount(0, s.length())));
    return GoStrings.quote(s.substring(0, end)) + "...";
  }
}
