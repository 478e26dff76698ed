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
import java.util.HashMap;
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
 * Writers, readers and maintenance at once, with the clock moving so that samples are cut into
 * chunks while being read: nothing committed is lost, reads are always ordered, and what a reader
 * saw of a series never shrinks.
 */
class ConcurrencyTest {
  private static final int WRITERS = 4;
  private static final int READERS = 2;
  private static final int COMMITS = 1500;
  private static final Labels TOTAL = series("total");

  @TempDir Path dir;

  @Test
  void concurrentAppendersAndQueriersLoseNothing() throws Exception {
    MutableClock clock = new MutableClock(T0);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
    Map<Labels, List<Sample>> written = new ConcurrentHashMap<>();
    Map<Long, Double> mergedPerSlot = new ConcurrentHashMap<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong commits = new AtomicLong();
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).build())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Labels own = series("own", "writer", Integer.toString(w));
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Sample> mine = new ArrayList<>();
                  long last = Long.MIN_VALUE;
                  Appender a = tsdb.appender();
                  for (int i = 0; i < COMMITS; i++) {
                    long t = Math.max(last + 1, clock.millis());
                    long slot = clock.millis() / 10_000 * 10_000;
                    a.add(own, t, i);
                    a.mergeFloat(TOTAL, slot, 1);
                    a.commit();
                    commits.incrementAndGet();
                    mine.add(Sample.of(t, i));
                    mergedPerSlot.merge(slot, 1.0, Double::sum);
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
                  Map<Labels, Integer> seen = new HashMap<>();
                  while (writing.get()) {
                    try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                      for (Series s : q.select(Matcher.equal("__name__", "own"))) {
                        List<Sample> got = samples(s);
                        for (int k = 1; k < got.size(); k++) {
                          assertThat(got.get(k).t()).isGreaterThan(got.get(k - 1).t());
                        }
                        int before = seen.getOrDefault(s.labels(), 0);
                        assertThat(got.size()).isGreaterThanOrEqualTo(before);
                        seen.put(s.labels(), got.size());
                      }
                    }
                  }
                  return null;
                }));
      }
      others.add(
          pool.submit(
              () -> {
                start.await();
                long advancedAt = 0;
                while (writing.get()) {
                  // Time follows the writers (5 s per round of commits, so 2 hours pass over
                  // the run and chunks are cut), never outrunning a stalled writer's window.
                  if (commits.get() >= advancedAt + WRITERS) {
                    advancedAt = commits.get();
                    clock.advance(Duration.ofSeconds(5));
                  }
                  tsdb.maintain();
                }
                return null;
              }));
      start.countDown();
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> f : others) {
        f.get(120, TimeUnit.SECONDS);
      }

      Map<Labels, List<Sample>> stored = readAll(tsdb);
      for (Map.Entry<Labels, List<Sample>> e : written.entrySet()) {
        assertThat(stored.get(e.getKey())).isEqualTo(e.getValue());
      }
      Map<Long, Double> totals = new HashMap<>();
      stored.get(TOTAL).forEach(s -> totals.put(s.t(), s.v()));
      assertThat(totals).isEqualTo(mergedPerSlot);
      assertThat(tsdb.stats().samplesAppended()).isEqualTo(2L * WRITERS * COMMITS);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Writers racing to write different values at the same timestamps of the same existing series:
   * per timestamp exactly one batch wins, wholly (every series holds its value), and the others are
   * refused as duplicates without leaving a sample.
   */
  @Test
  void racingBatchesIntoExistingSeriesAreEachAllOrNothing() throws Exception {
    int seriesCount = 20;
    int timestamps = 200;
    List<Labels> all = new ArrayList<>();
    for (int i = 0; i < seriesCount; i++) {
      all.add(series("race", "i", Integer.toString(i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(new MutableClock(T0)).build())) {
      Appender init = tsdb.appender();
      for (Labels l : all) {
        init.add(l, T0 - 1_000_000, 0);
      }
      init.commit();
      CountDownLatch start = new CountDownLatch(1);
      AtomicLong won = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w + 1;
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  Appender a = tsdb.appender();
                  for (int k = 0; k < timestamps; k++) {
                    long t = T0 - 500_000 + k * 1000L;
                    try {
                      // Out of order within the batch, and a repeat with the same value. A batch
                      // may be refused when buffering or, after another won meanwhile, at commit.
                      for (int i = seriesCount - 1; i >= 0; i--) {
                        a.add(all.get(i), t, writer);
                      }
                      a.add(all.get(0), t, writer);
                      a.commit();
                      won.incrementAndGet();
                    } catch (SampleRejectedException e) {
                      assertThat(e.reason())
                          .isEqualTo(SampleRejectedException.Reason.DUPLICATE_TIMESTAMP);
                      a.rollback();
                      refused.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }

      assertThat(won.get()).isEqualTo(timestamps);
      assertThat(refused.get()).isEqualTo((long) (WRITERS - 1) * timestamps);
      Map<Labels, List<Sample>> stored = readAll(tsdb);
      List<Sample> first = stored.get(all.get(0));
      assertThat(first).hasSize(timestamps + 1);
      for (Labels l : all) {
        assertThat(stored.get(l)).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
