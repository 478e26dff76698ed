package dev.vigil.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.Labels;
import dev.vigil.server.MutableClock;
import dev.vigil.server.series.SystemSeries;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.rollup.Resolution;
import dev.vigil.tsdb.rollup.RollupOptions;
import dev.vigil.tsdb.rollup.Rollups;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long spans of system metrics read from the 5-minute rollups: one point per window, gauges
 * averaged over the window and rates taken between the counters' values at the windows' ends, as
 * computed here from the raw samples.
 */
class SystemMetricsRollupTest {
  static final long FIVE = Resolution.FIVE_MINUTES.millis();
  static final long START = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
  static final long HOURS = 8;

  @TempDir Path dir;

  @Test
  void longSpansComeFromFiveMinuteRollups() throws IOException {
    MutableClock clock = new MutableClock(START);
    long end = START + HOURS * 3_600_000;
    TreeMap<Long, Double> memAvailable = new TreeMap<>();
    TreeMap<Long, double[]> cpu = new TreeMap<>(); // busy, idle cumulative
    try (Tsdb tsdb =
        Tsdb.open(
            TsdbOptions.builder(dir.resolve("tsdb"))
                .clock(clock)
                .outOfOrderWindow(Duration.ofHours(1))
                .build())) {
      Random random = new Random(5);
      double busy = 0;
      double idle = 0;
      Labels total = Labels.of(Labels.METRIC_NAME, SystemSeries.MEM_TOTAL);
      Labels avail = Labels.of(Labels.METRIC_NAME, SystemSeries.MEM_AVAILABLE);
      Labels user =
          Labels.of(Labels.METRIC_NAME, SystemSeries.CPU_SECONDS, "cpu", "0", "mode", "user");
      Labels idleL =
          Labels.of(Labels.METRIC_NAME, SystemSeries.CPU_SECONDS, "cpu", "0", "mode", "idle");
      Appender app = tsdb.appender();
      for (long t = START; t < end; t += 10_000) {
        clock.set(t);
        busy += 10 * random.nextDouble();
        idle = (t - START) / 1000.0 + 10 - busy + 1e6;
        double a = 4e9 + 1e9 * random.nextDouble();
        app.add(total, t, 16e9);
        app.add(avail, t, a);
        app.add(user, t, busy);
        app.add(idleL, t, idle);
        if ((t - START) % 600_000 == 590_000) {
          app.commit(); // ten minutes per commit
        }
        memAvailable.put(t, a);
        cpu.put(t, new double[] {busy, idle});
      }
      app.commit();
      clock.set(end + Duration.ofMinutes(62).toMillis());
      try (Rollups rollups =
          Rollups.open(
              tsdb,
              new RollupOptions(
                  dir.resolve("rollups"),
                  Duration.ofHours(1),
                  Duration.ofDays(365),
                  Duration.ofHours(24),
                  clock))) {
        rollups.catchUp();
        assertThat(rollups.rolledUpUntil(Resolution.FIVE_MINUTES)).isEqualTo(end);
        SystemMetricsReader reader = new SystemMetricsReader(tsdb, rollups);
        List<Map<String, Object>> samples = reader.samples(START, end, 96);
        assertThat(samples).hasSize(96);
        for (int i = 0; i < samples.size(); i++) {
          Map<String, Object> s = samples.get(i);
          long windowEnd = START + (i + 1) * FIVE;
          assertThat(s.get("timestamp")).isEqualTo(Instant.ofEpochMilli(windowEnd - 1).toString());
          double avg =
              memAvailable.subMap(windowEnd - FIVE, windowEnd).values().stream()
                  .mapToDouble(Double::doubleValue)
                  .average()
                  .orElseThrow();
          assertThat((Double) s.get("memory_available")).isCloseTo(avg, within(1e-6 * avg));
          if (i > 0) {
            double[] now = cpu.floorEntry(windowEnd - 1).getValue();
            double[] before = cpu.floorEntry(windowEnd - FIVE - 1).getValue();
            double dBusy = now[0] - before[0];
            double dTotal = dBusy + now[1] - before[1];
            assertThat((Double) s.get("cpu_percent")).isCloseTo(100 * dBusy / dTotal, within(1e-9));
          }
        }
        // A short span stays raw: one point per 10 s sample.
        assertThat(reader.samples(end - 600_000, end - 1, 720)).hasSize(60);
      }
    }
  }
}
