package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head cut into on-disk blocks, read back merged, across restarts. */
class BlocksTest {
  static final long MINUTE = 60_000;
  static final long HOUR = 3_600_000;
  static final Labels CPU_A = series("cpu", "host", "a", "job", "node");
  static final Labels CPU_B = series("cpu", "host", "b", "job", "node");
  static final Labels MEM = series("mem", "host", "a");
  static final Labels LATENCY = series("latency", "route", "/api");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);

  TsdbOptions.Builder options() {
    return TsdbOptions.builder(dir).clock(clock);
  }

  /** Writes one sample a minute per series for {@code minutes}, as the clock goes. */
  static void write(Tsdb tsdb, MutableClock clock, Map<Labels, List<Sample>> model, int minutes)
      throws IOException {
    for (int m = 0; m < minutes; m++) {
      clock.advance(Duration.ofMinutes(1));
      long t = clock.millis();
      Appender a = tsdb.appender();
      for (Labels l : List.of(CPU_A, CPU_B, MEM)) {
        double v = t / 1000.0 + l.hashCode() % 7;
        a.add(l, t, v);
        model.computeIfAbsent(l, k -> new ArrayList<>()).add(Sample.of(t, v));
      }
      if (m % 5 == 0) {
        var h = TestData.histogram(m % 3, m % 11 + 0.5);
        a.addHistogram(LATENCY, t, h);
        model.computeIfAbsent(LATENCY, k -> new ArrayList<>()).add(Sample.of(t, h));
      }
      a.commit();
      if (m % 30 == 29) {
        tsdb.maintain();
      }
    }
  }

  static Map<Labels, List<Sample>> sorted(Map<Labels, List<Sample>> model) {
    return new LinkedHashMap<>(new TreeMap<>(model));
  }

  static List<Path> blockDirs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("blocks"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void samplesRoundTripThroughBlocksAcrossRestarts() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
      StorageStats stats = tsdb.stats();
      assertThat(stats.blocks()).isGreaterThanOrEqualTo(2);
      assertThat(stats.blockBytes()).isPositive();
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      // the head no longer holds what the blocks hold
      assertThat(stats.headBytesEstimate()).isLessThan(model.size() * 200_000L);
    }
    for (Path block : blockDirs(dir)) {
      assertThat(block.resolve("meta.json")).exists();
      assertThat(block.resolve("index")).exists();
      assertThat(block.resolve("chunks/000001")).exists();
    }
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      write(tsdb, clock, model, 4 * 60);
    }
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      long from = T0 + 3 * HOUR + 17 * MINUTE;
      long to = T0 + 9 * HOUR + 3 * MINUTE;
      Map<Labels, List<Sample>> window = new TreeMap<>();
      model.forEach(
          (l, samples) ->
              window.put(l, samples.stream().filter(s -> s.t() >= from && s.t() <= to).toList()));
      assertThat(readAll(tsdb, from, to)).containsExactlyEntriesOf(sorted(window));
      try (Querier q = tsdb.querier(T0, T0 + HOUR)) {
        assertThat(q.labelNames()).containsExactly("__name__", "host", "job", "route");
        assertThat(q.labelValues("host")).containsExactly("a", "b");
        assertThat(q.labelValues("__name__", Matcher.equal("host", "a")))
            .containsExactly("cpu", "mem");
      }
    }
  }

  @Test
  void aCrashDuringABlockWriteOrBeforeSourcesAreDeletedLeavesOneCopy() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
    }
    List<Path> before = blockDirs(dir);
    // What a crash leaves: a block half-written, and a merged block next to its sources.
    Path first = before.get(0);
    Path unfinished = dir.resolve("blocks").resolve("01HF8ABAP0AAAAAAAAAAAAAAAA.tmp");
    Files.createDirectories(unfinished.resolve("chunks"));
    Files.write(unfinished.resolve("chunks/000001"), new byte[] {1, 2, 3});
    Path copy = dir.resolve("blocks").resolve(first.getFileName().toString().replace('0', 'Z'));
    Files.createDirectories(copy.resolve("chunks"));
    for (String f : List.of("index", "chunks/000001")) {
      Files.copy(first.resolve(f), copy.resolve(f));
    }
    String meta = Files.readString(first.resolve("meta.json"));
    Files.writeString(
        copy.resolve("meta.json"),
        meta.replace(
                "\"ulid\" : \"" + first.getFileName() + "\"",
                "\"ulid\" : \"" + copy.getFileName() + "\"")
            .replace("\"level\" : 1", "\"level\" : 2"));
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      assertThat(unfinished).doesNotExist();
      assertThat(first).doesNotExist();
      assertThat(copy).isDirectory();
      assertThat(tsdb.stats().blocks()).isEqualTo(before.size());
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
  }

  @Test
  void lateSamplesForAPersistedRangeAreMergedAtReadAndByCompaction() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    Labels late = series("late", "host", "c");
    long lateT;
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
      // Within the window but before the head's cut boundary after compaction: refused as before.
      Appender a = tsdb.appender();
      assertThatThrownBy(() -> a.add(CPU_A, T0 + 10 * MINUTE, 1))
          .isInstanceOf(SampleRejectedException.class);
    }
    long blocksBefore;
    // The clock went back (a restart on a host whose clock was fixed): a new series now gets
    // samples in a range that a block already covers.
    long now = clock.millis();
    clock.set(T0 + 2 * HOUR);
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      blocksBefore = tsdb.stats().blocks();
      lateT = clock.millis() - 30 * MINUTE;
      Appender a = tsdb.appender();
      a.add(late, lateT, 42);
      a.commit();
      model.put(late, List.of(Sample.of(lateT, 42)));
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
    clock.set(now);
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      tsdb.maintain(); // writes the late sample into a block that overlaps, then merges them
      StorageStats stats = tsdb.stats();
      assertThat(stats.blocks()).isLessThanOrEqualTo(blocksBefore);
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
  }

  @Test
  void compactionMergesBlocksIntoLargerRangesAndReadsStayEqual() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      write(tsdb, clock, model, 30 * 60);
      tsdb.maintain();
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      // 30 h of data: about 13 ranges of 2 h went to disk; leveled compaction leaves fewer blocks.
      assertThat(tsdb.stats().blocks()).isBetween(1L, 6L);
    }
    boolean larger = false;
    for (Path block : blockDirs(dir)) {
      String meta = Files.readString(block.resolve("meta.json"));
      larger |= !meta.contains("\"level\" : 1");
    }
    assertThat(larger).isTrue();
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
  }

  @Test
  void timeRetentionDropsWholeBlocksAndHidesExpiredSamples() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    Duration retention = Duration.ofHours(10);
    try (Tsdb tsdb = Tsdb.open(options().retention(retention).build())) {
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
      long blocks = tsdb.stats().blocks();
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
      long cutoff = clock.millis() - retention.toMillis();
      Map<Labels, List<Sample>> kept = new TreeMap<>();
      model.forEach(
          (l, samples) -> kept.put(l, samples.stream().filter(s -> s.t() >= cutoff).toList()));
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(kept));
      assertThat(tsdb.stats().oldestTimestampMillis()).hasValue(cutoff);
      assertThat(tsdb.stats().blocks()).isLessThanOrEqualTo(blocks + 4);
    }
    long cutoff = clock.millis() - retention.toMillis();
    for (Path block : blockDirs(dir)) {
      String meta = Files.readString(block.resolve("meta.json"));
      long maxTime = Long.parseLong(meta.replaceAll("(?s).*\"maxTime\" : (-?\\d+).*", "$1"));
      assertThat(maxTime).isGreaterThan(cutoff);
    }
  }

  @Test
  void sizeRetentionDropsTheOldestBlocksUntilUnderTheLimit() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    StorageStats before;
    try (Tsdb tsdb = Tsdb.open(options().build())) {
      write(tsdb, clock, model, 12 * 60);
      tsdb.maintain();
      before = tsdb.stats();
    }
    assertThat(before.blocks()).isGreaterThanOrEqualTo(2);
    long limit = before.blockBytes() + before.walBytes() - 1;
    try (Tsdb tsdb = Tsdb.open(options().retentionBytes(limit).build())) {
      tsdb.applyRetention();
      StorageStats after = tsdb.stats();
      assertThat(after.blocks()).isLessThan(before.blocks());
      assertThat(after.blockBytes() + after.walBytes()).isLessThanOrEqualTo(limit);
      long oldest = after.oldestTimestampMillis().getAsLong();
      assertThat(oldest).isGreaterThan(before.oldestTimestampMillis().getAsLong());
      Map<Labels, List<Sample>> kept = new TreeMap<>();
      model.forEach(
          (l, samples) -> kept.put(l, samples.stream().filter(s -> s.t() >= oldest).toList()));
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(kept));
    }
  }
}
