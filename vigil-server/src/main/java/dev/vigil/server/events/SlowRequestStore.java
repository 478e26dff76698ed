package dev.vigil.server.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow requests in the events database. Pushed ones are deduplicated by (service, instance,
 * recorder start, sequence): a client retrying a batch, or re-sending the slow requests of a batch
 * whose answer it lost, stores each once. The recorder start is part of the key because a restarted
 * client numbers its slow requests from 1 again.
 */
public final class SlowRequestStore {

  private final EventsDb db;

  /** A store in {@code db}. */
  public SlowRequestStore(EventsDb db) {
    this.db = db;
  }

  /** Inserts records, ignoring pushed ones already stored; returns how many were new. */
  public int insert(List<SlowRequestRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return 0;
    }
    return db.write(c -> insert(c, records));
  }

  /**
   * Inserts records in the caller's transaction, ignoring pushed ones already stored; returns how
   * many were new.
   */
  public static int insert(Connection c, List<SlowRequestRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return 0;
    }
    int n = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR IGNORE INTO slow_requests (timestamp_ms, service, instance, method,"
                + " route, status, duration_seconds, user, source, start_ms, sequence)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (SlowRequestRecord r : records) {
        ps.setLong(1, r.timestampMillis());
        ps.setString(2, r.service());
        ps.setString(3, r.instance());
        ps.setString(4, r.method());
        ps.setString(5, r.route());
        ps.setInt(6, r.status());
        ps.setDouble(7, r.durationSeconds());
        ps.setString(8, r.user());
        ps.setString(9, r.sequence() == null ? "requests" : "push");
        setLong(ps, 10, r.startMillis());
        setLong(ps, 11, r.sequence());
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setLong(i, v);
    }
  }

  /** Slow requests in {@code [startMillis, endMillis]}, newest first, at most {@code limit}. */
  public List<SlowRequestRecord> recent(long startMillis, long endMillis, int limit)
      throws SQLException {
    return db.read(
        c -> {
          List<SlowRequestRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT timestamp_ms, service, instance, method, route, status,"
                      + " duration_seconds, user, start_ms, sequence FROM slow_requests"
                      + " WHERE timestamp_ms >= ? AND timestamp_ms <= ?"
                      + " ORDER BY timestamp_ms DESC, id DESC LIMIT ?")) {
            ps.setLong(1, startMillis);
            ps.setLong(2, endMillis);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new SlowRequestRecord(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getDouble(7),
                        rs.getString(8),
                        nullableLong(rs, 9),
                        nullableLong(rs, 10)));
              }
            }
          }
          return out;
        });
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** Number of slow requests in {@code [startMillis, endMillis]}. */
  public long count(long startMillis, long endMillis) throws SQLException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COUNT(*) FROM slow_requests WHERE timestamp_ms >= ? AND timestamp_ms <= ?")) {
            ps.setLong(1, startMillis);
            ps.setLong(2, endMillis);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }
}
