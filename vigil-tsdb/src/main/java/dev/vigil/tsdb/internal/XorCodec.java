package dev.vigil.tsdb.internal;

/**
 * Gorilla's XOR compression of a stream of doubles against their predecessors; one instance holds
 * the leading/trailing-zero window shared by the encoder and, mirrored, the decoder.
 *
 * <p>Per value: {@code 0} if the bits equal the previous value's; else {@code 1}, then {@code 0} +
 * the meaningful bits if they fit the previous window, or {@code 1} + 5 bits of leading zeros
 * (capped at 31) + 6 bits of meaningful-bit count (64 written as 0) + the meaningful bits. Values
 * round-trip bit for bit, NaN payloads and -0.0 included.
 */
final class XorCodec {
  private static final int UNSET = 0xFF;

  private int leading = UNSET;
  private int trailing;

  /** Writes {@code value} as XOR against {@code previous} (raw bits of both). */
  void write(BitWriter out, long previous, long value) {
    long xor = previous ^ value;
    if (xor == 0) {
      out.writeBits(0b0, 1);
      return;
    }
    out.writeBits(0b1, 1);
    int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
    int newTrailing = Long.numberOfTrailingZeros(xor);
    if (leading != UNSET && newLeading >= leading && newTrailing >= trailing) {
      out.writeBits(0b0, 1);
      out.writeBits(xor >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = newLeading;
    trailing = newTrailing;
    int significant = 64 - leading - trailing;
    out.writeBits(0b1, 1);
    out.writeBits(leading, 5);
    out.writeBits(significant & 63, 6); // 64 significant bits are written as 0
    out.writeBits(xor >>> trailing, significant);
  }

  /** Reads a value written by {@link #write} against {@code previous}; returns its raw bits. */
  long read(BitReader in, long previous) {
    if (!in.readBit()) {
      return previous;
    }
    if (in.readBit()) {
      leading = (int) in.readBits(5);
      int significant = (int) in.readBits(6);
      if (significant == 0) {
        significant = 64;
      }
      trailing = 64 - leading - significant;
      if (trailing < 0) {
        throw new CorruptChunkException(
            "XOR window of " + leading + " leading and " + significant + " significant bits");
      }
    } else if (leading == UNSET) {
      throw new CorruptChunkException("XOR value reuses a window before one was set");
    }
    long bits = in.readBits(64 - leading - trailing);
    return previous ^ (bits << trailing);
  }
}
