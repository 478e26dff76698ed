package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.tsdb.SampleRejectedException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);

  private static SampleRejectedException rejection(Runnable call) {
    Throwable t = catchThrowable(call::run);
    assertThat(t).isInstanceOf(SampleRejectedException.class);
    return (SampleRejectedException) t;
  }

  @Test
  void seriesPerMetricAreCappedAndCountedAgainAfterRetention() throws IOException {
    try (Tsdb tsdb =
        Tsdb.open(TsdbOptions.builder(dir).clock(clock).maxSeriesPerMetric(2).build())) {
      Appender a = tsdb.appender();
      a.add(series("up", "i", "1"), T0, 1);
      a.add(series("up", "i", "2"), T0, 1);
      a.add(series("other", "i", "1"), T0, 1);
      // The batch's own new series count: a third "up" in the same batch is over the cap.
      SampleRejectedException e = rejection(() -> a.add(series("up", "i", "3"), T0, 1));
      assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_SERIES_PER_METRIC);
      assertThat(e.getMessage()).contains("maxSeriesPerMetric of 2 series named up");
      a.commit();

      Appender b = tsdb.appender();
      assertThat(rejection(() -> b.add(series("up", "i", "3"), T0 + 1, 1)).reason())
          .isEqualTo(Reason.TOO_MANY_SERIES_PER_METRIC);
      b.add(series("up", "i", "1"), T0 + 1, 2); // existing series still write
      b.add(series("third", "i", "1"), T0 + 1, 2);
      b.commit();
      assertThat(tsdb.stats().series()).isEqualTo(4);
    }
  }

  @Test
  void aHeadOverItsMemoryBudgetRefusesWritesNamingTheBudget() throws IOException {
    try (Tsdb tsdb =
        Tsdb.open(TsdbOptions.builder(dir).clock(clock).maxHeadBytes(20_000).build())) {
      int written = 0;
      SampleRejectedException refused = null;
      for (int i = 0; i < 1000 && refused == null; i++) {
        Appender a = tsdb.appender();
        try {
          a.add(series("mem", "i", Integer.toString(i)), T0, i);
          a.commit();
          written++;
        } catch (SampleRejectedException e) {
          refused = e;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(refused.reason()).isEqualTo(Reason.HEAD_MEMORY_LIMIT);
      assertThat(refused.getMessage()).contains("maxHeadBytes of 20000 bytes");
      assertThat(written).isBetween(1, 100);
      // The running estimate errs high between measurements; the measured size is near the budget.
      assertThat(tsdb.stats().headBytesEstimate()).isGreaterThan(15_000);
      assertThat(readAll(tsdb)).hasSize(written);
    }
  }

  @Test
  void totalSeriesCapNamesTheOption() throws IOException {
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).maxSeries(1).build())) {
      Appender a = tsdb.appender();
      a.add(series("a"), T0, 1);
      SampleRejectedException e = rejection(() -> a.add(series("b"), T0, 1));
      assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_SERIES);
      assertThat(e.getMessage()).contains("maxSeries of 1 series in total");
    }
  }
}
