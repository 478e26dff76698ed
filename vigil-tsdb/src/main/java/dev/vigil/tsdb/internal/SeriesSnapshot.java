package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;

/**
 * A series' samples in a time range, copied out of the head: immutable chunks shared, the tail
 * copied. Immutable and safe to share; each cursor is independent.
 */
final class SeriesSnapshot implements Series {
  private final Labels labels;
  private final boolean histogram;
  private final Chunk[] chunks;
  private final long[] tailTimestamps;
  private final double[] tailValues;
  private final Histogram[] tailHistograms;
  private final long min;
  private final long max;

  SeriesSnapshot(
      Labels labels,
      boolean histogram,
      Chunk[] chunks,
      long[] tailTimestamps,
      double[] tailValues,
      Histogram[] tailHistograms,
      long min,
      long max) {
    this.labels = labels;
    this.histogram = histogram;
    this.chunks = chunks;
    this.tailTimestamps = tailTimestamps;
    this.tailValues = tailValues;
    this.tailHistograms = tailHistograms;
    this.min = min;
    this.max = max;
  }

  /** A snapshot of chunks only, as a block holds them. */
  static SeriesSnapshot ofChunks(
      Labels labels, ChunkEncoding encoding, java.util.List<Chunk> chunks, long min, long max) {
    boolean h = encoding == ChunkEncoding.HISTOGRAM;
    return new SeriesSnapshot(
        labels,
        h,
        chunks.toArray(new Chunk[0]),
        new long[0],
        h ? null : new double[0],
        h ? new Histogram[0] : null,
        min,
        max);
  }

  @Override
  public Labels labels() {
    return labels;
  }

  boolean isHistogram() {
    return histogram;
  }

  Chunk[] chunks() {
    return chunks;
  }

  int tailSize() {
    return tailTimestamps.length;
  }

  long tailTimestamp(int i) {
    return tailTimestamps[i];
  }

  double tailValue(int i) {
    return tailValues[i];
  }

  Histogram tailHistogram(int i) {
    return tailHistograms[i];
  }

  /** Whether at least one sample lies in the range; may decode up to the first one. */
  boolean hasSamples() {
    return tailTimestamps.length > 0 || cursor().next();
  }

  @Override
  public SampleCursor cursor() {
    return new Cursor();
  }

  /** Chunks in order, then the tail, clipped to [min, max]. */
  private final class Cursor implements SampleCursor {
    private int chunkIndex;
    private ChunkIterator chunk;
    private int tailIndex = -1;
    private boolean positioned;
    private boolean exhausted;

    @Override
    public boolean next() {
      if (exhausted) {
        return false;
      }
      while (chunkIndex < chunks.length || chunk != null) {
        if (chunk == null) {
          chunk = chunks[chunkIndex++].iterator();
        }
        while (chunk.next()) {
          long t = chunk.timestamp();
          if (t > max) {
            break;
          }
          if (t >= min) {
            positioned = true;
            return true;
          }
        }
        chunk = null;
      }
      tailIndex++;
      if (tailIndex < tailTimestamps.length) {
        positioned = true;
        return true;
      }
      positioned = false;
      exhausted = true;
      return false;
    }

    @Override
    public long timestampMillis() {
      check();
      return chunk != null ? chunk.timestamp() : tailTimestamps[tailIndex];
    }

    @Override
    public boolean isHistogram() {
      check();
      return histogram;
    }

    @Override
    public double value() {
      check();
      if (histogram) {
        throw new IllegalStateException("histogram series " + labels + " has no float values");
      }
      return chunk != null ? chunk.value() : tailValues[tailIndex];
    }

    @Override
    public Histogram histogram() {
      check();
      if (!histogram) {
        throw new IllegalStateException("float series " + labels + " has no histograms");
      }
      return chunk != null ? chunk.histogram() : tailHistograms[tailIndex];
    }

    private void check() {
      if (!positioned) {
        throw new IllegalStateException("cursor is not on a sample: call next() first");
      }
    }
  }
}
