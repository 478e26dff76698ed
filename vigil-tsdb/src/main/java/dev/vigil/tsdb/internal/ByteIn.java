package dev.vigil.tsdb.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads big-endian fields from a (memory-mapped) block file at a moving position; every read is
 * bounds-checked and failures throw {@link CorruptBlockException} naming the file and offset. Not
 * thread-safe; cheap to create per read.
 */
final class ByteIn {
  private final ByteBuffer buf; // absolute reads only: the buffer is shared between readers
  private final Path file;
  private int pos;
  private int limit;

  ByteIn(ByteBuffer buf, Path file, int pos, int limit) {
    this.buf = buf;
    this.file = file;
    this.pos = pos;
    this.limit = limit;
    if (pos < 0 || limit > buf.limit() || pos > limit) {
      throw corrupt("range [" + pos + ", " + limit + ") outside the file");
    }
  }

  int position() {
    return pos;
  }

  int remaining() {
    return limit - pos;
  }

  CorruptBlockException corrupt(String reason) {
    return new CorruptBlockException(file, pos, reason);
  }

  private void need(int n) {
    if (n < 0 || limit - pos < n) {
      throw corrupt("needs " + n + " bytes, " + (limit - pos) + " left");
    }
  }

  int u8() {
    need(1);
    return buf.get(pos++) & 0xFF;
  }

  long u32() {
    need(4);
    long v = buf.getInt(pos) & 0xFFFFFFFFL;
    pos += 4;
    return v;
  }

  long u64() {
    need(8);
    long v = buf.getLong(pos);
    pos += 8;
    return v;
  }

  long uvarint() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw corrupt("uvarint longer than 10 bytes");
  }

  long varint() {
    long u = uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** A uvarint no larger than {@code max}, as an int. */
  int uvarintInt(int max) {
    long v = uvarint();
    if (v > max || v < 0) {
      throw corrupt("value " + v + " exceeds " + max);
    }
    return (int) v;
  }

  byte[] bytes(int n) {
    need(n);
    byte[] b = new byte[n];
    buf.get(pos, b);
    pos += n;
    return b;
  }

  String string() {
    int n = uvarintInt(remaining());
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  void skip(int n) {
    need(n);
    pos += n;
  }

  /** Checks that the CRC-32C of [from, from + length) equals the u32 stored right after it. */
  static void checkCrc(ByteBuffer buf, Path file, int from, int length, String what) {
    if (from < 0 || length < 0 || (long) from + length + 4 > buf.limit()) {
      throw new CorruptBlockException(file, from, what + " runs past the end of the file");
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(from, length));
    long stored = buf.getInt(from + length) & 0xFFFFFFFFL;
    if (crc.getValue() != stored) {
      throw new CorruptBlockException(file, from, what + " fails its CRC-32C check");
    }
  }
}
