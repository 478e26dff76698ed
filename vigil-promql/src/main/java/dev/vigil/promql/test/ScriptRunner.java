package dev.vigil.promql.test;

import dev.vigil.model.Labels;
import dev.vigil.promql.Durations;
import dev.vigil.promql.Expr;
import dev.vigil.promql.LabelMatcher;
import dev.vigil.promql.ParseException;
import dev.vigil.promql.Parser;
import dev.vigil.promql.eval.Engine;
import dev.vigil.promql.eval.Result;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs Prometheus' PromQL test scripts ({@code *.test}, specified in the shared conformance
 * folder's FORMAT.md) against a fresh {@link Tsdb} per file and {@code clear}.
 *
 * <p>Each {@code eval} is one check, including the implicit range-mode and @-invariance checks of
 * the reference runner (FORMAT.md §8). Annotation and error texts are not compared: only the
 * presence or absence of warnings, infos and errors.
 */
public final class ScriptRunner {
  private static final Pattern INSTANT =
      Pattern.compile(
          "(?i)^(eval(?:_fail|_warn|_info|_ordered)?)\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
  private static final Pattern RANGE =
      Pattern.compile(
          "(?i)^(eval(?:_fail|_warn|_info)?)\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");
  private static final Pattern RANGE_VECTOR =
      Pattern.compile(
          "^expect\\s+range\\s+vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)$");

  /** Clock of the test store: far after any script timestamp, so the store accepts them all. */
  private static final long NOW_MILLIS = 10_000_000_000_000L;

  /** One failed eval. */
  public record Failure(int line, String expr, String expected, String actual) {}

  /** The outcome of one file. */
  public record FileResult(String file, int passed, List<Failure> failures) {}

  private ScriptRunner() {}

  /** Runs one script file. */
  public static FileResult run(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Path dir = Files.createTempDirectory("vigil-promql-test");
    State st = new State(dir);
    try {
      int passed = 0;
      List<Failure> failures = new ArrayList<>();
      int i = 0;
      while (i < lines.size()) {
        String line = lines.get(i).trim();
        if (line.isEmpty() || line.startsWith("#")) {
          i++;
          continue;
        }
        int bodyStart = i + 1;
        int j = bodyStart;
        while (j < lines.size()
            && !lines.get(j).trim().isEmpty()
            && !lines.get(j).trim().startsWith("#")) {
          j++;
        }
        List<String> body = new ArrayList<>();
        for (int k = bodyStart; k < j; k++) {
          body.add(lines.get(k).trim());
        }
        String keyword = line.split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (keyword.equals("clear")) {
          st.clear();
          i++; // clear has no body: the next line is a command
          continue;
        } else if (keyword.startsWith("load")) {
          st.load(line, body);
        } else if (keyword.startsWith("eval")) {
          Failure f = st.eval(i + 1, line, body);
          if (f == null) {
            passed++;
          } else {
            failures.add(f);
          }
        } else {
          throw new IllegalArgumentException(file + ":" + (i + 1) + ": unknown command " + keyword);
        }
        i = j;
      }
      return new FileResult(file.getFileName().toString(), passed, failures);
    } finally {
      st.close();
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The store of one file, replaced on {@code clear}. */
  private static final class State {
    private final Path dir;
    private int generation;
    private MixedStorage tsdb;

    State(Path dir) throws IOException {
      this.dir = dir;
      open();
    }

    private void open() throws IOException {
      TsdbOptions options =
          TsdbOptions.builder(dir.resolve("db" + generation++))
              .clock(Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC))
              .outOfOrderWindow(Duration.ofMillis(2 * NOW_MILLIS))
              .retention(Duration.ofMillis(4 * NOW_MILLIS))
              .build();
      tsdb = new MixedStorage(Tsdb.open(options));
    }

    void clear() throws IOException {
      tsdb.close();
      open();
    }

    void close() throws IOException {
      tsdb.close();
    }

    void load(String header, List<String> body) throws IOException {
      String[] parts = header.split("\\s+");
      long interval = Durations.parseMillis(parts[1]);
      java.util.Map<Labels, SeriesLine> byLabels = new java.util.LinkedHashMap<>();
      for (String line : body) {
        SeriesLine s = SeriesLine.parse(line);
        if (s != null) { // native histogram literals are not supported yet
          byLabels.put(s.labels(), s); // a later line for the same series replaces an earlier one
        }
      }
      Map<Labels, List<Object[]>> samples = new LinkedHashMap<>();
      for (SeriesLine s : byLabels.values()) {
        List<Object[]> list = new ArrayList<>();
        long t = 0;
        for (SeriesLine.Slot slot : s.slots()) {
          if (slot != null) {
            list.add(
                new Object[] {
                  t, slot.histogram() != null ? slot.histogram() : (Object) slot.value()
                });
          }
          t += interval;
        }
        samples.put(s.labels(), list);
      }
      tsdb.load(samples);
    }

    Failure eval(int lineNo, String header, List<String> body) {
      Matcher im = INSTANT.matcher(header);
      Matcher rm = RANGE.matcher(header);
      boolean instant;
      String kw;
      String exprText;
      long at = 0;
      long start = 0;
      long end = 0;
      long step = 0;
      if (im.matches()) {
        instant = true;
        kw = im.group(1).toLowerCase(Locale.ROOT);
        at = Durations.parseMillis(im.group(2));
        exprText = im.group(3);
      } else if (rm.matches()) {
        instant = false;
        kw = rm.group(1).toLowerCase(Locale.ROOT);
        start = Durations.parseMillis(rm.group(2));
        end = Durations.parseMillis(rm.group(3));
        step = Durations.parseMillis(rm.group(4));
        exprText = rm.group(5);
      } else {
        throw new IllegalArgumentException("line " + lineNo + ": malformed eval: " + header);
      }
      Expectation exp = Expectation.parse(kw, body, instant, start, step);
      Result result;
      Expr e;
      try {
        e = Parser.parse(exprText, Parser.Options.EXPERIMENTAL);
      } catch (ParseException ex) {
        throw new IllegalArgumentException("line " + lineNo + ": " + ex.getMessage(), ex);
      }
      Engine engine = new Engine(tsdb);
      try {
        result = instant ? engine.instant(e, at) : engine.range(e, start, end, step);
      } catch (RuntimeException ex) {
        if (exp.fail) {
          String variant = instant ? ImplicitChecks.atInvariance(engine, e, at, exp) : null;
          return variant == null ? null : new Failure(lineNo, exprText, "an error", variant);
        }
        return new Failure(lineNo, exprText, exp.describe(), "error: " + ex.getMessage());
      }
      if (exp.fail) {
        return new Failure(lineNo, exprText, "an error", Compare.describe(result.value()));
      }
      String problem = Compare.check(exp, result);
      if (problem == null && instant) {
        problem = ImplicitChecks.rangeMode(engine, e, at, exp);
        if (problem == null) {
          problem = ImplicitChecks.atInvariance(engine, e, at, exp);
        }
      }
      return problem == null ? null : new Failure(lineNo, exprText, exp.describe(), problem);
    }
  }

  /**
   * The {@code ./vigil promql-test FILE...} command: runs each file and prints {@code FILE: N
   * passed, M failed} and, for each failure, the expression, the expected and the actual result.
   * Exits with 1 if any eval failed or a file could not be run.
   */
  public static void main(String[] args) {
    System.exit(runFiles(List.of(args), System.out));
  }

  /** What {@link #main} does, printing to {@code out}; returns the exit status. */
  public static int runFiles(List<String> files, PrintStream out) {
    boolean anyFailed = false;
    for (String a : files) {
      FileResult r;
      try {
        r = run(Path.of(a));
      } catch (IOException | RuntimeException e) {
        out.println(a + ": error: " + e.getMessage());
        anyFailed = true;
        continue;
      }
      out.println(a + ": " + r.passed() + " passed, " + r.failures().size() + " failed");
      for (Failure f : r.failures()) {
        out.println("  line " + f.line() + ": " + f.expr());
        out.println("    expected: " + f.expected());
        out.println("    actual:   " + f.actual());
      }
      anyFailed |= !r.failures().isEmpty();
    }
    return anyFailed ? 1 : 0;
  }

  static Labels parseLabels(String selector) {
    try {
      Expr e = Parser.parse(selector, Parser.Options.EXPERIMENTAL);
      if (!(e instanceof Expr.VectorSelector vs)) {
        throw new IllegalArgumentException("not a series: " + selector);
      }
      Labels.Builder b = Labels.builder();
      for (LabelMatcher m : vs.allMatchers()) {
        if (!m.value().isEmpty()) {
          b.put(m.name(), m.value());
        }
      }
      return b.build();
    } catch (ParseException e) {
      if (selector.equals("{}")) {
        return Labels.empty();
      }
      throw new IllegalArgumentException("bad series " + selector + ": " + e.getMessage(), e);
    }
  }
}
