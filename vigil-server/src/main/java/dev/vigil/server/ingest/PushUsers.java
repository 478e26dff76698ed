package dev.vigil.server.ingest;

import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.UserStats;
import dev.vigil.server.events.EventsDb;
import dev.vigil.server.events.UserStatsStore;
import dev.vigil.server.ingest.PushBaselines.InstanceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-user deltas of pushed batches. A client sends its heaviest users' cumulative counts and
 * times; the delta against the previous batch of the instance (kept in {@code push_user_baseline}
 * with a cursor in {@code push_user_cursor}) is added to the users' slot, all in one SQLite
 * transaction, so a retried or replayed batch adds nothing.
 */
final class PushUsers {

  private final EventsDb db;

  PushUsers(EventsDb db) {
    this.db = db;
  }

  /** Adds the batch's user deltas into the user slot of {@code slotMillis}. */
  void add(InstanceKey key, RecorderSnapshot snap, long slotMillis) throws SQLException {
    Map<String, long[]> current = new HashMap<>();
    for (UserStats u : snap.usersByCount()) {
      current.put(u.user(), new long[] {u.count(), u.totalNanos()});
    }
    for (UserStats u : snap.usersByTime()) {
      long[] c = current.get(u.user());
      if (c == null) {
        current.put(u.user(), new long[] {u.count(), u.totalNanos()});
      } else {
        c[1] = u.totalNanos(); // the by-time ranking's figure is the better one for time
      }
    }
    db.write(
        c -> {
          long[] cursor = cursor(c, key);
          boolean sameRecorder = cursor != null && cursor[0] == snap.startMillis();
          if (sameRecorder && snap.timestampMillis() <= cursor[1]) {
            return null; // a replay or an older batch: already counted
          }
          if (!sameRecorder) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM push_user_baseline WHERE service = ? AND instance = ?")) {
              ps.setString(1, key.service());
              ps.setString(2, key.instance());
              ps.executeUpdate();
            }
          }
          Map<UserStatsStore.SlotUser, UserStatsStore.Totals> deltas =
              UserStatsStore.Totals.newMap();
          try (PreparedStatement get =
                  c.prepareStatement(
                      "SELECT count, total_nanos FROM push_user_baseline"
                          + " WHERE service = ? AND instance = ? AND user = ?");
              PreparedStatement put =
                  c.prepareStatement(
                      "INSERT OR REPLACE INTO push_user_baseline"
                          + " (service, instance, user, count, total_nanos) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, long[]> e : current.entrySet()) {
              long[] now = e.getValue();
              long[] before = {0, 0};
              get.setString(1, key.service());
              get.setString(2, key.instance());
              get.setString(3, e.getKey());
              try (ResultSet rs = get.executeQuery()) {
                if (rs.next()) {
                  before = new long[] {rs.getLong(1), rs.getLong(2)};
                }
              }
              long dc = now[0] - before[0];
              long dt = now[1] - before[1];
              if (dc < 0 || dt < 0) {
                // A heavy-hitters estimate can shrink when a user is evicted and re-enters.
                dc = Math.max(dc, 0);
                dt = Math.max(dt, 0);
              }
              if (dc > 0 || dt > 0) {
                deltas
                    .computeIfAbsent(
                        new UserStatsStore.SlotUser(UserStatsStore.slot(slotMillis), e.getKey()),
                        k -> new UserStatsStore.Totals())
                    .add(dc, dt * 1e-9);
              }
              put.setString(1, key.service());
              put.setString(2, key.instance());
              put.setString(3, e.getKey());
              put.setLong(4, now[0]);
              put.setLong(5, now[1]);
              put.executeUpdate();
            }
          }
          UserStatsStore.add(c, deltas);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO push_user_cursor (service, instance, start_ms, timestamp_ms)"
                      + " VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key.service());
            ps.setString(2, key.instance());
            ps.setLong(3, snap.startMillis());
            ps.setLong(4, snap.timestampMillis());
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static long[] cursor(Connection c, InstanceKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT start_ms, timestamp_ms FROM push_user_cursor WHERE service = ? AND instance = ?")) {
      ps.setString(1, key.service());
      ps.setString(2, key.instance());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
      }
    }
  }
}
