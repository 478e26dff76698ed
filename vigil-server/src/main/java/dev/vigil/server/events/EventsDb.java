package dev.vigil.server.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events database: one SQLite file ({@code events.db}) in the data directory, in WAL journal
 * mode, with its schema created or migrated on open (versioned by {@code PRAGMA user_version}).
 *
 * <p>Assumptions and guarantees: SQLite allows one writer at a time and a JDBC connection is not
 * thread-safe, so there is one writing connection guarded by {@link #writeLock} and one reading
 * connection guarded by {@link #readLock}; in WAL mode readers never wait for the writer. With
 * {@code synchronous=NORMAL} a committed transaction survives the process being killed (it is in
 * the OS's cache of the WAL file); only a power loss may drop the last transactions.
 */
public final class EventsDb implements AutoCloseable {

  /** Schema version written by this code. */
  static final int SCHEMA_VERSION = 1;

  private static final List<String> SCHEMA_V1 =
      List.of(
          "CREATE TABLE slow_requests ("
              + " id INTEGER PRIMARY KEY,"
              + " timestamp_ms INTEGER NOT NULL,"
              + " service TEXT NOT NULL,"
              + " instance TEXT NOT NULL,"
              + " method TEXT NOT NULL,"
              + " route TEXT NOT NULL,"
              + " status INTEGER NOT NULL,"
              + " duration_seconds REAL NOT NULL,"
              + " user TEXT,"
              + " source TEXT NOT NULL,"
              + " start_ms INTEGER,"
              + " sequence INTEGER,"
              + " UNIQUE (service, instance, start_ms, sequence))",
          "CREATE INDEX slow_requests_time ON slow_requests (timestamp_ms)",
          "CREATE TABLE access_log ("
              + " id INTEGER PRIMARY KEY,"
              + " timestamp_ms INTEGER NOT NULL,"
              + " token_name TEXT,"
              + " role TEXT,"
              + " method TEXT NOT NULL,"
              + " path TEXT NOT NULL,"
              + " status INTEGER NOT NULL,"
              + " duration_ms REAL NOT NULL,"
              + " remote_address TEXT)",
          "CREATE INDEX access_log_time ON access_log (timestamp_ms)",
          "CREATE TABLE user_stats ("
              + " slot_ms INTEGER NOT NULL,"
              + " user TEXT NOT NULL,"
              + " count INTEGER NOT NULL,"
              + " total_seconds REAL NOT NULL,"
              + " PRIMARY KEY (slot_ms, user)) WITHOUT ROWID",
          "CREATE TABLE push_user_baseline ("
              + " service TEXT NOT NULL,"
              + " instance TEXT NOT NULL,"
              + " user TEXT NOT NULL,"
              + " count INTEGER NOT NULL,"
              + " total_nanos INTEGER NOT NULL,"
              + " PRIMARY KEY (service, instance, user)) WITHOUT ROWID",
          "CREATE TABLE push_user_cursor ("
              + " service TEXT NOT NULL,"
              + " instance TEXT NOT NULL,"
              + " start_ms INTEGER NOT NULL,"
              + " timestamp_ms INTEGER NOT NULL,"
              + " PRIMARY KEY (service, instance)) WITHOUT ROWID",
          "CREATE TABLE tokens ("
              + " name TEXT PRIMARY KEY,"
              + " role TEXT NOT NULL,"
              + " sha256 TEXT NOT NULL,"
              + " source TEXT NOT NULL,"
              + " created_ms INTEGER NOT NULL)");

  private final Path file;
  private final Connection writer;
  private final Connection reader;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  // Retention deletions begun and ended, for readers that keep counts of rows between reads.
  private final AtomicLong deletionsStarted = new AtomicLong();
  private final AtomicLong deletionsFinished = new AtomicLong();

  private EventsDb(Path file, Connection writer, Connection reader) {
    this.file = file;
    this.writer = writer;
    this.reader = reader;
  }

  /** Opens (creating or migrating) {@code events.db} in {@code dataDir}. */
  public static EventsDb open(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("events.db");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      Connection w = DriverManager.getConnection(url);
      try (Statement s = w.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
      }
      migrate(w);
      Connection r = DriverManager.getConnection(url);
      try (Statement s = r.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
      }
      return new EventsDb(file, w, r);
    } catch (SQLException e) {
      throw new IOException("cannot open events database " + file + ": " + e.getMessage(), e);
    }
  }

  private static void migrate(Connection c) throws SQLException {
    int version;
    try (Statement s = c.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > SCHEMA_VERSION) {
      throw new SQLException(
          "events.db has schema version " + version + ", newer than " + SCHEMA_VERSION);
    }
    if (version == SCHEMA_VERSION) {
      return;
    }
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      if (version < 1) {
        for (String sql : SCHEMA_V1) {
          s.execute(sql);
        }
      }
      s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Does the work. */
    T run(Connection c) throws SQLException;
  }

  /**
   * Whether {@code e} came from a full disk: SQLite says SQLITE_FULL, or, since a failed commit on
   * a full disk can surface as another error once SQLite has rolled back, the disk holding the
   * database has less than 1 MiB left.
   */
  public boolean isDiskFull(SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("SQLITE_FULL") || message.contains("disk is full")) {
      return true;
    }
    try {
      return Files.getFileStore(file).getUsableSpace() < (1 << 20);
    } catch (IOException statFailed) {
      return false;
    }
  }

  /** Runs {@code work} in one write transaction, committed when it returns, else rolled back. */
  public <T> T write(Work<T> work) throws SQLException {
    writeLock.lock();
    try {
      writer.setAutoCommit(false);
      try {
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs a read on the reading connection. */
  public <T> T read(Work<T> work) throws SQLException {
    readLock.lock();
    try {
      return work.run(reader);
    } finally {
      readLock.unlock();
    }
  }

  /**
   * Retention deletions begun so far. Rows are otherwise only inserted, so a reader that read this
   * and {@link #deletionsFinished()} as equal before a read, and this unchanged after it, saw no
   * row disappear since; rows are never deleted otherwise.
   */
  public long deletionsStarted() {
    return deletionsStarted.get();
  }

  /** Retention deletions ended (committed or failed) so far; see {@link #deletionsStarted()}. */
  public long deletionsFinished() {
    return deletionsFinished.get();
  }

  /** Deletes events older than {@code cutoffMillis}; returns the rows deleted. */
  public int deleteBefore(long cutoffMillis) throws SQLException {
    deletionsStarted.incrementAndGet();
    try {
      return deleteRows(cutoffMillis);
    } finally {
      deletionsFinished.incrementAndGet();
    }
  }

  private int deleteRows(long cutoffMillis) throws SQLException {
    return write(
        c -> {
          int n = 0;
          for (String sql :
              List.of(
                  "DELETE FROM slow_requests WHERE timestamp_ms < ?",
                  "DELETE FROM access_log WHERE timestamp_ms < ?",
                  "DELETE FROM user_stats WHERE slot_ms < ?")) {
            try (var ps = c.prepareStatement(sql)) {
              ps.setLong(1, cutoffMillis);
              n += ps.executeUpdate();
            }
          }
          return n;
        });
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** Closes both connections. */
  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      closeQuietly(reader);
      closeQuietly(writer);
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Closing on shutdown: nothing left to do with the error.
    }
  }
}
