package dev.vigil.client.push;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitive types of the push format to a growable byte array: LEB128 varints, zigzag
 * varints, big-endian doubles and length-prefixed UTF-8 strings. Not thread-safe.
 */
final class WireWriter {
  private byte[] bytes;
  private int size;

  WireWriter(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  void writeBytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
  }

  /** Unsigned LEB128: seven bits per byte, low bits first, high bit set on all but the last. */
  void writeUvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** A count, size or duration: must not be negative. */
  void writeCount(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value in push batch: " + v);
    }
    writeUvarint(v);
  }

  /** Zigzag then LEB128, so that small negative numbers stay short. */
  void writeSvarint(long v) {
    writeUvarint((v << 1) ^ (v >> 63));
  }

  void writeDouble(double d) {
    long bits = Double.doubleToRawLongBits(d);
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (bits >>> shift);
    }
  }

  void writeString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeUvarint(utf8.length);
    writeBytes(utf8);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
