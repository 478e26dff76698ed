package dev.vigil.server.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-user request counts and total time in one-minute slots, keyed by pseudonym. A minute rather
 * than the 10-second slot of the series: one row per active user and minute keeps 30 days of a
 * thousand users at tens of millions of rows instead of hundreds.
 */
public final class UserStatsStore {

  /** Length of a user slot. */
  public static final long SLOT_MILLIS = 60_000;

  private final EventsDb db;

  /** A store in {@code db}. */
  public UserStatsStore(EventsDb db) {
    this.db = db;
  }

  /** The slot of a timestamp. */
  public static long slot(long timestampMillis) {
    return Math.floorDiv(timestampMillis, SLOT_MILLIS) * SLOT_MILLIS;
  }

  /** Adds counts and seconds into the slots of users, in the caller's transaction. */
  public static void add(Connection c, Map<SlotUser, Totals> deltas) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO user_stats (slot_ms, user, count, total_seconds) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (slot_ms, user) DO UPDATE SET count = count + excluded.count,"
                + " total_seconds = total_seconds + excluded.total_seconds")) {
      for (Map.Entry<SlotUser, Totals> e : deltas.entrySet()) {
        ps.setLong(1, e.getKey().slotMillis());
        ps.setString(2, e.getKey().user());
        ps.setLong(3, e.getValue().count);
        ps.setDouble(4, e.getValue().seconds);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Adds counts and seconds into the slots of users, in its own transaction. */
  public void add(Map<SlotUser, Totals> deltas) throws SQLException {
    if (!deltas.isEmpty()) {
      db.write(
          c -> {
            add(c, deltas);
            return null;
          });
    }
  }

  /**
   * The heaviest users in slots starting in {@code [startMillis, endMillis]}, ordered by count
   * ({@code byTime} false) or total time, at most {@code limit}.
   */
  public List<UserRow> top(long startMillis, long endMillis, int limit, boolean byTime)
      throws SQLException {
    String order = byTime ? "total DESC, n DESC" : "n DESC, total DESC";
    return db.read(
        c -> {
          List<UserRow> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT user, SUM(count) AS n, SUM(total_seconds) AS total FROM user_stats"
                      + " WHERE slot_ms >= ? AND slot_ms <= ? GROUP BY user ORDER BY "
                      + order
                      + ", user LIMIT ?")) {
            ps.setLong(1, slot(startMillis));
            ps.setLong(2, endMillis);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new UserRow(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
              }
            }
          }
          return out;
        });
  }

  /** Key of a user's slot. */
  public record SlotUser(long slotMillis, String user) {}

  /** A user's totals over a window. */
  public record UserRow(String user, long count, double totalSeconds) {}

  /** Mutable totals while a batch is aggregated; confined to the aggregating thread. */
  public static final class Totals {
    long count;
    double seconds;

    /** Adds requests and their seconds. */
    public void add(long requests, double totalSeconds) {
      count += requests;
      seconds += totalSeconds;
    }

    /** A new map of totals. */
    public static Map<SlotUser, Totals> newMap() {
      return new HashMap<>();
    }
  }
}
