package dev.vigil.promql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Go's string quoting ({@code strconv.Quote}, {@code Unquote}), as PromQL strings use it. */
final class GoStrings {

  private GoStrings() {}

  /** {@code strconv.Quote}: double quotes, Go escapes, non-printable characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    b.append('"');
    appendEscaped(b, s, '"');
    return b.append('"').toString();
  }

  /** {@code %q} of a rune: {@code 'x'}; end of input (-1) is Go's replacement character. */
  static String quoteRune(int cp) {
    if (cp < 0 || cp > Character.MAX_CODE_POINT) {
      cp = 0xFFFD;
    }
    StringBuilder b = new StringBuilder("'");
    appendEscaped(b, new String(Character.toChars(cp)), '\'');
    return b.append('\'').toString();
  }

  /** {@code %#U} of a rune: {@code U+0071 'q'}. */
  static String unicodeName(int cp) {
    String hex = String.format("U+%04X", cp);
    return isPrintable(cp) ? hex + " '" + new String(Character.toChars(cp)) + "'" : hex;
  }

  private static void appendEscaped(StringBuilder b, String s, char quote) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        b.append('\\').appendCodePoint(cp);
        continue;
      }
      if (isPrintable(cp)) {
        b.appendCodePoint(cp);
        continue;
      }
      switch (cp) {
        case 7 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case 11 -> b.append("\\v");
        default -> {
          if (cp < ' ' || cp == 0x7f) {
            b.append(String.format("\\x%02x", cp));
          } else if (cp < 0x10000) {
            b.append(String.format("\\u%04x", cp));
          } else {
            b.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
  }

  /** Close to Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols, ' '. */
  static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    if (Character.isSurrogate((char) Math.min(cp, 0xFFFF)) && cp < 0x10000) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }

  /**
   * Unquotes a string token whose escapes the lexer has already validated: {@code "..."}, {@code
   * '...'} or {@code `...`}. Octal and {@code \x} escapes are bytes, as in Go; the bytes are
   * decoded as UTF-8.
   */
  static String unquote(String token) {
    char q = token.charAt(0);
    String body = token.substring(1, token.length() - 1);
    if (q == '`' || body.indexOf('\\') < 0) {
      return body;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length());
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c != '\\') {
        int cp = body.codePointAt(i);
        byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(enc, 0, enc.length);
        i += Character.charCount(cp);
        continue;
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> bytes.write(7);
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(11);
        case 'x' -> {
          bytes.write(Integer.parseInt(body.substring(i, i + 2), 16));
          i += 2;
        }
        case 'u', 'U' -> {
          int len = e == 'u' ? 4 : 8;
          int cp = Integer.parseInt(body.substring(i, i + len), 16);
          byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          bytes.write(enc, 0, enc.length);
          i += len;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          bytes.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
          i += 2;
        }
        default -> bytes.write(e); // \\, \" or \'
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
