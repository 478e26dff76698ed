package dev.vigil.tsdb.internal;

import java.util.Objects;

/**
 * An immutable, compressed run of samples of one series in timestamp order; the byte layouts are in
 * docs/format/chunks.md. Safe to share between threads: nothing mutates it after construction.
 */
final class Chunk {
  /** Most samples in one chunk: Prometheus' figure, a balance of ratio and decode cost. */
  static final int MAX_SAMPLES = 120;

  /** Longest time span of one chunk, so that a query for a short range decodes little. */
  static final long MAX_SPAN_MILLIS = 2 * 3600_000L;

  /**
   * Size past which a histogram chunk is closed early (once it has 10 samples), as Prometheus'
   * target of 1 KiB: histograms with hundreds of buckets would otherwise make 120-sample chunks of
   * tens of kilobytes that every short query must decode in full.
   */
  static final int HISTOGRAM_TARGET_BYTES = 1024;

  private final ChunkEncoding encoding;
  private final byte[] bytes;
  private final int numSamples;
  private final long minTimeMillis;
  private final long maxTimeMillis;

  /** Takes ownership of {@code bytes}. */
  Chunk(ChunkEncoding encoding, byte[] bytes, long minTimeMillis, long maxTimeMillis) {
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.bytes = bytes;
    if (bytes.length < 2) {
      throw new CorruptChunkException("chunk of " + bytes.length + " bytes has no header");
    }
    this.numSamples = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    this.minTimeMillis = minTimeMillis;
    this.maxTimeMillis = maxTimeMillis;
  }

  ChunkEncoding encoding() {
    return encoding;
  }

  /** The encoded bytes; callers must not modify them. */
  byte[] bytes() {
    return bytes;
  }

  int numSamples() {
    return numSamples;
  }

  long minTimeMillis() {
    return minTimeMillis;
  }

  long maxTimeMillis() {
    return maxTimeMillis;
  }

  /** A new iterator over every sample. */
  ChunkIterator iterator() {
    return encoding == ChunkEncoding.FLOAT_XOR
        ? new FloatChunkIterator(bytes)
        : new HistogramChunkIterator(bytes);
  }

  /** An empty writer for this encoding. */
  static ChunkWriter newWriter(ChunkEncoding encoding) {
    return encoding == ChunkEncoding.FLOAT_XOR
        ? new FloatChunkWriter()
        : new HistogramChunkWriter();
  }

  /** Estimated heap bytes: the array plus object headers and fields. */
  long estimatedBytes() {
    return bytes.length + 64L;
  }
}
