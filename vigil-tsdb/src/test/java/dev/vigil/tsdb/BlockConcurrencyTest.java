package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.samples;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends, queries and maintenance at once while the clock moves a minute per round of commits, so
 * that the head is cut into blocks and blocks are compacted under the readers: every read sees each
 * series as an unbroken prefix of what was written, and nothing is lost.
 */
class BlockConcurrencyTest {
  private static final int WRITERS = 2; // writer 0 drives the clock, writer 1 follows
  private static final int READERS = 2;
  private static final int COMMITS = 900;

  @TempDir Path dir;

  @Test
  void readsSeeUnbrokenSeriesWhileTheHeadIsCutIntoBlocksAndCompacted() throws Exception {
    MutableClock clock = new MutableClock(T0);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
    Map<Labels, List<Sample>> written = new ConcurrentHashMap<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    AtomicLong otherProgress = new AtomicLong(); // commits of the writer not driving the clock
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).build())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Labels own = series("own", "writer", Integer.toString(w));
        boolean drivesClock = w == 0; // a minute per commit: 15 hours over the run
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Sample> mine = new ArrayList<>();
                  long last = Long.MIN_VALUE;
                  Appender a = tsdb.appender();
                  for (int i = 0; i < COMMITS; i++) {
                    if (drivesClock) {
                      // Stay within ten minutes of the other writer: its samples must not fall
                      // out of the out-of-order window between buffering and commit.
                      while (otherProgress.get() < i - 10) {
                        Thread.onSpinWait();
                      }
                      clock.advance(Duration.ofMinutes(1));
                    }
                    long t = Math.max(last + 1, clock.millis());
                    a.add(own, t, i);
                    a.commit();
                    if (!drivesClock) {
                      otherProgress.set(i + 1);
                    }
                    mine.add(Sample.of(t, i));
                    last = t;
                  }
                  written.put(own, mine);
                  return null;
                }));
      }
      List<Future<?>> others = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        others.add(
            pool.submit(
                () -> {
                  start.await();
                  while (writing.get()) {
                    try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                      List<Series> found = q.select(Matcher.regex("writer", ".+"));
                      for (Series s : found) {
                        List<Sample> got = samples(s);
                        for (int k = 0; k < got.size(); k++) {
                          assertThat(got.get(k).v()).isEqualTo(k);
                        }
                      }
                      if (!found.isEmpty()) { // once a series exists, it stays
                        assertThat(q.labelValues("__name__")).containsExactly("own");
                      }
                    }
                    reads.incrementAndGet();
                  }
                  return null;
                }));
      }
      others.add(
          pool.submit(
              () -> {
                start.await();
                while (writing.get()) {
                  tsdb.maintain();
                }
                return null;
              }));
      start.countDown();
      for (Future<?> f : writers) {
        f.get(300, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> f : others) {
        f.get(300, TimeUnit.SECONDS);
      }
      tsdb.maintain();
      assertThat(tsdb.stats().blocks()).isPositive();
      Map<Labels, List<Sample>> stored = readAll(tsdb);
      for (Map.Entry<Labels, List<Sample>> e : written.entrySet()) {
        assertThat(stored.get(e.getKey())).isEqualTo(e.getValue());
      }
      assertThat(reads.get()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }
}
