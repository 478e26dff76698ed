package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path dir;

  private static ByteBuffer record(long id, long t, double v) {
    WalEncoder e = new WalEncoder();
    WalRecords.beginSamples(e, WalRecords.FLOAT_SAMPLES, 1, t);
    WalRecords.encodeSample(e, WalRecords.FLOAT_SAMPLES, t, id, t, v, null);
    e.end(true);
    ByteBuffer copy = ByteBuffer.allocate(e.size());
    copy.put(e.contents()).flip();
    return copy;
  }

  @Test
  void oneFsyncCoversEveryWriterWaiting() throws IOException {
    try (Wal wal = Wal.open(dir, 1, 1 << 20, Map.of())) {
      long first = wal.write(record(1, 1, 1));
      long second = wal.write(record(2, 2, 2));
      long third = wal.write(record(3, 3, 3));
      long before = wal.fsyncs();

      wal.awaitDurable(second); // the leader forces everything written so far
      wal.awaitDurable(first);
      wal.awaitDurable(third);

      assertThat(wal.fsyncs()).isEqualTo(before + 1);
    }
  }

  @Test
  void concurrentCommitsShareFsyncsAndAllReturnDurable() throws Exception {
    int threads = 8;
    int commitsEach = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Wal wal = Wal.open(dir, 1, 1 << 20, Map.of())) {
      long before = wal.fsyncs();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        long id = k;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < commitsEach; i++) {
                    long position = wal.write(record(id, i, i));
                    wal.awaitDurable(position);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      // Not asserted below `threads * commitsEach` by a margin, which depends on timing. Measured
      // on the 2-core CI machine's ext4: 80 to 88 fsyncs for the 320 commits (3 runs).
      assertThat(wal.fsyncs() - before).isBetween(1L, (long) threads * commitsEach);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void recordsRoundTripThroughTheReader() throws IOException {
    Labels labels = Labels.of("__name__", "x", "a", "ü\n\"");
    Histogram h = Histogram.builder(2).observe(3).observe(-1).build();
    MemSeries series = new MemSeries(7, labels, true);
    WalEncoder e = new WalEncoder();
    WalRecords.encodeSeries(e, new MemSeries[] {series}, 0, 1);
    WalRecords.beginSamples(e, WalRecords.HISTOGRAM_MERGES, 2, 1000);
    WalRecords.encodeSample(e, WalRecords.HISTOGRAM_MERGES, 1000, 7, 1000, 0, h);
    WalRecords.encodeSample(e, WalRecords.HISTOGRAM_MERGES, 1000, 7, 990, 0, h);
    e.end(true);
    try (Wal wal = Wal.open(dir, 1, 1 << 20, Map.of())) {
      wal.awaitDurable(wal.write(e.contents()));
    }
    List<String> seen = new ArrayList<>();
    WalRecords.Handler handler =
        new WalRecords.Handler() {
          @Override
          public void series(long id, Labels l, boolean histogram) {
            seen.add("series " + id + " " + l + " " + histogram);
          }

          @Override
          public void sample(int type, long id, long t, double v, Histogram hist) {
            seen.add(WalRecords.name(type) + " " + id + " " + t + " " + hist.equals(h));
          }

          @Override
          public void chunk(long id, Chunk chunk) {
            seen.add("chunk");
          }
        };
    try (WalReader reader = new WalReader(dir.resolve("00000001"), SegmentFiles.KIND_SEGMENT)) {
      while (reader.next()) {
        seen.add("end " + reader.commitEnd());
        WalRecords.decode(reader.type(), reader.payload(), handler);
      }
    }
    assertThat(seen)
        .containsExactly(
            "end false",
            "series 7 " + labels + " true",
            "end true",
            "histogram merges 7 1000 true",
            "histogram merges 7 990 true");
  }

  /** Every record in the segments of {@code dir}, in order, as "type id@t=v"; floats only. */
  private List<String> readSegments() throws IOException {
    List<String> seen = new ArrayList<>();
    WalRecords.Handler handler =
        new WalRecords.Handler() {
          @Override
          public void series(long id, Labels l, boolean histogram) {
            seen.add("series " + id);
          }

          @Override
          public void sample(int type, long id, long t, double v, Histogram hist) {
            seen.add(id + "@" + t + "=" + v);
          }

          @Override
          public void chunk(long id, Chunk chunk) {
            seen.add("chunk");
          }
        };
    for (Path file : SegmentFiles.segments(dir).values()) {
      try (WalReader reader = new WalReader(file, SegmentFiles.KIND_SEGMENT)) {
        while (reader.next()) {
          WalRecords.decode(reader.type(), reader.payload(), handler);
        }
      }
    }
    return seen;
  }

  private static ByteBuffer manySamples(WalEncoder e, int count) {
    e.reset();
    WalRecords.beginSamples(e, WalRecords.FLOAT_SAMPLES, count, 1_000);
    for (int i = 0; i < count; i++) {
      WalRecords.encodeSample(
          e, WalRecords.FLOAT_SAMPLES, 1_000, i % 7, 1_000 + i * 15, i % 5, null);
    }
    e.end(true);
    return e.contents();
  }

  @Test
  void payloadsAreCompressedWhenThatPaysAndReadBackTheSame() throws IOException {
    int compressed = manySamples(new WalEncoder(), 1000).remaining();
    int plain = manySamples(new WalEncoder(false), 1000).remaining();
    assertThat(compressed).isLessThan(plain * 3 / 4);
    ByteBuffer tiny = record(1, 2, 3.5);
    try (Wal wal = Wal.open(dir, 1, 1 << 20, Map.of())) {
      wal.write(manySamples(new WalEncoder(), 1000));
      wal.awaitDurable(wal.write(tiny));
    }
    List<String> seen = readSegments();
    assertThat(seen).hasSize(1001);
    assertThat(seen.get(999)).isEqualTo("5@" + (1_000 + 999 * 15) + "=4.0");
    assertThat(seen.get(1000)).isEqualTo("1@2=3.5");
    try (WalReader reader = new WalReader(dir.resolve("00000001"), SegmentFiles.KIND_SEGMENT)) {
      assertThat(reader.version()).isEqualTo(2);
      assertThat(reader.next()).isTrue();
      assertThat(reader.nextOffset() - reader.recordOffset())
          .isEqualTo(compressed); // stored compressed
      assertThat(reader.next()).isTrue();
      assertThat(reader.nextOffset() - reader.recordOffset())
          .isEqualTo(tiny.capacity()); // too small to compress: stored as it is
    }
  }

  @Test
  void versionOneFilesAreStillRead() throws IOException {
    // A version 1 segment: the same header but version 1, and no compression flag.
    ByteBuffer header = SegmentFiles.header(SegmentFiles.KIND_SEGMENT);
    header.put(4, (byte) 1);
    ByteBuffer records = manySamples(new WalEncoder(false), 300);
    ByteBuffer file = ByteBuffer.allocate(header.remaining() + records.remaining());
    file.put(header).put(records).flip();
    Files.write(dir.resolve("00000001"), java.util.Arrays.copyOf(file.array(), file.limit()));
    try (WalReader reader = new WalReader(dir.resolve("00000001"), SegmentFiles.KIND_SEGMENT)) {
      assertThat(reader.version()).isEqualTo(1);
    }
    assertThat(readSegments()).hasSize(300).startsWith("0@1000=0.0", "1@1015=1.0");
  }

  @Test
  void aFailedFsyncFailsItsWaitersAndTheNextWriteRewritesTheirBytesIntoANewSegment()
      throws IOException {
    try (Wal wal = Wal.open(dir, 1, 1 << 20, Map.of())) {
      wal.awaitDurable(wal.write(record(1, 1, 1)));
      long second = wal.write(record(2, 2, 2));
      long third = wal.write(record(3, 3, 3));
      wal.nextForceFailure = new IOException("Input/output error");
      assertThatThrownBy(() -> wal.awaitDurable(third)).hasMessageContaining("Input/output error");
      assertThatThrownBy(() -> wal.awaitDurable(second)).hasMessageContaining("fsync failed");
      // What a failed fsync leaves on disk is unknown: garble it, as a lost page would.
      try (RandomAccessFile f = new RandomAccessFile(dir.resolve("00000001").toFile(), "rw")) {
        f.seek(f.length() - 5);
        f.write(new byte[] {9, 9, 9, 9, 9});
      }

      long fourth = wal.write(record(4, 4, 4)); // repairs first
      wal.awaitDurable(fourth);
      assertThat(wal.repairs()).isEqualTo(1);
      wal.awaitDurable(third); // now durable in the new segment
    }
    assertThat(SegmentFiles.segments(dir).keySet()).containsExactly(1L, 2L);
    assertThat(readSegments()).containsExactly("1@1=1.0", "2@2=2.0", "3@3=3.0", "4@4=4.0");
  }

  @Test
  void whileTheLogCannotBeRepairedEveryWriteFailsAndNothingIsWritten() throws IOException {
    try (Wal wal = Wal.open(dir, 1, 1 << 20, Map.of())) {
      long first = wal.write(record(1, 1, 1));
      wal.nextForceFailure = new IOException("No space left on device");
      assertThatThrownBy(() -> wal.awaitDurable(first))
          .isInstanceOf(dev.vigil.tsdb.StorageFullException.class);
      // The repair cannot create its segment while a directory stands in the way.
      Files.createDirectory(dir.resolve("00000002"));
      Files.writeString(dir.resolve("00000002").resolve("x"), "blocks the repair");
      assertThatThrownBy(() -> wal.write(record(2, 2, 2)))
          .hasMessageContaining("cannot be repaired yet");
      Files.delete(dir.resolve("00000002").resolve("x"));
      Files.delete(dir.resolve("00000002"));
      wal.awaitDurable(wal.write(record(3, 3, 3)));
      wal.awaitDurable(first);
    }
    assertThat(readSegments()).containsExactly("1@1=1.0", "3@3=3.0");
  }
}
