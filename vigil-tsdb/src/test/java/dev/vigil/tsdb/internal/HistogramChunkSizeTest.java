package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The histogram chunk beats the histogram's own encoding on both kinds of series the server stores,
 * at its latency schema (7). Sizes, not times: deterministic, with a fixed seed. Measured when
 * written: delta slots 57 bytes per sample against 152; cumulative 303 against 829.
 */
class HistogramChunkSizeTest {
  private static final int SAMPLES = 120;

  @Test
  void deltaAndCumulativeLatencyHistogramsTakeLessThanHalfTheirOwnEncoding() {
    Random random = new Random(1);
    HistogramChunkWriter deltas = new HistogramChunkWriter();
    HistogramChunkWriter cumulative = new HistogramChunkWriter();
    HistogramBuilder running = Histogram.builder(7);
    long deltaOwnBytes = 0;
    long cumulativeOwnBytes = 0;
    for (int i = 0; i < SAMPLES; i++) {
      HistogramBuilder slot = Histogram.builder(7);
      for (int k = 0; k < 50; k++) {
        double latency = Math.exp(random.nextGaussian() * 0.8 - 2.5); // median 82 ms
        slot.observe(latency);
        running.observe(latency);
      }
      long t = 1_700_000_000_000L + i * 10_000L;
      Histogram delta = slot.build();
      Histogram total = running.build();
      deltas.append(t, 0, delta);
      cumulative.append(t, 0, total);
      deltaOwnBytes += delta.encodedSizeBytes();
      cumulativeOwnBytes += total.encodedSizeBytes();
    }
    assertThat((long) deltas.sizeBytes()).isLessThan(deltaOwnBytes / 2);
    assertThat((long) cumulative.sizeBytes()).isLessThan(cumulativeOwnBytes / 2);
  }
}
