package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.test.ScriptRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every eval of Prometheus' PromQL test scripts ({@code shared/conformance/promql/*.test})
 * against the evaluator over a real vigil-tsdb store. An eval that fails must be listed, with its
 * reason, in {@code promql-known-failures.txt}; a listed eval that passes fails the test too, so
 * the list (and {@code docs/promql-conformance.md}) stays true.
 */
class PromqlConformanceTest {

  /** {@code file:line} to reason. */
  static Map<String, String> knownFailures() throws IOException {
    Map<String, String> known = new LinkedHashMap<>();
    try (InputStream in =
            PromqlConformanceTest.class.getResourceAsStream("/promql-known-failures.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        assertThat(tab).as("entry without a reason: %s", line).isPositive();
        known.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    return known;
  }

  @TestFactory
  Stream<DynamicTest> everyScriptPassesExceptKnownFailures() throws IOException {
    Path dir = ConformanceRoundTripTest.conformanceDir();
    Map<String, String> known = knownFailures();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      ScriptRunner.FileResult r = ScriptRunner.run(file);
                      String name = file.getFileName().toString();
                      List<String> unexpected = new ArrayList<>();
                      List<String> failedKeys = new ArrayList<>();
                      for (ScriptRunner.Failure f : r.failures()) {
                        String key = name + ":" + f.line();
                        failedKeys.add(key);
                        if (!known.containsKey(key)) {
                          unexpected.add(
                              key
                                  + " "
                                  + f.expr()
                                  + "\n    expected: "
                                  + f.expected()
                                  + "\n    actual:   "
                                  + f.actual());
                        }
                      }
                      List<String> nowPassing = new ArrayList<>();
                      for (String key : known.keySet()) {
                        if (key.startsWith(name + ":") && !failedKeys.contains(key)) {
                          nowPassing.add(key);
                        }
                      }
                      assertThat(unexpected)
                          .as("evals failing that are not known failures")
                          .isEmpty();
                      assertThat(nowPassing)
                          .as("known failures that pass now: remove them from the list")
                          .isEmpty();
                      assertThat(r.passed()).isPositive();
                    }));
  }
}
