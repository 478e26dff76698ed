package dev.vigil.tsdb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Names and headers of write-ahead log files: segments {@code 00000001}, {@code 00000002}, ... and
 * checkpoints {@code checkpoint.00000007}, each starting with an 8-byte header.
 */
final class SegmentFiles {
  /** "VWAL" in ASCII. */
  static final int MAGIC = 0x5657414C;

  /** The version written: 2 added Snappy-compressed payloads (docs/format/wal.md). */
  static final int VERSION = 2;

  /** The oldest version still read. */
  static final int MIN_VERSION = 1;

  static final int KIND_SEGMENT = 0;
  static final int KIND_CHECKPOINT = 1;
  static final int HEADER_BYTES = 8;

  private static final String CHECKPOINT_PREFIX = "checkpoint.";
  private static final String TEMP_SUFFIX = ".tmp";

  private SegmentFiles() {}

  static String segmentName(long sequence) {
    return String.format("%08d", sequence);
  }

  static String checkpointName(long sequence) {
    return CHECKPOINT_PREFIX + segmentName(sequence);
  }

  static String tempName(String name) {
    return name + TEMP_SUFFIX;
  }

  /** The header bytes for a file of {@code kind}. */
  static ByteBuffer header(int kind) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putInt(MAGIC).put((byte) VERSION).put((byte) kind).putShort((short) 0).flip();
    return header;
  }

  /**
   * The version of {@code header} (8 bytes) if it is a valid header of {@code kind} in a version
   * this code reads, else -1.
   */
  static int headerVersion(ByteBuffer header, int kind) {
    if (header.remaining() < HEADER_BYTES
        || header.getInt(0) != MAGIC
        || header.get(5) != kind
        || header.getShort(6) != 0) {
      return -1;
    }
    int version = header.get(4);
    return version >= MIN_VERSION && version <= VERSION ? version : -1;
  }

  /** Segments in the directory by sequence number. */
  static TreeMap<Long, Path> segments(Path dir) throws IOException {
    return list(dir, "");
  }

  /** Checkpoints in the directory by the sequence number of the last segment they cover. */
  static TreeMap<Long, Path> checkpoints(Path dir) throws IOException {
    return list(dir, CHECKPOINT_PREFIX);
  }

  /** Files left by a checkpoint that did not finish. */
  static List<Path> tempFiles(Path dir) throws IOException {
    List<Path> temps = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
      files.forEach(temps::add);
    }
    return temps;
  }

  private static TreeMap<Long, Path> list(Path dir, String prefix) throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.length() == prefix.length() + 8 && name.startsWith(prefix)) {
          String digits = name.substring(prefix.length());
          if (digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            found.put(Long.parseLong(digits), file);
          }
        }
      }
    }
    return found;
  }

  /** Makes renames, creations and deletions in {@code dir} durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Total size of the regular files in {@code dir}. */
  static long directoryBytes(Path dir) {
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        try {
          total += Files.size(file);
        } catch (IOException e) {
          // deleted by a checkpoint while we listed: not part of the log any more
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return total;
  }
}
