package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesRefTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);

  @Test
  void aHandleFromAnEarlierAddWritesTheSameSeriesAndIsChecked() throws IOException {
    Labels up = series("up", "job", "a");
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).build())) {
      Appender a = tsdb.appender();
      assertThat(a.add(null, up, T0, 1)).isNull(); // the commit creates the series
      a.commit();
      SeriesRef ref = a.add(null, up, T0 + 1, 2);
      assertThat(ref).isNotNull();
      assertThat(a.add(ref, up, T0 + 2, 3)).isSameAs(ref);
      // A handle of another series is not trusted: the labels decide.
      Labels other = series("up", "job", "b");
      SeriesRef otherRef = a.add(ref, other, T0 + 2, 9);
      assertThat(otherRef).isNull();
      a.commit();
      // Conflicts are still caught through a handle.
      Throwable t = catchThrowable(() -> a.add(ref, up, T0 + 2, 4));
      assertThat(t).isInstanceOf(SampleRejectedException.class);
      a.rollback();
      assertThat(readAll(tsdb).get(up))
          .containsExactly(Sample.of(T0, 1), Sample.of(T0 + 1, 2), Sample.of(T0 + 2, 3));
      assertThat(readAll(tsdb).get(other)).containsExactly(Sample.of(T0 + 2, 9));
    }
  }

  @Test
  void aHandleOfASeriesRemovedByRetentionIsIgnored() throws IOException {
    Labels up = series("up", "job", "a");
    try (Tsdb tsdb =
        Tsdb.open(TsdbOptions.builder(dir).clock(clock).retention(Duration.ofHours(2)).build())) {
      Appender a = tsdb.appender();
      a.add(null, up, T0, 1);
      a.commit();
      SeriesRef ref = a.add(null, up, T0 + 1, 1);
      a.commit();
      clock.advance(Duration.ofHours(3));
      tsdb.maintain();
      assertThat(tsdb.stats().series()).isZero(); // maintenance applied retention
      long later = T0 + Duration.ofHours(3).toMillis();
      assertThat(a.add(ref, up, later, 5)).isNull(); // a new incarnation, created by the commit
      a.commit();
      assertThat(readAll(tsdb).get(up)).isEqualTo(List.of(Sample.of(later, 5)));
    }
  }
}
