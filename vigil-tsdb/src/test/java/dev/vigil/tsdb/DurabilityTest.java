package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.histogram;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durability contract: what commit acknowledged survives a crash, and damage is repaired. */
class DurabilityTest {
  private static final Labels CPU = series("cpu", "host", "a");
  private static final Labels REQUESTS = series("requests_total", "route", "/a");
  private static final Labels LATENCY = series("latency_seconds", "route", "/a");

  @TempDir Path dir;
  @TempDir Path crashImage;
  private final MutableClock clock = new MutableClock(T0);

  private TsdbOptions options(Path directory) {
    return TsdbOptions.builder(directory).clock(clock).build();
  }

  /** Copies the files as a crash would leave them: no close, no flush beyond commit's fsync. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static Path lastSegment(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("wal"))) {
      return files
          .filter(f -> f.getFileName().toString().matches("\\d{8}"))
          .max(Path::compareTo)
          .orElseThrow();
    }
  }

  private static void write(Tsdb tsdb, int i) throws IOException {
    Appender a = tsdb.appender();
    a.add(CPU, T0 + i, i);
    a.mergeFloat(REQUESTS, T0, 1);
    a.mergeHistogram(LATENCY, T0, histogram(0.001 * i));
    a.commit();
  }

  private static Map<Labels, List<Sample>> expectedAfter(int commits) {
    List<Sample> cpu = new ArrayList<>();
    Histogram latency = null;
    for (int i = 1; i <= commits; i++) {
      cpu.add(Sample.of(T0 + i, i));
      latency = latency == null ? histogram(0.001 * i) : latency.merge(histogram(0.001 * i));
    }
    return Map.of(
        CPU, cpu,
        REQUESTS, List.of(Sample.of(T0, commits)),
        LATENCY, List.of(Sample.of(T0, latency)));
  }

  @Test
  void everyCommittedSampleSurvivesAnAbandonedInstance() throws IOException {
    Tsdb tsdb = Tsdb.open(options(dir));
    for (int i = 1; i <= 50; i++) {
      write(tsdb, i);
    }
    copyTree(dir, crashImage); // the instance is abandoned: never closed before the copy

    try (Tsdb reopened = Tsdb.open(options(crashImage))) {
      assertThat(readAll(reopened)).containsExactlyInAnyOrderEntriesOf(expectedAfter(50));
    }
    tsdb.close();
  }

  @Test
  void mergesReplayToTheSameValuesAcrossChunksCheckpointsAndRestarts() throws IOException {
    Map<Labels, List<Sample>> before;
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      for (int i = 1; i <= 30; i++) {
        write(tsdb, i);
      }
      clock.advance(Duration.ofMinutes(30));
      Appender a = tsdb.appender();
      a.mergeFloat(REQUESTS, T0 + 60_000, 5); // a second slot, later
      a.commit();
      tsdb.checkpoint();
      for (int i = 31; i <= 40; i++) {
        write(tsdb, i); // merges into slot T0, which the checkpoint holds in its tail
      }
      clock.advance(Duration.ofMinutes(45));
      tsdb.maintain(); // T0 leaves the window: into chunks
      before = readAll(tsdb);
    }
    Map<Labels, List<Sample>> expected = new java.util.HashMap<>(expectedAfter(40));
    expected.put(REQUESTS, List.of(Sample.of(T0, 40), Sample.of(T0 + 60_000, 5)));
    assertThat(before).containsExactlyInAnyOrderEntriesOf(expected);

    try (Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).containsExactlyInAnyOrderEntriesOf(expected);
      reopened.checkpoint();
    }
    try (Tsdb again = Tsdb.open(options(dir))) {
      assertThat(readAll(again)).containsExactlyInAnyOrderEntriesOf(expected);
    }
  }

  @Test
  void aTornTailIsTruncatedAtTheLastWholeCommitAndLogged() throws IOException {
    long sizeAfter9;
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      for (int i = 1; i <= 9; i++) {
        write(tsdb, i);
      }
      sizeAfter9 = Files.size(lastSegment(dir));
      write(tsdb, 10);
    }
    Path segment = lastSegment(dir);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(f.length() - 7); // the crash cut the last commit short
    }

    try (LogCapture log = LogCapture.of("WalReplay");
        Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).containsExactlyInAnyOrderEntriesOf(expectedAfter(9));
      assertThat(log.messages())
          .anySatisfy(m -> assertThat(m).contains(segment.toString(), "truncated", "damaged"));
      assertThat(Files.size(segment)).isEqualTo(sizeAfter9);
      assertThat(reopened.stats().walRepairs()).isEqualTo(1);
      write(reopened, 10); // and the store goes on
    }
    try (Tsdb again = Tsdb.open(options(dir))) {
      assertThat(readAll(again)).containsExactlyInAnyOrderEntriesOf(expectedAfter(10));
    }
  }

  @Test
  void flippedBytesAreCaughtByTheChecksumAndEverythingBeforeIsKept() throws IOException {
    long sizeAfter5 = -1;
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      for (int i = 1; i <= 10; i++) {
        write(tsdb, i);
        if (i == 5) {
          sizeAfter5 = Files.size(lastSegment(dir));
        }
      }
    }
    Path segment = lastSegment(dir);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(sizeAfter5 + 20); // inside the sixth commit's first record
      int b = f.read();
      f.seek(sizeAfter5 + 20);
      f.write(b ^ 0x5A);
    }

    try (LogCapture log = LogCapture.of("WalReplay");
        Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).containsExactlyInAnyOrderEntriesOf(expectedAfter(5));
      assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("checksum mismatch"));
    }
  }

  @Test
  void aCommitSpanningSeveralRecordsIsReplayedWholeOrNotAtAll() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      write(tsdb, 1);
      Appender big = tsdb.appender();
      for (int i = 0; i < 25_000; i++) {
        big.add(series("bulk"), T0 - 1_000_000 + i, i);
      }
      big.commit();
    }
    Path segment = lastSegment(dir);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.setLength(f.length() - 3); // tears the third of the commit's records
    }
    try (Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).containsExactlyInAnyOrderEntriesOf(expectedAfter(1));
    }
  }

  @Test
  void theLogStaysBoundedBySegmentsAndCheckpoints() throws IOException {
    TsdbOptions small = TsdbOptions.builder(dir).clock(clock).walSegmentSizeBytes(4096).build();
    Map<Labels, List<Sample>> before;
    try (Tsdb tsdb = Tsdb.open(small)) {
      for (int round = 0; round < 200; round++) {
        Appender a = tsdb.appender();
        for (int s = 0; s < 10; s++) {
          a.mergeFloat(series("m", "s", Integer.toString(s)), T0, 1);
        }
        a.commit();
        if (round % 20 == 19) {
          tsdb.maintain();
        }
      }
      before = readAll(tsdb);
      try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
        assertThat(files.count()).isLessThan(10);
      }
      assertThat(tsdb.stats().walBytes()).isLessThan(5 * 4096);
    }
    assertThat(before.values()).allSatisfy(s -> assertThat(s).containsExactly(Sample.of(T0, 200)));
    try (Tsdb reopened = Tsdb.open(small)) {
      assertThat(readAll(reopened)).isEqualTo(before);
    }
  }

  @Test
  void aLeftoverTemporaryCheckpointIsIgnored() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      write(tsdb, 1);
    }
    Files.write(dir.resolve("wal").resolve("checkpoint.00000099.tmp"), new byte[] {1, 2, 3});
    try (Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).containsExactlyInAnyOrderEntriesOf(expectedAfter(1));
    }
    assertThat(dir.resolve("wal").resolve("checkpoint.00000099.tmp")).doesNotExist();
  }

  @Test
  void aDirectoryOpensInOneStoreAtATime() throws IOException {
    Tsdb tsdb = Tsdb.open(options(dir));
    try {
      assertThatThrownBy(() -> Tsdb.open(options(dir)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
    } finally {
      tsdb.close();
    }
    Tsdb.open(options(dir)).close();
  }

  /** Where each commit of {@link #writeBulk} ended: segment file and size after it. */
  private record CommitEnd(Path segment, long end) {}

  /** Commits {@code commits} batches of 300 samples of 3 series; returns where each one ended. */
  private static List<CommitEnd> writeBulk(Tsdb tsdb, Path data, int commits) throws IOException {
    List<CommitEnd> ends = new ArrayList<>();
    for (int c = 0; c < commits; c++) {
      Appender a = tsdb.appender();
      for (int s = 0; s < 3; s++) {
        for (int i = 0; i < 100; i++) {
          a.add(series("bulk", "s", Integer.toString(s)), T0 - 600_000 + c * 100L + i, c * i % 17);
        }
      }
      a.commit();
      Path segment = lastSegment(data);
      ends.add(new CommitEnd(segment, Files.size(segment)));
    }
    return ends;
  }

  private static Map<Labels, List<Sample>> bulkAfter(int commits) {
    Map<Labels, List<Sample>> all = new java.util.LinkedHashMap<>();
    for (int s = 0; s < 3; s++) {
      List<Sample> samples = new ArrayList<>();
      for (int c = 0; c < commits; c++) {
        for (int i = 0; i < 100; i++) {
          samples.add(Sample.of(T0 - 600_000 + c * 100L + i, c * i % 17));
        }
      }
      all.put(series("bulk", "s", Integer.toString(s)), samples);
    }
    return all;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0xFF);
    }
  }

  @Test
  void aFlippedByteInAnEarlierSegmentTruncatesThereAndDropsTheLaterSegments() throws IOException {
    TsdbOptions small = TsdbOptions.builder(dir).clock(clock).walSegmentSizeBytes(4096).build();
    List<CommitEnd> ends;
    try (Tsdb tsdb = Tsdb.open(small)) {
      ends = writeBulk(tsdb, dir, 40);
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
      segments = files.filter(f -> f.getFileName().toString().matches("\\d{8}")).sorted().toList();
    }
    assertThat(segments).hasSizeGreaterThan(4);
    // The second commit written into the second segment: damage the middle of its payload.
    Path second = segments.get(1);
    int damaged = -1;
    for (int c = 1; c < ends.size(); c++) {
      if (ends.get(c).segment().equals(second) && ends.get(c - 1).segment().equals(second)) {
        damaged = c;
        break;
      }
    }
    assertThat(damaged).isPositive();
    long start = ends.get(damaged - 1).end();
    long bad = (start + ends.get(damaged).end()) / 2;
    flip(second, bad);

    try (LogCapture log = LogCapture.of("WalReplay");
        Tsdb reopened = Tsdb.open(small)) {
      assertThat(readAll(reopened)).isEqualTo(bulkAfter(damaged));
      assertThat(log.messages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains(
                          second.toString(), "damaged at byte " + start, "checksum mismatch"));
      assertThat(Files.size(second)).isEqualTo(start);
      // the later segments are gone; the third name is taken again by the new, empty segment
      assertThat(Files.size(segments.get(2))).isEqualTo(8);
      for (Path later : segments.subList(3, segments.size())) {
        assertThat(later).doesNotExist();
      }
      writeBulk(reopened, dir, 1); // and the store goes on
    }
  }

  @Test
  void aFlippedByteInTheMiddleOfTheLastSegmentKeepsEverythingBefore() throws IOException {
    List<CommitEnd> ends;
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      ends = writeBulk(tsdb, dir, 30);
    }
    Path segment = ends.get(29).segment();
    long start = ends.get(14).end(); // the 16th commit
    flip(segment, start + 30); // inside its compressed payload

    try (LogCapture log = LogCapture.of("WalReplay");
        Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).isEqualTo(bulkAfter(15));
      assertThat(log.messages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains(
                          segment.toString(), "damaged at byte " + start, "checksum mismatch"));
    }
  }

  @Test
  void aLogOfManyDecodingBatchesReplaysInOrderUpToTheDamage() throws IOException {
    // 60 commits of ~5000 incompressible samples: several of replay's 512 KiB decoding batches.
    // Commit c creates series c and adds to every series created before it, so a commit applied
    // out of order would name a series not yet known and lose samples.
    java.util.Random random = new java.util.Random(11);
    List<Map<Labels, List<Sample>>> after = new ArrayList<>();
    Map<Labels, List<Sample>> all = new java.util.LinkedHashMap<>();
    List<Long> ends = new ArrayList<>();
    try (Tsdb tsdb = Tsdb.open(options(dir))) {
      for (int c = 0; c < 60; c++) {
        Appender a = tsdb.appender();
        for (int s = 0; s <= c; s++) {
          Labels labels = series("ordered", "s", Integer.toString(s));
          for (int i = 0; i < 5000 / (c + 1); i++) {
            long t = T0 - 3_000_000 + c * 10_000L + i;
            double v = random.nextDouble();
            a.add(labels, t, v);
            all.computeIfAbsent(labels, k -> new ArrayList<>()).add(Sample.of(t, v));
          }
        }
        a.commit();
        Map<Labels, List<Sample>> copy = new java.util.LinkedHashMap<>();
        all.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        after.add(copy);
        ends.add(Files.size(lastSegment(dir)));
      }
    }
    assertThat(ends.get(59)).isGreaterThan(4L * (512 << 10));
    Path segment = lastSegment(dir);
    try (Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).isEqualTo(after.get(59));
    }
    flip(segment, ends.get(44) + 100); // inside the 46th commit
    try (Tsdb reopened = Tsdb.open(options(dir))) {
      assertThat(readAll(reopened)).isEqualTo(after.get(44));
    }
  }
}
