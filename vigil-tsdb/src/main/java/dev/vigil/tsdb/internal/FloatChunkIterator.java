package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;

/** Reads a {@link ChunkEncoding#FLOAT_XOR} chunk. */
final class FloatChunkIterator implements ChunkIterator {
  private final BitReader in;
  private final int numSamples;
  private final TimestampCodec.Decoder timestamps = new TimestampCodec.Decoder();
  private final XorCodec values = new XorCodec();
  private int read;
  private long timestamp;
  private long bits;

  FloatChunkIterator(byte[] bytes) {
    this.numSamples = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
    this.in = new BitReader(bytes, ChunkWriter.HEADER_BYTES);
  }

  @Override
  public boolean next() {
    if (read >= numSamples) {
      return false;
    }
    timestamp = timestamps.next(in);
    bits = read == 0 ? in.readBits(64) : values.read(in, bits);
    read++;
    return true;
  }

  @Override
  public long timestamp() {
    return timestamp;
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(bits);
  }

  @Override
  public Histogram histogram() {
    throw new IllegalStateException("float chunk holds no histograms");
  }
}
