package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One immutable on-disk block, opened read-only: index and chunk segments memory-mapped, symbols
 * and the postings table decoded on first use (docs/format/block.md).
 *
 * <p><b>Assumptions and guarantees.</b> Thread-safe: mapped buffers are only read with absolute
 * gets, lazily built tables are published through volatile fields (building one twice is harmless).
 * Opening reads meta.json, the table of contents and checks the CRC-32C of the symbols and postings
 * table sections; series entries and chunks are checked when read, and {@link #verify} checks every
 * file against meta.json. {@code refs} counts the block set's own reference plus one per reader;
 * when it reaches zero after {@link #markObsolete}, the directory is deleted (or set aside).
 */
final class Block {
  static final String INDEX = "index";

  final Path dir;
  final BlockMeta meta;
  private final int indexVersion;
  private final int seriesAlignment;
  final long bytes;
  private final Path indexFile;
  private final MappedByteBuffer index;
  private final int symbolsOffset;
  private final int seriesOffset;
  private final int tableOffset;
  private final MappedByteBuffer[] segments; // guarded by this; mapped on first use
  private volatile String[] symbols;
  private volatile TreeMap<String, TreeMap<String, Integer>> table;
  private volatile Tombstones tombstones; // replaced whole by delete, under the maintenance lock
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile Runnable onLastRelease;

  private Block(Path dir, BlockMeta meta) throws IOException {
    this.dir = dir;
    this.meta = meta;
    long total = Files.size(dir.resolve(BlockMeta.FILE_NAME));
    int maxSegment = 0;
    for (BlockMeta.FileEntry f : meta.files()) {
      Path p = dir.resolve(f.path());
      long size = Files.exists(p) ? Files.size(p) : -1;
      if (size != f.sizeBytes()) {
        throw new CorruptBlockException(
            p, Math.max(size, 0), "size " + size + " differs from meta.json's " + f.sizeBytes());
      }
      total += size;
      if (f.path().startsWith("chunks/")) {
        maxSegment = Math.max(maxSegment, segmentNumber(p, f.path().substring(7)));
      }
    }
    this.bytes = total;
    this.segments = new MappedByteBuffer[maxSegment + 1];
    this.indexFile = dir.resolve(INDEX);
    this.index = map(indexFile);
    int size = index.limit();
    if (size < IndexWriter.HEADER_BYTES + IndexWriter.TOC_BYTES
        || index.getInt(0) != IndexWriter.MAGIC
        || (index.get(4) != 1 && index.get(4) != 2)) {
      throw new CorruptBlockException(indexFile, 0, "bad header");
    }
    this.indexVersion = index.get(4);
    this.seriesAlignment = IndexWriter.seriesAlignment(indexVersion);
    int toc = size - IndexWriter.TOC_BYTES;
    ByteIn.checkCrc(index, indexFile, toc, IndexWriter.TOC_BYTES - 4, "table of contents");
    ByteIn in = new ByteIn(index, indexFile, toc, toc + 32);
    this.symbolsOffset = offset(in, toc);
    this.seriesOffset = offset(in, toc);
    offset(in, toc); // postings: reached through the table
    this.tableOffset = offset(in, toc);
    checkSection(symbolsOffset, "symbols");
    checkSection(tableOffset, "postings offset table");
    this.tombstones = Tombstones.read(dir);
  }

  /** Whether some samples are marked deleted. */
  boolean hasTombstones() {
    return !tombstones.isEmpty();
  }

  /**
   * Marks the samples in [min, max] of the matching series deleted (durably: the tombstones file is
   * rewritten); returns how many series were affected.
   */
  int delete(long min, long max, Matcher... matchers) throws IOException {
    List<Long> hit = new ArrayList<>();
    for (long ref : select(matchers)) {
      for (ChunkMeta c : series(ref).chunks()) {
        if (c.minTimeMillis() <= max && c.maxTimeMillis() >= min) {
          hit.add(ref);
          break;
        }
      }
    }
    if (!hit.isEmpty()) {
      Tombstones next =
          tombstones.with(hit.stream().mapToLong(Long::longValue).toArray(), min, max);
      next.write(dir);
      tombstones = next;
    }
    return hit.size();
  }

  private static int segmentNumber(Path p, String name) {
    try {
      int n = Integer.parseInt(name);
      if (n >= 1 && n < 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new CorruptBlockException(p, 0, "not a chunk segment name");
  }

  private int offset(ByteIn in, int limit) {
    long v = in.u64();
    if (v < IndexWriter.HEADER_BYTES || v >= limit) {
      throw in.corrupt("section offset " + v + " outside the index");
    }
    return (int) v;
  }

  private void checkSection(int at, String what) {
    if (at + 4 > index.limit()) {
      throw new CorruptBlockException(indexFile, at, what + " starts past the end");
    }
    long len = index.getInt(at) & 0xFFFFFFFFL;
    if (len > index.limit()) {
      throw new CorruptBlockException(indexFile, at, what + " length " + len + " too large");
    }
    ByteIn.checkCrc(index, indexFile, at + 4, (int) len, what);
  }

  private static MappedByteBuffer map(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new IOException(file + " is larger than 2 GiB: " + ch.size() + " bytes");
      }
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    }
  }

  /** Opens the block in {@code dir}; throws {@link CorruptBlockException} if checks fail. */
  static Block open(Path dir) throws IOException {
    return new Block(dir, BlockMeta.read(dir));
  }

  /** Checks every file's CRC-32C against meta.json: reads the whole block. */
  void verify() throws IOException {
    for (BlockMeta.FileEntry f : meta.files()) {
      Path p = dir.resolve(f.path());
      if (BlockWriter.crc32c(p) != f.crc32c()) {
        throw new CorruptBlockException(p, 0, "CRC-32C differs from meta.json's");
      }
    }
  }

  /** Whether [minTime, maxTime] (inclusive) overlaps the block's [minTime, maxTime). */
  boolean overlaps(long min, long max) {
    return min < meta.maxTime() && max >= meta.minTime();
  }

  // ---- reference counting

  /** Adds a reader's reference; false if the block is already released for good. */
  boolean acquire() {
    while (true) {
      int n = refs.get();
      if (n == 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one runs the action set by {@link #markObsolete}. */
  void release() {
    if (refs.decrementAndGet() == 0) {
      Runnable action = onLastRelease;
      if (action != null) {
        action.run();
      }
    }
  }

  /** Drops the block set's reference; {@code action} runs when the last reader is done. */
  void markObsolete(Runnable action) {
    onLastRelease = action;
    release();
  }

  // ---- index

  /** The block's strings, sorted; decoded on first use. */
  String[] symbols() {
    String[] s = symbols;
    if (s == null) {
      int len = index.getInt(symbolsOffset);
      ByteIn in = new ByteIn(index, indexFile, symbolsOffset + 4, symbolsOffset + 4 + len);
      int n = (int) Math.min(in.u32(), len);
      s = new String[n];
      for (int i = 0; i < n; i++) {
        s[i] = in.string();
      }
      symbols = s;
    }
    return s;
  }

  private TreeMap<String, TreeMap<String, Integer>> table() {
    TreeMap<String, TreeMap<String, Integer>> t = table;
    if (t == null) {
      int len = index.getInt(tableOffset);
      ByteIn in = new ByteIn(index, indexFile, tableOffset + 4, tableOffset + 4 + len);
      long n = in.u32();
      t = new TreeMap<>(LabelOrder.VALUES);
      for (long i = 0; i < n; i++) {
        String name = in.string();
        String value = in.string();
        int offset = in.uvarintInt(index.limit() - 8);
        t.computeIfAbsent(name, k -> new TreeMap<>(LabelOrder.VALUES)).put(value, offset);
      }
      table = t;
    }
    return t;
  }

  private long[] postings(int offset) {
    if (offset < IndexWriter.HEADER_BYTES || offset + 8 > index.limit()) {
      throw new CorruptBlockException(indexFile, offset, "postings offset outside the index");
    }
    long len = index.getInt(offset) & 0xFFFFFFFFL;
    ByteIn.checkCrc(index, indexFile, offset + 4, (int) Math.min(len, index.limit()), "postings");
    ByteIn in = new ByteIn(index, indexFile, offset + 4, offset + 4 + (int) len);
    if (indexVersion != 1) { // uvarint count, uvarint deltas
      int n = in.uvarintInt((int) len);
      long[] refs = new long[n];
      long prev = 0;
      for (int i = 0; i < n; i++) {
        long delta = in.uvarint();
        if (delta == 0 && i > 0 || delta > 0xFFFFFFFFL - prev) {
          throw in.corrupt("postings not ascending 32-bit references");
        }
        prev += delta;
        refs[i] = prev;
      }
      if (in.remaining() != 0) {
        throw in.corrupt("postings count " + n + " does not fill length " + len);
      }
      return refs;
    }
    int n = (int) in.u32();
    if (4L + 4L * n != len) {
      throw in.corrupt("postings count " + n + " does not fit length " + len);
    }
    long[] refs = new long[n];
    for (int i = 0; i < n; i++) {
      refs[i] = in.u32();
    }
    return refs;
  }

  private Map<String, Integer> valuesOf(String name) {
    TreeMap<String, Integer> values = table().get(name);
    return values == null ? Map.of() : values;
  }

  /** Every series reference, in label order. */
  long[] allPostings() {
    Integer offset = valuesOf("").get("");
    if (offset == null) {
      throw new CorruptBlockException(indexFile, tableOffset, "no list of all series");
    }
    return postings(offset);
  }

  /** Series references matching every matcher, with the head's semantics (see MemPostings). */
  long[] select(Matcher... matchers) {
    List<long[]> intersect = new ArrayList<>();
    List<long[]> subtract = new ArrayList<>();
    for (Matcher m : matchers) {
      boolean matchesEmpty = m.matches("");
      if (m.type() == Matcher.Type.EQUAL && !matchesEmpty) {
        Integer offset = valuesOf(m.name()).get(m.value());
        intersect.add(offset == null ? Postings.EMPTY : postings(offset));
        continue;
      }
      List<long[]> lists = new ArrayList<>();
      for (Map.Entry<String, Integer> e : valuesOf(m.name()).entrySet()) {
        if (m.matches(e.getKey()) != matchesEmpty) {
          lists.add(postings(e.getValue()));
        }
      }
      (matchesEmpty ? subtract : intersect).add(Postings.union(lists));
    }
    long[] result = intersect.isEmpty() ? allPostings() : intersect.get(0);
    for (int i = 1; i < intersect.size(); i++) {
      result = Postings.intersect(result, intersect.get(i));
    }
    for (long[] s : subtract) {
      result = Postings.subtract(result, s);
    }
    return result;
  }

  /** One series entry: its reference, labels, encoding, chunk locations. */
  record SeriesEntry(long ref, Labels labels, ChunkEncoding encoding, List<ChunkMeta> chunks) {}

  /** Reads the series entry with reference {@code ref}, checking its CRC-32C. */
  SeriesEntry series(long ref) {
    long offset = ref * seriesAlignment;
    if (offset < seriesOffset || offset >= tableOffset) {
      throw new CorruptBlockException(indexFile, offset, "series reference outside the section");
    }
    ByteIn in = new ByteIn(index, indexFile, (int) offset, tableOffset);
    int len = in.uvarintInt(in.remaining());
    int bodyStart = in.position();
    ByteIn.checkCrc(index, indexFile, bodyStart, len, "series entry");
    String[] sym = symbols();
    int labelCount = in.uvarintInt(len);
    String[] pairs = new String[2 * labelCount];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = sym[in.uvarintInt(sym.length - 1)];
    }
    ChunkEncoding encoding = ChunkEncoding.ofCode(in.u8());
    if (encoding == null) {
      throw in.corrupt("unknown chunk encoding");
    }
    int n = in.uvarintInt(len);
    List<ChunkMeta> chunks = new ArrayList<>(n);
    long prevMax = 0;
    for (int i = 0; i < n; i++) {
      long min = i == 0 ? in.varint() : prevMax + in.uvarint();
      long max = min + in.uvarint();
      chunks.add(new ChunkMeta(min, max, in.uvarint()));
      prevMax = max;
    }
    return new SeriesEntry(ref, Labels.of(pairs), encoding, chunks);
  }

  // ---- chunks

  private ByteBuffer segment(int n) throws IOException {
    synchronized (this) {
      if (n < 1 || n >= segments.length) {
        throw new CorruptBlockException(
            dir.resolve("chunks"), 0, "chunk segment " + n + " is not in meta.json");
      }
      if (segments[n] == null) {
        Path p = dir.resolve("chunks").resolve(ChunkFileWriter.segmentName(n));
        MappedByteBuffer b = map(p);
        if (b.limit() < ChunkFileWriter.HEADER_BYTES
            || b.getInt(0) != ChunkFileWriter.MAGIC
            || (b.get(4) != 1 && b.get(4) != 2)) {
          throw new CorruptBlockException(p, 0, "bad chunk segment header");
        }
        segments[n] = b;
      }
      return segments[n];
    }
  }

  /** Reads a chunk, checking its CRC-32C and encoding. */
  Chunk chunk(ChunkMeta meta, ChunkEncoding encoding) throws IOException {
    int seg = (int) (meta.ref() >>> 32);
    ByteBuffer buf = segment(seg);
    Path p = dir.resolve("chunks").resolve(ChunkFileWriter.segmentName(seg));
    int offset = (int) meta.ref();
    ByteIn in = new ByteIn(buf, p, Math.min(offset, buf.limit()), buf.limit());
    int len = in.uvarintInt(in.remaining());
    int at = in.position();
    ByteIn.checkCrc(buf, p, at, len + 1, "chunk");
    int code = in.u8();
    if (code == DecimalChunk.CODE && encoding == ChunkEncoding.FLOAT_XOR && buf.get(4) != 1) {
      return DecimalChunk.decode(
          buf, p, in.position(), len, meta.minTimeMillis(), meta.maxTimeMillis());
    }
    if (code != encoding.code()) {
      throw in.corrupt("chunk encoding differs from the index's");
    }
    return new Chunk(encoding, in.bytes(len), meta.minTimeMillis(), meta.maxTimeMillis());
  }

  /** Every chunk of a series entry, without deleted samples. */
  List<Chunk> chunks(SeriesEntry entry) throws IOException {
    List<Chunk> out = new ArrayList<>(entry.chunks().size());
    for (ChunkMeta m : entry.chunks()) {
      out.add(chunk(m, entry.encoding()));
    }
    return Tombstones.apply(entry.encoding(), out, tombstones.of(entry.ref()));
  }

  // ---- queries

  /** Snapshots of the matching series with a sample in [min, max], in label order. */
  List<SeriesSnapshot> select(long min, long max, Matcher... matchers) throws IOException {
    List<SeriesSnapshot> out = new ArrayList<>();
    for (long ref : select(matchers)) {
      SeriesEntry e = series(ref);
      List<Chunk> chunks = new ArrayList<>();
      for (ChunkMeta m : e.chunks()) {
        if (m.maxTimeMillis() >= min && m.minTimeMillis() <= max) {
          chunks.add(chunk(m, e.encoding()));
        }
      }
      chunks = Tombstones.apply(e.encoding(), chunks, tombstones.of(ref));
      if (chunks.isEmpty()) {
        continue;
      }
      SeriesSnapshot s = SeriesSnapshot.ofChunks(e.labels(), e.encoding(), chunks, min, max);
      if (s.hasSamples()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Label names of the matching series. */
  void labelNames(TreeSet<String> into, Matcher... matchers) {
    if (matchers.length == 0) {
      for (String name : table().keySet()) {
        if (!name.isEmpty()) {
          into.add(name);
        }
      }
      return;
    }
    for (long ref : select(matchers)) {
      Labels labels = series(ref).labels();
      for (int i = 0; i < labels.size(); i++) {
        into.add(labels.name(i));
      }
    }
  }

  /** Values of label {@code name} among the matching series. */
  void labelValues(TreeSet<String> into, String name, Matcher... matchers) {
    if (matchers.length == 0) {
      if (!name.isEmpty()) {
        into.addAll(valuesOf(name).keySet());
      }
      return;
    }
    for (long ref : select(matchers)) {
      String v = series(ref).labels().get(name);
      if (v != null) {
        into.add(v);
      }
    }
  }

  @Override
  public String toString() {
    return meta.id() + " [" + meta.minTime() + ", " + meta.maxTime() + ") level " + meta.level();
  }
}
