package dev.vigil.tsdb.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Reads the records of one log file in order, checking every frame; not thread-safe.
 *
 * <p>{@link #next()} returns false at a clean end and throws {@link WalCorruptionException} with
 * the record's offset at the first frame that is truncated, oversized or fails its checksum:
 * whatever follows a bad frame cannot be trusted to start at a record boundary. Reads versions 1
 * and 2; a compressed payload (version 2) is checked against its checksum, then decompressed.
 */
final class WalReader implements Closeable {
  private static final int READ_BUFFER_BYTES = 1 << 20;

  private final Path file;
  private final FileChannel channel;
  private final long size;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  private final CRC32C crc = new CRC32C();
  private final int version;
  private final boolean inflate;
  private byte[] payload = new byte[4096];
  private byte[] current; // payload or inflated
  private long bufferStart; // file offset of readBuffer's first byte
  private long recordOffset;
  private long nextOffset;
  private int typeByte;
  private int payloadLength;

  /** Opens {@code file} and checks its header for {@code kind}; payloads are decompressed. */
  WalReader(Path file, int kind) throws IOException {
    this(file, kind, true);
  }

  /**
   * Opens {@code file} and checks its header for {@code kind}; with {@code inflate} false, {@link
   * #payload()} is the payload as stored and {@link #compressed()} says whether to {@link
   * #inflate(byte[], int)} it (parallel replay decompresses on its decoding threads).
   */
  WalReader(Path file, int kind, boolean inflate) throws IOException {
    this.file = file;
    this.inflate = inflate;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.size = channel.size();
    readBuffer.limit(0);
    ByteBuffer header = ByteBuffer.allocate(SegmentFiles.HEADER_BYTES);
    int found = read(header, 0) ? SegmentFiles.headerVersion(header.flip(), kind) : -1;
    if (found < 0) {
      channel.close();
      throw new WalCorruptionException(file, 0, "missing or invalid file header");
    }
    this.version = found;
    nextOffset = SegmentFiles.HEADER_BYTES;
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  /** Reads the next record; false at a clean end of file. */
  boolean next() throws IOException {
    recordOffset = nextOffset;
    if (recordOffset == size) {
      return false;
    }
    ByteBuffer header = ByteBuffer.allocate(WalEncoder.RECORD_HEADER_BYTES);
    if (!read(header, recordOffset)) {
      throw corrupt("truncated record header");
    }
    header.flip();
    long length = header.getInt(0) & 0xFFFFFFFFL;
    int checksum = header.getInt(4);
    typeByte = header.get(8) & 0xFF;
    if (length > WalRecords.MAX_RECORD_BYTES) {
      throw corrupt("record length " + length + " over the maximum");
    }
    if (recordOffset + WalEncoder.RECORD_HEADER_BYTES + length > size) {
      throw corrupt("truncated record of " + length + " bytes");
    }
    payloadLength = (int) length;
    if (payload.length < payloadLength) {
      payload = new byte[Math.max(payloadLength, payload.length * 2)];
    }
    read(ByteBuffer.wrap(payload, 0, payloadLength), recordOffset + WalEncoder.RECORD_HEADER_BYTES);
    crc.reset();
    crc.update(typeByte);
    crc.update(payload, 0, payloadLength);
    if ((int) crc.getValue() != checksum) {
      throw corrupt("checksum mismatch");
    }
    current = payload;
    if (inflate && compressed()) {
      try {
        ByteBuffer inflated = inflate(payload, payloadLength);
        current = inflated.array();
        payloadLength = inflated.limit();
      } catch (WalRecords.CorruptRecordException e) {
        throw corrupt(e.getMessage());
      }
    }
    nextOffset = recordOffset + WalEncoder.RECORD_HEADER_BYTES + length;
    return true;
  }

  /**
   * The payload {@code stored[0, length)} decompressed, as a buffer over a new array.
   *
   * @throws WalRecords.CorruptRecordException if it is not valid Snappy data
   */
  static ByteBuffer inflate(byte[] stored, int length) {
    try {
      int size = Snappy.uncompressedLength(stored, 0, length);
      if (size < 0 || size > WalRecords.MAX_RECORD_BYTES) {
        throw new WalRecords.CorruptRecordException("compressed payload claims " + size + " bytes");
      }
      byte[] out = new byte[size];
      int n = Snappy.rawUncompress(stored, 0, length, out, 0);
      return ByteBuffer.wrap(out, 0, n);
    } catch (IOException e) {
      throw new WalRecords.CorruptRecordException(
          "compressed payload does not decompress: " + e.getMessage());
    }
  }

  /** Whether the current record's payload is stored compressed (version 2 only). */
  boolean compressed() {
    return version >= 2 && (typeByte & WalRecords.COMPRESSED) != 0;
  }

  /** File format version (1 or 2). */
  int version() {
    return version;
  }

  /** Type of the current record, without the flags. */
  int type() {
    return typeByte & (version >= 2 ? WalRecords.TYPE_MASK : WalRecords.TYPE_MASK_V1);
  }

  /** Whether the current record ends its commit. */
  boolean commitEnd() {
    return (typeByte & WalRecords.COMMIT_END) != 0;
  }

  /**
   * The current record's payload, decompressed unless the reader was opened not to; valid until the
   * next call to next().
   */
  ByteBuffer payload() {
    return ByteBuffer.wrap(current, 0, payloadLength);
  }

  /** Offset of the current record's first byte. */
  long recordOffset() {
    return recordOffset;
  }

  /** Offset just past the current record. */
  long nextOffset() {
    return nextOffset;
  }

  WalCorruptionException corrupt(String reason) {
    return new WalCorruptionException(file, recordOffset, reason);
  }

  /** Fills {@code dst} from file offset {@code offset}; false if the file ends first. */
  private boolean read(ByteBuffer dst, long offset) throws IOException {
    if (offset + dst.remaining() > size) {
      return false;
    }
    long bufferEnd = bufferStart + readBuffer.limit();
    if (offset >= bufferStart && offset + dst.remaining() <= bufferEnd) {
      ByteBuffer view = readBuffer.duplicate();
      view.position((int) (offset - bufferStart)).limit(view.position() + dst.remaining());
      dst.put(view);
      return true;
    }
    if (dst.remaining() > READ_BUFFER_BYTES / 2) {
      long position = offset;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, position);
        if (n < 0) {
          return false;
        }
        position += n;
      }
      return true;
    }
    readBuffer.clear();
    bufferStart = offset;
    long position = offset;
    while (readBuffer.hasRemaining() && position < size) {
      int n = channel.read(readBuffer, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
    readBuffer.flip();
    if (readBuffer.limit() < dst.remaining()) {
      return false; // the file shrank while we read it
    }
    ByteBuffer view = readBuffer.duplicate();
    view.limit(dst.remaining());
    dst.put(view);
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
