package dev.vigil.promql;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Number literals as Prometheus reads them: Go's {@code strconv.ParseInt(s, 0, 64)} (hex {@code
 * 0x1f}, octal {@code 0755}, underscores between digits), falling back to {@code ParseFloat}
 * (decimal with exponent, {@code Inf}, {@code NaN}).
 */
final class GoNumbers {

  private static final Pattern DECIMAL_FLOAT =
      Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  private GoNumbers() {}

  /**
   * Parses a number token.
   *
   * @throws IllegalArgumentException with Go's message, e.g. {@code strconv.ParseFloat: parsing
   *     "1e400": value out of range}
   */
  static double parse(String s) {
    Long asInt = parseInt(s);
    if (asInt != null) {
      return asInt;
    }
    return parseFloat(s);
  }

  private static Long parseInt(String s) {
    if (!underscoreOk(s)) {
      return null;
    }
    String t = s.replace("_", "");
    int radix = 10;
    String digits = t;
    if (t.length() >= 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
      radix = 16;
      digits = t.substring(2);
    } else if (t.length() >= 2
        && t.charAt(0) == '0'
        && (t.charAt(1) == 'o' || t.charAt(1) == 'O')) {
      radix = 8;
      digits = t.substring(2);
    } else if (t.length() >= 2
        && t.charAt(0) == '0'
        && (t.charAt(1) == 'b' || t.charAt(1) == 'B')) {
      radix = 2;
      digits = t.substring(2);
    } else if (t.length() >= 2 && t.charAt(0) == '0') {
      radix = 8;
      digits = t.substring(1);
    }
    if (digits.isEmpty()) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0) {
        return null;
      }
    }
    BigInteger v = new BigInteger(digits, radix);
    if (v.bitLength() > 63) {
      return null;
    }
    return v.longValue();
  }

  private static double parseFloat(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    if (!underscoreOk(s) || !DECIMAL_FLOAT.matcher(s.replace("_", "")).matches()) {
      throw new IllegalArgumentException(
          "strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": invalid syntax");
    }
    double d = Double.parseDouble(s.replace("_", ""));
    if (Double.isInfinite(d)) {
      throw new IllegalArgumentException(
          "strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": value out of range");
    }
    return d;
  }

  /** Go's {@code underscoreOK}: underscores only between digits or after a base prefix. */
  private static boolean underscoreOk(String s) {
    char saw = '^';
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      s = s.substring(1);
    }
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0') {
      char p = Character.toLowerCase(s.charAt(1));
      if (p == 'b' || p == 'o' || p == 'x') {
        i = 2;
        saw = '0';
        hex = p == 'x';
      }
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      char lc = Character.toLowerCase(c);
      if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
        continue;
      }
      if (saw == '_') {
        return false;
      }
      saw = '!';
    }
    return saw != '_';
  }
}
