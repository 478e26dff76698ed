package dev.vigil.tsdb.internal;

/**
 * Reads what a {@link BitWriter} wrote; not thread-safe.
 *
 * <p>Reading past the end throws {@link CorruptChunkException}: chunks in memory cannot be
 * truncated, so that only happens to damaged bytes read from disk.
 */
final class BitReader {
  private final byte[] bytes;
  private final long limitBits;
  private long position;

  /** A reader of {@code bytes} starting at byte {@code offset}. */
  BitReader(byte[] bytes, int offset) {
    this.bytes = bytes;
    this.limitBits = 8L * bytes.length;
    this.position = 8L * offset;
  }

  /** Bits left before the end. */
  long remainingBits() {
    return limitBits - position;
  }

  boolean readBit() {
    return readBits(1) != 0;
  }

  /** Reads {@code count} (0..64) bits as an unsigned number, most significant first. */
  long readBits(int count) {
    assert count >= 0 && count <= 64 : count;
    if (position + count > limitBits) {
      throw new CorruptChunkException(
          "truncated chunk: need " + count + " bits at bit " + position + " of " + limitBits);
    }
    long value = 0;
    int remaining = count;
    while (remaining > 0) {
      int index = (int) (position >>> 3);
      int available = 8 - (int) (position & 7);
      int take = Math.min(available, remaining);
      int bits = ((bytes[index] & 0xFF) >>> (available - take)) & ((1 << take) - 1);
      value = (value << take) | bits;
      position += take;
      remaining -= take;
    }
    return value;
  }

  /** Reads {@code count} bits as a two's complement number. */
  long readSigned(int count) {
    long raw = readBits(count);
    return count == 64 ? raw : (raw << (64 - count)) >> (64 - count);
  }

  long readUvarint() {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      long b = readBits(8);
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CorruptChunkException("varint longer than 10 bytes at bit " + position);
  }

  long readVarint() {
    long raw = readUvarint();
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Reads what {@link BitWriter#writeSmallUnsigned} wrote. */
  long readSmallUnsigned() {
    if (!readBit()) {
      return 0;
    }
    if (!readBit()) {
      return 1 + readBits(2);
    }
    if (!readBit()) {
      return 5 + readBits(4);
    }
    if (!readBit()) {
      return 21 + readBits(8);
    }
    return 277 + readUvarint();
  }

  /** Reads what {@link BitWriter#writeVarbitInt} wrote. */
  long readVarbitInt() {
    if (!readBit()) {
      return 0;
    }
    if (!readBit()) {
      return readSigned(7);
    }
    if (!readBit()) {
      return readSigned(14);
    }
    if (!readBit()) {
      return readSigned(21);
    }
    return readBit() ? readBits(64) : readSigned(32);
  }
}
