package dev.vigil.tsdb;

import static dev.vigil.tsdb.BlocksTest.sorted;
import static dev.vigil.tsdb.BlocksTest.write;
import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tsdb.snapshot: blocks linked, the head written as a block, the result opens as a store. */
class SnapshotTest {
  @TempDir Path dir;
  @TempDir Path out;
  final MutableClock clock = new MutableClock(T0);

  static List<Path> blocks(Path store) throws IOException {
    try (Stream<Path> s = Files.list(store.resolve("blocks"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void aSnapshotOpensAsAStoreWithTheSameDataHeadIncluded() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    Path snap = out.resolve("s1");
    Path blocksOnly = out.resolve("s2");
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).build())) {
      write(tsdb, clock, model, 5 * 60); // some blocks, and a head with recent (tail) samples
      tsdb.maintain();
      int onDisk = (int) tsdb.stats().blocks();
      assertThat(onDisk).isPositive();
      assertThat(tsdb.snapshot(snap, true)).isEqualTo(onDisk + 1);
      assertThat(tsdb.snapshot(blocksOnly, false)).isEqualTo(onDisk);
      assertThatThrownBy(() -> tsdb.snapshot(snap, true))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already exists");
      // the store goes on; the snapshot does not see later samples
      write(tsdb, clock, new TreeMap<>(), 10);
    }
    assertThat(snap.resolve("wal")).doesNotExist();
    assertThat(blocks(snap)).hasSize(blocks(blocksOnly).size() + 1);
    for (Path b : blocks(snap)) {
      assertThat(b.resolve("meta.json")).exists();
      assertThat(b.resolve("index")).exists();
    }
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("s1", "s2");
    }
    clock.set(T0 + 5 * BlocksTest.HOUR); // as of the snapshot
    try (Tsdb copy = Tsdb.open(TsdbOptions.builder(snap).clock(clock).build())) {
      assertThat(readAll(copy)).containsExactlyEntriesOf(sorted(model));
      assertThat(copy.stats().series()).isZero(); // all of it in blocks, none in the head
    }
    try (Tsdb copy = Tsdb.open(TsdbOptions.builder(blocksOnly).clock(clock).build())) {
      Map<Labels, List<Sample>> got = readAll(copy);
      assertThat(got).isNotEmpty();
      long newestInBlocks =
          got.values().stream().mapToLong(l -> l.get(l.size() - 1).t()).max().getAsLong();
      assertThat(newestInBlocks).isLessThan(T0 + 4 * BlocksTest.HOUR); // the head left out
    }
  }

  @Test
  void anEmptyStoreSnapshotsToAnEmptyStore() throws IOException {
    Path snap = out.resolve("empty");
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(clock).build())) {
      assertThat(tsdb.snapshot(snap, true)).isZero();
    }
    try (Tsdb copy = Tsdb.open(TsdbOptions.builder(snap).clock(clock).build())) {
      assertThat(readAll(copy)).isEmpty();
    }
  }
}
