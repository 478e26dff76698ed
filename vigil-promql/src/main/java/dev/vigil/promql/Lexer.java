package dev.vigil.promql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL query into tokens, following Prometheus' {@code lex.go}: identifiers inside
 * braces are never keywords, brackets hold durations and numbers, {@code #} starts a comment to the
 * end of the line. The token list ends with {@link TokenType#EOF} or, at the first lexical error,
 * with an {@link TokenType#ERROR} token carrying Prometheus' message; the parser reports it when it
 * reaches it, so a syntax error earlier in the query wins, as in Prometheus. One pass, linear in
 * the query's length.
 */
final class Lexer {

  private final String input;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int start;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean gotDuration;

  private Lexer(String input) {
    this.input = input;
  }

  /** The tokens of a query, comments dropped, ending with EOF or ERROR. */
  static List<Token> tokenize(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l.tokens;
  }

  private void run() {
    while (true) {
      int emitted = tokens.size();
      String error = braceOpen ? insideBraces() : bracketOpen ? insideBrackets() : statement();
      if (error != null) {
        // As in Prometheus, the error item replaces an item emitted in the same step.
        while (tokens.size() > emitted) {
          tokens.remove(tokens.size() - 1);
        }
        tokens.add(new Token(TokenType.ERROR, error, start));
        return;
      }
      Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
      if (last != null && last.type() == TokenType.EOF) {
        return;
      }
    }
  }

  // ---- character access ----

  private static final int EOF_CHAR = -1;

  private int peek() {
    return pos < input.length() ? input.codePointAt(pos) : EOF_CHAR;
  }

  private int next() {
    if (pos >= input.length()) {
      return EOF_CHAR;
    }
    int c = input.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }

  private void emit(TokenType type) {
    tokens.add(new Token(type, input.substring(start, pos), start));
    start = pos;
  }

  private boolean accept(String valid) {
    int c = peek();
    if (c != EOF_CHAR && valid.indexOf(c) >= 0) {
      next();
      return true;
    }
    return false;
  }

  private boolean is(String valid) {
    int c = peek();
    return c != EOF_CHAR && valid.indexOf(c) >= 0;
  }

  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  static boolean isAlpha(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlphaNumeric(int c) {
    return isAlpha(c) || isDigit(c);
  }

  private void skipSpaces() {
    while (isSpace(peek())) {
      next();
    }
    start = pos;
  }

  private void skipComment() {
    while (peek() != EOF_CHAR && peek() != '\n' && peek() != '\r') {
      next();
    }
    start = pos;
  }

  // ---- states ----

  /** Lexes one token at statement level; returns an error message or null. */
  private String statement() {
    if (input.startsWith("#", pos)) {
      skipComment();
      return null;
    }
    int r = next();
    if (r == EOF_CHAR) {
      if (parenDepth != 0) {
        return "unclosed left parenthesis";
      }
      if (bracketOpen) {
        return "unclosed left bracket";
      }
      emit(TokenType.EOF);
      return null;
    }
    switch (r) {
      case ',' -> emit(TokenType.COMMA);
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '^' -> emit(TokenType.POW);
      case '@' -> emit(TokenType.AT);
      case '=' -> {
        int t = peek();
        if (t == '=') {
          next();
          emit(TokenType.EQLC);
        } else if (t == '~') {
          return "unexpected character after '=': " + GoStrings.quoteRune(t);
        } else {
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int t = next();
        if (t != '=') {
          return "unexpected character after '!': " + GoStrings.quoteRune(t);
        }
        emit(TokenType.NEQ);
      }
      case '<' -> {
        if (peek() == '/') {
          next();
          emit(TokenType.TRIM_UPPER);
        } else if (peek() == '=') {
          next();
          emit(TokenType.LTE);
        } else {
          emit(TokenType.LSS);
        }
      }
      case '>' -> {
        if (peek() == '/') {
          next();
          emit(TokenType.TRIM_LOWER);
        } else if (peek() == '=') {
          next();
          emit(TokenType.GTE);
        } else {
          emit(TokenType.GTR);
        }
      }
      case '"', '\'' -> {
        return string(r);
      }
      case '`' -> {
        return rawString();
      }
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenType.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          return "unexpected right parenthesis " + GoStrings.quoteRune(r);
        }
      }
      case '{' -> {
        emit(TokenType.LEFT_BRACE);
        braceOpen = true;
      }
      case '[' -> {
        gotColon = false;
        gotDuration = false;
        emit(TokenType.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
      }
      case ']' -> {
        return "unexpected right bracket " + GoStrings.quoteRune(r);
      }
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          pos--;
          return numberOrDuration();
        } else if (isAlpha(r) || r == ':') {
          pos--;
          keywordOrIdentifier();
        } else {
          return "unexpected character: " + GoStrings.quoteRune(r);
        }
      }
    }
    return null;
  }

  private String insideBraces() {
    if (input.startsWith("#", pos)) {
      skipComment();
      return null;
    }
    int r = next();
    if (r == EOF_CHAR) {
      return "unexpected end of input inside braces";
    }
    if (isSpace(r)) {
      skipSpaces();
      return null;
    }
    if (isAlpha(r)) {
      while (isAlphaNumeric(peek())) {
        next();
      }
      emit(TokenType.IDENTIFIER);
      return null;
    }
    switch (r) {
      case ',' -> emit(TokenType.COMMA);
      case '"', '\'' -> {
        return string(r);
      }
      case '`' -> {
        return rawString();
      }
      case '=' -> {
        if (peek() == '~') {
          next();
          emit(TokenType.EQL_REGEX);
        } else {
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int nr = next();
        if (nr == '~') {
          emit(TokenType.NEQ_REGEX);
        } else if (nr == '=') {
          emit(TokenType.NEQ);
        } else {
          return "unexpected character after '!' inside braces: " + GoStrings.quoteRune(nr);
        }
      }
      case '{' -> {
        return "unexpected left brace " + GoStrings.quoteRune(r);
      }
      case '}' -> {
        emit(TokenType.RIGHT_BRACE);
        braceOpen = false;
      }
      default -> {
        return "unexpected character inside braces: " + GoStrings.quoteRune(r);
      }
    }
    return null;
  }

  /** Inside {@code [...]}: durations, numbers, the colon of subqueries, duration arithmetic. */
  private String insideBrackets() {
    int r = next();
    if (r == EOF_CHAR) {
      return "unexpected end of input in duration expression";
    }
    switch (r) {
      case ']' -> {
        emit(TokenType.RIGHT_BRACKET);
        bracketOpen = false;
        gotColon = false;
      }
      case ':' -> {
        emit(TokenType.COLON);
        if (!gotDuration) {
          return "unexpected colon before duration in duration expression";
        }
        if (gotColon) {
          return "unexpected repeated colon in duration expression";
        }
        gotColon = true;
      }
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenType.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          return "unexpected right parenthesis " + GoStrings.quoteRune(r);
        }
      }
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '^' -> emit(TokenType.POW);
      case ',' -> emit(TokenType.COMMA);
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (r == 's' || r == 'S' || r == 'm' || r == 'M' || r == 'r' || r == 'R') {
          while (isAlpha(peek())) {
            next();
          }
          String word = input.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
          switch (word) {
            case "step" -> emit(TokenType.STEP);
            case "range" -> emit(TokenType.RANGE);
            case "min", "max" -> emit(TokenType.AGGREGATOR);
            default -> {
              return "unexpected character in duration expression: " + GoStrings.quoteRune(r);
            }
          }
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          pos--;
          gotDuration = true;
          return numberOrDuration();
        } else {
          return "unexpected character in duration expression: " + GoStrings.quoteRune(r);
        }
      }
    }
    return null;
  }

  private String string(int quote) {
    while (true) {
      int c = next();
      if (c == '\\') {
        String err = escape(quote);
        if (err != null) {
          return err;
        }
        continue;
      }
      if (c == EOF_CHAR || c == '\n') {
        return "unterminated quoted string";
      }
      if (c == quote) {
        break;
      }
    }
    emit(TokenType.STRING);
    return null;
  }

  private String rawString() {
    while (true) {
      int c = next();
      if (c == EOF_CHAR) {
        return "unterminated raw string";
      }
      if (c == '`') {
        break;
      }
    }
    emit(TokenType.STRING);
    return null;
  }

  /** Validates an escape after the backslash, as Go's scanner does. */
  private String escape(int quote) {
    int ch = next();
    int n;
    int base;
    long max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return null;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        n = 3;
        base = 8;
        max = 255;
      }
      case 'x' -> {
        ch = next();
        n = 2;
        base = 16;
        max = 255;
      }
      case 'u' -> {
        ch = next();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case 'U' -> {
        ch = next();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case EOF_CHAR -> {
        return "escape sequence not terminated";
      }
      default -> {
        if (ch == quote) {
          return null;
        }
        return "unknown escape sequence " + GoStrings.unicodeName(ch);
      }
    }
    long x = 0;
    while (n > 0) {
      int d = Character.digit(ch, 16);
      if (ch == EOF_CHAR || d < 0 || d >= base || ch > 'f') {
        if (ch == EOF_CHAR) {
          return "escape sequence not terminated";
        }
        return "illegal character " + GoStrings.unicodeName(ch) + " in escape sequence";
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = next();
      }
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
      return "escape sequence is an invalid Unicode code point";
    }
    return null;
  }

  private void keywordOrIdentifier() {
    while (isAlphaNumeric(peek()) || peek() == ':') {
      next();
    }
    String word = input.substring(start, pos);
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("nan")) {
      emit(TokenType.NUMBER);
      return;
    }
    TokenType kw = TokenType.ofWord(word);
    if (kw != null) {
      if ((kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT)
          && !followedByLeftParen()) {
        emit(TokenType.IDENTIFIER);
        return;
      }
      emit(kw);
    } else if (word.indexOf(':') < 0) {
      emit(TokenType.IDENTIFIER);
    } else {
      emit(TokenType.METRIC_IDENTIFIER);
    }
  }

  private boolean followedByLeftParen() {
    int p = pos;
    while (p < input.length() && isSpace(input.charAt(p))) {
      p++;
    }
    return p < input.length() && input.charAt(p) == '(';
  }

  private String numberOrDuration() {
    if (scanNumber()) {
      emit(TokenType.NUMBER);
      return null;
    }
    if (acceptRemainingDuration()) {
      pos = Math.max(start, pos - lastWidth);
      emit(TokenType.DURATION);
      return null;
    }
    return "bad number or duration syntax: " + GoStrings.quote(input.substring(start, pos));
  }

  private int lastWidth;

  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // Consume.
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    int c = next();
    lastWidth = c == EOF_CHAR ? 0 : Character.charCount(c);
    return !isAlphaNumeric(c);
  }

  /**
   * Scans a number as Prometheus' {@code scanNumber} does, quirks included (in hex literals {@code
   * e} is read as an exponent marker); the text may still fail to parse.
   */
  private boolean scanNumber() {
    int initial = pos;
    String digits = "0123456789";
    if (accept("0") && accept("xX")) {
      accept("_");
      digits = "0123456789abcdefABCDEF";
    }
    accept(".");
    accept(digits);
    boolean dot = false;
    boolean exponent = false;
    while (is(digits + "._eE")) {
      if (is(".") && dot) {
        accept(".");
        return false;
      }
      if (is("eE") && exponent) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dot = true;
        if (accept("_.") || digits.length() > 10) {
          return false;
        }
        continue;
      }
      if (accept("eE")) {
        exponent = true;
        accept("+-");
        if (accept("._eE") || peek() == EOF_CHAR) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() == EOF_CHAR) {
          return false;
        }
        continue;
      }
      while (accept(digits)) {
        // Consume.
      }
    }
    if (pos == initial) {
      return false;
    }
    return !isAlphaNumeric(peek());
  }
}
