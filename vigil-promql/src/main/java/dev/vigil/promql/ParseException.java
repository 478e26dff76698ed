package dev.vigil.promql;

/**
 * A PromQL syntax or type error, worded as Prometheus words it: {@code 1:5: parse error: unexpected
 * <op:+>}. Line and column are 1-based; the column counts UTF-8 bytes from the start of the line,
 * as Prometheus does.
 */
public final class ParseException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String query;
  private final int byteOffset;
  private final int line;
  private final int column;
  private final String reason;

  ParseException(String query, int charIndex, String reason) {
    super(position(query, charIndex) + ": parse error: " + reason);
    this.query = query;
    this.reason = reason;
    int bytes = utf8Length(query, 0, Math.min(charIndex, query.length()));
    int lastBreak = query.lastIndexOf('\n', Math.min(charIndex, query.length()) - 1);
    this.byteOffset = bytes;
    this.line = countLines(query, charIndex);
    this.column = bytes - (lastBreak < 0 ? -1 : utf8Length(query, 0, lastBreak));
  }

  private static String position(String query, int charIndex) {
    int end = Math.min(charIndex, query.length());
    int lastBreak = query.lastIndexOf('\n', end - 1);
    int bytes = utf8Length(query, 0, end);
    int column = bytes - (lastBreak < 0 ? -1 : utf8Length(query, 0, lastBreak));
    return countLines(query, charIndex) + ":" + column;
  }

  private static int countLines(String query, int charIndex) {
    int lines = 1;
    for (int i = 0; i < Math.min(charIndex, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  private static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < to) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** The query that failed to parse. */
  public String query() {
    return query;
  }

  /** The error's start as a 0-based UTF-8 byte offset into the query. */
  public int byteOffset() {
    return byteOffset;
  }

  /** 1-based line of the error's start. */
  public int line() {
    return line;
  }

  /** 1-based column (in UTF-8 bytes) of the error's start. */
  public int column() {
    return column;
  }

  /** The message without position, e.g. {@code unexpected <op:+>}. */
  public String reason() {
    return reason;
  }
}
