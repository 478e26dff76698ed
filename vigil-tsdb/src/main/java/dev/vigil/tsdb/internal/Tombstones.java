package dev.vigil.tsdb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deleted time intervals per series of one block: the {@code tombstones} file of
 * docs/format/block.md. Immutable; a delete writes a new file (temp, fsync, rename) and a new
 * instance. Reads leave the deleted samples out; compaction drops them for good.
 */
final class Tombstones {
  static final String FILE_NAME = "tombstones";
  static final int MAGIC = 0x56544F4D; // "VTOM"
  static final int VERSION = 1;
  static final Tombstones NONE = new Tombstones(new TreeMap<>());

  /** Series reference to sorted, disjoint, inclusive [min, max] intervals. */
  private final TreeMap<Long, List<long[]>> intervals;

  private Tombstones(TreeMap<Long, List<long[]>> intervals) {
    this.intervals = intervals;
  }

  boolean isEmpty() {
    return intervals.isEmpty();
  }

  /** The deleted intervals of series {@code ref}, or null. */
  List<long[]> of(long ref) {
    return intervals.get(ref);
  }

  /** These tombstones plus [min, max] for every series in {@code refs}. */
  Tombstones with(long[] refs, long min, long max) {
    TreeMap<Long, List<long[]>> next = new TreeMap<>(intervals);
    for (long ref : refs) {
      List<long[]> merged = new ArrayList<>(next.getOrDefault(ref, List.of()));
      merged.add(new long[] {min, max});
      merged.sort((a, b) -> Long.compare(a[0], b[0]));
      List<long[]> out = new ArrayList<>();
      for (long[] iv : merged) {
        long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && (last[1] == Long.MAX_VALUE || iv[0] <= last[1] + 1)) {
          last[1] = Math.max(last[1], iv[1]);
        } else {
          out.add(iv.clone());
        }
      }
      next.put(ref, List.copyOf(out));
    }
    return new Tombstones(next);
  }

  /** Writes the file into {@code blockDir}: temp file, fsync, rename, directory fsync. */
  void write(Path blockDir) throws IOException {
    ByteOut out = new ByteOut(64 + 16 * intervals.size());
    out.putU32(MAGIC);
    out.putU8(VERSION);
    int from = out.size();
    out.putUvarint(intervals.size());
    for (Map.Entry<Long, List<long[]>> e : intervals.entrySet()) {
      out.putUvarint(e.getKey());
      out.putUvarint(e.getValue().size());
      for (long[] iv : e.getValue()) {
        out.putVarint(iv[0]);
        out.putUvarint(iv[1] - iv[0]);
      }
    }
    out.putU32(out.crc(from));
    Path temp = blockDir.resolve(FILE_NAME + BlockWriter.TEMP_SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      out.writeTo(ch);
      ch.force(true);
    }
    Files.move(temp, blockDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    SegmentFiles.syncDirectory(blockDir);
  }

  /** Reads {@code blockDir}'s tombstones; {@link #NONE} without the file. */
  static Tombstones read(Path blockDir) throws IOException {
    Files.deleteIfExists(blockDir.resolve(FILE_NAME + BlockWriter.TEMP_SUFFIX));
    Path file = blockDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return NONE;
    }
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
    if (buf.limit() < 9 || buf.getInt(0) != MAGIC || buf.get(4) != VERSION) {
      throw new CorruptBlockException(file, 0, "bad tombstones header");
    }
    ByteIn.checkCrc(buf, file, 5, buf.limit() - 9, "tombstones");
    ByteIn in = new ByteIn(buf, file, 5, buf.limit() - 4);
    long n = in.uvarint();
    TreeMap<Long, List<long[]>> map = new TreeMap<>();
    for (long i = 0; i < n; i++) {
      long ref = in.uvarint();
      int k = in.uvarintInt(in.remaining());
      List<long[]> list = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        long min = in.varint();
        list.add(new long[] {min, min + in.uvarint()});
      }
      map.put(ref, List.copyOf(list));
    }
    return new Tombstones(map);
  }

  /**
   * {@code chunks} without the samples inside {@code deleted}: untouched chunks kept as they are.
   */
  static List<Chunk> apply(ChunkEncoding enc, List<Chunk> chunks, List<long[]> deleted) {
    if (deleted == null || deleted.isEmpty()) {
      return chunks;
    }
    List<Chunk> out = new ArrayList<>();
    boolean h = enc == ChunkEncoding.HISTOGRAM;
    for (Chunk c : chunks) {
      if (!overlaps(c.minTimeMillis(), c.maxTimeMillis(), deleted)) {
        out.add(c);
        continue;
      }
      ChunkWriter w = null;
      ChunkIterator it = c.iterator();
      while (it.next()) {
        long t = it.timestamp();
        if (!overlaps(t, t, deleted)) {
          if (w == null) {
            w = Chunk.newWriter(enc);
          }
          w.append(t, h ? 0 : it.value(), h ? it.histogram() : null);
        }
      }
      if (w != null) {
        out.add(w.toChunk());
      }
    }
    return out;
  }

  static boolean overlaps(long min, long max, List<long[]> deleted) {
    for (long[] iv : deleted) {
      if (iv[0] <= max && iv[1] >= min) {
        return true;
      }
    }
    return false;
  }
}
