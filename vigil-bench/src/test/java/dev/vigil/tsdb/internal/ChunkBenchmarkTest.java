package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark measures real work: what it encodes decodes back to its input. */
class ChunkBenchmarkTest {

  @ParameterizedTest
  @ValueSource(strings = {"counter", "gauge", "noisy", "histogram"})
  void chunksDecodeToTheGeneratedSamples(String kind) {
    ChunkBenchmark b = new ChunkBenchmark();
    b.kind = kind;
    b.setUp();
    ChunkBenchmark.Samples s =
        ChunkBenchmark.Samples.generate(kind, ChunkBenchmark.SERIES, ChunkBenchmark.SAMPLES, 42);

    for (int series = 0; series < ChunkBenchmark.SERIES; series++) {
      List<Long> times = new ArrayList<>();
      int k = 0;
      for (Chunk c : b.encode(series)) {
        ChunkIterator it = c.iterator();
        while (it.next()) {
          times.add(it.timestamp());
          if (s.histograms == null) {
            assertThat(it.value()).isEqualTo(s.values[series][k]);
          } else {
            assertThat(it.histogram()).isEqualTo(s.histograms[series][k]);
          }
          k++;
        }
      }
      assertThat(times).hasSize(ChunkBenchmark.SAMPLES);
      for (int i = 0; i < times.size(); i++) {
        assertThat(times.get(i)).isEqualTo(s.timestamps[series][i]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"counter", "gauge"})
  void floatSeriesFillOneChunk(String kind) {
    ChunkBenchmark b = new ChunkBenchmark();
    b.kind = kind;
    b.setUp();

    assertThat(b.encode(0)).hasSize(1);
    assertThat(b.encode(0)[0].numSamples()).isEqualTo(ChunkBenchmark.SAMPLES);
  }
}
