package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM commits in a loop and is killed with SIGKILL; every commit it
 * acknowledged must be there after reopening, and nothing beyond the one commit in flight.
 */
class KillNineTest {
  private static final int WRITERS = 4;
  private static final int ACKNOWLEDGED_BEFORE_KILL = 400;
  private static final String END = "";

  @TempDir Path dir;

  @Test
  void killNineLosesNoAcknowledgedCommit() throws Exception {
    long base = System.currentTimeMillis();
    Path stderr = dir.resolve("child-stderr.txt");
    Path data = dir.resolve("data");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriter.class.getName(),
                data.toString(),
                Integer.toString(WRITERS),
                Long.toString(base))
            .redirectError(stderr.toFile())
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the pipe breaks when the child dies
              } finally {
                lines.add(END);
              }
            });
    reader.start();

    Map<String, Integer> acknowledged = new HashMap<>();
    int total = 0;
    while (total < ACKNOWLEDGED_BEFORE_KILL) {
      String line = lines.poll(60, TimeUnit.SECONDS);
      if (line == null || line.equals(END)) {
        child.destroyForcibly();
        fail("child stopped early: " + Files.readString(stderr));
      }
      record(acknowledged, line);
      total++;
    }
    // SIGKILL through the ProcessHandle: Process.destroyForcibly() would also close our end of
    // the child's stdout and discard acknowledgements still in the pipe (seen here: the test
    // then counted one commit fewer than the child had printed).
    child.toHandle().destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(30_000);
    for (String line = lines.poll(); line != null && !line.equals(END); line = lines.poll()) {
      record(acknowledged, line); // printed before the kill, still in the pipe
    }

    try (Tsdb reopened = Tsdb.open(TsdbOptions.builder(data).build())) {
      Map<Labels, List<Sample>> all = readAll(reopened);
      for (int w = 0; w < WRITERS; w++) {
        String writer = Integer.toString(w);
        int acked = acknowledged.getOrDefault(writer, 0);
        List<Sample> floats = all.getOrDefault(series("crash_float", "writer", writer), List.of());
        int present = floats.size();
        assertThat(present).as("commits of writer %s", writer).isBetween(acked, acked + 1);
        List<Sample> expectedFloats = new ArrayList<>();
        Histogram latency = null;
        for (int i = 1; i <= present; i++) {
          expectedFloats.add(Sample.of(base + i, i));
          Histogram h = CrashWriter.observation(i);
          latency = latency == null ? h : latency.merge(h);
        }
        assertThat(floats).isEqualTo(expectedFloats);
        if (present > 0) {
          // The three writes of a commit are there together or not at all.
          assertThat(all.get(series("crash_merges", "writer", writer)))
              .containsExactly(Sample.of(base, present));
          assertThat(all.get(series("crash_latency", "writer", writer)))
              .containsExactly(Sample.of(base, latency));
        }
      }
    }
  }

  private static void record(Map<String, Integer> acknowledged, String line) {
    String[] parts = line.split(" ");
    acknowledged.merge(parts[0], Integer.parseInt(parts[1]), Math::max);
  }
}
