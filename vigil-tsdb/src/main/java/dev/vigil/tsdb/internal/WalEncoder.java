package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Frames write-ahead log records into a reusable buffer (docs/format/wal.md); not thread-safe.
 *
 * <p>A record is {@code [u32 length][u32 CRC-32C][u8 type][payload]}: the length counts the payload
 * as stored, the checksum covers the type byte and the stored payload. A payload of at least {@link
 * #MIN_COMPRESS_BYTES} is compressed with Snappy when that makes it smaller, and the type byte says
 * so. Allocation-free once the buffers have grown to the largest batch.
 */
final class WalEncoder {
  static final int RECORD_HEADER_BYTES = 9;

  /**
   * Payloads shorter than this are stored as they are: a commit of a few samples saves a handful of
   * bytes at best, not worth a compression call per commit.
   */
  static final int MIN_COMPRESS_BYTES = 64;

  private final boolean compress;
  private ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
  private byte[] compressed = new byte[0];
  private int recordStart = -1;
  private final CRC32C crc = new CRC32C();

  /** An encoder that compresses payloads when it pays. */
  WalEncoder() {
    this(true);
  }

  /** An encoder that compresses payloads when it pays, or never (for measuring and tests). */
  WalEncoder(boolean compress) {
    this.compress = compress;
  }

  /** Empties the buffer. */
  void reset() {
    buffer.clear();
    recordStart = -1;
  }

  /** Bytes framed so far. */
  int size() {
    return buffer.position();
  }

  /** Bytes of the record being built, so far. */
  int recordSize() {
    return buffer.position() - recordStart - RECORD_HEADER_BYTES;
  }

  /** The framed records, for writing; valid until the next call. */
  ByteBuffer contents() {
    return buffer.duplicate().flip();
  }

  /** Starts a record of {@code type} (WalRecords.SERIES and so on). */
  void begin(int type) {
    assert recordStart < 0 : "record not ended";
    ensure(RECORD_HEADER_BYTES);
    recordStart = buffer.position();
    buffer.position(recordStart + RECORD_HEADER_BYTES);
    buffer.put(recordStart + 8, (byte) type);
  }

  /** Ends the current record, marking it the last of its commit if {@code commitEnd}. */
  void end(boolean commitEnd) {
    int end = buffer.position();
    int typeByte = buffer.get(recordStart + 8) | (commitEnd ? WalRecords.COMMIT_END : 0);
    int payloadStart = recordStart + RECORD_HEADER_BYTES;
    int length = end - payloadStart;
    if (compress && length >= MIN_COMPRESS_BYTES) {
      int packed = compressPayload(payloadStart, length);
      if (packed < length) {
        System.arraycopy(compressed, 0, buffer.array(), payloadStart, packed);
        end = payloadStart + packed;
        buffer.position(end);
        typeByte |= WalRecords.COMPRESSED;
      }
    }
    buffer.put(recordStart + 8, (byte) typeByte);
    buffer.putInt(recordStart, end - recordStart - RECORD_HEADER_BYTES);
    crc.reset();
    crc.update(buffer.array(), recordStart + 8, end - recordStart - 8);
    buffer.putInt(recordStart + 4, (int) crc.getValue());
    recordStart = -1;
  }

  /** Compresses the payload at [start, start + length) into {@code compressed}; its length. */
  private int compressPayload(int start, int length) {
    int bound = Snappy.maxCompressedLength(length);
    if (compressed.length < bound) {
      compressed = new byte[Math.max(bound, 2 * compressed.length)];
    }
    try {
      return Snappy.rawCompress(buffer.array(), start, length, compressed, 0);
    } catch (IOException e) {
      // snappy-java reports only a missing native library this way; memory buffers cannot fail.
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  /** Marks the last record framed so far as the end of its commit. */
  void markLastCommitEnd(int lastRecordStart) {
    int typeByte = buffer.get(lastRecordStart + 8) | WalRecords.COMMIT_END;
    buffer.put(lastRecordStart + 8, (byte) typeByte);
    int end = lastRecordStart + RECORD_HEADER_BYTES + buffer.getInt(lastRecordStart);
    crc.reset();
    crc.update(buffer.array(), lastRecordStart + 8, end - lastRecordStart - 8);
    buffer.putInt(lastRecordStart + 4, (int) crc.getValue());
  }

  /** Start offset of the record being built. */
  int recordStart() {
    return recordStart;
  }

  void u8(int value) {
    ensure(1);
    buffer.put((byte) value);
  }

  void f64(double value) {
    ensure(8);
    buffer.putLong(Double.doubleToRawLongBits(value));
  }

  void uvarint(long value) {
    ensure(10);
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buffer.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buffer.put((byte) v);
  }

  void varint(long value) {
    uvarint((value << 1) ^ (value >> 63));
  }

  void string(String s) {
    bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A length-prefixed byte string. */
  void bytes(byte[] bytes) {
    uvarint(bytes.length);
    ensure(bytes.length);
    buffer.put(bytes);
  }

  /** A histogram in its own self-delimiting encoding (docs/format/histogram.md). */
  void histogram(Histogram h) {
    ensure(h.encodedSizeBytes());
    h.encodeTo(buffer);
  }

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      long needed = (long) buffer.position() + bytes;
      if (needed > WalRecords.MAX_BATCH_BYTES) {
        throw new IllegalStateException("write-ahead log batch over " + needed + " bytes");
      }
      int capacity =
          (int) Math.min(WalRecords.MAX_BATCH_BYTES, Math.max(needed, 2L * buffer.capacity()));
      ByteBuffer grown = ByteBuffer.allocate(capacity);
      buffer.flip();
      grown.put(buffer);
      buffer = grown;
    }
  }
}
