package dev.vigil.client.exposition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict test-side parser of OpenMetrics 1.0 text, checking the rules of the specification that
 * our output relies on and that Prometheus' own parser does not enforce: metadata order and
 * uniqueness, no interleaved families, sample names matching their family's type ({@code _total}
 * for counters, {@code _bucket/_count/_sum} for histograms), only the three defined escapes,
 * canonical and sorted {@code le} values ending at {@code +Inf}, cumulative integral buckets,
 * {@code _count} equal to the {@code +Inf} bucket, units as name suffixes, unique label sets, and
 * {@code # EOF} as the last line.
 */
final class OpenMetricsChecker {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern REAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern METADATA = Pattern.compile("# (TYPE|UNIT|HELP) (\\S+)(?: (.*))?");
  private static final Set<String> TYPES =
      Set.of(
          "counter",
          "gauge",
          "histogram",
          "gaugehistogram",
          "summary",
          "info",
          "stateset",
          "unknown");

  private final List<String> problems = new ArrayList<>();
  private final Set<String> finishedFamilies = new HashSet<>();
  private String family;
  private String type;
  private final Set<String> metadataSeen = new HashSet<>();
  private boolean familyHasSamples;
  private final Map<String, Histogram> histograms = new LinkedHashMap<>();
  private final Set<String> seriesSeen = new HashSet<>();

  /** Problems found in {@code exposition}; empty when it is valid. */
  static List<String> check(String exposition) {
    OpenMetricsChecker c = new OpenMetricsChecker();
    c.run(exposition);
    return c.problems;
  }

  private void run(String text) {
    if (!text.endsWith("# EOF\n") && !text.endsWith("# EOF")) {
      problems.add("does not end with # EOF");
    }
    String[] lines = text.split("\n", -1);
    int last = text.endsWith("\n") ? lines.length - 2 : lines.length - 1;
    for (int i = 0; i <= last; i++) {
      String line = lines[i];
      String where = "line " + (i + 1) + ": ";
      int before = problems.size();
      if (line.equals("# EOF")) {
        if (i != last) {
          problems.add(where + "# EOF before the end");
        }
      } else if (line.startsWith("#")) {
        metadata(line);
      } else {
        sample(line);
      }
      for (int p = before; p < problems.size(); p++) {
        problems.set(p, where + problems.get(p) + " in: " + line);
      }
    }
    endFamily();
  }

  private void metadata(String line) {
    Matcher m = METADATA.matcher(line);
    if (!m.matches()) {
      problems.add("not a TYPE, UNIT or HELP line");
      return;
    }
    String kind = m.group(1);
    String name = m.group(2);
    String value = m.group(3) == null ? "" : m.group(3);
    if (!name.equals(family)) {
      startFamily(name);
    } else if (familyHasSamples) {
      problems.add("metadata after samples");
    }
    if (!metadataSeen.add(kind)) {
      problems.add("second " + kind + " line");
    }
    switch (kind) {
      case "TYPE":
        if (metadataSeen.size() > 1) {
          problems.add("TYPE must come first");
        }
        if (!TYPES.contains(value)) {
          problems.add("unknown type " + value);
        }
        type = value;
        if (type.equals("counter") && name.endsWith("_total")) {
          problems.add("counter family named with _total");
        }
        break;
      case "UNIT":
        if (!value.isEmpty() && !name.endsWith("_" + value)) {
          problems.add("unit " + value + " is not a suffix of " + name);
        }
        break;
      default:
        unescape(value);
    }
  }

  private void startFamily(String name) {
    endFamily();
    if (!NAME.matcher(name).matches()) {
      problems.add("invalid family name " + name);
    }
    if (!finishedFamilies.add(name)) {
      problems.add("family " + name + " appears twice (interleaved)");
    }
    family = name;
    type = "unknown";
    metadataSeen.clear();
    familyHasSamples = false;
    histograms.clear();
    seriesSeen.clear();
  }

  private void endFamily() {
    for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
      e.getValue().check(e.getKey());
    }
    histograms.clear();
  }

  private void sample(String line) {
    if (family == null) {
      problems.add("sample without TYPE");
      return;
    }
    familyHasSamples = true;
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    TreeMap<String, String> labels = new TreeMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
      if (i < 0) {
        return;
      }
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      problems.add("no space before the value");
      return;
    }
    String[] rest = line.substring(i + 1).split(" ", -1);
    if (rest.length > 2) {
      problems.add("too many fields");
      return;
    }
    Double value = number(rest[0]);
    if (value == null) {
      return;
    }
    if (rest.length == 2 && number(rest[1]) == null) {
      return;
    }
    String suffix = suffix(name);
    if (suffix == null) {
      return;
    }
    String le = labels.remove("le");
    String series = name + labels;
    if (!seriesSeen.add(series + (le == null ? "" : "le=" + le))) {
      problems.add("duplicate series " + series);
    }
    switch (type) {
      case "counter":
        if (value.isNaN() || value < 0) {
          problems.add("counter value " + value);
        }
        break;
      case "histogram":
        Histogram h = histograms.computeIfAbsent(labels.toString(), k -> new Histogram());
        if (suffix.equals("_bucket")) {
          if (le == null) {
            problems.add("bucket without le");
          } else {
            h.bucket(le, value);
          }
        } else if (le != null) {
          problems.add("le on " + suffix);
        } else if (suffix.equals("_count")) {
          h.count = value;
        } else {
          h.sum = value;
        }
        break;
      default:
        if (le != null) {
          problems.add("le label outside a histogram");
        }
    }
  }

  /** The sample name's suffix allowed for the family's type, or null after reporting it. */
  private String suffix(String name) {
    List<String> allowed;
    switch (type) {
      case "counter":
        allowed = List.of("_total", "_created");
        break;
      case "histogram":
        allowed = List.of("_bucket", "_count", "_sum", "_created");
        break;
      case "summary":
        allowed = List.of("_count", "_sum", "_created", "");
        break;
      default:
        allowed = List.of("");
    }
    for (String s : allowed) {
      if (name.equals(family + s)) {
        return s;
      }
    }
    problems.add("sample " + name + " does not belong to " + type + " " + family);
    return null;
  }

  private int labels(String line, int i, Map<String, String> out) {
    if (i < line.length() && line.charAt(i) == '}') {
      return i + 1;
    }
    while (true) {
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        problems.add("label without =");
        return -1;
      }
      String name = line.substring(i, eq);
      if (!LABEL_NAME.matcher(name).matches()) {
        problems.add("invalid label name " + name);
      }
      if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        problems.add("label value not quoted");
        return -1;
      }
      int j = eq + 2;
      StringBuilder raw = new StringBuilder();
      while (j < line.length() && line.charAt(j) != '"') {
        if (line.charAt(j) == '\\' && j + 1 < line.length()) {
          raw.append(line.charAt(j));
          j++;
        }
        raw.append(line.charAt(j));
        j++;
      }
      if (j >= line.length()) {
        problems.add("unterminated label value");
        return -1;
      }
      if (out.put(name, unescape(raw.toString())) != null) {
        problems.add("duplicate label " + name);
      }
      j++;
      if (j < line.length() && line.charAt(j) == ',') {
        i = j + 1;
      } else if (j < line.length() && line.charAt(j) == '}') {
        return j + 1;
      } else {
        problems.add("expected , or } after label " + name);
        return -1;
      }
    }
  }

  private String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        if (next == '\\' || next == '"') {
          out.append(next);
        } else if (next == 'n') {
          out.append('\n');
        } else {
          problems.add("invalid escape \\" + next);
        }
        i++;
      } else if (c == '"') {
        // Only possible in HELP: an unescaped quote is not a valid escaped-string character.
        problems.add("unescaped double quote");
        out.append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private Double number(String s) {
    if (s.equals("+Inf") || s.equals("Inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (s.equals("-Inf")) {
      return Double.NEGATIVE_INFINITY;
    }
    if (s.equals("NaN")) {
      return Double.NaN;
    }
    if (!REAL.matcher(s).matches()) {
      problems.add("not a number: " + s);
      return null;
    }
    return Double.parseDouble(s);
  }

  /** Buckets, count and sum of one histogram series. */
  private final class Histogram {
    final List<String> les = new ArrayList<>();
    final List<Double> values = new ArrayList<>();
    Double count;
    Double sum;

    void bucket(String le, double value) {
      les.add(le);
      values.add(value);
    }

    void check(String labels) {
      String where = family + labels + ": ";
      if (les.isEmpty() || !les.get(les.size() - 1).equals("+Inf")) {
        problems.add(where + "no +Inf bucket last");
        return;
      }
      double previousLe = Double.NEGATIVE_INFINITY;
      double previous = 0;
      Map<String, Boolean> seen = new HashMap<>();
      for (int i = 0; i < les.size(); i++) {
        String le = les.get(i);
        if (seen.put(le, true) != null) {
          problems.add(where + "duplicate le " + le);
        }
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        if (!le.equals("+Inf") && !le.equals(TextSyntax.canonicalFloat(bound))) {
          problems.add(where + "le " + le + " is not canonical");
        }
        if (bound <= previousLe) {
          problems.add(where + "le " + le + " out of order");
        }
        double v = values.get(i);
        if (v != Math.rint(v) || v < previous) {
          problems.add(where + "bucket " + le + " = " + v + " not cumulative integer");
        }
        previousLe = bound;
        previous = v;
      }
      if (sum != null && count == null) {
        problems.add(where + "_sum without _count");
      }
      if (count != null && count != previous) {
        problems.add(where + "_count " + count + " differs from +Inf bucket " + previous);
      }
      if (sum != null && (sum.isNaN() || sum < 0)) {
        problems.add(where + "_sum " + sum);
      }
    }
  }
}
