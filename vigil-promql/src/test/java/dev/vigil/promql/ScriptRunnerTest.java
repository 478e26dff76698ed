package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.test.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code promql-test} command's output and exit status. */
class ScriptRunnerTest {
  @TempDir Path dir;

  @Test
  void printsCountsAndEachFailureAndExitsNonZero() throws Exception {
    Path file = dir.resolve("mini.test");
    Files.writeString(
        file,
        String.join(
            "\n",
            "load 1m",
            "  up{job=\"a\"} 0+1x10",
            "",
            "eval instant at 5m up",
            "  up{job=\"a\"} 5",
            "",
            "eval range from 0 to 2m step 1m up * 2",
            "  {job=\"a\"} 0 2 4",
            "",
            "eval instant at 5m up",
            "  up{job=\"a\"} 6",
            ""));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status =
        ScriptRunner.runFiles(
            List.of(file.toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).isEqualTo(1);
    assertThat(out)
        .startsWith(file + ": 2 passed, 1 failed\n")
        .contains("  line 10: up\n")
        .contains("    expected: {__name__=\"up\", job=\"a\"} 6.0")
        .contains("    actual:   vector [{__name__=\"up\", job=\"a\"} 5.0; ]");
  }

  @Test
  void allPassingExitsZero() throws Exception {
    Path file = dir.resolve("ok.test");
    Files.writeString(file, "load 1m\n  x 1 2\n\neval instant at 1m x\n  x 2\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status =
        ScriptRunner.runFiles(
            List.of(file.toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(status).isZero();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(file + ": 1 passed, 0 failed\n");
  }
}
