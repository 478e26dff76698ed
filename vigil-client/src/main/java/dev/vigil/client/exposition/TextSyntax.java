package dev.vigil.client.exposition;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Lexical rules shared by the Prometheus text format 0.0.4 and OpenMetrics 1.0 text: numbers,
 * escaping and label sets.
 */
final class TextSyntax {

  /** 2^53: every integer up to it is exactly representable, so it prints without a fraction. */
  private static final double MAX_EXACT_INTEGER = 9007199254740992.0;

  private TextSyntax() {}

  /**
   * A sample value as Prometheus writes it: {@code NaN}, {@code +Inf}, {@code -Inf}, integers as
   * plain digits ({@code 1000000}, never {@code 1e+06}), other values in Go's shortest {@code %g}
   * form.
   */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) <= MAX_EXACT_INTEGER) {
      return Long.toString((long) v);
    }
    return goFloat(v);
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back as {@code
   * v}, in fixed notation for decimal exponents -4 to 5 and in {@code 1.5e+06} form otherwise.
   * Prometheus and client_golang render {@code le} bounds this way.
   */
  static String goFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    // Double.toString gives digits that read back exactly (shortest but for rare JDK < 19
    // cases, which are still correct values, only longer).
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int pointAt = digits.length() - d.scale(); // decimal point position after digit pointAt
    int exponent = pointAt - 1;
    StringBuilder out = new StringBuilder(24);
    if (v < 0) {
      out.append('-');
    }
    if (exponent < -4 || exponent >= 6) {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
    } else if (pointAt <= 0) {
      out.append("0.");
      for (int i = pointAt; i < 0; i++) {
        out.append('0');
      }
      out.append(digits);
    } else if (pointAt >= digits.length()) {
      out.append(digits);
      for (int i = digits.length(); i < pointAt; i++) {
        out.append('0');
      }
    } else {
      out.append(digits, 0, pointAt).append('.').append(digits, pointAt, digits.length());
    }
    return out.toString();
  }

  /**
   * OpenMetrics' canonical form of an {@code le} bound: Go's {@code %g} with {@code .0} appended
   * when it has neither a decimal point nor an exponent ({@code 1.0}, {@code 0.005}, {@code 1e+06},
   * {@code +Inf}).
   */
  static String canonicalFloat(double v) {
    String s = goFloat(v);
    if (s.indexOf('.') < 0 && s.indexOf('e') < 0 && !s.endsWith("Inf") && !s.equals("NaN")) {
      return s + ".0";
    }
    return s;
  }

  /** Writes a label value with backslash, double quote and line feed escaped. */
  static void writeEscaped(Writer out, String s, boolean escapeQuote) throws IOException {
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String escape;
      if (c == '\\') {
        escape = "\\\\";
      } else if (c == '\n') {
        escape = "\\n";
      } else if (c == '"' && escapeQuote) {
        escape = "\\\"";
      } else {
        continue;
      }
      out.write(s, from, i - from);
      out.write(escape);
      from = i + 1;
    }
    out.write(s, from, s.length() - from);
  }

  /**
   * Writes {@code {a="1",b="2",extra="v"}}, or nothing when there are no labels and no extra label;
   * {@code extraName} may be null.
   */
  static void writeLabels(Writer out, Labels labels, String extraName, String extraValue)
      throws IOException {
    if (labels.size() == 0 && extraName == null) {
      return;
    }
    out.write('{');
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      writeLabel(out, labels.name(i), labels.value(i));
    }
    if (extraName != null) {
      if (labels.size() > 0) {
        out.write(',');
      }
      writeLabel(out, extraName, extraValue);
    }
    out.write('}');
  }

  private static void writeLabel(Writer out, String name, String value) throws IOException {
    out.write(name);
    out.write("=\"");
    writeEscaped(out, value, true);
    out.write('"');
  }

  /** Writes {@code name{labels} value\n}. */
  static void writeSample(
      Writer out, String name, Labels labels, String extraName, String extraValue, double value)
      throws IOException {
    out.write(name);
    writeLabels(out, labels, extraName, extraValue);
    out.write(' ');
    out.write(number(value));
    out.write('\n');
  }
}
