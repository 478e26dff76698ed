package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;

/** Writes a {@link ChunkEncoding#FLOAT_XOR} chunk: delta-of-delta timestamps, XOR values. */
final class FloatChunkWriter extends ChunkWriter {
  private final TimestampCodec.Encoder timestamps = new TimestampCodec.Encoder();
  private final XorCodec values = new XorCodec();
  private long previousBits;
  private boolean first = true;

  FloatChunkWriter() {
    // 120 samples of a slowly changing gauge take about 200 bytes; growth doubles from here.
    super(128);
  }

  @Override
  ChunkEncoding encoding() {
    return ChunkEncoding.FLOAT_XOR;
  }

  @Override
  void encode(long timestamp, double value, Histogram histogram) {
    timestamps.append(out, timestamp);
    long bits = Double.doubleToRawLongBits(value);
    if (first) {
      out.writeBits(bits, 64);
      first = false;
    } else {
      values.write(out, previousBits, bits);
    }
    previousBits = bits;
  }
}
