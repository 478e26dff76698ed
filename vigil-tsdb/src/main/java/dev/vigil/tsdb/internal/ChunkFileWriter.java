package dev.vigil.tsdb.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a block's chunks into numbered segment files (docs/format/block.md, "Chunk files") and
 * hands out the reference of each; not thread-safe.
 */
final class ChunkFileWriter implements AutoCloseable {
  static final int MAGIC = 0x56434B53; // "VCKS"

  /** The version written: 2 (decimal chunks allowed); readers take 1 and 2. */
  static final int VERSION = 2;

  static final int HEADER_BYTES = 8;
  static final long MAX_SEGMENT_BYTES = 512L << 20;
  private static final int FLUSH_BYTES = 1 << 20;

  private final Path dir;
  private final ByteOut buffer = new ByteOut(FLUSH_BYTES + 4096);
  private FileChannel out;
  private int segment;
  private long segmentBytes;

  private final int version;

  ChunkFileWriter(Path dir) throws IOException {
    this(dir, VERSION);
  }

  /** A writer of segment {@code version} (1: no decimal chunks; only to test old blocks). */
  ChunkFileWriter(Path dir, int version) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.version = version;
  }

  static String segmentName(int segment) {
    return String.format("%06d", segment);
  }

  /** Appends a chunk; returns its reference: segment number << 32 | offset in the segment. */
  long write(Chunk chunk) throws IOException {
    byte[] decimal = version >= 2 ? DecimalChunk.encode(chunk) : null;
    byte[] data = decimal != null ? decimal : chunk.bytes();
    int code = decimal != null ? DecimalChunk.CODE : chunk.encoding().code();
    long entryBytes = 10 + 1 + data.length + 4;
    if (out == null || segmentBytes + entryBytes > MAX_SEGMENT_BYTES) {
      nextSegment();
    }
    long ref = ((long) segment << 32) | segmentBytes;
    int start = buffer.size();
    buffer.putUvarint(data.length);
    int crcFrom = buffer.size();
    buffer.putU8(code);
    buffer.putBytes(data);
    buffer.putU32(buffer.crc(crcFrom));
    segmentBytes += buffer.size() - start;
    if (buffer.size() >= FLUSH_BYTES) {
      buffer.writeTo(out);
    }
    return ref;
  }

  private void nextSegment() throws IOException {
    closeSegment();
    segment++;
    out =
        FileChannel.open(
            dir.resolve(segmentName(segment)),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    buffer.putU32(MAGIC);
    buffer.putU8(version);
    buffer.putU8(0);
    buffer.putU8(0);
    buffer.putU8(0);
    segmentBytes = HEADER_BYTES;
  }

  private void closeSegment() throws IOException {
    if (out != null) {
      buffer.writeTo(out);
      out.force(true);
      out.close();
      out = null;
    }
  }

  /** Flushes, fsyncs and closes the last segment. */
  void finish() throws IOException {
    closeSegment();
  }

  /** Closes the open segment, if any (after a failure: the block is being abandoned). */
  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
