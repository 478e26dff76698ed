package dev.vigil.tsdb;

import static dev.vigil.tsdb.BlocksTest.write;
import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flipped bytes in block files are detected; the block is set aside and the store opens. */
class CorruptBlockTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);
  final Map<Labels, List<Sample>> model = new TreeMap<>();
  Path block;
  long blockMin;
  long blockMax;

  TsdbOptions options() {
    return TsdbOptions.builder(dir).clock(clock).build();
  }

  @BeforeEach
  void writeBlocks() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options())) {
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
      assertThat(tsdb.stats().blocks()).isGreaterThanOrEqualTo(2);
    }
    block = BlocksTest.blockDirs(dir).get(0);
    String meta = Files.readString(block.resolve("meta.json"));
    blockMin = Long.parseLong(meta.replaceAll("(?s).*\"minTime\" : (-?\\d+).*", "$1"));
    blockMax = Long.parseLong(meta.replaceAll("(?s).*\"maxTime\" : (-?\\d+).*", "$1"));
  }

  static void flip(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x10));
      b.rewind();
      ch.write(b, offset);
    }
  }

  /** The model without the samples the set-aside block held. */
  Map<Labels, List<Sample>> withoutBlock() {
    Map<Labels, List<Sample>> out = new TreeMap<>();
    model.forEach(
        (l, samples) -> {
          List<Sample> kept =
              samples.stream().filter(s -> s.t() < blockMin || s.t() >= blockMax).toList();
          if (!kept.isEmpty()) {
            out.put(l, kept);
          }
        });
    return new LinkedHashMap<>(out);
  }

  void assertSetAside(Tsdb tsdb) {
    assertThat(tsdb.stats().corruptBlocks()).isEqualTo(1);
    assertThat(block).doesNotExist();
    assertThat(dir.resolve("corrupted").resolve(block.getFileName())).isDirectory();
    assertThat(readAll(tsdb)).containsExactlyEntriesOf(withoutBlock());
  }

  @Test
  void aFlipInTheIndexPostingsTableIsFoundOnOpen() throws IOException {
    Path index = block.resolve("index");
    flip(index, Files.size(index) - 36 - 4 - 1); // last byte of the postings offset table
    try (LogCapture log = LogCapture.of("Blocks");
        Tsdb tsdb = Tsdb.open(options())) {
      assertSetAside(tsdb);
      assertThat(log.messages())
          .anySatisfy(m -> assertThat(m).contains("is corrupt", "postings offset table"));
    }
  }

  @Test
  void aFlipInASeriesEntryIsFoundByReadsAndByVerification() throws IOException {
    Path index = block.resolve("index");
    long seriesOffset;
    try (FileChannel ch = FileChannel.open(index, StandardOpenOption.READ)) {
      ByteBuffer toc = ByteBuffer.allocate(16);
      ch.read(toc, ch.size() - 36);
      seriesOffset = toc.getLong(8);
    }
    flip(index, seriesOffset + 2);
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertThat(tsdb.stats().corruptBlocks()).isZero(); // opening reads no series entry
      assertThatThrownBy(() -> readAll(tsdb, blockMin, blockMax - 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("series entry fails its CRC-32C check");
      tsdb.maintain();
      assertSetAside(tsdb);
    }
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(withoutBlock());
    }
  }

  @Test
  void aFlipInAChunkFileIsFoundByReadsAndByVerification() throws IOException {
    flip(block.resolve("chunks/000001"), 20);
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertThat(tsdb.stats().corruptBlocks()).isZero();
      assertThatThrownBy(() -> readAll(tsdb, blockMin, blockMax - 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("chunk fails its CRC-32C check");
      tsdb.maintain();
      assertSetAside(tsdb);
    }
  }

  @Test
  void aFlipAnywhereInTheIndexOrAChunkFileIsFoundByTheFirstMaintenancePass() throws IOException {
    Path id = block.getFileName();
    for (String name : List.of("index", "chunks/000001")) {
      Path file = block.resolve(name);
      long size = Files.size(file);
      for (long offset = 0; offset < size; offset += Math.max(1, size / 9)) {
        flip(file, offset);
        try (Tsdb tsdb = Tsdb.open(options())) {
          tsdb.maintain();
          assertSetAside(tsdb);
        }
        // Put the block back as it was, for the next offset.
        Files.move(dir.resolve("corrupted").resolve(id), block);
        Files.delete(dir.resolve("corrupted"));
        flip(file, offset);
      }
    }
    try (Tsdb tsdb = Tsdb.open(options())) {
      tsdb.maintain();
      assertThat(tsdb.stats().corruptBlocks()).isZero();
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(new LinkedHashMap<>(model));
    }
  }

  @Test
  void aTruncatedChunkFileIsFoundOnOpen() throws IOException {
    Path chunks = block.resolve("chunks/000001");
    try (FileChannel ch = FileChannel.open(chunks, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertSetAside(tsdb);
    }
  }

  @Test
  void aDamagedMetaFileIsFoundOnOpen() throws IOException {
    Files.writeString(block.resolve("meta.json"), "{\"version\": 1, \"ulid\": ");
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertSetAside(tsdb);
    }
  }
}
