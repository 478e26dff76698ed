package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;

/**
 * Appends samples in strictly increasing timestamp order to a chunk that is still open; not
 * thread-safe (the owning series' lock guards it).
 */
abstract class ChunkWriter {
  /** Header: the sample count, a big-endian u16. */
  static final int HEADER_BYTES = 2;

  final BitWriter out;
  private int numSamples;
  private long minTimeMillis;
  private long maxTimeMillis;

  ChunkWriter(int initialCapacityBytes) {
    this.out = new BitWriter(initialCapacityBytes, HEADER_BYTES);
  }

  abstract ChunkEncoding encoding();

  /** Encodes one sample; {@code histogram} is null for floats, {@code value} unused for them. */
  abstract void encode(long timestamp, double value, Histogram histogram);

  /** Appends a sample later than every sample so far. */
  final void append(long timestamp, double value, Histogram histogram) {
    if (numSamples > 0 && timestamp <= maxTimeMillis) {
      throw new IllegalArgumentException(
          "chunk samples must be in increasing order: " + timestamp + " after " + maxTimeMillis);
    }
    if (numSamples == 0xFFFF) {
      throw new IllegalStateException("chunk is full at " + numSamples + " samples");
    }
    encode(timestamp, value, histogram);
    if (numSamples == 0) {
      minTimeMillis = timestamp;
    }
    maxTimeMillis = timestamp;
    numSamples++;
    out.putByte(0, numSamples >>> 8);
    out.putByte(1, numSamples);
  }

  /** Whether a sample at {@code timestamp} should go to a new chunk instead. */
  final boolean isFullFor(long timestamp) {
    if (numSamples == 0) {
      return false;
    }
    if (numSamples >= Chunk.MAX_SAMPLES || timestamp - minTimeMillis >= Chunk.MAX_SPAN_MILLIS) {
      return true;
    }
    return encoding() == ChunkEncoding.HISTOGRAM
        && numSamples >= 10
        && out.sizeBytes() >= Chunk.HISTOGRAM_TARGET_BYTES;
  }

  final int numSamples() {
    return numSamples;
  }

  final long minTimeMillis() {
    return minTimeMillis;
  }

  final long maxTimeMillis() {
    return maxTimeMillis;
  }

  final int sizeBytes() {
    return out.sizeBytes();
  }

  /** An immutable chunk of the samples so far (a copy); the writer stays usable. */
  final Chunk toChunk() {
    return new Chunk(encoding(), out.toByteArray(), minTimeMillis, maxTimeMillis);
  }
}
