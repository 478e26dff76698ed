package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.SampleRejectedException.Reason;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Float samples in the out-of-order window are held compressed but for the latest few: late
 * samples, duplicates and merges among the compressed ones, cuts into chunks, and a restart (WAL
 * replay and checkpoint) must all behave as with uncompressed samples. Checked against a sorted map
 * after random writes.
 */
class CompressedTailTest {
  private static final Labels[] SERIES = {series("a"), series("b", "k", "1"), series("c")};

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void randomWritesReadBackAsASortedMapAcrossCutsAndRestarts(long seed) throws IOException {
    Random random = new Random(seed);
    MutableClock clock = new MutableClock(T0);
    List<TreeMap<Long, Double>> model = new ArrayList<>();
    for (int s = 0; s < SERIES.length; s++) {
      model.add(new TreeMap<>());
    }
    long newest = T0 - 3_600_000L + 60_000L;
    TsdbOptions options = TsdbOptions.builder(dir).clock(clock).build();
    Tsdb tsdb = Tsdb.open(options);
    try {
      for (int step = 0; step < 1500; step++) {
        int s = random.nextInt(SERIES.length);
        TreeMap<Long, Double> m = model.get(s);
        // Late samples stay 5 minutes inside the window, so a cut never races them.
        long oldest = clock.millis() - 3_300_000L;
        long late = oldest + (long) (random.nextDouble() * (newest - oldest));
        double value = random.nextInt(1000) / 4.0;
        Appender a = tsdb.appender();
        switch (random.nextInt(10)) {
          case 0, 1 -> { // a late sample, maybe at a held timestamp
            Double held = m.get(late);
            if (held == null || held == value) {
              a.add(SERIES[s], late, value);
              m.put(late, value);
            } else {
              Throwable t = catchThrowable(() -> a.add(SERIES[s], late, value));
              assertThat(((SampleRejectedException) t).reason())
                  .isEqualTo(Reason.DUPLICATE_TIMESTAMP);
            }
          }
          case 2 -> { // a duplicate of a held sample, the same value: accepted, changes nothing
            Map.Entry<Long, Double> e = m.ceilingEntry(late);
            if (e != null) {
              a.add(SERIES[s], e.getKey(), e.getValue());
              Throwable t = catchThrowable(() -> a.add(SERIES[s], e.getKey(), e.getValue() + 1));
              assertThat(((SampleRejectedException) t).reason())
                  .isEqualTo(Reason.DUPLICATE_TIMESTAMP);
            }
          }
          case 3 -> { // a merge into any time in the window
            a.mergeFloat(SERIES[s], late, value);
            m.merge(late, value, Double::sum);
          }
          default -> { // in order, sometimes merged into right away
            newest += 1 + random.nextInt(20_000);
            clock.set(Math.max(clock.millis(), newest));
            a.add(SERIES[s], newest, value);
            m.put(newest, value);
            if (random.nextInt(4) == 0) {
              a.mergeFloat(SERIES[s], newest, 0.5);
              m.merge(newest, 0.5, Double::sum);
            }
          }
        }
        a.commit();
        if (step % 200 == 199) {
          tsdb.maintain(); // cuts samples that left the window into chunks
          assertMatches(tsdb, model);
        }
        if (step % 500 == 499) {
          tsdb.close();
          tsdb = Tsdb.open(options);
          assertMatches(tsdb, model);
        }
      }
      assertMatches(tsdb, model);
    } finally {
      tsdb.close();
    }
  }

  private static void assertMatches(Tsdb tsdb, List<TreeMap<Long, Double>> model) {
    Map<Labels, List<Sample>> got = readAll(tsdb);
    for (int s = 0; s < SERIES.length; s++) {
      List<Sample> want = new ArrayList<>();
      model.get(s).forEach((t, v) -> want.add(Sample.of(t, v)));
      assertThat(got.getOrDefault(SERIES[s], List.of())).as("%s", SERIES[s]).isEqualTo(want);
      // A range read starting among the older samples.
      if (want.size() > 10) {
        long from = want.get(want.size() / 3).t();
        long to = want.get(want.size() - 3).t();
        assertThat(readAll(tsdb, from, to).get(SERIES[s]))
            .isEqualTo(want.stream().filter(x -> x.t() >= from && x.t() <= to).toList());
      }
    }
  }
}
