package dev.vigil.client.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.Recorder;
import dev.vigil.client.jvm.JvmMetrics;
import dev.vigil.client.push.PushReporter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks both formats with Prometheus' own tools (Debian package {@code prometheus}).
 *
 * <p>The text format goes through {@code promtool check metrics}, which parses it and runs
 * Prometheus' linter; the output must raise no complaint at all. {@code check metrics} only reads
 * the 0.0.4 format (it refuses OpenMetrics' escaped quotes in HELP), so OpenMetrics goes through
 * {@code promtool tsdb create-blocks-from openmetrics}, which parses it with Prometheus'
 * OpenMetrics parser (the one scrapes use) and writes a TSDB block; that parser wants a timestamp
 * on every sample, so the test appends one. It accepts some invalid input (counters without {@code
 * _total}, non-cumulative buckets), so {@link OpenMetricsChecker} checks those rules besides.
 */
class PromtoolTest {

  @Test
  void textFormatPassesPromtoolLintWithoutComplaint() throws Exception {
    Result r = run(List.of(promtool(), "check", "metrics"), Fixtures.text(richScrape()), null);
    assertThat(r.output).as("promtool output").isEmpty();
    assertThat(r.exitCode).as("promtool exit code; output: %s", r.output).isZero();
  }

  @Test
  void promtoolLintIsActive() throws Exception {
    // The control: a counter without _total and without HELP must be reported.
    Result r = run(List.of(promtool(), "check", "metrics"), "# TYPE x counter\nx 1\n", null);
    assertThat(r.output).contains("counter metrics should have \"_total\" suffix");
  }

  @Test
  void openMetricsIsIngestedByPrometheusParser(@TempDir Path dir) throws Exception {
    String om = Fixtures.openMetrics(richScrape());
    assertThat(OpenMetricsChecker.check(om)).isEmpty();
    StringBuilder stamped = new StringBuilder();
    long samples = 0;
    for (String line : om.split("\n")) {
      stamped.append(line);
      if (!line.startsWith("#")) {
        stamped.append(" 1700000000");
        samples++;
      }
      stamped.append('\n');
    }
    Path input = dir.resolve("metrics.om");
    Files.writeString(input, stamped, StandardCharsets.UTF_8);
    Result r =
        run(
            List.of(
                promtool(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                input.toString(),
                dir.resolve("blocks").toString()),
            null,
            dir.toFile());
    assertThat(r.exitCode).as("promtool exit code; output: %s", r.output).isZero();
    // The block table's row: ULID, min time, max time, duration, samples, chunks, series, size.
    String row =
        r.output
            .lines()
            .filter(l -> l.matches("^[0-9A-Z]{26}\\s.*"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no block in promtool output: " + r.output));
    assertThat(Long.parseLong(row.trim().split("\\s+")[4])).isEqualTo(samples);
  }

  /** Requests, escaping, every family type, the JVM metrics and the push reporter's counters. */
  private static Scrape richScrape() {
    Recorder recorder = Fixtures.recorder();
    for (int i = 0; i < 50; i++) {
      recorder.record(
          i % 2 == 0 ? "GET" : "DELETE", "/r/" + i % 7, 100 + i * 10, i * 1_000_003L, null);
    }
    List<MetricFamily> families = new ArrayList<>(Fixtures.families());
    families.addAll(JvmMetrics.collect());
    try (PushReporter reporter =
        PushReporter.builder(recorder, URI.create("http://127.0.0.1:1")).build()) {
      families.addAll(reporter.metricFamilies());
    }
    return Scrape.of(recorder, families);
  }

  /**
   * Path of promtool; fails, never skips, without it: a format check that quietly stops running
   * would let broken output through.
   */
  static String promtool() {
    List<String> candidates = new ArrayList<>(List.of("/usr/bin/promtool"));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(dir + "/promtool");
    }
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return fail(
        "promtool not found: install the Debian package 'prometheus' (apt-get install"
            + " prometheus), which provides /usr/bin/promtool");
  }

  private static Result run(List<String> command, String stdin, File dir) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir);
    }
    Process p = pb.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool did not finish within 120 s: " + command);
    }
    return new Result(p.exitValue(), output.get(10, TimeUnit.SECONDS));
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final class Result {
    final int exitCode;
    final String output;

    Result(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }
}
