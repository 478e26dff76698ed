package dev.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises a {@link RecordBenchmark} result file written with {@code -rf csv}: one table per
 * scenario with each library's time per request, its error, the bytes it allocates per request
 * ({@code -prof gc}'s {@code gc.alloc.rate.norm}) and its time as a multiple of Vigil's in the same
 * mode.
 *
 * <p>Run: {@code java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.JmhSummary
 * results.csv}.
 */
public final class JmhSummary {

  private static final List<String> MODES = List.of("lookup", "bound");

  /** Scenarios in the order of the benchmark's source; JMH's result file sorts them by name. */
  private static final List<String> SCENARIOS =
      List.of("oneThreadOneEndpoint", "twoThreadsOneEndpoint", "twoThreads100Endpoints");

  private JmhSummary() {}

  /** One row of the CSV: a primary score or a secondary (profiler) metric. */
  record Row(
      String scenario,
      String metric,
      int threads,
      String library,
      String mode,
      double score,
      double error,
      String unit) {}

  /** Prints the tables for the CSV file named by the one argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: JmhSummary <jmh-result.csv>");
      System.exit(2);
    }
    System.out.print(
        summarise(parse(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8))));
  }

  /** The tables, one per scenario: the known ones first, others in the order they appear. */
  static String summarise(List<Row> rows) {
    Map<String, List<Row>> byScenario = new LinkedHashMap<>();
    for (String scenario : SCENARIOS) {
      for (Row row : rows) {
        if (row.scenario().equals(scenario)) {
          byScenario.computeIfAbsent(scenario, k -> new ArrayList<>()).add(row);
        }
      }
    }
    for (Row row : rows) {
      if (SCENARIOS.contains(row.scenario())) {
        continue;
      }
      byScenario.computeIfAbsent(row.scenario(), k -> new ArrayList<>()).add(row);
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<Row>> scenario : byScenario.entrySet()) {
      List<Row> scenarioRows = scenario.getValue();
      int threads = scenarioRows.get(0).threads();
      out.append(
          String.format(
              Locale.ROOT,
              "%s (%d thread%s)%n",
              scenario.getKey(),
              threads,
              threads == 1 ? "" : "s"));
      TextTable table = new TextTable("library", "mode", "ns/op", "error", "B/op", "peer/vigil");
      for (String mode : MODES) {
        Row vigil = find(scenarioRows, "vigil", mode, null);
        for (String library : RecordTarget.LIBRARIES) {
          Row primary = find(scenarioRows, library, mode, null);
          if (primary == null) {
            continue;
          }
          Row alloc = find(scenarioRows, library, mode, "gc.alloc.rate.norm");
          table.row(
              library,
              mode,
              number(primary.score()),
              number(primary.error()),
              alloc == null ? "-" : number(alloc.score()),
              vigil == null
                  ? "-"
                  : String.format(Locale.ROOT, "%.2f", primary.score() / vigil.score()));
        }
      }
      out.append(table).append('\n');
    }
    return out.toString();
  }

  private static Row find(List<Row> rows, String library, String mode, String metric) {
    for (Row row : rows) {
      boolean sameMetric = metric == null ? row.metric() == null : metric.equals(row.metric());
      if (sameMetric && row.library().equals(library) && row.mode().equals(mode)) {
        return row;
      }
    }
    return null;
  }

  private static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value);
  }

  /** Parses JMH's CSV: a header naming the columns, then one line per primary or secondary. */
  static List<Row> parse(List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("empty JMH result");
    }
    List<String> header = Arrays.asList(fields(lines.get(0)));
    int benchmark = column(header, "Benchmark");
    int threads = column(header, "Threads");
    int score = column(header, "Score");
    int error = column(header, "Score Error (99.9%)");
    int unit = column(header, "Unit");
    int library = column(header, "Param: library");
    int mode = column(header, "Param: mode");
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = fields(line);
      String name = f[benchmark];
      // JMH names a secondary result "<benchmark>:<metric>" (older versions used a middle dot).
      int colon = name.indexOf(':');
      if (colon < 0) {
        colon = name.indexOf('\u00b7');
      }
      String metric = colon < 0 ? null : name.substring(colon + 1);
      String method = colon < 0 ? name : name.substring(0, colon);
      rows.add(
          new Row(
              method.substring(method.lastIndexOf('.') + 1),
              metric,
              Integer.parseInt(f[threads]),
              f[library],
              f[mode],
              decimal(f[score]),
              decimal(f[error]),
              f[unit]));
    }
    return rows;
  }

  private static int column(List<String> header, String name) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column \"" + name + "\" in JMH header " + header);
    }
    return i;
  }

  /** JMH writes decimals in the default locale; accept a decimal comma. */
  private static double decimal(String text) {
    return Double.parseDouble(text.replace(',', '.'));
  }

  /** Splits one CSV line; fields may be quoted, with "" for a quote inside. */
  static String[] fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out.toArray(new String[0]);
  }
}
