package dev.vigil.tsdb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable big-endian byte buffer for building block files; not thread-safe. */
final class ByteOut {
  private byte[] bytes;
  private int size;

  ByteOut(int initialCapacity) {
    this.bytes = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void putU8(int v) {
    ensure(1);
    bytes[size++] = (byte) v;
  }

  void putU32(long v) {
    ensure(4);
    bytes[size++] = (byte) (v >>> 24);
    bytes[size++] = (byte) (v >>> 16);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
  }

  void putU64(long v) {
    putU32(v >>> 32);
    putU32(v & 0xFFFFFFFFL);
  }

  /** Overwrites four bytes at {@code at}, for a length written before its contents. */
  void setU32(int at, long v) {
    bytes[at] = (byte) (v >>> 24);
    bytes[at + 1] = (byte) (v >>> 16);
    bytes[at + 2] = (byte) (v >>> 8);
    bytes[at + 3] = (byte) v;
  }

  void putUvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  void putVarint(long v) {
    putUvarint((v << 1) ^ (v >> 63));
  }

  void putBytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
  }

  /** A uvarint byte length, then the UTF-8 bytes. */
  void putString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(b.length);
    putBytes(b);
  }

  /** Zero bytes until the size is a multiple of {@code alignment}. */
  void pad(int alignment) {
    while (size % alignment != 0) {
      putU8(0);
    }
  }

  /** CRC-32C of bytes [from, size). */
  long crc(int from) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, size - from);
    return crc.getValue();
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  /** Writes everything to {@code out} and empties the buffer. */
  void writeTo(FileChannel out) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, size);
    while (b.hasRemaining()) {
      out.write(b);
    }
    size = 0;
  }
}
