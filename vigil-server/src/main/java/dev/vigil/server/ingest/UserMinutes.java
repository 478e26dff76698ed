package dev.vigil.server.ingest;

import dev.vigil.server.events.UserStatsStore;
import java.util.Arrays;
import java.util.Map;

/**
 * A batch's requests and seconds per (user number, minute), for the events database's per-user
 * totals: arrays indexed by pair, with each user's last pair remembered, since a user's events in a
 * batch mostly fall in one minute. Sums are added in event order, as the per-event map of totals
 * this replaces did. Confined to the thread handling the batch.
 */
final class UserMinutes {
  private final KeyNumbering pairs;
  private final long[] lastMinuteOf; // minute + 1 of the user's last pair, 0: none yet
  private final int[] lastPairOf;
  private long[] counts = new long[16];
  private double[] seconds = new double[16];
  private int[] userOf = new int[16];
  private long[] minuteOf = new long[16];

  /** Totals for users numbered below {@code users}. */
  UserMinutes(int users) {
    pairs = new KeyNumbering(Math.max(4, users * 2));
    lastMinuteOf = new long[users];
    lastPairOf = new int[users];
  }

  /** Adds one request of {@code secs} by {@code user} in the minute starting {@code minute}. */
  void add(int user, long minute, double secs) {
    int k;
    if (lastMinuteOf[user] == minute + 1) {
      k = lastPairOf[user];
    } else {
      k = pairs.number(user, minute);
      lastMinuteOf[user] = minute + 1;
      lastPairOf[user] = k;
      if (k == counts.length) {
        counts = Arrays.copyOf(counts, k * 2);
        seconds = Arrays.copyOf(seconds, k * 2);
        userOf = Arrays.copyOf(userOf, k * 2);
        minuteOf = Arrays.copyOf(minuteOf, k * 2);
      }
      userOf[k] = user;
      minuteOf[k] = minute;
    }
    counts[k]++;
    seconds[k] += secs;
  }

  /** The totals by (minute, pseudonym), {@code pseudonyms} indexed by user number. */
  Map<UserStatsStore.SlotUser, UserStatsStore.Totals> totals(String[] pseudonyms) {
    Map<UserStatsStore.SlotUser, UserStatsStore.Totals> out = UserStatsStore.Totals.newMap();
    for (int k = 0; k < pairs.size(); k++) {
      UserStatsStore.Totals t = new UserStatsStore.Totals();
      t.add(counts[k], seconds[k]);
      out.put(new UserStatsStore.SlotUser(minuteOf[k], pseudonyms[userOf[k]]), t);
    }
    return out;
  }
}
