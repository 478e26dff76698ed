package dev.vigil.server.events;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who read or wrote what, when: written to the events database in batches by one background thread,
 * so that a request only pays for an {@code offer} into a bounded queue. When the queue is full the
 * entry is dropped and counted ({@link #dropped()}): the access log must never slow down or fail a
 * request.
 */
public final class AccessLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final int BATCH = 1_000;

  private final EventsDb db;
  private final ArrayBlockingQueue<Entry> queue;
  private final Thread writer;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  /** A log writing into {@code db}, buffering at most {@code capacity} entries. */
  public AccessLog(EventsDb db, int capacity) {
    this.db = db;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::run, "vigil-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** One request: never holds the token, only its name. */
  public record Entry(
      long timestampMillis,
      String tokenName,
      String role,
      String method,
      String path,
      int status,
      double durationMillis,
      String remoteAddress) {}

  /** Queues an entry; drops and counts it when the queue is full. */
  public void log(Entry e) {
    if (!queue.offer(e)) {
      dropped.incrementAndGet();
    }
  }

  /** Entries written so far. */
  public long written() {
    return written.get();
  }

  /** Entries dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        // close() interrupts to hurry the last drain; the loop condition decides.
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Entry> batch) {
    try {
      db.write(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO access_log (timestamp_ms, token_name, role, method, path, status,"
                        + " duration_ms, remote_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
              for (Entry e : batch) {
                ps.setLong(1, e.timestampMillis());
                ps.setString(2, e.tokenName());
                ps.setString(3, e.role());
                ps.setString(4, e.method());
                ps.setString(5, e.path());
                ps.setInt(6, e.status());
                ps.setDouble(7, e.durationMillis());
                ps.setString(8, e.remoteAddress());
                ps.addBatch();
              }
              ps.executeBatch();
            }
            return null;
          });
      written.addAndGet(batch.size());
    } catch (SQLException e) {
      dropped.addAndGet(batch.size());
      LOG.warn("access log: could not write {} entries: {}", batch.size(), e.getMessage());
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    closed = true;
    writer.interrupt();
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
