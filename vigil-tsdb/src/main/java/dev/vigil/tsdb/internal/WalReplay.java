package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.InterruptedIOException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p><b>Parallel replay.</b> Per file, a reader thread checks the frames (length, CRC) and groups
 * whole commits into batches of about {@value #BATCH_BYTES} stored bytes; a pool of one thread per
 * core decompresses and decodes each batch into columns; the calling thread (which holds the head's
 * append lock) takes the decoded batches strictly in log order. It applies series records itself,
 * and hands the samples and chunks between two series records to one thread per partition of series
 * ids ({@code id mod threads}), waiting for all of them before going on: each series sees its own
 * records in the order written, and every series record precedes the samples logged after it. At
 * most {@code 2 x threads} batches are read ahead, which bounds replay memory whatever the log's
 * size.
 */
final class WalReplay {
  private static final System.Logger LOG = System.getLogger(WalReplay.class.getName());

  /** What replay found, for the writer and the checkpoint policy. */
  record Result(
      long lastSequence,
      long checkpointBytes,
      Map<Long, Long> segmentSizes,
      int repairs,
      long samplesDropped) {}

  /** Stored payload bytes per decoding batch. */
  static final int BATCH_BYTES = 512 << 10;

  private final Path dir;
  private final Head head;
  private final int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private ExecutorService decoders;
  private ExecutorService appliers;
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
    WalReplay replay = new WalReplay(dir, head);
    AtomicInteger n = new AtomicInteger();
    replay.decoders =
        Executors.newFixedThreadPool(
            replay.threads,
            r -> {
              Thread t = new Thread(r, "vigil-wal-decode-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    replay.appliers =
        Executors.newFixedThreadPool(
            replay.threads,
            r -> {
              Thread t = new Thread(r, "vigil-wal-apply-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      return replay.run();
    } finally {
      replay.decoders.shutdownNow();
      replay.appliers.shutdownNow();
    }
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

  /** The records of one commit as stored: types, payloads, compression flags and offsets. */
  private record RawCommit(
      long start, int[] types, byte[][] payloads, boolean[] compressed, long[] offsets) {}

  /**
   * Whole commits decoded together; {@code damage} set if decoding failed at commit decoded.size().
   */
  private static final class Batch {
    final List<RawCommit> commits = new ArrayList<>();
    long bytes;
    final List<List<Object>> decoded = new ArrayList<>();
    Damage damage;
  }

  /** The reader's last word: the damage found, if any, or the I/O error that stopped it. */
  private record End(Damage damage, IOException failure) {}

  private Damage readFile(Path file, int kind) throws IOException {
    WalReader reader;
    try {
      reader = new WalReader(file, kind, false);
    } catch (WalCorruptionException e) {
      return new Damage(0, 0, e.reason());
    }
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2 * threads);
    AtomicBoolean stop = new AtomicBoolean();
    Thread readerThread =
        new Thread(() -> read(reader, queue, stop), "vigil-wal-read-" + file.getFileName());
    readerThread.setDaemon(true);
    readerThread.start();
    try {
      while (true) {
        Object next = queue.take();
        if (next instanceof End) {
          End end = (End) next;
          if (end.failure() != null) {
            throw end.failure();
          }
          return end.damage();
        }
        @SuppressWarnings("unchecked")
        Batch batch = ((Future<Batch>) next).get();
        applyBatch(batch);
        if (batch.damage != null) {
          stop.set(true);
          drain(queue);
          return batch.damage;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
      throw new InterruptedIOException("interrupted while replaying " + file);
    } catch (ExecutionException e) {
      stop.set(true);
      drainQuietly(queue);
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException("decoding " + file + " failed", cause);
    } finally {
      try {
        readerThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Takes what the stopped reader still queues, up to its end, cancelling the decoding. */
  private static void drain(BlockingQueue<Object> queue) throws InterruptedException {
    while (true) {
      Object next = queue.take();
      if (next instanceof End) {
        return;
      }
      ((Future<?>) next).cancel(false);
    }
  }

  private static void drainQuietly(BlockingQueue<Object> queue) {
    try {
      drain(queue);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The reader thread: checks frames, groups whole commits into batches, hands them to decode. */
  private void read(WalReader reader, BlockingQueue<Object> queue, AtomicBoolean stop) {
    End end;
    long commitStart = SegmentFiles.HEADER_BYTES;
    Batch batch = new Batch();
    List<Integer> types = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    List<Boolean> compressed = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    try (reader) {
      while (!stop.get() && reader.next()) {
        ByteBuffer payload = reader.payload();
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        payloads.add(copy);
        types.add(reader.type());
        compressed.add(reader.compressed());
        offsets.add(reader.recordOffset());
        batch.bytes += copy.length;
        if (!reader.commitEnd()) {
          continue;
        }
        int n = types.size();
        int[] t = new int[n];
        boolean[] c = new boolean[n];
        long[] o = new long[n];
        for (int i = 0; i < n; i++) {
          t[i] = types.get(i);
          c[i] = compressed.get(i);
          o[i] = offsets.get(i);
        }
        batch.commits.add(new RawCommit(commitStart, t, payloads.toArray(new byte[0][]), c, o));
        types.clear();
        payloads.clear();
        compressed.clear();
        offsets.clear();
        commitStart = reader.nextOffset();
        if (batch.bytes >= BATCH_BYTES) {
          submit(queue, batch);
          batch = new Batch();
        }
      }
      end =
          payloads.isEmpty() || stop.get()
              ? new End(null, null)
              : new End(
                  new Damage(
                      commitStart, commitStart, "a commit's records end without its last one"),
                  null);
    } catch (WalCorruptionException e) {
      end = new End(new Damage(e.offset(), commitStart, e.reason()), null);
    } catch (IOException e) {
      end = new End(null, e);
    } catch (InterruptedException e) {
      return; // the replaying thread was interrupted and gave up
    }
    try {
      if (!batch.commits.isEmpty() && !stop.get()) {
        submit(queue, batch);
      }
      queue.put(end);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(BlockingQueue<Object> queue, Batch batch) throws InterruptedException {
    queue.put(decoders.submit(() -> decode(batch)));
  }

  /** Decompresses and decodes a batch's commits, stopping at the first that does not decode. */
  private static Batch decode(Batch batch) {
    for (RawCommit commit : batch.commits) {
      List<Object> items = new ArrayList<>();
      Collector collector = new Collector(items);
      for (int i = 0; i < commit.types().length; i++) {
        try {
          byte[] stored = commit.payloads()[i];
          ByteBuffer payload =
              commit.compressed()[i]
                  ? WalReader.inflate(stored, stored.length)
                  : ByteBuffer.wrap(stored);
          collector.nextRecord();
          WalRecords.decode(commit.types()[i], payload, collector);
        } catch (WalRecords.CorruptRecordException e) {
          batch.damage = new Damage(commit.offsets()[i], commit.start(), e.getMessage());
          return batch;
        }
      }
      batch.decoded.add(items);
    }
    batch.commits.clear(); // the stored payloads are not needed any more
    return batch;
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

  private record SeriesItem(long id, Labels labels, boolean histogram) {}

  /** The samples of one record, in columns: one object per record instead of one per sample. */
  private static final class SampleRun {
    final int type;
    int size;
    long[] ids = new long[16];
    long[] timestamps = new long[16];
    double[] values; // floats
    Histogram[] histograms; // histograms

    SampleRun(int type) {
      this.type = type;
      if (WalRecords.isHistogramType(type)) {
        histograms = new Histogram[16];
      } else {
        values = new double[16];
      }
    }

    void add(long id, long timestamp, double value, Histogram h) {
      if (size == ids.length) {
        int capacity = size * 2;
        ids = java.util.Arrays.copyOf(ids, capacity);
        timestamps = java.util.Arrays.copyOf(timestamps, capacity);
        if (values != null) {
          values = java.util.Arrays.copyOf(values, capacity);
        } else {
          histograms = java.util.Arrays.copyOf(histograms, capacity);
        }
      }
      ids[size] = id;
      timestamps[size] = timestamp;
      if (values != null) {
        values[size] = value;
      } else {
        histograms[size] = h;
      }
      size++;
    }
  }

  private record ChunkItem(long id, Chunk chunk) {}

  /** Collects what a commit's records decode to, for applying later in log order. */
  private static final class Collector implements WalRecords.Handler {
    private final List<Object> items;

    Collector(List<Object> items) {
      this.items = items;
    }

    @Override
    public void series(long id, Labels labels, boolean histogram) {
      items.add(new SeriesItem(id, labels, histogram));
    }

    private SampleRun run;

    /** Called before each record is decoded: its samples start a new run. */
    void nextRecord() {
      run = null;
    }

    @Override
    public void sample(int type, long seriesId, long timestamp, double value, Histogram h) {
      if (run == null) {
        run = new SampleRun(type);
        items.add(run);
      }
      run.add(seriesId, timestamp, value, h);
    }

    @Override
    public void chunk(long seriesId, Chunk chunk) {
      items.add(new ChunkItem(seriesId, chunk));
    }
  }

  /** What applying samples found; one per applying thread, added up afterwards. */
  private static final class Tally {
    long maxTimestamp = Long.MIN_VALUE;
    long dropped;
    long unknown;
  }

  /**
   * Applies a batch's commits in log order. Series records are applied on this thread, in place;
   * the samples and chunks between two series records are applied by {@code threads} threads, each
   * taking the series whose id falls in its partition, so every series still sees its own records
   * in log order, and every series record precedes the samples after it.
   */
  private void applyBatch(Batch batch) throws InterruptedException, ExecutionException {
    List<Object> pending = new ArrayList<>();
    long pendingSamples = 0;
    for (List<Object> commit : batch.decoded) {
      for (Object item : commit) {
        if (item instanceof SeriesItem) {
          applyPending(pending, pendingSamples);
          pending.clear();
          pendingSamples = 0;
          SeriesItem s = (SeriesItem) item;
          head.replaySeries(s.id, s.labels, s.histogram);
          maxId = Math.max(maxId, s.id);
        } else {
          pending.add(item);
          pendingSamples += item instanceof SampleRun ? ((SampleRun) item).size : 1;
        }
      }
    }
    applyPending(pending, pendingSamples);
  }

  /** Below this many samples, applying on one thread costs less than handing the work out. */
  private static final int PARALLEL_APPLY_SAMPLES = 4096;

  private void applyPending(List<Object> pending, long samples)
      throws InterruptedException, ExecutionException {
    if (pending.isEmpty()) {
      return;
    }
    List<Tally> tallies = new ArrayList<>();
    if (threads == 1 || samples < PARALLEL_APPLY_SAMPLES) {
      Tally t = new Tally();
      applyPartition(pending, 0, 1, t);
      tallies.add(t);
    } else {
      List<Future<Tally>> futures = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        int partition = p;
        futures.add(
            appliers.submit(
                () -> {
                  Tally t = new Tally();
                  applyPartition(pending, partition, threads, t);
                  return t;
                }));
      }
      for (Future<Tally> f : futures) {
        tallies.add(f.get());
      }
    }
    for (Tally t : tallies) {
      maxTimestamp = Math.max(maxTimestamp, t.maxTimestamp);
      samplesDropped += t.dropped;
      unknownSeries += t.unknown;
    }
  }

  /** Applies, in order, the samples and chunks of {@code items} whose series id is in partition. */
  private void applyPartition(List<Object> items, int partition, int partitions, Tally t) {
    for (Object item : items) {
      if (item instanceof SampleRun) {
        SampleRun run = (SampleRun) item;
        for (int i = 0; i < run.size; i++) {
          if (Math.floorMod(run.ids[i], partitions) == partition) {
            applySample(
                t,
                run.type,
                run.ids[i],
                run.timestamps[i],
                run.values == null ? 0 : run.values[i],
                run.histograms == null ? null : run.histograms[i]);
          }
        }
      } else {
        ChunkItem c = (ChunkItem) item;
        if (Math.floorMod(c.id, partitions) != partition) {
          continue;
        }
        MemSeries series = head.get(c.id);
        if (series == null) {
          t.unknown += c.chunk.numSamples();
        } else if (series.histogram != (c.chunk.encoding() == ChunkEncoding.HISTOGRAM)
            || !series.appendChunk(c.chunk)) {
          t.dropped += c.chunk.numSamples();
        } else {
          t.maxTimestamp = Math.max(t.maxTimestamp, c.chunk.maxTimeMillis());
        }
      }
    }
  }

  private void applySample(Tally t, int type, long id, long timestamp, double value, Histogram h) {
    MemSeries series = head.get(id);
    if (series == null) {
      t.unknown++;
      return;
    }
    boolean histogram = WalRecords.isHistogramType(type);
    boolean applied =
        series.histogram == histogram
            && (WalRecords.isMergeType(type)
                ? series.merge(timestamp, value, h)
                : series.set(timestamp, value, h));
    if (applied) {
      t.maxTimestamp = Math.max(t.maxTimestamp, timestamp);
    } else {
      t.dropped++;
    }
  }
}
