package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {
  /** The key bytes of series {@code i}, at {@code offset} in a larger array. */
  private static byte[] key(int i, int offset) {
    byte[] k = ("host-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[offset + k.length + 3];
    System.arraycopy(k, 0, padded, offset, k.length);
    return padded;
  }

  private static SeriesCache.Probe probe(int i, int offset) {
    byte[] b = key(i, offset);
    return new SeriesCache.Probe().set(b, offset, b.length - offset - 3);
  }

  private static SeriesCache.Entry put(SeriesCache cache, int i) {
    SeriesCache.Entry e =
        new SeriesCache.Entry(probe(i, 0), Labels.of("__name__", "m", "i", Integer.toString(i)));
    cache.put(e);
    return e;
  }

  @Test
  void findsEveryEntryByItsBytesAtAnyOffsetAcrossGrowth() {
    SeriesCache cache = new SeriesCache(100_000);
    List<SeriesCache.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      entries.add(put(cache, i));
    }
    for (int i = 0; i < 20_000; i++) {
      assertThat(cache.get(probe(i, 7))).isSameAs(entries.get(i));
    }
    assertThat(cache.get(probe(20_000, 0))).isNull();
    assertThat(cache.size()).isEqualTo(20_000);
  }

  @Test
  void aSecondPutOfTheSameBytesKeepsTheFirstEntry() {
    SeriesCache cache = new SeriesCache(10);
    SeriesCache.Entry first = put(cache, 1);
    put(cache, 1);
    assertThat(cache.get(probe(1, 3))).isSameAs(first);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void keysThatArePrefixesOfEachOtherAreDistinct() {
    SeriesCache cache = new SeriesCache(10);
    byte[] b = "abcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
    SeriesCache.Entry whole =
        new SeriesCache.Entry(new SeriesCache.Probe().set(b, 0, 16), Labels.of("__name__", "a"));
    cache.put(whole);
    assertThat(cache.get(new SeriesCache.Probe().set(b, 0, 15))).isNull();
    assertThat(cache.get(new SeriesCache.Probe().set(b, 0, 16))).isSameAs(whole);
  }

  @Test
  void entriesStillUsedSurviveGenerationsAndUnusedOnesFallOut() {
    SeriesCache cache = new SeriesCache(100);
    SeriesCache.Entry kept = put(cache, 0);
    for (int i = 1; i < 100; i++) {
      put(cache, i);
    }
    // A second generation: 0..99 become the previous one; 100..198 and the carried-over 0 fill it.
    for (int i = 100; i < 199; i++) {
      put(cache, i);
      if (i == 150) {
        assertThat(cache.get(probe(0, 0))).isSameAs(kept); // carried over into the current one
      }
    }
    // A third: the second becomes the previous one, the first (1..99) is dropped.
    for (int i = 199; i < 298; i++) {
      put(cache, i);
    }
    assertThat(cache.get(probe(0, 0))).isSameAs(kept);
    assertThat(cache.get(probe(1, 0))).isNull();
    assertThat(cache.get(probe(99, 0))).isNull();
    assertThat(cache.get(probe(100, 0))).isNotNull();
    assertThat(cache.size()).isLessThanOrEqualTo(200);
  }

  @Test
  void concurrentLookupsAndPutsAlwaysFindEntriesWithTheRightLabels() throws Exception {
    SeriesCache cache = new SeriesCache(3_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int seed = w;
        tasks.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 5; round++) {
                    for (int k = 0; k < 4_000; k++) {
                      int i = (k * 7 + seed * 1_000) % 4_000;
                      SeriesCache.Probe p = probe(i, seed);
                      SeriesCache.Entry e = cache.get(p);
                      if (e == null) {
                        e =
                            new SeriesCache.Entry(
                                p, Labels.of("__name__", "m", "i", Integer.toString(i)));
                        cache.put(e);
                      }
                      assertThat(e.labels.get("i")).isEqualTo(Integer.toString(i));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
