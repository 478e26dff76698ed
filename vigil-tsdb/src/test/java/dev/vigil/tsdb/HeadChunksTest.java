package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samples leave the window into compressed chunks and read back the same, across boundaries. */
class HeadChunksTest {
  private static final Labels GAUGE = series("gauge");
  private static final Labels LATENCY = series("latency_seconds");

  @TempDir Path dir;

  @Test
  void samplesReadTheSameBeforeAndAfterTheyAreCompressed() throws IOException {
    MutableClock clock = new MutableClock(T0);
    Random random = new Random(42);
    List<Sample> gauge = new ArrayList<>();
    List<Sample> latency = new ArrayList<>();
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).build())) {
      double value = 50;
      // Six hours of 10-second samples: 2160 per series, 18 chunks' worth.
      for (int i = 0; i < 2160; i++) {
        long t = T0 + i * 10_000L;
        clock.set(t);
        value += random.nextGaussian();
        var h = Histogram.builder(3);
        for (int k = 0; k < 20; k++) {
          h.observe(Math.exp(random.nextGaussian() - 2));
        }
        Appender a = tsdb.appender();
        a.add(GAUGE, t, value);
        a.mergeHistogram(LATENCY, t, h.build());
        a.commit();
        gauge.add(Sample.of(t, value));
        latency.add(Sample.of(t, h.build()));
        if (i % 100 == 0) {
          tsdb.maintain();
        }
      }
      long bytesBefore = tsdb.stats().headBytesEstimate();
      tsdb.maintain();
      assertThat(tsdb.stats().headBytesEstimate()).isLessThan(bytesBefore);

      assertThat(readAll(tsdb).get(GAUGE)).isEqualTo(gauge);
      assertThat(readAll(tsdb).get(LATENCY)).isEqualTo(latency);
      // A range that starts inside one chunk and ends in the mutable tail.
      long from = T0 + 1234 * 10_000L;
      long to = clock.millis() - 60_000;
      assertThat(readAll(tsdb, from, to).get(GAUGE))
          .isEqualTo(gauge.stream().filter(s -> s.t() >= from && s.t() <= to).toList());
      assertThat(readAll(tsdb, from + 1, from + 9_999)).isEmpty();
    }
  }
}
