package dev.vigil.server.perf;

import dev.vigil.server.events.EventsDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the slow requests of a window for the summary, keeping the counts of whole hours between
 * reads (measured: counting the 42,000 slow requests of a day of the query benchmark took 2.4 ms of
 * a 6 ms summary; SQLite walks every index entry of the range).
 *
 * <p>Assumptions and guarantees: slow requests are only inserted, in transactions of the single
 * writer, with rowids that only grow, and deleted only by retention (see {@link
 * EventsDb#deletionsStarted}). Each count runs in one read transaction, a snapshot: it first adds
 * the rows inserted since the previous count (rowid above the last one seen, found through the
 * rowid index) to the kept hours they fall in, then sums the kept hours, counts and keeps the hours
 * it lacks and counts the partial hours at the edges in the same snapshot. The result therefore
 * equals a plain {@code COUNT(*)} of that snapshot. A retention deletion started or in progress
 * around a count makes it forget every kept hour and count directly. Guarded by this object's
 * monitor, taken before the database's read lock.
 */
final class SlowRequestCounts {

  private static final long HOUR = 3_600_000;
  private static final int MAX_HOURS = 24 * 62;

  private final EventsDb db;
  private final Map<Long, Long> hours = new HashMap<>(); // hour start -> slow requests
  private long lastRowId = -1; // highest rowid seen; -1: nothing kept
  private long epoch = -1; // deletions started when the kept hours were counted

  /** Counts in {@code db}. */
  SlowRequestCounts(EventsDb db) {
    this.db = db;
  }

  /** Slow requests with a timestamp in {@code [startMillis, endMillis]}. */
  synchronized long count(long startMillis, long endMillis) throws SQLException {
    long firstHour = Math.floorDiv(startMillis + HOUR - 1, HOUR) * HOUR;
    long endHour = Math.floorDiv(endMillis + 1, HOUR) * HOUR; // whole hours: [firstHour, endHour)
    long started = db.deletionsStarted();
    if (endHour <= firstHour || started != db.deletionsFinished()) {
      return db.read(c -> countRange(c, startMillis, endMillis));
    }
    if (started != epoch || hours.size() > MAX_HOURS) {
      forget();
      epoch = started;
    }
    long n;
    try {
      n = db.read(c -> inSnapshot(c, startMillis, endMillis, firstHour, endHour));
    } catch (SQLException | RuntimeException e) {
      forget();
      throw e;
    }
    if (db.deletionsStarted() != started) { // rows may have gone while we read: count again
      forget();
      return db.read(c -> countRange(c, startMillis, endMillis));
    }
    return n;
  }

  private void forget() {
    hours.clear();
    lastRowId = -1;
    epoch = -1;
  }

  private long inSnapshot(Connection c, long start, long end, long firstHour, long endHour)
      throws SQLException {
    c.setAutoCommit(false); // one read transaction: every statement below sees one snapshot
    try {
      if (lastRowId < 0) {
        lastRowId = maxRowId(c);
      } else {
        addInserted(c);
      }
      long n = 0;
      if (start < firstHour) {
        n += countRange(c, start, firstHour - 1);
      }
      for (long h = firstHour; h < endHour; h += HOUR) {
        Long kept = hours.get(h);
        if (kept == null) {
          kept = countRange(c, h, h + HOUR - 1);
          hours.put(h, kept);
        }
        n += kept;
      }
      if (endHour <= end) {
        n += countRange(c, endHour, end);
      }
      c.commit();
      return n;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Adds the rows inserted since the last count to the kept hours they fall in. */
  private void addInserted(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, timestamp_ms FROM slow_requests WHERE id > ? ORDER BY id")) {
      ps.setLong(1, lastRowId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lastRowId = rs.getLong(1);
          hours.computeIfPresent(Math.floorDiv(rs.getLong(2), HOUR) * HOUR, (h, n) -> n + 1);
        }
      }
    }
  }

  private static long maxRowId(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM slow_requests");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static long countRange(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM slow_requests WHERE timestamp_ms >= ? AND timestamp_ms <= ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
