package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the head's live state into one checkpoint file so that the segments it covers can be
 * deleted: the log then holds the head once plus what came since, instead of every write ever.
 *
 * <p>Procedure: under the append lock, roll to a new segment and snapshot every series (chunk
 * references and copies of the open chunks and tails: no encoding work under the lock); then,
 * without the lock, write {@code checkpoint.N.tmp}, fsync it, rename it to {@code checkpoint.N},
 * fsync the directory, and delete segments up to N and older checkpoints. A crash at any point
 * leaves either the old state (the temp file is deleted on open) or the new one.
 */
final class Checkpoint {
  private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());
  private static final int SERIES_PER_RECORD = 1000;
  private static final int FLUSH_BYTES = 4 << 20;

  /** What a checkpoint wrote. */
  record Result(long coveredSequence, long bytes, int series) {}

  private Checkpoint() {}

  /**
   * Writes a checkpoint of {@code head} into {@code dir}; samples before {@code cutoff} skipped.
   */
  static Result write(Path dir, Head head, Wal wal, long cutoff) throws IOException {
    long covered;
    List<SeriesSnapshot> snapshots = new ArrayList<>();
    List<MemSeries> series;
    head.appendLock.lock();
    try {
      covered = wal.roll();
      series = head.allSeries();
      for (MemSeries s : series) {
        snapshots.add(s.snapshotAll());
      }
    } finally {
      head.appendLock.unlock();
    }
    String name = SegmentFiles.checkpointName(covered);
    Path temp = dir.resolve(SegmentFiles.tempName(name));
    Path target = dir.resolve(name);
    long bytes;
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(out, SegmentFiles.header(SegmentFiles.KIND_CHECKPOINT));
      WalEncoder encoder = new WalEncoder();
      MemSeries[] all = series.toArray(new MemSeries[0]);
      for (int from = 0; from < all.length; from += SERIES_PER_RECORD) {
        int start = encoder.size();
        WalRecords.encodeSeries(encoder, all, from, Math.min(all.length, from + SERIES_PER_RECORD));
        encoder.markLastCommitEnd(start);
        flushIfFull(out, encoder);
      }
      for (int i = 0; i < all.length; i++) {
        writeSeriesData(out, encoder, all[i].id, snapshots.get(i), cutoff);
      }
      writeFully(out, encoder.contents());
      out.force(true);
      bytes = out.size();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    SegmentFiles.syncDirectory(dir);
    for (Map.Entry<Long, Path> e : SegmentFiles.segments(dir).headMap(covered, true).entrySet()) {
      Files.deleteIfExists(e.getValue());
    }
    for (Path old : SegmentFiles.checkpoints(dir).headMap(covered).values()) {
      Files.deleteIfExists(old);
    }
    SegmentFiles.syncDirectory(dir);
    wal.checkpointed(covered);
    LOG.log(
        Level.DEBUG,
        "checkpoint {0}: {1} series in {2} bytes",
        target,
        Integer.toString(series.size()),
        Long.toString(bytes));
    return new Result(covered, bytes, series.size());
  }

  private static void writeSeriesData(
      FileChannel out, WalEncoder encoder, long id, SeriesSnapshot snapshot, long cutoff)
      throws IOException {
    for (Chunk chunk : snapshot.chunks()) {
      if (chunk.maxTimeMillis() >= cutoff) {
        WalRecords.encodeChunk(encoder, id, chunk);
        flushIfFull(out, encoder);
      }
    }
    int from = 0;
    while (from < snapshot.tailSize() && snapshot.tailTimestamp(from) < cutoff) {
      from++;
    }
    boolean histogram = snapshot.isHistogram();
    int type = histogram ? WalRecords.HISTOGRAM_SAMPLES : WalRecords.FLOAT_SAMPLES;
    while (from < snapshot.tailSize()) {
      int to = Math.min(snapshot.tailSize(), from + WalRecords.MAX_SAMPLES_PER_RECORD);
      long base = snapshot.tailTimestamp(from);
      int start = encoder.size();
      WalRecords.beginSamples(encoder, type, to - from, base);
      for (int i = from; i < to; i++) {
        Histogram h = histogram ? snapshot.tailHistogram(i) : null;
        double v = histogram ? 0 : snapshot.tailValue(i);
        WalRecords.encodeSample(encoder, type, base, id, snapshot.tailTimestamp(i), v, h);
      }
      encoder.end(false);
      encoder.markLastCommitEnd(start);
      flushIfFull(out, encoder);
      from = to;
    }
  }

  private static void flushIfFull(FileChannel out, WalEncoder encoder) throws IOException {
    if (encoder.size() >= FLUSH_BYTES) {
      writeFully(out, encoder.contents());
      encoder.reset();
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }
}
