package dev.vigil.server.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.events.EventsDb;
import dev.vigil.server.events.SlowRequestRecord;
import dev.vigil.server.events.SlowRequestStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kept hourly counts of slow requests against a plain count, as rows arrive late into hours
 * already kept, as pushed duplicates are ignored, and after retention deletes rows.
 */
class SlowRequestCountsTest {

  static final long T0 = 1_752_900_000_000L; // 2025-07-19T04:40:00Z
  static final long HOUR = 3_600_000;

  @TempDir Path dir;
  final Random random = new Random(5);

  List<SlowRequestRecord> rows(int n, long from, long to) {
    List<SlowRequestRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = from + (long) (random.nextDouble() * (to - from));
      out.add(new SlowRequestRecord(t, "s", "i", "GET", "/x", 200, 2.5, null, null, null));
    }
    return out;
  }

  void checkWindows(SlowRequestCounts counts, SlowRequestStore store) throws Exception {
    for (long[] w :
        new long[][] {
          {T0 - 24 * HOUR, T0},
          {T0 - HOUR, T0},
          {T0 - 5 * 60_000, T0},
          {T0 - 30 * HOUR, T0 - 2 * HOUR},
          {T0 - 10 * HOUR - 1, T0 - 3 * HOUR + 1},
          {T0 - 7 * HOUR, T0 - 5 * HOUR - 1}
        }) {
      assertThat(counts.count(w[0], w[1]))
          .as("[%d, %d]", w[0], w[1])
          .isEqualTo(store.count(w[0], w[1]));
    }
  }

  @Test
  void keptHoursFollowLateRowsDuplicatesAndRetention() throws Exception {
    try (EventsDb db = EventsDb.open(dir)) {
      SlowRequestStore store = new SlowRequestStore(db);
      SlowRequestCounts counts = new SlowRequestCounts(db);
      store.insert(rows(3000, T0 - 30 * HOUR, T0));
      checkWindows(counts, store);
      checkWindows(counts, store); // from the kept hours
      // Late rows into hours already kept, and new ones.
      store.insert(rows(50, T0 - 20 * HOUR, T0 - 19 * HOUR));
      store.insert(rows(20, T0 - HOUR, T0));
      checkWindows(counts, store);
      // A pushed slow request sent twice is stored, and counted, once.
      SlowRequestRecord pushed =
          new SlowRequestRecord(T0 - 6 * HOUR, "s", "i", "GET", "/x", 200, 3, null, 1L, 7L);
      assertThat(store.insert(List.of(pushed))).isEqualTo(1);
      checkWindows(counts, store);
      assertThat(store.insert(List.of(pushed))).isZero();
      checkWindows(counts, store);
      // Retention drops the oldest rows; a window over them must see it.
      assertThat(db.deleteBefore(T0 - 12 * HOUR)).isPositive();
      checkWindows(counts, store);
      store.insert(rows(10, T0 - 25 * HOUR, T0 - 24 * HOUR)); // rows below the cutoff again
      checkWindows(counts, store);
    }
  }
}
