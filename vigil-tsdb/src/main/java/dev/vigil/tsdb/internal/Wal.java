package dev.vigil.tsdb.internal;

import dev.vigil.tsdb.StorageFullException;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write side of the write-ahead log: appends framed records to numbered segment files and makes
 * them durable with group commit.
 *
 * <p><b>Assumptions and guarantees.</b> {@link #write} appends under {@code writeLock} and returns
 * the log position (bytes of records written since open) just past its records; the caller then
 * calls {@link #awaitDurable} with it, outside any lock. Group commit: the first waiter whose
 * position is not yet durable becomes the leader, reads the current written position, forces the
 * segment and publishes that position as durable; every waiter at or below it returns, the others
 * elect the next leader. Writes continue while a force runs, so under load one force covers every
 * commit that arrived during the previous one, and no caller returns before its bytes are forced.
 * Rolling to a new segment takes the leader role itself, so a force never races the close of its
 * segment; the old segment is forced before the new one receives a byte.
 *
 * <p><b>Failures.</b> A failed write (a full disk fails here: ENOSPC) is cut back off the segment
 * and reported to its caller only, as {@link StorageFullException} when the disk is full; the
 * caller has applied nothing yet. A failed roll keeps writing to the old segment. A failed force is
 * worse: the kernel may have dropped the dirty pages while marking them clean, so a second fsync
 * would succeed without the data on disk. Every commit waiting for it fails, and the log is marked
 * broken; the next write first repairs it: it cuts the segment back to its last forced byte, starts
 * a new segment and rewrites there, from the copy kept in memory, every byte written since that
 * force (records of commits already applied to the head, which later records may refer to), and
 * forces it. Until a repair succeeds every write fails and nothing is applied. So the log never
 * holds a record twice or a hole, and the store recovers by itself when space returns. The copy
 * holds only bytes not yet forced: it is trimmed after every successful force.
 *
 * <p>Why {@link FileOutputStream} and {@code FileDescriptor.sync()} rather than a {@code
 * FileChannel}: a FileChannel is an InterruptibleChannel, so interrupting whichever request thread
 * happens to be the group-commit leader would close the segment under every other writer. Stream
 * writes and {@code sync()} ignore interrupts. The price is fsync instead of fdatasync, which also
 * flushes the modification time.
 */
final class Wal implements Closeable {
  private static final System.Logger LOG = System.getLogger(Wal.class.getName());

  private final Path dir;
  private final long segmentSizeBytes;

  private final ReentrantLock writeLock = new ReentrantLock();
  // Replaced under writeLock while holding the leader role; read by the leader without writeLock.
  // Null only while a broken log waits for repair.
  private volatile FileOutputStream segment;
  private Path segmentFile; // guarded by writeLock
  private long sequence; // guarded by writeLock
  private long segmentBytes; // guarded by writeLock
  private long segmentStart; // log position of the current segment's first record; writeLock
  private final TreeMap<Long, Long> segmentSizes = new TreeMap<>(); // guarded by writeLock
  private volatile long written;
  private boolean closed; // guarded by writeLock

  // Bytes at log positions [unforcedFrom, written): what a repair rewrites. Guarded by writeLock.
  private byte[] unforced = new byte[64 << 10];
  private long unforcedFrom;

  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition syncDone = syncLock.newCondition();
  private long durable; // guarded by syncLock
  private volatile long durableSeen; // a copy of durable, for trimming without syncLock
  private boolean syncing; // guarded by syncLock
  private volatile IOException failure; // set: the log is broken until a repair succeeds

  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong fsyncNanosTotal = new AtomicLong();
  private final AtomicLong fsyncNanosMax = new AtomicLong();
  private final AtomicLong repairs = new AtomicLong();

  /** Tests only: the next fsync fails with this, as a failing disk's would. */
  volatile IOException nextForceFailure;

  private Wal(Path dir, long segmentSizeBytes) {
    this.dir = dir;
    this.segmentSizeBytes = segmentSizeBytes;
  }

  /**
   * Opens the log for writing in a new segment {@code sequence}; {@code olderSegments} are the
   * sizes of the segments replay found after the last checkpoint, for the checkpoint policy.
   */
  static Wal open(Path dir, long sequence, long segmentSizeBytes, Map<Long, Long> olderSegments)
      throws IOException {
    Wal wal = new Wal(dir, segmentSizeBytes);
    wal.segmentSizes.putAll(olderSegments);
    wal.sequence = sequence;
    try {
      wal.segment = createSegment(dir, sequence);
    } catch (IOException e) {
      throw classify("cannot create write-ahead log segment", e);
    }
    wal.segmentFile = dir.resolve(SegmentFiles.segmentName(sequence));
    wal.segmentBytes = SegmentFiles.HEADER_BYTES;
    wal.segmentSizes.put(sequence, wal.segmentBytes);
    return wal;
  }

  private static FileOutputStream createSegment(Path dir, long sequence) throws IOException {
    Path file = dir.resolve(SegmentFiles.segmentName(sequence));
    Files.deleteIfExists(file); // left by a repair or roll that failed half-way
    Files.createFile(file);
    FileOutputStream out = new FileOutputStream(file.toFile(), true);
    try {
      ByteBuffer header = SegmentFiles.header(SegmentFiles.KIND_SEGMENT);
      out.write(header.array(), 0, header.remaining());
      out.getFD().sync();
      SegmentFiles.syncDirectory(dir);
    } catch (IOException e) {
      out.close();
      Files.deleteIfExists(file);
      throw e;
    }
    return out;
  }

  /** {@code e} as a StorageFullException if the disk is full, else as it is. */
  static IOException classify(String what, IOException e) {
    if (e instanceof StorageFullException) {
      return e;
    }
    if (StorageFullException.isDiskFull(e)) {
      return new StorageFullException(
          what + ": disk full (" + e.getMessage() + "); nothing of this commit was stored", e);
    }
    return e;
  }

  /**
   * Appends {@code records} (whole frames) and returns the log position past them.
   *
   * @throws StorageFullException if the disk is full; nothing of {@code records} is in the log
   * @throws IOException if the write failed for another reason (nothing of it will be replayed), or
   *     the log is broken and could not be repaired
   */
  long write(ByteBuffer records) throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      if (failure != null) {
        repairLocked();
      }
      int length = records.remaining();
      if (segmentBytes > SegmentFiles.HEADER_BYTES && segmentBytes + length > segmentSizeBytes) {
        try {
          rollLocked();
        } catch (IOException e) {
          throw classify("cannot start a new write-ahead log segment", e);
        }
      }
      long start = segmentBytes;
      int offset = records.arrayOffset() + records.position();
      try {
        segment.write(records.array(), offset, length);
      } catch (IOException e) {
        // The stream appends, so cutting the file back is enough to undo a partial write.
        try (RandomAccessFile file = new RandomAccessFile(segmentFile.toFile(), "rw")) {
          file.setLength(start);
        } catch (IOException truncateFailure) {
          // The tail may hold part of this commit: the repair before the next write cuts it off.
          e.addSuppressed(truncateFailure);
          markBroken(e);
        }
        throw classify("write-ahead log write failed", e);
      }
      keepUnforced(records.array(), offset, length);
      records.position(records.limit());
      segmentBytes += length;
      segmentSizes.put(sequence, segmentBytes);
      written += length;
      return written;
    } finally {
      writeLock.unlock();
    }
  }

  /** Appends to the in-memory copy of unforced bytes, dropping what is durable. */
  private void keepUnforced(byte[] bytes, int offset, int length) {
    trimUnforcedLocked();
    int kept = (int) (written - unforcedFrom);
    if (unforced.length - kept < length) {
      unforced = Arrays.copyOf(unforced, Math.max(kept + length, 2 * unforced.length));
    }
    System.arraycopy(bytes, offset, unforced, kept, length);
  }

  private void trimUnforcedLocked() {
    long forced = Math.min(durableSeen, written);
    if (forced <= unforcedFrom) {
      return;
    }
    int kept = (int) (written - forced);
    System.arraycopy(unforced, (int) (forced - unforcedFrom), unforced, 0, kept);
    unforcedFrom = forced;
    if (kept == 0 && unforced.length > (1 << 20)) {
      unforced = new byte[64 << 10]; // a huge commit passed: give its memory back
    }
  }

  /** Returns once every byte up to {@code position} is forced to disk; see the class comment. */
  void awaitDurable(long position) throws IOException {
    syncLock.lock();
    try {
      while (true) {
        if (durable >= position) {
          return;
        }
        IOException failed = failure;
        if (failed != null) {
          throw classify(
              "write-ahead log fsync failed",
              new IOException("write-ahead log fsync failed: " + failed.getMessage(), failed));
        }
        if (!syncing) {
          syncing = true;
          break;
        }
        syncDone.awaitUninterruptibly();
      }
    } finally {
      syncLock.unlock();
    }
    // Leader. No roll or repair can run now (they need the leader role), so `segment` is stable,
    // and every byte counted in `written` is in it or in a segment forced when it was closed.
    long target = written;
    IOException error = null;
    try {
      force(segment);
    } catch (IOException e) {
      error = e;
      LOG.log(
          Level.ERROR,
          "fsync of write-ahead log segment failed ({0}); the commits waiting for it fail and the"
              + " next commit rewrites them into a new segment",
          e.getMessage());
    }
    finishSync(target, error);
    if (error != null) {
      throw classify("write-ahead log fsync failed", error);
    }
    if (writeLock.tryLock()) {
      try {
        trimUnforcedLocked();
      } finally {
        writeLock.unlock();
      }
    }
  }

  /**
   * Closes the current segment (forced) and starts the next; returns the sequence number of the
   * segment closed. Used by checkpoints, which cover every segment up to it.
   */
  long roll() throws IOException {
    writeLock.lock();
    try {
      checkOpen();
      if (failure != null) {
        repairLocked();
      }
      long closedSequence = sequence;
      rollLocked();
      return closedSequence;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Forces the current segment and starts the next. If the force fails the log is broken; if the
   * new segment cannot be created the old one stays current; either way the caller gets the error.
   */
  private void rollLocked() throws IOException {
    acquireLeaderRole();
    long target = written;
    try {
      force(segment);
    } catch (IOException e) {
      finishSync(target, e);
      throw e;
    }
    FileOutputStream next;
    try {
      next = createSegment(dir, sequence + 1);
    } catch (IOException e) {
      finishSync(target, null); // the old segment was forced: writing goes on in it
      throw e;
    }
    closeQuietly(segment);
    sequence++;
    segment = next;
    segmentFile = dir.resolve(SegmentFiles.segmentName(sequence));
    segmentBytes = SegmentFiles.HEADER_BYTES;
    segmentStart = target;
    segmentSizes.put(sequence, segmentBytes);
    finishSync(target, null);
  }

  /**
   * Repairs a broken log (see the class comment); runs under writeLock with no write in flight.
   *
   * @throws IOException if the repair failed; the log stays broken
   */
  private void repairLocked() throws IOException {
    acquireLeaderRole();
    long target = written;
    IOException error = null;
    long forced;
    syncLock.lock();
    try {
      forced = durable;
    } finally {
      syncLock.unlock();
    }
    try {
      if (segment != null) {
        long keep = SegmentFiles.HEADER_BYTES + (forced - segmentStart);
        try (RandomAccessFile file = new RandomAccessFile(segmentFile.toFile(), "rw")) {
          file.setLength(keep);
          file.getFD().sync();
        }
        closeQuietly(segment);
        segment = null;
        segmentSizes.put(sequence, keep);
      }
      FileOutputStream next = createSegment(dir, sequence + 1);
      Path nextFile = dir.resolve(SegmentFiles.segmentName(sequence + 1));
      int length = (int) (target - forced);
      try {
        next.write(unforced, (int) (forced - unforcedFrom), length);
        next.getFD().sync();
      } catch (IOException e) {
        closeQuietly(next);
        Files.deleteIfExists(nextFile);
        throw e;
      }
      sequence++;
      segment = next;
      segmentFile = nextFile;
      segmentStart = forced;
      segmentBytes = SegmentFiles.HEADER_BYTES + length;
      segmentSizes.put(sequence, segmentBytes);
      failure = null;
      repairs.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "write-ahead log repaired after a failed write or fsync: rewrote {0} bytes into {1}",
          Long.toString(length),
          nextFile);
    } catch (IOException e) {
      error = e;
    }
    finishSync(target, error);
    if (error != null) {
      throw classify(
          "write-ahead log is broken and cannot be repaired yet",
          new IOException(
              "write-ahead log is broken since a failed write or fsync and cannot be repaired yet: "
                  + error.getMessage(),
              error));
    }
  }

  private void markBroken(IOException e) {
    syncLock.lock();
    try {
      failure = e;
    } finally {
      syncLock.unlock();
    }
  }

  private static void closeQuietly(FileOutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // already forced or being given up; nothing more to lose
    }
  }

  private void acquireLeaderRole() {
    syncLock.lock();
    try {
      while (syncing) {
        syncDone.awaitUninterruptibly();
      }
      syncing = true;
    } finally {
      syncLock.unlock();
    }
  }

  private void finishSync(long target, IOException error) {
    syncLock.lock();
    try {
      syncing = false;
      if (error != null) {
        failure = error;
      } else if (target > durable) {
        durable = target;
        durableSeen = target;
      }
      syncDone.signalAll();
    } finally {
      syncLock.unlock();
    }
  }

  private void force(FileOutputStream out) throws IOException {
    IOException injected = nextForceFailure;
    if (injected != null) {
      nextForceFailure = null;
      throw injected;
    }
    long start = System.nanoTime();
    out.getFD().sync();
    long nanos = System.nanoTime() - start;
    fsyncs.incrementAndGet();
    fsyncNanosTotal.addAndGet(nanos);
    fsyncNanosMax.accumulateAndGet(nanos, Math::max);
  }

  /** Forgets segments up to {@code sequence}, which a checkpoint now covers. */
  void checkpointed(long sequence) {
    writeLock.lock();
    try {
      segmentSizes.headMap(sequence, true).clear();
    } finally {
      writeLock.unlock();
    }
  }

  /** Bytes in the segments written since the last checkpoint, including the current one. */
  long bytesSinceCheckpoint() {
    writeLock.lock();
    try {
      return segmentSizes.values().stream().mapToLong(Long::longValue).sum();
    } finally {
      writeLock.unlock();
    }
  }

  long fsyncs() {
    return fsyncs.get();
  }

  long fsyncNanosTotal() {
    return fsyncNanosTotal.get();
  }

  long fsyncNanosMax() {
    return fsyncNanosMax.get();
  }

  long repairs() {
    return repairs.get();
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("write-ahead log is closed");
    }
  }

  /** Forces and closes the current segment, repairing a broken log first if it can. */
  @Override
  public void close() throws IOException {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      IOException error = null;
      if (failure != null) {
        try {
          repairLocked();
        } catch (IOException e) {
          error = e; // what is on disk is replayed as far as its checksums allow
        }
      }
      acquireLeaderRole();
      long target = written;
      try {
        if (failure == null) {
          force(segment);
        }
      } catch (IOException e) {
        error = e;
      } finally {
        if (segment != null) {
          segment.close();
        }
        finishSync(target, error);
      }
      if (error != null) {
        throw error;
      }
    } finally {
      writeLock.unlock();
    }
  }
}
