package dev.vigil.model;

import java.nio.ByteBuffer;

/**
 * The compact binary encoding of a {@link Histogram}; the byte layout is specified in
 * docs/format/histogram.md, which this class must match.
 *
 * <p>Decoding validates everything it reads against the remaining input before allocating, so
 * hostile input costs at most linear time and memory and always ends in a {@link
 * CorruptEncodingException}, never in an index or underflow exception.
 */
final class HistogramCodec {
  static final int VERSION = 1;
  static final int FLAG_INTEGRAL = 0x01;
  static final int FLAG_NO_ZERO_THRESHOLD = 0x02;
  private static final int KNOWN_FLAGS = FLAG_INTEGRAL | FLAG_NO_ZERO_THRESHOLD;
  private static final long MAX_EXACT = 1L << 53;

  private HistogramCodec() {}

  static int encodedSizeBytes(Histogram h) {
    boolean integral = isIntegral(h);
    int size = 3 + (h.zeroThreshold == 0 ? 0 : 8) + 8;
    size += integral ? zigZagSize((long) h.zeroCount) + zigZagSize((long) h.count) : 16;
    size += sideSize(h.positiveIndexes, h.positiveCounts, integral);
    size += sideSize(h.negativeIndexes, h.negativeCounts, integral);
    return size;
  }

  static void encode(Histogram h, ByteBuffer out) {
    boolean integral = isIntegral(h);
    out.put((byte) VERSION);
    int flags =
        (integral ? FLAG_INTEGRAL : 0) | (h.zeroThreshold == 0 ? FLAG_NO_ZERO_THRESHOLD : 0);
    out.put((byte) flags);
    out.put((byte) h.schema);
    if (h.zeroThreshold != 0) {
      putF64(out, h.zeroThreshold);
    }
    if (integral) {
      putZigZag(out, (long) h.zeroCount);
      putZigZag(out, (long) h.count);
    } else {
      putF64(out, h.zeroCount);
      putF64(out, h.count);
    }
    putF64(out, h.sum);
    encodeSide(out, h.positiveIndexes, h.positiveCounts, integral);
    encodeSide(out, h.negativeIndexes, h.negativeCounts, integral);
  }

  static Histogram decode(ByteBuffer in) {
    Reader r = new Reader(in);
    int version = r.u8("version");
    if (version != VERSION) {
      throw r.corrupt("unsupported histogram encoding version " + version);
    }
    int flags = r.u8("flags");
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw r.corrupt("unknown flags 0x" + Integer.toHexString(flags));
    }
    boolean integral = (flags & FLAG_INTEGRAL) != 0;
    int schema = (byte) r.u8("schema");
    if (schema < BucketMath.MIN_SCHEMA || schema > BucketMath.MAX_SCHEMA) {
      throw r.corrupt("schema out of range: " + schema);
    }
    double zeroThreshold = 0;
    if ((flags & FLAG_NO_ZERO_THRESHOLD) == 0) {
      zeroThreshold = r.f64("zero threshold");
      if (!(zeroThreshold > 0 && zeroThreshold < Double.POSITIVE_INFINITY)) {
        throw r.corrupt("invalid zero threshold " + zeroThreshold);
      }
    }
    double zeroCount = integral ? r.exactInteger("zero count") : r.f64("zero count");
    double count = integral ? r.exactInteger("count") : r.f64("count");
    double sum = r.f64("sum");
    Side positive = decodeSide(r, integral, schema, zeroThreshold, "positive");
    Side negative = decodeSide(r, integral, schema, zeroThreshold, "negative");
    Histogram h =
        new Histogram(
            schema,
            zeroThreshold,
            zeroCount,
            count,
            sum,
            positive.indexes,
            positive.counts,
            negative.indexes,
            negative.counts);
    if (!integral && isIntegral(h)) {
      // Keeps the encoding canonical: one histogram, one byte sequence.
      throw r.corrupt("integral counts written as doubles instead of with the INTEGRAL flag");
    }
    return h;
  }

  /**
   * Whether every count is an exact integer that zig-zag varints can carry; -0.0 is excluded
   * because it would come back as 0.0 and break {@code decode(encode(h)).equals(h)}.
   */
  static boolean isIntegral(Histogram h) {
    if (!isExactInteger(h.zeroCount) || !isExactInteger(h.count)) {
      return false;
    }
    for (double c : h.positiveCounts) {
      if (!isExactInteger(c)) {
        return false;
      }
    }
    for (double c : h.negativeCounts) {
      if (!isExactInteger(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isExactInteger(double x) {
    return x == Math.rint(x)
        && Math.abs(x) <= MAX_EXACT
        && Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(-0.0);
  }

  private static int sideSize(int[] indexes, double[] counts, boolean integral) {
    int spans = 0;
    int size = 0;
    int previousEnd = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (i == 0 || indexes[i] != indexes[i - 1] + 1) {
        int start = i;
        while (i + 1 < indexes.length && indexes[i + 1] == indexes[i] + 1) {
          i++;
        }
        long offset = spans == 0 ? indexes[start] : (long) indexes[start] - previousEnd;
        size += zigZagSize(offset) + varintSize(i - start + 1);
        previousEnd = indexes[i] + 1;
        spans++;
      }
    }
    size += varintSize(spans);
    if (!integral) {
      return size + 8 * counts.length;
    }
    long previous = 0;
    for (double c : counts) {
      size += zigZagSize((long) c - previous);
      previous = (long) c;
    }
    return size;
  }

  private static void encodeSide(ByteBuffer out, int[] indexes, double[] counts, boolean integral) {
    // The spans of Histogram.spans(), written as they are found rather than collected first: the
    // list and its records were a third of the encoding's cost in the write-ahead log.
    int spanCount = 0;
    for (int i = 0; i < indexes.length; i++) {
      if (i == 0 || indexes[i] != indexes[i - 1] + 1) {
        spanCount++;
      }
    }
    putVarint(out, spanCount);
    int previousEnd = 0;
    for (int i = 0; i < indexes.length; i++) {
      int start = i;
      while (i + 1 < indexes.length && indexes[i + 1] == indexes[i] + 1) {
        i++;
      }
      int offset = start == 0 ? indexes[start] : indexes[start] - previousEnd;
      putZigZag(out, offset);
      putVarint(out, i - start + 1);
      previousEnd = indexes[i] + 1;
    }
    long previous = 0;
    for (double c : counts) {
      if (integral) {
        putZigZag(out, (long) c - previous); // neighbouring buckets hold similar counts
        previous = (long) c;
      } else {
        putF64(out, c);
      }
    }
  }

  private record Side(int[] indexes, double[] counts) {}

  private static Side decodeSide(
      Reader r, boolean integral, int schema, double zeroThreshold, String side) {
    long spanCount = r.varint(side + " span count");
    // Every span takes at least two bytes; checking first keeps garbage from allocating.
    if (spanCount > r.remaining() / 2) {
      throw r.corrupt(side + " span count " + spanCount + " exceeds remaining input");
    }
    int[] starts = new int[(int) spanCount];
    int[] lengths = new int[(int) spanCount];
    long total = 0;
    long next = 0; // index after the previous span
    for (int s = 0; s < spanCount; s++) {
      long offset = r.zigZag(side + " span offset");
      long length = r.varint(side + " span length");
      if (offset < Integer.MIN_VALUE || offset > Integer.MAX_VALUE) {
        throw r.corrupt(side + " span " + s + " has offset " + offset + " beyond 32 bits");
      }
      if (s > 0 && offset < 1) {
        throw r.corrupt(side + " span " + s + " has offset " + offset + ", must be >= 1");
      }
      if (length < 1 || length > Integer.MAX_VALUE) {
        throw r.corrupt(side + " span " + s + " has length " + length + ", must be in [1, 2^31)");
      }
      long start = s == 0 ? offset : next + offset;
      long end = start + length; // exclusive
      if (start < Integer.MIN_VALUE || end - 1 > Integer.MAX_VALUE) {
        throw r.corrupt(side + " span " + s + " has bucket indexes beyond 32 bits");
      }
      if (s == 0 && BucketMath.upperBound((int) start, schema) <= zeroThreshold) {
        throw r.corrupt(side + " bucket " + start + " lies inside the zero bucket");
      }
      starts[s] = (int) start;
      lengths[s] = (int) length;
      total += length;
      next = end;
    }
    if (total > r.remaining() / (integral ? 1 : 8)) {
      throw r.corrupt(side + " spans hold " + total + " buckets, more than the input has");
    }
    int[] indexes = new int[(int) total];
    double[] counts = new double[(int) total];
    int i = 0;
    for (int s = 0; s < starts.length; s++) {
      for (int j = 0; j < lengths[s]; j++) {
        indexes[i++] = starts[s] + j;
      }
    }
    String what = side + " bucket count";
    long previous = 0;
    for (i = 0; i < counts.length; i++) {
      if (integral) {
        long delta = r.zigZag(what);
        // Range-check delta before adding so that the sum cannot overflow.
        if (delta < -2 * MAX_EXACT
            || delta > 2 * MAX_EXACT
            || Math.abs(previous + delta) > MAX_EXACT) {
          throw r.corrupt(what + " of bucket " + indexes[i] + " is beyond 2^53");
        }
        previous += delta;
        counts[i] = previous;
      } else {
        counts[i] = r.f64(what);
      }
      if (counts[i] == 0) {
        throw r.corrupt(
            what + " of bucket " + indexes[i] + " is zero; empty buckets are never encoded");
      }
    }
    return new Side(indexes, counts);
  }

  /** Big-endian whatever the buffer's byte order, so callers need not set it. */
  private static void putF64(ByteBuffer out, double d) {
    long bits = Double.doubleToRawLongBits(d);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.put((byte) (bits >>> shift));
    }
  }

  private static void putVarint(ByteBuffer out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static void putZigZag(ByteBuffer out, long v) {
    putVarint(out, (v << 1) ^ (v >> 63));
  }

  private static int varintSize(long v) {
    int size = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      size++;
    }
    return size;
  }

  private static int zigZagSize(long v) {
    return varintSize((v << 1) ^ (v >> 63));
  }

  /**
   * Bounds-checked big-endian reads straight from the caller's buffer (whose byte order is left
   * alone); errors report the offset of the value being read.
   */
  private static final class Reader {
    private final ByteBuffer in;
    private int valueStart;

    Reader(ByteBuffer in) {
      this.in = in;
      this.valueStart = in.position();
    }

    long remaining() {
      return in.remaining();
    }

    /** An exception for the value read last. */
    CorruptEncodingException corrupt(String message) {
      return new CorruptEncodingException(message, valueStart);
    }

    int u8(String what) {
      need(1, what);
      return in.get() & 0xFF;
    }

    double f64(String what) {
      need(8, what);
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | (in.get() & 0xFF);
      }
      return Double.longBitsToDouble(bits);
    }

    long exactInteger(String what) {
      long v = zigZag(what);
      if (v < -MAX_EXACT || v > MAX_EXACT) {
        throw corrupt(what + " " + v + " is beyond 2^53");
      }
      return v;
    }

    long zigZag(String what) {
      long raw = varint(what);
      return (raw >>> 1) ^ -(raw & 1);
    }

    /** An unsigned LEB128 varint of at most 10 bytes. */
    long varint(String what) {
      valueStart = in.position();
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (!in.hasRemaining()) {
          throw corrupt("truncated varint for " + what);
        }
        int b = in.get() & 0xFF;
        if (shift == 63 && b > 1) {
          throw corrupt("varint for " + what + " overflows 64 bits");
        }
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw corrupt("varint for " + what + " has a redundant trailing zero group");
          }
          return result;
        }
      }
      throw corrupt("varint for " + what + " is longer than 10 bytes");
    }

    private void need(int bytes, String what) {
      valueStart = in.position();
      if (in.remaining() < bytes) {
        throw corrupt(
            "truncated: " + what + " needs " + bytes + " bytes, " + in.remaining() + " left");
      }
    }
  }
}
