package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention with an injected clock. */
class RetentionTest {
  private static final Labels STEADY = series("steady");
  private static final Labels STOPPED = series("stopped");
  private static final long MINUTE = 60_000;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);

  private TsdbOptions options() {
    return TsdbOptions.builder(dir).clock(clock).retention(Duration.ofHours(6)).build();
  }

  @Test
  void dataOlderThanRetentionIsDroppedAndEmptySeriesDisappear() throws IOException {
    List<Sample> steady = new ArrayList<>();
    try (Tsdb tsdb = Tsdb.open(options())) {
      // Ten hours of one sample a minute; "stopped" stops after the first hour.
      for (int m = 0; m < 600; m++) {
        clock.set(T0 + m * MINUTE);
        Appender a = tsdb.appender();
        a.add(STEADY, clock.millis(), m);
        steady.add(Sample.of(clock.millis(), m));
        if (m < 60) {
          a.add(STOPPED, clock.millis(), m);
        }
        a.commit();
        if (m % 30 == 0) {
          tsdb.maintain();
        }
      }
      clock.set(T0 + 600 * MINUTE);
      tsdb.applyRetention();
      assertThat(tsdb.stats().series()).isEqualTo(1);

      long cutoff = clock.millis() - Duration.ofHours(6).toMillis();
      List<Sample> kept = steady.stream().filter(s -> s.t() >= cutoff).toList();
      assertThat(readAll(tsdb)).containsOnlyKeys(STEADY);
      assertThat(readAll(tsdb).get(STEADY)).isEqualTo(kept);
      assertThat(tsdb.stats().oldestTimestampMillis()).hasValue(cutoff);
      try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertThat(q.labelValues("__name__")).containsExactly("steady");
      }
      tsdb.checkpoint();
    }
    // Retention also applies to what replay reads back.
    clock.advance(Duration.ofHours(3));
    try (Tsdb reopened = Tsdb.open(options())) {
      long cutoff = clock.millis() - Duration.ofHours(6).toMillis();
      assertThat(readAll(reopened).get(STEADY))
          .isEqualTo(steady.stream().filter(s -> s.t() >= cutoff).toList());
    }
  }

  @Test
  void seriesThatExpiredBeforeACheckpointAreGoneAfterReopening() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options())) {
      Appender a = tsdb.appender();
      a.add(STOPPED, T0, 1);
      a.commit();
      clock.advance(Duration.ofHours(7));
      a.add(STEADY, clock.millis(), 1);
      a.commit();
      tsdb.checkpoint(); // before any retention pass: it writes the expired series, without data
    }
    try (Tsdb reopened = Tsdb.open(options())) {
      assertThat(reopened.stats().series()).isEqualTo(1);
      assertThat(readAll(reopened)).containsOnlyKeys(STEADY);
    }
  }

  @Test
  void aSeriesRecreatedAfterRetentionRemovedItReplaysAsTheNewOne() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options())) {
      Appender a = tsdb.appender();
      a.add(STOPPED, T0, 1);
      a.commit();
      clock.advance(Duration.ofHours(7));
      tsdb.maintain();
      assertThat(tsdb.stats().series()).isZero();
      a.addHistogram(STOPPED, clock.millis(), TestData.histogram(1));
      a.commit();
    }
    try (Tsdb reopened = Tsdb.open(options())) {
      assertThat(readAll(reopened).get(STOPPED))
          .containsExactly(Sample.of(clock.millis(), TestData.histogram(1)));
    }
  }

  /** A merge buffered while its series existed, committed after retention removed it. */
  @Test
  void aMergeIntoASeriesRemovedBeforeItsCommitRecreatesTheSeries() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options())) {
      Appender a = tsdb.appender();
      a.mergeFloat(STOPPED, T0, 1);
      a.commit();
      clock.advance(Duration.ofHours(7));
      a.mergeFloat(STOPPED, clock.millis(), 2); // buffered against the old series
      tsdb.maintain(); // retention removes the old series
      assertThat(tsdb.stats().series()).isZero();
      a.commit();
      assertThat(readAll(tsdb).get(STOPPED)).containsExactly(Sample.of(clock.millis(), 2));
    }
    try (Tsdb reopened = Tsdb.open(options())) {
      assertThat(readAll(reopened).get(STOPPED)).containsExactly(Sample.of(clock.millis(), 2));
    }
  }
}
