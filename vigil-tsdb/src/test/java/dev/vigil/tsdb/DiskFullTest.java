package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static dev.vigil.tsdb.TestData.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk under the write-ahead log: on a real 8 MiB tmpfs. */
class DiskFullTest {
  private static final int SERIES_PER_COMMIT = 10;
  private static final int SAMPLES_PER_SERIES = 100;

  @TempDir Path mountPoint;
  private SmallDisk disk;
  private final MutableClock clock = new MutableClock(T0);
  private final Random random = new Random(7);
  private final Map<Labels, List<Sample>> acknowledged = new LinkedHashMap<>();

  @BeforeEach
  void mount() {
    disk = SmallDisk.mount(mountPoint, 8);
  }

  @AfterEach
  void unmount() {
    disk.close();
  }

  /** Commits one batch: a new series plus 100 random samples in each of 10 series. */
  private void commit(Tsdb tsdb, int n) throws IOException {
    Appender a = tsdb.appender();
    Map<Labels, List<Sample>> batch = new LinkedHashMap<>();
    Labels fresh = series("fresh", "commit", Integer.toString(n));
    a.add(fresh, T0, n);
    batch.put(fresh, List.of(Sample.of(T0, n)));
    for (int s = 0; s < SERIES_PER_COMMIT; s++) {
      Labels labels = series("load", "s", Integer.toString(s));
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
        long t = T0 - 3_000_000 + (long) n * SAMPLES_PER_SERIES + i;
        double v = random.nextDouble(); // incompressible: fills the disk at a known pace
        a.add(labels, t, v);
        samples.add(Sample.of(t, v));
      }
      batch.put(labels, samples);
    }
    a.commit();
    batch.forEach((k, v) -> acknowledged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
  }

  /** Fills the filesystem with {@code filler}, then frees {@code headroomBytes} of it. */
  private static void fill(Path filler, long headroomBytes) throws IOException {
    byte[] block = new byte[64 << 10];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("No space left on device");
    }
    try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
      f.setLength(Math.max(0, f.length() - headroomBytes));
    }
  }

  @Test
  void aFullDiskRefusesWholeCommitsAndTheStoreResumesWhenSpaceReturns() throws IOException {
    {
      Path data = mountPoint.resolve("data");
      TsdbOptions options =
          TsdbOptions.builder(data).clock(clock).walSegmentSizeBytes(64 << 10).build();
      Path filler = mountPoint.resolve("filler");
      int n = 0;
      try (Tsdb tsdb = Tsdb.open(options)) {
        commit(tsdb, n++);
        fill(filler, 200 << 10);
        int refused = 0;
        while (refused < 5 && n < 1000) {
          int attempt = n++;
          try {
            commit(tsdb, attempt);
          } catch (StorageFullException e) {
            refused++;
            assertThat(e).hasMessageContaining("disk full");
            // nothing of the refused commit is visible, not even the series it created
            assertThat(readAll(tsdb)).isEqualTo(acknowledged);
          }
        }
        assertThat(refused).as("commits refused on the full disk").isEqualTo(5);
        assertThatThrownBy(tsdb::checkpoint).isInstanceOf(IOException.class);

        Files.delete(filler); // space returns
        for (int k = 0; k < 20; k++) {
          commit(tsdb, n++);
        }
        tsdb.checkpoint();
        commit(tsdb, n++);
        assertThat(readAll(tsdb)).isEqualTo(acknowledged);
      }
      try (Tsdb reopened = Tsdb.open(options)) {
        assertThat(readAll(reopened)).isEqualTo(acknowledged);
      }
      assertThat(acknowledged.keySet()).hasSizeGreaterThan(30);
    }
  }

  @Test
  void openingOnAFullDiskFailsNamingItAndSucceedsOnceSpaceReturns() throws IOException {
    {
      Path data = mountPoint.resolve("data");
      TsdbOptions options = TsdbOptions.builder(data).clock(clock).build();
      try (Tsdb tsdb = Tsdb.open(options)) {
        for (int n = 0; n < 5; n++) {
          commit(tsdb, n);
        }
      }
      Path filler = mountPoint.resolve("filler");
      fill(filler, 0);
      clock.advance(Duration.ofSeconds(1));
      assertThatThrownBy(() -> Tsdb.open(options).close())
          .isInstanceOf(StorageFullException.class)
          .hasMessageContaining("disk full");
      Files.delete(filler);
      try (Tsdb reopened = Tsdb.open(options)) {
        assertThat(readAll(reopened)).isEqualTo(acknowledged);
      }
    }
  }
}
