package dev.vigil.tsdb.internal;

import java.util.Arrays;

/**
 * Appends bits, most significant first, to a growable byte array; not thread-safe.
 *
 * <p>Bits past the write position are always zero, so that {@link #writeBits} can OR new bits into
 * a partly written byte and a copy of the prefix is a valid stream.
 */
final class BitWriter {
  private byte[] buffer;
  private long bitLength;

  /** A writer whose first {@code reservedBytes} bytes are left zero for a header. */
  BitWriter(int initialCapacityBytes, int reservedBytes) {
    this.buffer = new byte[Math.max(initialCapacityBytes, reservedBytes + 1)];
    this.bitLength = 8L * reservedBytes;
  }

  /** Bytes written so far, counting a partly written last byte. */
  int sizeBytes() {
    return (int) ((bitLength + 7) >>> 3);
  }

  /** Overwrites byte {@code offset} of the reserved header. */
  void putByte(int offset, int value) {
    buffer[offset] = (byte) value;
  }

  /** A copy of the bytes written so far. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, sizeBytes());
  }

  void writeBit(boolean bit) {
    writeBits(bit ? 1 : 0, 1);
  }

  /** Writes the low {@code count} (0..64) bits of {@code value}, most significant first. */
  void writeBits(long value, int count) {
    assert count >= 0 && count <= 64 : count;
    ensureCapacity(bitLength + count);
    int remaining = count;
    while (remaining > 0) {
      int index = (int) (bitLength >>> 3);
      int free = 8 - (int) (bitLength & 7);
      int take = Math.min(free, remaining);
      int bits = (int) (value >>> (remaining - take)) & ((1 << take) - 1);
      buffer[index] |= (byte) (bits << (free - take));
      bitLength += take;
      remaining -= take;
    }
  }

  /** Unsigned LEB128, eight bits per group, as in docs/format/chunks.md. */
  void writeUvarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      writeBits((v & 0x7F) | 0x80, 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  /** Zig-zag mapped, then {@link #writeUvarint}. */
  void writeVarint(long value) {
    writeUvarint((value << 1) ^ (value >> 63));
  }

  /**
   * A signed integer in a prefix code sized for small numbers: {@code 0} for 0, {@code 10} + 7
   * bits, {@code 110} + 14, {@code 1110} + 21, {@code 11110} + 32, {@code 11111} + 64 (two's
   * complement).
   */
  void writeVarbitInt(long value) {
    if (value == 0) {
      writeBits(0b0, 1);
    } else if (fits(value, 7)) {
      writeBits(0b10, 2);
      writeBits(value, 7);
    } else if (fits(value, 14)) {
      writeBits(0b110, 3);
      writeBits(value, 14);
    } else if (fits(value, 21)) {
      writeBits(0b1110, 4);
      writeBits(value, 21);
    } else if (fits(value, 32)) {
      writeBits(0b11110, 5);
      writeBits(value, 32);
    } else {
      writeBits(0b11111, 5);
      writeBits(value, 64);
    }
  }

  /** Bits {@link #writeVarbitInt} takes for {@code value}. */
  static int varbitIntBits(long value) {
    if (value == 0) {
      return 1;
    } else if (fits(value, 7)) {
      return 9;
    } else if (fits(value, 14)) {
      return 17;
    } else if (fits(value, 21)) {
      return 25;
    }
    return fits(value, 32) ? 37 : 69;
  }

  /**
   * A non-negative integer in a prefix code for the small counts and gaps of sparse histograms:
   * {@code 0} for 0, {@code 10} + 2 bits for 1..4, {@code 110} + 4 bits for 5..20, {@code 1110} + 8
   * bits for 21..276, {@code 1111} + a byte-group varint for anything larger.
   */
  void writeSmallUnsigned(long value) {
    assert value >= 0 : value;
    if (value == 0) {
      writeBits(0b0, 1);
    } else if (value < 5) {
      writeBits(0b10, 2);
      writeBits(value - 1, 2);
    } else if (value < 21) {
      writeBits(0b110, 3);
      writeBits(value - 5, 4);
    } else if (value < 277) {
      writeBits(0b1110, 4);
      writeBits(value - 21, 8);
    } else {
      writeBits(0b1111, 4);
      writeUvarint(value - 277);
    }
  }

  /** Bits {@link #writeSmallUnsigned} takes for {@code value}. */
  static int smallUnsignedBits(long value) {
    if (value == 0) {
      return 1;
    } else if (value < 5) {
      return 4;
    } else if (value < 21) {
      return 7;
    } else if (value < 277) {
      return 12;
    }
    int bytes = 1;
    for (long v = value - 277; (v & ~0x7FL) != 0; v >>>= 7) {
      bytes++;
    }
    return 4 + 8 * bytes;
  }

  /** Whether {@code value} is in [-2^(bits-1), 2^(bits-1)), i.e. survives sign extension. */
  static boolean fits(long value, int bits) {
    return value >= -(1L << (bits - 1)) && value < (1L << (bits - 1));
  }

  private void ensureCapacity(long bits) {
    long bytes = (bits + 7) >>> 3;
    if (bytes > buffer.length) {
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("bit stream too large: " + bytes + " bytes");
      }
      buffer = Arrays.copyOf(buffer, (int) Math.max(bytes, Math.min(buffer.length * 2L, 1 << 30)));
    }
  }
}
