package dev.vigil.promql.test;

import dev.vigil.promql.Durations;
import dev.vigil.promql.Expr;
import dev.vigil.promql.ParseException;
import dev.vigil.promql.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an eval expects: failure, annotations, order, and the result. */
final class Expectation {
  private static final Pattern RANGE_VECTOR =
      Pattern.compile(
          "^expect\\s+range\\s+vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)$");

  boolean fail;
  boolean warn;
  boolean noWarn;
  boolean info;
  boolean noInfo;
  boolean ordered;
  boolean rangeVector;
  long start;
  long step;
  Double scalar;
  String string;
  final List<SeriesLine> series = new ArrayList<>();

  static Expectation parse(String kw, List<String> body, boolean instant, long start, long step) {
    Expectation e = new Expectation();
    e.fail = kw.equals("eval_fail");
    e.warn = kw.equals("eval_warn");
    e.info = kw.equals("eval_info");
    e.ordered = kw.equals("eval_ordered");
    e.start = instant ? 0 : start;
    e.step = step;
    for (String line : body) {
      if (line.startsWith("expected_fail_message") || line.startsWith("expected_fail_regexp")) {
        break;
      }
      Matcher rv = RANGE_VECTOR.matcher(line);
      if (rv.matches()) {
        e.rangeVector = true;
        e.start = Durations.parseMillis(rv.group(1));
        e.step = Durations.parseMillis(rv.group(3));
        continue;
      }
      if (line.startsWith("expect string")) {
        String q = line.substring("expect string".length()).trim();
        try {
          e.string = ((Expr.StringLiteral) Parser.parse(q)).value();
        } catch (ParseException ex) {
          throw new IllegalArgumentException("bad expected string " + q, ex);
        }
        continue;
      }
      if (line.startsWith("expect ")) {
        String type = line.substring(7).trim().split("\\s+")[0];
        switch (type) {
          case "fail" -> e.fail = true;
          case "warn" -> e.warn = true;
          case "no_warn" -> e.noWarn = true;
          case "info" -> e.info = true;
          case "no_info" -> e.noInfo = true;
          case "ordered" -> e.ordered = true;
          default -> throw new IllegalArgumentException("unknown expectation " + line);
        }
        continue;
      }
      Double number = number(line);
      if (number != null) {
        e.scalar = number;
        break;
      }
      SeriesLine s = SeriesLine.parse(line);
      if (s == null) {
        e.series.add(new SeriesLine(null, List.of()));
      } else {
        e.series.add(s);
      }
    }
    return e;
  }

  private static Double number(String line) {
    try {
      Expr x = Parser.parse(line);
      if (x instanceof Expr.NumberLiteral n) {
        return n.value();
      }
    } catch (ParseException | RuntimeException ex) {
      return null;
    }
    return null;
  }

  String describe() {
    if (fail) {
      return "an error";
    }
    if (scalar != null) {
      return "scalar " + scalar;
    }
    if (string != null) {
      return "string \"" + string + "\"";
    }
    StringBuilder sb = new StringBuilder();
    for (SeriesLine s : series) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      if (s.labels() == null) {
        sb.append("<native histogram series>");
        continue;
      }
      sb.append(s.labels()).append(' ');
      for (SeriesLine.Slot slot : s.slots()) {
        if (slot == null) {
          sb.append("_ ");
        } else if (slot.histogram() != null) {
          sb.append(slot.histogram()).append(' ');
        } else {
          sb.append(slot.value()).append(' ');
        }
      }
    }
    if (series.isEmpty()) {
      sb.append("empty result");
    }
    if (warn) {
      sb.append(" [warn]");
    }
    if (info) {
      sb.append(" [info]");
    }
    return sb.toString().trim();
  }
}
