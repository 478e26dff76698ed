package dev.vigil.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.client.UserStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpaceSavingTest {

  @Test
  void everyKeyAboveTotalOverCapacityIsKeptWithBoundedOvercount() {
    SpaceSaving summary = new SpaceSaving(50);
    Map<String, Long> exact = new HashMap<>();
    Random random = new Random(7);
    long total = 0;
    for (int i = 0; i < 200_000; i++) {
      // Zipf-like: a few heavy keys, a long tail.
      int k = (int) Math.floor(Math.pow(random.nextDouble(), 3) * 5_000);
      String key = "k" + k;
      summary.add(key, 1, 1);
      exact.merge(key, 1L, Long::sum);
      total++;
    }
    List<UserStats> top = summary.top(50, true);
    assertThat(top).hasSize(50);
    for (Map.Entry<String, Long> e : exact.entrySet()) {
      if (e.getValue() > total / 50) {
        assertThat(top).extracting(UserStats::user).contains(e.getKey());
      }
    }
    for (UserStats s : top) {
      long truth = exact.getOrDefault(s.user(), 0L);
      assertThat(s.count()).isGreaterThanOrEqualTo(truth);
      assertThat(s.count() - s.overestimate()).isLessThanOrEqualTo(truth);
    }
    for (int i = 1; i < top.size(); i++) {
      assertThat(top.get(i - 1).count()).isGreaterThanOrEqualTo(top.get(i).count());
    }
  }

  @Test
  void weightsByDurationRankByTotalTime() {
    SpaceSaving summary = new SpaceSaving(3);
    summary.add("a", 10, 10);
    summary.add("b", 1000, 1000);
    summary.add("a", 10, 10);
    List<UserStats> top = summary.top(2, false);
    assertThat(top.get(0).user()).isEqualTo("b");
    assertThat(top.get(0).totalNanos()).isEqualTo(1000);
    assertThat(top.get(1).count()).isEqualTo(2);
    assertThat(top.get(1).totalNanos()).isEqualTo(20);
  }
}
