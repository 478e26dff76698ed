package dev.vigil.tsdb;

import static dev.vigil.tsdb.BlocksTest.CPU_A;
import static dev.vigil.tsdb.BlocksTest.HOUR;
import static dev.vigil.tsdb.BlocksTest.LATENCY;
import static dev.vigil.tsdb.BlocksTest.blockDirs;
import static dev.vigil.tsdb.BlocksTest.sorted;
import static dev.vigil.tsdb.BlocksTest.write;
import static dev.vigil.tsdb.TestData.T0;
import static dev.vigil.tsdb.TestData.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.TestData.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting samples: tombstones in blocks, removal from the head, both durable. */
class DeleteTest {
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);

  TsdbOptions options() {
    return TsdbOptions.builder(dir).clock(clock).build();
  }

  static void remove(Map<Labels, List<Sample>> model, Labels l, long min, long max) {
    List<Sample> kept = model.get(l).stream().filter(s -> s.t() < min || s.t() > max).toList();
    if (kept.isEmpty()) {
      model.remove(l);
    } else {
      model.put(l, kept);
    }
  }

  @Test
  void deletedSamplesAreGoneFromBlocksAndHeadAcrossRestartsAndCompaction() throws IOException {
    Map<Labels, List<Sample>> model = new TreeMap<>();
    long min = T0 + HOUR + 7 * 60_000;
    long max = T0 + 7 * HOUR;
    try (Tsdb tsdb = Tsdb.open(options())) {
      write(tsdb, clock, model, 8 * 60);
      tsdb.maintain();
      assertThat(tsdb.stats().blocks()).isGreaterThanOrEqualTo(2);
      int affected =
          tsdb.delete(min, max, Matcher.equal("job", "node"), Matcher.notEqual("host", "b"));
      assertThat(affected).isGreaterThanOrEqualTo(3); // CPU_A in two blocks and in the head
      remove(model, CPU_A, min, max);
      assertThat(tsdb.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.equal("route", "/api")))
          .isPositive();
      model.remove(LATENCY);
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
    assertThat(blockDirs(dir)).anySatisfy(b -> assertThat(b.resolve("tombstones")).exists());
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      tsdb.maintain(); // rewrites the blocks with tombstones without the deleted samples
      assertThat(blockDirs(dir))
          .allSatisfy(b -> assertThat(b.resolve("tombstones")).doesNotExist());
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
      try (Querier q = tsdb.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertThat(q.labelValues("__name__")).doesNotContain("latency");
      }
    }
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertThat(readAll(tsdb)).containsExactlyEntriesOf(sorted(model));
    }
  }

  @Test
  void aDeleteNeedsAMatcherAndARange() throws IOException {
    try (Tsdb tsdb = Tsdb.open(options())) {
      assertThatThrownBy(() -> tsdb.delete(0, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least one matcher");
      assertThatThrownBy(() -> tsdb.delete(10, 0, Matcher.equal("a", "b")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty range");
    }
  }
}
