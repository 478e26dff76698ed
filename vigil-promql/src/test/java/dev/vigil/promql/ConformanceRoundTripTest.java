package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every expression of Prometheus' own PromQL test scripts ({@code eval} lines of {@code
 * shared/conformance/promql/*.test}, read in place) parses, and parse, print, parse gives an equal
 * tree and the same text again.
 */
class ConformanceRoundTripTest {

  private static final Pattern EVAL =
      Pattern.compile(
          "^eval(?:_\\w+)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");

  /**
   * The conformance scripts: {@code -Dvigil.conformance.dir}, else {@code VIGIL_SHARED_DIR}'s
   * {@code conformance/promql}, else {@code shared/conformance/promql} beside the checkout, else
   * {@code /work/shared/conformance/promql}. Where none exists (a user's clone without the shared
   * test data), the test is reported as skipped with the places it looked, as the scripts' README
   * asks; it never passes without them.
   */
  static Path conformanceDir() {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getProperty("vigil.conformance.dir");
    if (configured != null) {
      candidates.add(Path.of(configured));
    }
    String shared = System.getenv("VIGIL_SHARED_DIR");
    if (shared != null) {
      candidates.add(Path.of(shared, "conformance", "promql"));
    }
    candidates.add(
        Path.of("").toAbsolutePath().resolve("../../shared/conformance/promql").normalize());
    candidates.add(Path.of("/work/shared/conformance/promql"));
    for (Path dir : candidates) {
      if (Files.isDirectory(dir)) {
        return dir;
      }
    }
    Assumptions.abort("PromQL conformance scripts not found; looked in " + candidates);
    throw new AssertionError("unreachable");
  }

  static List<String> evalExpressions() throws IOException {
    List<String> exprs = new ArrayList<>();
    try (Stream<Path> files = Files.list(conformanceDir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          Matcher m = EVAL.matcher(line.trim());
          if (m.matches()) {
            exprs.add(m.group(1));
          }
        }
      }
    }
    return exprs;
  }

  @Test
  void everyConformanceExpressionRoundTrips() throws Exception {
    List<String> exprs = evalExpressions();
    assertThat(exprs).hasSizeGreaterThan(1000);
    List<String> failures = new ArrayList<>();
    for (String text : exprs) {
      try {
        Expr parsed = Parser.parse(text, Parser.Options.EXPERIMENTAL);
        String printed = Printer.print(parsed);
        Expr reparsed = Parser.parse(printed, Parser.Options.EXPERIMENTAL);
        if (!reparsed.equals(parsed)) {
          failures.add(text + "  =>  " + printed + "  (tree differs)");
        } else if (!Printer.print(reparsed).equals(printed)) {
          failures.add(text + "  =>  " + printed + "  (text not stable)");
        }
      } catch (ParseException e) {
        failures.add(text + "  =>  " + e.getMessage());
      }
    }
    assertThat(failures).isEmpty();
  }
}
