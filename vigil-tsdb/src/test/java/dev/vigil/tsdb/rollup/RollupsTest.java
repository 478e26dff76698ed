package dev.vigil.tsdb.rollup;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.LogCapture;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.MutableClock;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.TestData;
import dev.vigil.tsdb.TestData.Sample;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollupsTest {
  private static final long STEP = 10_000;
  private static final long FIVE = Resolution.FIVE_MINUTES.millis();
  private static final long HOUR = Resolution.ONE_HOUR.millis();
  private static final Labels GAUGE_A = series("g", "host", "a");
  private static final Labels GAUGE_B = series("g", "host", "b");
  private static final Labels HIST = series("latency_seconds", "route", "/x");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private Tsdb raw;
  private Rollups rollups;

  /** Every sample written, by series, to compute the expected rollups independently. */
  private final Map<Labels, List<Sample>> written = new HashMap<>();

  @BeforeEach
  void open() throws IOException {
    raw =
        Tsdb.open(
            TsdbOptions.builder(dir.resolve("raw"))
                .outOfOrderWindow(Duration.ofHours(1))
                .clock(clock)
                .build());
    rollups = openRollups();
  }

  private Rollups openRollups() throws IOException {
    return Rollups.open(
        raw, RollupOptions.defaults(dir.resolve("rollups"), Duration.ofHours(1), clock));
  }

  @AfterEach
  void close() throws IOException {
    if (rollups != null) {
      rollups.close();
    }
    raw.close();
  }

  /**
   * Writes 10 s samples from {@code from} up to {@code to}, a minute per commit, clock following.
   */
  private void write(long from, long to, Random random) throws IOException {
    Appender app = raw.appender();
    for (long t = from; t < to; t += STEP) {
      clock.set(t);
      add(app, GAUGE_A, t, random.nextInt(20) == 0 ? Double.NaN : random.nextGaussian() * 10);
      add(app, GAUGE_B, t, random.nextDouble() * 1000);
      if (random.nextInt(3) == 0) {
        Histogram h =
            TestData.histogram(random.nextDouble(), random.nextDouble() * 5, random.nextDouble());
        app.addHistogram(HIST, t, h);
        written.computeIfAbsent(HIST, k -> new ArrayList<>()).add(Sample.of(t, h));
      }
      if ((t - from) % 60_000 == 50_000) {
        app.commit();
      }
    }
    app.commit();
  }

  private void add(Appender app, Labels labels, long t, double v) {
    app.add(labels, t, v);
    written.computeIfAbsent(labels, k -> new ArrayList<>()).add(Sample.of(t, v));
  }

  /** The expected float components over [start, end), or null when no non-NaN sample is there. */
  private double[] expectedFloat(Labels labels, long start, long end) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    long count = 0;
    for (Sample s : written.getOrDefault(labels, List.of())) {
      if (s.t() >= start && s.t() < end && !Double.isNaN(s.v())) {
        min = Math.min(min, s.v());
        max = Math.max(max, s.v());
        sum += s.v();
        count++;
      }
    }
    return count == 0 ? null : new double[] {min, max, sum, count};
  }

  private Histogram expectedHistogram(long start, long end) {
    Histogram merged = null;
    for (Sample s : written.get(HIST)) {
      if (s.t() >= start && s.t() < end) {
        merged = merged == null ? s.h() : merged.merge(s.h());
      }
    }
    return merged;
  }

  private Map<Labels, List<Sample>> read(Resolution r, long start, long end) {
    Map<Labels, List<Sample>> out = new HashMap<>();
    try (Querier q = rollups.querier(r, start, end - 1)) {
      for (Series s : q.select(Matcher.regex(Rollups.ROLLUP_LABEL, ".+"))) {
        out.put(s.labels(), TestData.samples(s));
      }
    }
    return out;
  }

  private static double value(Map<Labels, List<Sample>> read, Labels labels, String component) {
    List<Sample> samples = read.get(labels.with(Rollups.ROLLUP_LABEL, component));
    assertThat(samples).as("%s %s", labels, component).hasSize(1);
    return samples.get(0).v();
  }

  private void assertWindow(Resolution r, long start) {
    Map<Labels, List<Sample>> got = read(r, start, start + r.millis());
    for (Labels g : List.of(GAUGE_A, GAUGE_B)) {
      double[] e = expectedFloat(g, start, start + r.millis());
      if (e == null) {
        assertThat(got).doesNotContainKey(g.with(Rollups.ROLLUP_LABEL, Rollups.COUNT));
        continue;
      }
      assertThat(value(got, g, Rollups.MIN)).isEqualTo(e[0]);
      assertThat(value(got, g, Rollups.MAX)).isEqualTo(e[1]);
      assertThat(value(got, g, Rollups.SUM)).isCloseTo(e[2], within(1e-9 * (1 + Math.abs(e[2]))));
      assertThat(value(got, g, Rollups.COUNT)).isEqualTo(e[3]);
    }
    Histogram h = expectedHistogram(start, start + r.millis());
    if (h != null) {
      List<Sample> hs = got.get(HIST.with(Rollups.ROLLUP_LABEL, Rollups.SUM));
      assertThat(hs).hasSize(1);
      assertThat(hs.get(0).t()).isEqualTo(start);
      assertThat(hs.get(0).h().count()).isEqualTo(h.count());
      assertThat(hs.get(0).h().sum()).isCloseTo(h.sum(), within(1e-9 * (1 + h.sum())));
      assertThat(hs.get(0).h().quantile(0.9)).isCloseTo(h.quantile(0.9), within(1e-9));
    }
  }

  @Test
  void rollsUpEveryWindowExactlyAndHoursFromFiveMinuteWindows() throws IOException {
    Random random = new Random(7);
    long end = T0 + 3 * HOUR;
    // Three hours of data, rolling up every ten minutes as the server would.
    for (long t = T0; t < end; t += 10 * 60_000) {
      write(t, t + 10 * 60_000, random);
      rollups.catchUp();
    }
    clock.set(end + HOUR + FIVE + 2 * 60_000);
    rollups.catchUp();

    long firstFive = Resolution.FIVE_MINUTES.windowStart(T0) + FIVE;
    long lastFive = Resolution.FIVE_MINUTES.windowStart(end) - FIVE;
    assertThat(rollups.rolledUpUntil(Resolution.FIVE_MINUTES)).isGreaterThanOrEqualTo(end);
    for (long w = firstFive; w <= lastFive; w += FIVE) {
      assertWindow(Resolution.FIVE_MINUTES, w);
    }
    long firstHour = Resolution.ONE_HOUR.windowStart(T0);
    long lastHour = Resolution.ONE_HOUR.windowStart(end) - HOUR;
    assertThat(lastHour).isGreaterThan(firstHour);
    for (long w = firstHour; w <= lastHour; w += HOUR) {
      assertWindow(Resolution.ONE_HOUR, w);
    }
    // Every window was complete: the raw store is the whole truth.
    long[] hours = rollups.completeWindows(Resolution.ONE_HOUR, firstHour, lastHour + HOUR);
    assertThat(hours).hasSize((int) ((lastHour - firstHour) / HOUR) + 1);
    assertThat(rollups.completeWindows(Resolution.FIVE_MINUTES, T0, end))
        .hasSize((int) ((lastFive - Resolution.FIVE_MINUTES.windowStart(T0)) / FIVE) + 1);

    // Restart: progress comes back from the watermark series; nothing is rolled up twice.
    long until5 = rollups.rolledUpUntil(Resolution.FIVE_MINUTES);
    long until1h = rollups.rolledUpUntil(Resolution.ONE_HOUR);
    rollups.close();
    rollups = openRollups();
    assertThat(rollups.rolledUpUntil(Resolution.FIVE_MINUTES)).isEqualTo(until5);
    assertThat(rollups.rolledUpUntil(Resolution.ONE_HOUR)).isEqualTo(until1h);
    assertThat(rollups.catchUp()).isZero();
    clock.advance(Duration.ofMinutes(20));
    assertThat(rollups.catchUp()).isEqualTo(4);
    for (long w = firstFive; w <= lastFive; w += FIVE) {
      assertWindow(Resolution.FIVE_MINUTES, w);
    }
  }

  @Test
  void rawSeriesOfOnlyNaNsYieldNothingAndEmptyWindowsAreStillComplete() throws IOException {
    long start = Resolution.FIVE_MINUTES.windowStart(T0) + FIVE;
    clock.set(start);
    Appender app = raw.appender();
    for (long t = start; t < start + FIVE; t += STEP) {
      app.add(GAUGE_A, t, Double.NaN);
    }
    app.commit();
    clock.set(start + 2 * FIVE + HOUR + 60_000);
    rollups.catchUp();
    assertThat(read(Resolution.FIVE_MINUTES, start, start + FIVE)).isEmpty();
    assertThat(rollups.completeWindows(Resolution.FIVE_MINUTES, start, start + 2 * FIVE))
        .containsExactly(start, start + FIVE);
  }

  @Test
  void windowsOlderThanTheCatchUpLimitAreSkippedWithALogLineAfterDowntime() throws IOException {
    clock.set(T0);
    rollups.catchUp();
    long before = rollups.rolledUpUntil(Resolution.FIVE_MINUTES);
    try (LogCapture log = LogCapture.named(Rollups.class.getName())) {
      clock.advance(Duration.ofHours(10));
      rollups.catchUp();
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("skipping windows"));
    }
    long after = rollups.rolledUpUntil(Resolution.FIVE_MINUTES);
    long now = clock.millis();
    assertThat(after).isGreaterThan(before + 5 * HOUR);
    assertThat(after).isLessThanOrEqualTo(now - HOUR);
    // The skipped span has no watermark: readers read it raw.
    assertThat(rollups.completeWindows(Resolution.FIVE_MINUTES, before, now - 7 * HOUR)).isEmpty();
    assertThat(rollups.completeWindows(Resolution.FIVE_MINUTES, now - 5 * HOUR, now - 2 * HOUR))
        .hasSize((int) (3 * HOUR / FIVE));
  }
}
