package dev.vigil.promql.test;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;

/** A {@code <series> <values>} line of a load block or an expectation. */
record SeriesLine(Labels labels, List<Slot> slots) {
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  /** One value, a float or a histogram; a null slot is {@code _} (no sample). */
  record Slot(double value, Histogram histogram) {
    Slot(double value) {
      this(value, null);
    }
  }

  /** The line, or null if it holds native histograms the model cannot represent. */
  static SeriesLine parse(String line) {
    int split = selectorEnd(line);
    String selector = line.substring(0, split).trim();
    String values = line.substring(split).trim();
    Labels labels = ScriptRunner.parseLabels(selector);
    List<Slot> slots = new ArrayList<>();
    try {
      for (String item : items(values)) {
        if (item.startsWith("{{")) {
          expandHistogram(item, slots);
        } else {
          expand(item, slots);
        }
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return new SeriesLine(labels, slots);
  }

  /** Splits on whitespace outside {@code {{...}}}. */
  static List<String> items(String values) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < values.length()) {
      while (i < values.length() && Character.isWhitespace(values.charAt(i))) {
        i++;
      }
      if (i >= values.length()) {
        break;
      }
      int startIdx = i;
      int depth = 0;
      while (i < values.length()) {
        char c = values.charAt(i);
        if (c == '{') {
          depth++;
        } else if (c == '}') {
          depth--;
        } else if (depth == 0 && Character.isWhitespace(c)) {
          break;
        }
        i++;
      }
      out.add(values.substring(startIdx, i));
    }
    return out;
  }

  private static void expandHistogram(String item, List<Slot> out) {
    int close = item.indexOf("}}");
    Histogram h = HistogramLiteral.parse(item.substring(2, close));
    String rest = item.substring(close + 2);
    if (rest.isEmpty()) {
      out.add(new Slot(0, h));
      return;
    }
    Histogram delta = null;
    boolean add = true;
    if (rest.startsWith("+{{") || rest.startsWith("-{{")) {
      add = rest.charAt(0) == '+';
      int c2 = rest.indexOf("}}");
      delta = HistogramLiteral.parse(rest.substring(3, c2));
      rest = rest.substring(c2 + 2);
    }
    if (!rest.startsWith("x")) {
      throw new IllegalArgumentException("bad histogram item " + item);
    }
    int times = Integer.parseInt(rest.substring(1));
    Histogram cur = h;
    for (int k = 0; k <= times; k++) {
      out.add(new Slot(0, cur));
      if (delta != null && k < times) {
        cur = add ? cur.merge(delta) : cur.subtract(delta);
      }
    }
  }

  static int selectorEnd(String line) {
    int i = 0;
    while (i < line.length() && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '{') {
      i++;
    }
    if (i < line.length() && line.charAt(i) == '{') {
      char quote = 0;
      for (; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == '\\' && quote != '`') {
            i++;
          } else if (c == quote) {
            quote = 0;
          }
        } else if (c == '"' || c == '\'' || c == '`') {
          quote = c;
        } else if (c == '}') {
          return i + 1;
        }
      }
    }
    return i;
  }

  static void expand(String item, List<Slot> out) {
    if (item.equals("_")) {
      out.add(null);
      return;
    }
    if (item.equalsIgnoreCase("stale")) {
      out.add(new Slot(STALE_NAN));
      return;
    }
    int x = item.lastIndexOf('x');
    if (x > 0
        && x < item.length() - 1
        && item.substring(x + 1).chars().allMatch(Character::isDigit)) {
      int times = Integer.parseInt(item.substring(x + 1));
      String head = item.substring(0, x);
      if (head.equals("_")) {
        for (int k = 0; k < times; k++) {
          out.add(null);
        }
        return;
      }
      int op = -1;
      for (int k = 1; k < head.length(); k++) {
        char c = head.charAt(k);
        char prev = head.charAt(k - 1);
        if ((c == '+' || c == '-') && prev != 'e' && prev != 'E') {
          op = k;
          break;
        }
      }
      double cur;
      double step = 0;
      if (op < 0) {
        cur = number(head);
      } else {
        cur = number(head.substring(0, op));
        step = number(head.substring(op + 1));
        if (head.charAt(op) == '-') {
          step = -step;
        }
      }
      for (int k = 0; k <= times; k++) {
        out.add(new Slot(cur));
        cur += step;
      }
      return;
    }
    out.add(new Slot(number(item)));
  }

  static double number(String s) {
    String t = s.toLowerCase(java.util.Locale.ROOT);
    String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
    double sign = t.startsWith("-") ? -1 : 1;
    if (body.equals("inf")) {
      return sign * Double.POSITIVE_INFINITY;
    }
    if (body.equals("nan")) {
      return Double.NaN;
    }
    if (t.endsWith("d") || t.endsWith("f")) {
      throw new NumberFormatException("bad value " + s);
    }
    return Double.parseDouble(s);
  }
}
