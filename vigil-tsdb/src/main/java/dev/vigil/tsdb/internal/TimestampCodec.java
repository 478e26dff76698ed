package dev.vigil.tsdb.internal;

/**
 * Delta-of-delta timestamps, as in Gorilla and Prometheus: the first timestamp as a varint, the
 * second as a varint delta, then each delta's difference from the previous delta in a prefix code
 * ({@code 0} | {@code 10}+14 bits | {@code 110}+17 | {@code 1110}+20 | {@code 1111}+64).
 *
 * <p>Why these widths: a regular scrape or slot interval gives a delta-of-delta of 0 (one bit per
 * sample); jitter of up to ±8 s fits 14 bits. Arithmetic wraps, so any sequence of longs
 * round-trips, even deltas that overflow.
 */
final class TimestampCodec {
  private TimestampCodec() {}

  /** Encodes one stream of timestamps; not thread-safe. */
  static final class Encoder {
    private int count;
    private long previous;
    private long previousDelta;

    void append(BitWriter out, long timestamp) {
      if (count == 0) {
        out.writeVarint(timestamp);
      } else if (count == 1) {
        previousDelta = timestamp - previous;
        out.writeVarint(previousDelta);
      } else {
        long delta = timestamp - previous;
        writeDeltaOfDelta(out, delta - previousDelta);
        previousDelta = delta;
      }
      previous = timestamp;
      count++;
    }
  }

  /** Decodes one stream of timestamps; not thread-safe. */
  static final class Decoder {
    private int count;
    private long previous;
    private long previousDelta;

    long next(BitReader in) {
      if (count == 0) {
        previous = in.readVarint();
      } else if (count == 1) {
        previousDelta = in.readVarint();
        previous += previousDelta;
      } else {
        previousDelta += readDeltaOfDelta(in);
        previous += previousDelta;
      }
      count++;
      return previous;
    }
  }

  static void writeDeltaOfDelta(BitWriter out, long dod) {
    if (dod == 0) {
      out.writeBits(0b0, 1);
    } else if (BitWriter.fits(dod, 14)) {
      out.writeBits(0b10, 2);
      out.writeBits(dod, 14);
    } else if (BitWriter.fits(dod, 17)) {
      out.writeBits(0b110, 3);
      out.writeBits(dod, 17);
    } else if (BitWriter.fits(dod, 20)) {
      out.writeBits(0b1110, 4);
      out.writeBits(dod, 20);
    } else {
      out.writeBits(0b1111, 4);
      out.writeBits(dod, 64);
    }
  }

  static long readDeltaOfDelta(BitReader in) {
    if (!in.readBit()) {
      return 0;
    }
    if (!in.readBit()) {
      return in.readSigned(14);
    }
    if (!in.readBit()) {
      return in.readSigned(17);
    }
    return in.readBit() ? in.readBits(64) : in.readSigned(20);
  }
}
