package dev.vigil.tsdb.internal;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * segment; the old segment is forced before the new one receives a byte. A failed write is
 * truncated away and reported to its caller only; a failed force poisons the log (the kernel may
 * have dropped the dirty pages, so nothing later can be promised) and every later call throws.
 *
 * <p>Why {@link FileOutputStream} and {@code FileDescriptor.sync()} rather than a {@code
 * FileChannel}: a FileChannel is an InterruptibleChannel, so interrupting whichever request thread
 * happens to be the group-commit leader would close the segment under every other writer. Stream
 * writes and {@code sync()} ignore interrupts. The price is fsync instead of fdatasync, which also
 * flushes the modification time.
 */
final class Wal implements Closeable {
  private final Path dir;
  private final long segmentSizeBytes;

  private final ReentrantLock writeLock = new ReentrantLock();
  // Replaced under writeLock while holding the leader role; read by the leader without writeLock.
  private volatile FileOutputStream segment;
  private Path segmentFile; // guarded by writeLock
  private long sequence; // guarded by writeLock
  private long segmentBytes; // guarded by writeLock
  private final TreeMap<Long, Long> segmentSizes = new TreeMap<>(); // guarded by writeLock
  private volatile long written;
  private boolean closed; // guarded by writeLock

  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition syncDone = syncLock.newCondition();
  private long durable; // guarded by syncLock
  private boolean syncing; // guarded by syncLock
  private volatile IOException failure;

  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong fsyncNanosTotal = new AtomicLong();
  private final AtomicLong fsyncNanosMax = new AtomicLong();

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
    wal.segment = createSegment(dir, sequence);
    wal.segmentFile = dir.resolve(SegmentFiles.segmentName(sequence));
    wal.segmentBytes = SegmentFiles.HEADER_BYTES;
    wal.segmentSizes.put(sequence, wal.segmentBytes);
    return wal;
  }

  private static FileOutputStream createSegment(Path dir, long sequence) throws IOException {
    Path file = Files.createFile(dir.resolve(SegmentFiles.segmentName(sequence)));
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

  /**
   * Appends {@code records} (whole frames) and returns the log position past them.
   *
   * @throws IOException if the write failed (the segment is truncated back; nothing of it will be
   *     replayed) or the log failed earlier
   */
  long write(ByteBuffer records) throws IOException {
    writeLock.lock();
    try {
      checkUsable();
      int length = records.remaining();
      if (segmentBytes > SegmentFiles.HEADER_BYTES && segmentBytes + length > segmentSizeBytes) {
        rollLocked();
      }
      long start = segmentBytes;
      try {
        segment.write(
            records.array(), records.arrayOffset() + records.position(), records.remaining());
        records.position(records.limit());
      } catch (IOException e) {
        // The stream appends, so cutting the file back is enough to undo a partial write.
        try (RandomAccessFile file = new RandomAccessFile(segmentFile.toFile(), "rw")) {
          file.setLength(start);
        } catch (IOException truncateFailure) {
          e.addSuppressed(truncateFailure);
          failure = e;
        }
        throw e;
      }
      segmentBytes += length;
      segmentSizes.put(sequence, segmentBytes);
      written += length;
      return written;
    } finally {
      writeLock.unlock();
    }
  }

  /** Returns once every byte up to {@code position} is forced to disk; see the class comment. */
  void awaitDurable(long position) throws IOException {
    syncLock.lock();
    try {
      while (true) {
        IOException failed = failure;
        if (failed != null) {
          throw new IOException("write-ahead log failed earlier: " + failed.getMessage(), failed);
        }
        if (durable >= position) {
          return;
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
    // Leader. No roll can run now (it needs the leader role), so `segment` is stable, and every
    // byte counted in `written` is in it or in a segment forced when it was closed.
    long target = written;
    IOException error = null;
    try {
      force(segment);
    } catch (IOException e) {
      error = e;
    }
    finishSync(target, error);
    if (error != null) {
      throw error;
    }
  }

  /**
   * Closes the current segment (forced) and starts the next; returns the sequence number of the
   * segment closed. Used by checkpoints, which cover every segment up to it.
   */
  long roll() throws IOException {
    writeLock.lock();
    try {
      checkUsable();
      long closedSequence = sequence;
      rollLocked();
      return closedSequence;
    } finally {
      writeLock.unlock();
    }
  }

  private void rollLocked() throws IOException {
    acquireLeaderRole();
    long target = written;
    IOException error = null;
    try {
      force(segment);
      segment.close();
      sequence++;
      segment = createSegment(dir, sequence);
      segmentFile = dir.resolve(SegmentFiles.segmentName(sequence));
      segmentBytes = SegmentFiles.HEADER_BYTES;
      segmentSizes.put(sequence, segmentBytes);
    } catch (IOException e) {
      error = e;
      failure = e;
    }
    finishSync(target, error);
    if (error != null) {
      throw error;
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
      }
      syncDone.signalAll();
    } finally {
      syncLock.unlock();
    }
  }

  private void force(FileOutputStream out) throws IOException {
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

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("write-ahead log is closed");
    }
    IOException failed = failure;
    if (failed != null) {
      throw new IOException("write-ahead log failed earlier: " + failed.getMessage(), failed);
    }
  }

  /** Forces and closes the current segment. */
  @Override
  public void close() throws IOException {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      acquireLeaderRole();
      long target = written;
      IOException error = null;
      try {
        if (failure == null) {
          force(segment);
        }
      } catch (IOException e) {
        error = e;
      } finally {
        segment.close();
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
