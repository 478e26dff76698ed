package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * One series in the head: immutable sealed chunks, one open chunk being appended to, and a sorted
 * tail of recent samples that may still change.
 *
 * <p><b>Assumptions and guarantees.</b> Every field but the identity and the three volatile
 * statistics is guarded by {@code this}; every method that touches them is synchronized and runs in
 * time linear in the tail plus the chunk count, never doing I/O, so readers and writers hold the
 * lock for microseconds. Readers copy what they need under the lock (the chunk references, which
 * are immutable, a copy of the open chunk's bytes and of the in-range tail) and decode afterwards:
 * copy-on-read, so a slow query never blocks appends. Samples move one way: tail to open chunk to
 * sealed chunk; every chunk sample is older than every tail sample ({@code sealedMaxTime} is the
 * boundary, and it never decreases). The statistics fields are written under the lock and read
 * without it, for monitoring and for coarse time-range filtering.
 */
final class MemSeries implements dev.vigil.tsdb.SeriesRef {
  final long id;
  final Labels labels;
  final boolean histogram;

  /**
   * Whether the head no longer holds this series; guarded by {@code head.appendLock}, so that a
   * commit holding it can trust a reference found earlier instead of looking the labels up again.
   */
  boolean removed;

  private final long labelsBytes;

  private final List<Chunk> sealed = new ArrayList<>();
  private ChunkWriter open;
  private final SampleTail tail;
  private long sealedMaxTime = Long.MIN_VALUE;
  private long sealedBytes;

  private volatile long minTime = Long.MAX_VALUE;
  private volatile long maxTime = Long.MIN_VALUE;
  private volatile long estimatedBytes;

  MemSeries(long id, Labels labels, boolean histogram) {
    this.id = id;
    this.labels = labels;
    this.histogram = histogram;
    this.tail = new SampleTail(histogram);
    long bytes = 64;
    for (int i = 0; i < labels.size(); i++) {
      bytes += 96 + 2L * (labels.name(i).length() + labels.value(i).length());
    }
    this.labelsBytes = bytes;
    updateStatistics();
  }

  private ChunkEncoding encoding() {
    return histogram ? ChunkEncoding.HISTOGRAM : ChunkEncoding.FLOAT_XOR;
  }

  /** Newest timestamp held in chunks; samples at or before it can no longer change. */
  synchronized long sealedMaxTime() {
    return sealedMaxTime;
  }

  /** The tail's value at {@code timestamp}: a Double, a Histogram, or null if there is none. */
  synchronized Object tailValueAt(long timestamp) {
    int i = tail.find(timestamp);
    if (i < 0) {
      return null;
    }
    return histogram ? tail.histogram(i) : (Object) tail.value(i);
  }

  /**
   * Sets the sample at {@code timestamp}, inserting it if absent; false (and nothing changed) if
   * the timestamp is already sealed, which validated appends never ask for.
   */
  synchronized boolean set(long timestamp, double value, Histogram h) {
    if (timestamp <= sealedMaxTime) {
      return false;
    }
    int i = tail.find(timestamp);
    if (i >= 0) {
      tail.set(i, value, h);
    } else {
      tail.insert(-i - 1, timestamp, value, h);
    }
    updateStatistics();
    return true;
  }

  /** Adds a delta into the sample at {@code timestamp}, creating it; false if sealed. */
  synchronized boolean merge(long timestamp, double delta, Histogram h) {
    if (timestamp <= sealedMaxTime) {
      return false;
    }
    int i = tail.find(timestamp);
    if (i < 0) {
      tail.insert(-i - 1, timestamp, delta, h);
    } else if (histogram) {
      tail.mergeHistogram(i, h); // in place: see SampleTail
    } else {
      tail.set(i, tail.value(i) + delta, null);
    }
    updateStatistics();
    return true;
  }

  /** Moves tail samples older than {@code before} into chunks, sealing chunks that are full. */
  synchronized void cut(long before) {
    int moved = tail.firstAtOrAfter(before);
    if (moved > 0) {
      // Copied in bulk: the tail decodes its compressed older samples once, not per index.
      long[] ts = tail.copyTimestamps(0, moved);
      double[] vs = histogram ? null : tail.copyValues(0, moved);
      Histogram[] hs = histogram ? tail.copyHistograms(0, moved) : null;
      for (int i = 0; i < moved; i++) {
        long t = ts[i];
        if (open == null) {
          open = Chunk.newWriter(encoding());
        } else if (open.isFullFor(t)) {
          seal();
          open = Chunk.newWriter(encoding());
        }
        if (histogram) {
          open.append(t, 0, hs[i]);
        } else {
          open.append(t, vs[i], null);
        }
        sealedMaxTime = t;
      }
    }
    tail.removeFirst(moved);
    // No later sample can join a chunk that is full even for a sample at `before`.
    if (open != null && open.isFullFor(before)) {
      seal();
    }
    updateStatistics();
  }

  private void seal() {
    Chunk chunk = open.toChunk();
    sealed.add(chunk);
    sealedBytes += chunk.estimatedBytes();
    open = null;
  }

  /** Drops samples older than {@code cutoff} (exactly, re-encoding a straddling chunk). */
  synchronized void dropBefore(long cutoff) {
    int drop = 0;
    while (drop < sealed.size() && sealed.get(drop).maxTimeMillis() < cutoff) {
      sealedBytes -= sealed.get(drop).estimatedBytes();
      drop++;
    }
    sealed.subList(0, drop).clear();
    if (!sealed.isEmpty() && sealed.get(0).minTimeMillis() < cutoff) {
      Chunk old = sealed.get(0);
      ChunkWriter rewritten = copyFrom(old, cutoff);
      sealedBytes -= old.estimatedBytes();
      if (rewritten.numSamples() == 0) {
        sealed.remove(0);
      } else {
        Chunk trimmed = rewritten.toChunk();
        sealed.set(0, trimmed);
        sealedBytes += trimmed.estimatedBytes();
      }
    }
    if (open != null && open.maxTimeMillis() < cutoff) {
      open = null;
    } else if (open != null && open.minTimeMillis() < cutoff) {
      open = copyFrom(open.toChunk(), cutoff);
    }
    tail.removeFirst(tail.firstAtOrAfter(cutoff));
    updateStatistics();
  }

  private ChunkWriter copyFrom(Chunk chunk, long cutoff) {
    ChunkWriter writer = Chunk.newWriter(encoding());
    ChunkIterator it = chunk.iterator();
    while (it.next()) {
      if (it.timestamp() >= cutoff) {
        writer.append(
            it.timestamp(), histogram ? 0 : it.value(), histogram ? it.histogram() : null);
      }
    }
    return writer;
  }

  /**
   * Removes the samples in [min, max] (inclusive), re-encoding the chunks that hold some; returns
   * whether any was removed. The sealed boundary stays, so removed sealed samples cannot return.
   */
  synchronized boolean deleteRange(long min, long max) {
    List<long[]> range = List.of(new long[] {min, max});
    boolean changed = false;
    for (int i = sealed.size() - 1; i >= 0; i--) {
      Chunk c = sealed.get(i);
      if (Tombstones.overlaps(c.minTimeMillis(), c.maxTimeMillis(), range)) {
        List<Chunk> kept = Tombstones.apply(encoding(), List.of(c), range);
        sealedBytes -= c.estimatedBytes();
        sealed.remove(i);
        for (Chunk k : kept) {
          sealedBytes += k.estimatedBytes();
        }
        sealed.addAll(i, kept);
        changed |= kept.isEmpty() || kept.get(0).numSamples() != c.numSamples();
      }
    }
    if (open != null && Tombstones.overlaps(open.minTimeMillis(), open.maxTimeMillis(), range)) {
      List<Chunk> kept = Tombstones.apply(encoding(), List.of(open.toChunk()), range);
      open = null;
      if (!kept.isEmpty()) {
        open = Chunk.newWriter(encoding());
        ChunkIterator it = kept.get(0).iterator();
        while (it.next()) {
          open.append(
              it.timestamp(), histogram ? 0 : it.value(), histogram ? it.histogram() : null);
        }
      }
      changed = true;
    }
    int from = tail.firstAtOrAfter(min);
    int to = max == Long.MAX_VALUE ? tail.size() : tail.firstAtOrAfter(max + 1);
    if (from < to) {
      int n = tail.size();
      long[] ts = tail.copyTimestamps(to, n);
      double[] vs = histogram ? null : tail.copyValues(to, n);
      Histogram[] hs = histogram ? tail.copyHistograms(to, n) : null;
      long[] headTs = tail.copyTimestamps(0, from);
      double[] headVs = histogram ? null : tail.copyValues(0, from);
      Histogram[] headHs = histogram ? tail.copyHistograms(0, from) : null;
      tail.removeFirst(n);
      for (int i = 0; i < headTs.length; i++) {
        tail.insert(i, headTs[i], histogram ? 0 : headVs[i], histogram ? headHs[i] : null);
      }
      for (int i = 0; i < ts.length; i++) {
        tail.insert(tail.size(), ts[i], histogram ? 0 : vs[i], histogram ? hs[i] : null);
      }
      changed = true;
    }
    updateStatistics();
    return changed;
  }

  /** Whether the series holds no sample at all. */
  synchronized boolean isEmpty() {
    return sealed.isEmpty() && open == null && tail.size() == 0;
  }

  /** Appends a chunk read from a checkpoint; false if it overlaps what is held. */
  synchronized boolean appendChunk(Chunk chunk) {
    if (chunk.minTimeMillis() <= sealedMaxTime || tail.size() > 0) {
      return false;
    }
    if (open != null) {
      seal();
    }
    sealed.add(chunk);
    sealedBytes += chunk.estimatedBytes();
    sealedMaxTime = chunk.maxTimeMillis();
    updateStatistics();
    return true;
  }

  /**
   * A copy of the samples overlapping [min, max] (chunks whole, the tail trimmed to the range), or
   * null if no chunk or tail sample overlaps.
   */
  synchronized SeriesSnapshot snapshot(long min, long max) {
    List<Chunk> chunks = new ArrayList<>();
    for (Chunk c : sealed) {
      if (c.maxTimeMillis() >= min && c.minTimeMillis() <= max) {
        chunks.add(c);
      }
    }
    if (open != null && open.maxTimeMillis() >= min && open.minTimeMillis() <= max) {
      chunks.add(open.toChunk());
    }
    int from = tail.firstAtOrAfter(min);
    int to = max == Long.MAX_VALUE ? tail.size() : tail.firstAtOrAfter(max + 1);
    if (chunks.isEmpty() && from >= to) {
      return null;
    }
    return new SeriesSnapshot(
        labels,
        histogram,
        chunks.toArray(new Chunk[0]),
        tail.copyTimestamps(from, to),
        histogram ? null : tail.copyValues(from, to),
        histogram ? tail.copyHistograms(from, to) : null,
        min,
        max);
  }

  /** Everything held, for a checkpoint: every chunk (the open one copied) and the whole tail. */
  synchronized SeriesSnapshot snapshotAll() {
    List<Chunk> chunks = new ArrayList<>(sealed);
    if (open != null) {
      chunks.add(open.toChunk());
    }
    int n = tail.size();
    return new SeriesSnapshot(
        labels,
        histogram,
        chunks.toArray(new Chunk[0]),
        tail.copyTimestamps(0, n),
        histogram ? null : tail.copyValues(0, n),
        histogram ? tail.copyHistograms(0, n) : null,
        Long.MIN_VALUE,
        Long.MAX_VALUE);
  }

  /** Oldest timestamp held, Long.MAX_VALUE when empty; read without the lock. */
  long minTime() {
    return minTime;
  }

  /** Newest timestamp held, Long.MIN_VALUE when empty; read without the lock. */
  long maxTime() {
    return maxTime;
  }

  /** Estimated heap bytes; read without the lock. */
  long estimatedBytes() {
    return estimatedBytes;
  }

  private void updateStatistics() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    if (!sealed.isEmpty()) {
      min = sealed.get(0).minTimeMillis();
      max = sealed.get(sealed.size() - 1).maxTimeMillis();
    }
    if (open != null) {
      min = Math.min(min, open.minTimeMillis());
      max = Math.max(max, open.maxTimeMillis());
    }
    if (tail.size() > 0) {
      min = Math.min(min, tail.timestamp(0));
      max = Math.max(max, tail.timestamp(tail.size() - 1));
    }
    minTime = min;
    maxTime = max;
    estimatedBytes =
        labelsBytes
            + 128
            + sealedBytes
            + 40L * sealed.size()
            + (open == null ? 0 : 96 + open.sizeBytes())
            + tail.estimatedBytes();
  }
}
