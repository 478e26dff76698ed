package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the head from the last checkpoint and the segments after it, repairing a damaged log
 * instead of refusing to start.
 *
 * <p>Commits are applied whole: records are collected until one carries the commit-end flag,
 * decoded, and only then applied. At the first bad frame (torn, oversized, checksum mismatch,
 * undecodable) or a commit left open at the end of the log, the segment is truncated at the start
 * of that commit, later segments are deleted (as Prometheus does: what follows a hole cannot be
 * ordered after it), and a warning names the file, offset and reason. A damaged checkpoint is never
 * truncated; replay keeps what it read of it and logs an error.
 */
final class WalReplay implements WalRecords.Handler {
  private static final System.Logger LOG = System.getLogger(WalReplay.class.getName());

  /** What replay found, for the writer and the checkpoint policy. */
  record Result(
      long lastSequence,
      long checkpointBytes,
      Map<Long, Long> segmentSizes,
      int repairs,
      long samplesDropped) {}

  private final Path dir;
  private final Head head;
  private final List<Object> decoded = new ArrayList<>();
  private long maxId;
  private long maxTimestamp = Long.MIN_VALUE;
  private long samplesDropped;
  private long unknownSeries;

  private WalReplay(Path dir, Head head) {
    this.dir = dir;
    this.head = head;
  }

  /** Replays the log in {@code dir} into {@code head}; the head's append lock must be held. */
  static Result replay(Path dir, Head head) throws IOException {
    return new WalReplay(dir, head).run();
  }

  private Result run() throws IOException {
    for (Path temp : SegmentFiles.tempFiles(dir)) {
      LOG.log(Level.INFO, "deleting {0}, left by a checkpoint that did not finish", temp);
      Files.delete(temp);
    }
    TreeMap<Long, Path> checkpoints = SegmentFiles.checkpoints(dir);
    long covered = checkpoints.isEmpty() ? 0 : checkpoints.lastKey();
    for (Path old : checkpoints.headMap(covered).values()) {
      Files.delete(old); // superseded; a crash interrupted the checkpoint's clean-up
    }
    TreeMap<Long, Path> segments = SegmentFiles.segments(dir);
    for (Path old : segments.headMap(covered, true).values()) {
      Files.delete(old);
    }
    int repairs = 0;
    long checkpointBytes = 0;
    if (!checkpoints.isEmpty()) {
      Path checkpoint = checkpoints.lastEntry().getValue();
      checkpointBytes = Files.size(checkpoint);
      Damage damage = readFile(checkpoint, SegmentFiles.KIND_CHECKPOINT);
      if (damage != null) {
        repairs++;
        LOG.log(
            Level.ERROR,
            "write-ahead log checkpoint {0} is corrupt at byte {1} ({2}); "
                + "the series and samples after that point in it are lost",
            checkpoint,
            Long.toString(damage.badOffset),
            damage.reason);
      }
      cutReplayed();
    }
    Map<Long, Long> sizes = new TreeMap<>();
    long last = covered;
    for (Map.Entry<Long, Path> e : segments.tailMap(covered, false).entrySet()) {
      long sequence = e.getKey();
      Path file = e.getValue();
      if (last > 0 && sequence != last + 1) {
        LOG.log(
            Level.WARNING,
            "write-ahead log segments {0} to {1} are missing",
            last + 1,
            sequence - 1);
      }
      last = sequence;
      Damage damage = readFile(file, SegmentFiles.KIND_SEGMENT);
      cutReplayed();
      if (damage == null) {
        sizes.put(sequence, Files.size(file));
        continue;
      }
      repairs++;
      long size = Files.size(file);
      if (damage.truncateAt <= SegmentFiles.HEADER_BYTES) {
        Files.delete(file);
      } else {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(damage.truncateAt);
          ch.force(true);
        }
        sizes.put(sequence, damage.truncateAt);
      }
      long kept = Math.max(damage.truncateAt, 0);
      LOG.log(
          Level.WARNING,
          "write-ahead log segment {0} is damaged at byte {1} ({2}); truncated it to {3} bytes,"
              + " dropping the {4} bytes from there on",
          file,
          Long.toString(damage.badOffset),
          damage.reason,
          Long.toString(kept),
          Long.toString(size - kept));
      for (Path later : segments.tailMap(sequence, false).values()) {
        LOG.log(
            Level.WARNING, "deleting write-ahead log segment {0}, which follows the damage", later);
        Files.delete(later);
      }
      break;
    }
    SegmentFiles.syncDirectory(dir);
    head.reserveIds(maxId);
    if (samplesDropped > 0 || unknownSeries > 0) {
      LOG.log(
          Level.WARNING,
          "replay dropped {0} samples that fell into compressed data and {1} for unknown series",
          Long.toString(samplesDropped),
          Long.toString(unknownSeries));
    }
    return new Result(last, checkpointBytes, sizes, repairs, samplesDropped + unknownSeries);
  }

  /** Where a file is damaged: the bad record, and the start of the commit it belongs to. */
  private record Damage(long badOffset, long truncateAt, String reason) {}

  private Damage readFile(Path file, int kind) throws IOException {
    WalReader reader;
    try {
      reader = new WalReader(file, kind);
    } catch (WalCorruptionException e) {
      return new Damage(0, 0, e.reason());
    }
    long commitStart = SegmentFiles.HEADER_BYTES;
    List<byte[]> payloads = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    try (reader) {
      while (reader.next()) {
        ByteBuffer payload = reader.payload();
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        payloads.add(copy);
        types.add(reader.type());
        if (!reader.commitEnd()) {
          continue;
        }
        try {
          for (int i = 0; i < payloads.size(); i++) {
            WalRecords.decode(types.get(i), ByteBuffer.wrap(payloads.get(i)), this);
          }
        } catch (WalRecords.CorruptRecordException e) {
          decoded.clear();
          return new Damage(reader.recordOffset(), commitStart, e.getMessage());
        }
        applyDecoded();
        payloads.clear();
        types.clear();
        commitStart = reader.nextOffset();
      }
      if (!payloads.isEmpty()) {
        return new Damage(commitStart, commitStart, "a commit's records end without its last one");
      }
      return null;
    } catch (WalCorruptionException e) {
      return new Damage(e.offset(), commitStart, e.reason());
    }
  }

  private void cutReplayed() {
    // A record logged at wall time W has a timestamp >= W - window, and every earlier record has
    // one <= W + 10 min; so with a clock that does not go back, nothing later in the log can
    // touch samples older than maxTimestamp - 10 min - window: cutting them now bounds replay
    // memory by the window instead of by the log.
    if (maxTimestamp != Long.MIN_VALUE) {
      head.cutAll(maxTimestamp - Head.MAX_FUTURE_MILLIS - head.windowMillis);
    }
  }

  private void collect(Object item) {
    decoded.add(item);
  }

  private record SeriesItem(long id, Labels labels, boolean histogram) {}

  private record SampleItem(int type, long id, long timestamp, double value, Histogram h) {}

  private record ChunkItem(long id, Chunk chunk) {}

  @Override
  public void series(long id, Labels labels, boolean histogram) {
    collect(new SeriesItem(id, labels, histogram));
  }

  @Override
  public void sample(int type, long seriesId, long timestamp, double value, Histogram h) {
    collect(new SampleItem(type, seriesId, timestamp, value, h));
  }

  @Override
  public void chunk(long seriesId, Chunk chunk) {
    collect(new ChunkItem(seriesId, chunk));
  }

  private void applyDecoded() {
    for (Object item : decoded) {
      if (item instanceof SeriesItem) {
        SeriesItem s = (SeriesItem) item;
        head.replaySeries(s.id, s.labels, s.histogram);
        maxId = Math.max(maxId, s.id);
      } else if (item instanceof SampleItem) {
        applySample((SampleItem) item);
      } else {
        ChunkItem c = (ChunkItem) item;
        MemSeries series = head.get(c.id);
        if (series == null) {
          unknownSeries += c.chunk.numSamples();
        } else if (series.histogram != (c.chunk.encoding() == ChunkEncoding.HISTOGRAM)
            || !series.appendChunk(c.chunk)) {
          samplesDropped += c.chunk.numSamples();
        } else {
          maxTimestamp = Math.max(maxTimestamp, c.chunk.maxTimeMillis());
        }
      }
    }
    decoded.clear();
  }

  private void applySample(SampleItem s) {
    MemSeries series = head.get(s.id);
    if (series == null) {
      unknownSeries++;
      return;
    }
    boolean histogram = WalRecords.isHistogramType(s.type);
    boolean applied =
        series.histogram == histogram
            && (WalRecords.isMergeType(s.type)
                ? series.merge(s.timestamp, s.value, s.h)
                : series.set(s.timestamp, s.value, s.h));
    if (applied) {
      maxTimestamp = Math.max(maxTimestamp, s.timestamp);
    } else {
      samplesDropped++;
    }
  }
}
