package dev.vigil.tsdb.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The decimal form of a float chunk in block chunk files (docs/format/block.md, "Decimal chunks"):
 * when every value of a chunk is exactly m / 10^k for integers m (|m| < 2^62) and one k (0 to 18),
 * the mantissas are written as varint deltas or delta-of-deltas instead of Gorilla XOR, which
 * wastes most bits on values such as 12345.67 or integer counters. Only a storage form: the writer
 * keeps the XOR chunk when the decimal one is not smaller, and the reader turns a decimal chunk
 * back into the identical XOR chunk, so nothing above the block's files sees it.
 */
final class DecimalChunk {
  /** The chunk-file encoding code of a decimal chunk. */
  static final int CODE = 3;

  static final int MAX_K = 18;
  private static final double[] POW10 = new double[MAX_K + 1];
  private static final double MAX_MANTISSA = 0x1p62;

  static {
    double p = 1;
    for (int i = 0; i <= MAX_K; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private DecimalChunk() {}

  /**
   * The decimal form of a FLOAT_XOR chunk, or null when a value is not decimal (NaN, infinities,
   * -0, too many digits) or the form is not smaller than {@code xor}.
   */
  static byte[] encode(Chunk xor) {
    int n = xor.numSamples();
    if (xor.encoding() != ChunkEncoding.FLOAT_XOR || n == 0) {
      return null;
    }
    long[] t = new long[n];
    double[] v = new double[n];
    ChunkIterator it = xor.iterator();
    for (int i = 0; i < n; i++) {
      if (!it.next()) {
        return null;
      }
      t[i] = it.timestamp();
      v[i] = it.value();
    }
    int k = exponent(v);
    if (k < 0) {
      return null;
    }
    long[] m = new long[n];
    for (int i = 0; i < n; i++) {
      m[i] = (long) Math.rint(v[i] * POW10[k]);
    }
    ByteOut out = new ByteOut(16 + 3 * n);
    out.putUvarint(n);
    out.putVarint(t[0]);
    if (n > 1) {
      long d1 = t[1] - t[0];
      out.putUvarint(d1);
      boolean regular = true;
      for (int i = 2; i < n && regular; i++) {
        regular = t[i] - t[i - 1] == d1;
      }
      out.putU8(regular ? 0 : 1);
      if (!regular) {
        for (int i = 2; i < n; i++) {
          out.putVarint((t[i] - t[i - 1]) - (t[i - 1] - t[i - 2]));
        }
      }
    }
    out.putU8(k);
    int deltaBytes = 0;
    int dodBytes = 0;
    for (int i = 1; i < n; i++) {
      long d = m[i] - m[i - 1];
      deltaBytes += varintBytes(d);
      dodBytes += varintBytes(i == 1 ? d : d - (m[i - 1] - m[i - 2]));
    }
    boolean constant = true;
    for (int i = 1; i < n && constant; i++) {
      constant = m[i] == m[0];
    }
    boolean dod = dodBytes < deltaBytes;
    out.putU8(constant ? 2 : dod ? 1 : 0);
    out.putVarint(m[0]);
    for (int i = 1; i < n && !constant; i++) {
      long d = m[i] - m[i - 1];
      out.putVarint(dod && i > 1 ? d - (m[i - 1] - m[i - 2]) : d);
    }
    return out.size() < xor.bytes().length ? out.toByteArray() : null;
  }

  /**
   * The smallest k for which every value is exactly {@code m / 10^k} (as doubles) with an integer
   * |m| < 2^62, or -1.
   */
  static int exponent(double[] v) {
    int k = 0;
    for (double x : v) {
      while (!exact(x, k)) {
        if (++k > MAX_K) {
          return -1;
        }
      }
    }
    for (double x : v) { // a smaller k found later must hold for the earlier values too
      if (!exact(x, k)) {
        return -1;
      }
    }
    return k;
  }

  private static boolean exact(double x, int k) {
    if (!Double.isFinite(x)) {
      return false;
    }
    double scaled = Math.rint(x * POW10[k]);
    if (Math.abs(scaled) >= MAX_MANTISSA) {
      return false;
    }
    double back = (double) (long) scaled / POW10[k]; // as decode computes it (so -0 fails)
    return Double.doubleToRawLongBits(back) == Double.doubleToRawLongBits(x);
  }

  private static int varintBytes(long v) {
    long u = (v << 1) ^ (v >> 63);
    return u == 0 ? 1 : (64 - Long.numberOfLeadingZeros(u) + 6) / 7;
  }

  /**
   * Decodes {@code len} bytes at the reader's position into the FLOAT_XOR chunk they were made
   * from.
   */
  static Chunk decode(ByteBuffer buf, Path file, int offset, int len, long min, long max) {
    ByteIn in = new ByteIn(buf, file, offset, offset + len);
    int n = in.uvarintInt(0xFFFF);
    if (n < 1) {
      throw in.corrupt("decimal chunk without samples");
    }
    long[] t = new long[n];
    t[0] = in.varint();
    if (n > 1) {
      long d1 = in.uvarint();
      t[1] = t[0] + d1;
      int mode = in.u8();
      if (mode > 1) {
        throw in.corrupt("unknown decimal chunk timestamp mode " + mode);
      }
      for (int i = 2; i < n; i++) {
        long d = t[i - 1] - t[i - 2];
        t[i] = t[i - 1] + (mode == 0 ? d : d + in.varint());
      }
    }
    int k = in.u8();
    int mode = in.u8();
    if (k > MAX_K || mode > 2) {
      throw in.corrupt("bad decimal chunk exponent " + k + " or mode " + mode);
    }
    ChunkWriter w = Chunk.newWriter(ChunkEncoding.FLOAT_XOR);
    long m = in.varint();
    long d = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && mode != 2) {
        long x = in.varint();
        d = mode == 1 && i > 1 ? d + x : x;
        m += d;
      }
      if (i > 0 && t[i] <= t[i - 1]) {
        throw in.corrupt("decimal chunk timestamps not increasing");
      }
      w.append(t[i], m / POW10[k], null);
    }
    if (in.remaining() != 0) {
      throw in.corrupt("decimal chunk has " + in.remaining() + " bytes past its samples");
    }
    if (t[0] != min || t[n - 1] != max) {
      throw in.corrupt("decimal chunk time range differs from the index's");
    }
    return w.toChunk();
  }
}
