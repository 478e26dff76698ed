package dev.vigil.client.push;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive types of the push format from a byte array, failing with a {@link
 * PushFormatException} that names the offset on any malformed or truncated input.
 *
 * <p>Every length and count read from the input is checked against the bytes that remain before
 * anything is allocated for it, so that a forged length can never make the reader allocate more
 * than the input's own size. Not thread-safe.
 */
final class WireReader {
  private final byte[] bytes;
  private int offset;

  WireReader(byte[] bytes) {
    this.bytes = bytes;
  }

  int offset() {
    return offset;
  }

  int remaining() {
    return bytes.length - offset;
  }

  PushFormatException error(String message) {
    return new PushFormatException(message, offset);
  }

  int readByte() {
    if (offset >= bytes.length) {
      throw error("truncated: expected 1 more byte");
    }
    return bytes[offset++] & 0xFF;
  }

  byte[] readBytes(int n) {
    if (n > remaining()) {
      throw error("truncated: expected " + n + " bytes, " + remaining() + " left");
    }
    byte[] out = new byte[n];
    System.arraycopy(bytes, offset, out, 0, n);
    offset += n;
    return out;
  }

  long readUvarint() {
    int start = offset;
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      if (shift == 63 && b > 1) {
        offset = start;
        throw error("varint overflows 64 bits");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    offset = start;
    throw error("varint longer than 10 bytes");
  }

  /** A non-negative number: counts, sizes, durations. */
  long readCount(String what) {
    int start = offset;
    long v = readUvarint();
    if (v < 0) {
      offset = start;
      throw error(what + " out of range: " + Long.toUnsignedString(v));
    }
    return v;
  }

  /** The number of items of a list, each at least {@code minBytesPerItem} bytes long. */
  int readLength(String what, int minBytesPerItem) {
    int start = offset;
    long n = readCount(what);
    if (n > remaining() / minBytesPerItem) {
      offset = start;
      throw error(what + " " + n + " exceeds the " + remaining() + " bytes left");
    }
    return (int) n;
  }

  int readInt(String what) {
    int start = offset;
    long v = readCount(what);
    if (v > Integer.MAX_VALUE) {
      offset = start;
      throw error(what + " out of range: " + v);
    }
    return (int) v;
  }

  long readSvarint() {
    long v = readUvarint();
    return (v >>> 1) ^ -(v & 1);
  }

  double readDouble() {
    if (remaining() < 8) {
      throw error("truncated: expected 8 bytes for a double, " + remaining() + " left");
    }
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (bytes[offset++] & 0xFF);
    }
    return Double.longBitsToDouble(bits);
  }

  String readString(String what) {
    int n = readLength(what + " length", 1);
    int start = offset;
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, offset, n))
              .toString();
      offset += n;
      return s;
    } catch (CharacterCodingException e) {
      offset = start;
      throw error(what + " is not valid UTF-8");
    }
  }
}
