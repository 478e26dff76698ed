package dev.vigil.promql.eval;

/** Go's %q for label values in messages. */
final class GoQuote {
  private GoQuote() {}

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
