package dev.vigil.tsdb.internal;

import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.StorageStats;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wires head, log, checkpoints and the maintenance thread together behind {@link
 * dev.vigil.tsdb.Tsdb}; public only so that the API package can reach it.
 *
 * <p><b>Assumptions and guarantees.</b> Thread-safe. Maintenance (cutting aged samples into chunks,
 * retention, block verification, writing blocks, compaction, checkpoints) runs on one daemon thread
 * every minute, and from callers of {@link #maintain}, {@link #applyRetention}, {@link #checkpoint}
 * and {@link #delete}; {@code maintenanceLock} keeps two of them from overlapping. None of them
 * blocks appends for longer than a checkpoint's snapshot (references and tail copies of every
 * series), than removing emptied series, or than a delete's removal from the head. Block files are
 * written and read without any lock that appends take.
 */
public final class Engine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Engine.class.getName());
  private static final long MAINTENANCE_PERIOD_MILLIS = 60_000;

  /** Block bytes checked whole per maintenance pass: about a second of reading. */
  private static final long VERIFY_BYTES_PER_PASS = 1L << 30;

  private final TsdbOptions options;
  private final Path walDir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Head head;
  private final Blocks blocks;
  private final Compactor compactor;
  private final Wal wal;
  private final Committer committer;
  private final int walRepairs;
  private final ReentrantLock maintenanceLock = new ReentrantLock();
  private long lastCheckpointBytes; // guarded by maintenanceLock
  private final ScheduledExecutorService maintenance;

  private Engine(TsdbOptions options) throws IOException {
    this.options = options;
    Path dir = options.directory();
    Files.createDirectories(dir);
    this.walDir = Files.createDirectories(dir.resolve("wal"));
    this.lockChannel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      lockChannel.close();
      throw new IOException("data directory " + dir + " is in use by another store");
    }
    this.lock = acquired;
    try {
      this.blocks = Blocks.open(dir.resolve("blocks"), dir.resolve("corrupted"));
      this.head = new Head(options);
      this.compactor =
          new Compactor(
              head, blocks, options.blockRange().toMillis(), options.retention().toMillis());
      long start = System.nanoTime();
      WalReplay.Result replay;
      head.appendLock.lock();
      try {
        replay = WalReplay.replay(walDir, head);
      } finally {
        head.appendLock.unlock();
      }
      this.walRepairs = replay.repairs();
      this.lastCheckpointBytes = replay.checkpointBytes();
      long now = head.now();
      head.cutAged(now);
      head.applyRetention(now);
      this.wal =
          Wal.open(
              walDir,
              replay.lastSequence() + 1,
              options.walSegmentSizeBytes(),
              replay.segmentSizes());
      LOG.log(
          Level.DEBUG,
          "opened {0}: {1} series replayed in {2} ms",
          dir,
          Integer.toString(head.seriesCount()),
          Long.toString((System.nanoTime() - start) / 1_000_000));
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockChannel.close();
      throw e;
    }
    this.committer = new Committer(head, wal);
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-tsdb-maintenance");
              t.setDaemon(true);
              return t;
            });
    maintenance.scheduleWithFixedDelay(
        this::maintainQuietly,
        MAINTENANCE_PERIOD_MILLIS,
        MAINTENANCE_PERIOD_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Opens (creating or replaying) the store described by {@code options}. */
  public static Engine open(TsdbOptions options) throws IOException {
    return new Engine(options);
  }

  /** A new appender. */
  public Appender appender() {
    return new HeadAppender(head, committer);
  }

  /** A querier over [minTimeMillis, maxTimeMillis]. */
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    if (committer.isClosed()) {
      throw new IllegalStateException("storage is closed");
    }
    // Blocks are dropped whole, so some may still hold samples past the retention: hide them.
    long cutoff = head.now() - head.retentionMillis;
    return new MergedQuerier(head, blocks, Math.max(minTimeMillis, cutoff), maxTimeMillis);
  }

  /** Counters and gauges; walks every series, so meant for scrapes, not hot paths. */
  public StorageStats stats() {
    long[] range = head.timeRange();
    for (Block b : blocks.list()) {
      range[0] = Math.min(range[0], b.meta.minTime());
      range[1] = Math.max(range[1], b.meta.maxTime() - 1);
    }
    range[0] = Math.max(range[0], head.now() - head.retentionMillis); // as queriers see it
    boolean empty = range[0] > range[1];
    return new StorageStats(
        head.seriesCount(),
        head.samplesAppended.sum(),
        head.samplesRejected.sum(),
        wal.fsyncs(),
        wal.fsyncNanosTotal(),
        wal.fsyncNanosMax(),
        SegmentFiles.directoryBytes(walDir),
        walRepairs,
        head.estimatedBytes(),
        empty ? OptionalLong.empty() : OptionalLong.of(range[0]),
        empty ? OptionalLong.empty() : OptionalLong.of(range[1]),
        blocks.list().size(),
        blocks.bytes(),
        blocks.corruptedCount());
  }

  /**
   * Cuts aged samples into chunks, applies retention, checks blocks not yet verified, writes the
   * head's old ranges into blocks (then checkpoints, so that replay does not bring them back),
   * compacts blocks, and checkpoints if the log has grown.
   */
  public void maintain() throws IOException {
    maintenanceLock.lock();
    try {
      long now = head.now();
      head.cutAged(now);
      head.applyRetention(now);
      blocks.verify(VERIFY_BYTES_PER_PASS);
      boolean persisted = false;
      while (compactor.compactHead()) {
        persisted = true;
      }
      long threshold = Math.max(options.walSegmentSizeBytes(), lastCheckpointBytes);
      if (persisted || wal.bytesSinceCheckpoint() >= threshold) {
        checkpointLocked();
      }
      while (compactor.compactBlocks()) {
        // one merge per step; a merged block may take part in the next level
      }
      applyBlockRetention(now);
    } finally {
      maintenanceLock.unlock();
    }
  }

  private int applyBlockRetention(long now) {
    return blocks.applyRetention(
        now - head.retentionMillis, options.retentionBytes(), SegmentFiles.directoryBytes(walDir));
  }

  /**
   * Drops data older than the retention now, and blocks past the size limit; returns how many
   * series and blocks were removed.
   */
  public int applyRetention() {
    maintenanceLock.lock();
    try {
      long now = head.now();
      return head.applyRetention(now) + applyBlockRetention(now);
    } finally {
      maintenanceLock.unlock();
    }
  }

  /**
   * Deletes the samples in [min, max] of the series matching every matcher: tombstones in the
   * blocks, removal from the head followed by a checkpoint (so that replay cannot bring them back);
   * durable when it returns. Returns how many series (per block and in the head) were affected.
   */
  public int delete(long min, long max, dev.vigil.tsdb.Matcher... matchers) throws IOException {
    if (matchers.length == 0) {
      throw new IllegalArgumentException("delete needs at least one matcher");
    }
    if (min > max) {
      throw new IllegalArgumentException("empty range: [" + min + ", " + max + "]");
    }
    maintenanceLock.lock();
    try {
      if (committer.isClosed()) {
        throw new IOException("storage is closed");
      }
      int affected = 0;
      for (Block b : blocks.list()) {
        if (b.overlaps(min, max)) {
          affected += b.delete(min, max, matchers);
        }
      }
      int inHead;
      head.appendLock.lock();
      try {
        inHead = head.deleteRange(min, max, matchers);
      } finally {
        head.appendLock.unlock();
      }
      if (inHead > 0) {
        checkpointLocked();
      }
      return affected + inHead;
    } finally {
      maintenanceLock.unlock();
    }
  }

  /**
   * Writes a snapshot into {@code target}, which must not exist: {@code blocks/} holds hard links
   * to the files of every block and, when {@code withHead}, the whole head (its recent samples
   * included) written as one more block, so that {@code target} opens as a store with the same
   * data. Written into {@code target.tmp} and renamed when whole; appends go on meanwhile (those
   * committed after a series was read are not in the snapshot). Returns the number of blocks.
   */
  public int snapshot(Path target, boolean withHead) throws IOException {
    if (Files.exists(target)) {
      throw new IOException("snapshot directory " + target + " already exists");
    }
    Path temp = target.resolveSibling(target.getFileName() + BlockWriter.TEMP_SUFFIX);
    maintenanceLock.lock(); // no block is compacted away or dropped while it is linked
    try {
      if (committer.isClosed()) {
        throw new IOException("storage is closed");
      }
      BlockWriter.deleteRecursively(temp);
      Path blocksDir = Files.createDirectories(temp.resolve("blocks"));
      int count = 0;
      try {
        for (Block b : blocks.list()) {
          linkTree(b.dir, blocksDir.resolve(b.dir.getFileName().toString()));
          count++;
        }
        if (withHead) {
          long[] span = head.timeRange();
          if (span[0] <= span[1] && compactor.writeHead(blocksDir, span[0], span[1] + 1) != null) {
            count++;
          }
        }
        SegmentFiles.syncDirectory(blocksDir);
        SegmentFiles.syncDirectory(temp);
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        SegmentFiles.syncDirectory(target.getParent());
      } catch (IOException | RuntimeException e) {
        BlockWriter.deleteRecursively(temp);
        throw e;
      }
      return count;
    } finally {
      maintenanceLock.unlock();
    }
  }

  /** Recreates the directory tree {@code from} at {@code to}, its files as hard links. */
  private static void linkTree(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.createLink(dest, p);
        }
      }
    }
  }

  /** Writes a checkpoint now and deletes the segments it covers. */
  public void checkpoint() throws IOException {
    maintenanceLock.lock();
    try {
      checkpointLocked();
    } finally {
      maintenanceLock.unlock();
    }
  }

  private void checkpointLocked() throws IOException {
    if (committer.isClosed()) {
      throw new IOException("storage is closed");
    }
    Checkpoint.Result result =
        Checkpoint.write(walDir, head, wal, head.now() - head.retentionMillis);
    lastCheckpointBytes = result.bytes();
  }

  private void maintainQuietly() {
    try {
      maintain();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "storage maintenance failed; will retry", e);
    }
  }

  /** Stops maintenance, closes the log and releases the directory. */
  @Override
  public void close() throws IOException {
    if (committer.isClosed()) {
      return;
    }
    committer.close();
    maintenance.shutdown(); // no interrupt: it could abort a checkpoint mid-write
    maintenanceLock.lock(); // waits for a running maintenance pass
    try {
      head.appendLock.lock(); // waits for a running commit
      try {
        wal.close();
      } finally {
        head.appendLock.unlock();
      }
    } finally {
      maintenanceLock.unlock();
      lock.release();
      lockChannel.close();
    }
  }
}
