package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a block's index (docs/format/block.md, "Index"): symbols, then series streamed in label
 * order, then postings and their offset table, then the table of contents. Not thread-safe.
 *
 * <p>Postings are kept in memory until {@link #finish}: four bytes per series per label, which is
 * what Prometheus' writer holds too.
 */
final class IndexWriter implements AutoCloseable {
  static final int MAGIC = 0x56494458; // "VIDX"

  /** The version written; readers take 1 and 2. */
  static final int VERSION = 2;

  static final int HEADER_BYTES = 5;
  static final int TOC_BYTES = 4 * 8 + 4;

  /** Version 1's series alignment: a reference is the entry's offset / 16. */
  static final int V1_SERIES_ALIGNMENT = 16;

  private static final int FLUSH_BYTES = 1 << 20;

  private final Path file;
  private final FileChannel out;
  private final ByteOut buffer = new ByteOut(FLUSH_BYTES + 4096);
  private final Map<String, Integer> symbolRefs = new HashMap<>();
  private final Map<String, TreeMap<String, IntList>> postings = new HashMap<>();
  private final IntList all = new IntList();
  private long written;
  private final long symbolsOffset;
  private final long seriesOffset;
  private Labels last;
  private final int version;
  private final int alignment;

  IndexWriter(Path file, Collection<String> sortedSymbols) throws IOException {
    this(file, sortedSymbols, VERSION);
  }

  /** A writer of index {@code version} (1 or 2; 1 only to test that old blocks still read). */
  IndexWriter(Path file, Collection<String> sortedSymbols, int version) throws IOException {
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("unknown index version " + version);
    }
    this.version = version;
    this.alignment = seriesAlignment(version);
    this.file = file;
    this.out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    buffer.putU32(MAGIC);
    buffer.putU8(version);
    symbolsOffset = buffer.size();
    buffer.putU32(0);
    int from = buffer.size();
    buffer.putU32(sortedSymbols.size());
    int i = 0;
    for (String s : sortedSymbols) {
      buffer.putString(s);
      symbolRefs.put(s, i++);
    }
    buffer.setU32((int) symbolsOffset, buffer.size() - from);
    buffer.putU32(buffer.crc(from));
    buffer.pad(alignment);
    seriesOffset = buffer.size();
    flush(true);
  }

  /** Series entries start at multiples of this; a series reference is offset / alignment. */
  static int seriesAlignment(int version) {
    return version == 1 ? V1_SERIES_ALIGNMENT : 1;
  }

  private void flush(boolean force) throws IOException {
    if (force || buffer.size() >= FLUSH_BYTES) {
      written += buffer.size();
      buffer.writeTo(out);
    }
  }

  private int symbol(String s) {
    Integer ref = symbolRefs.get(s);
    if (ref == null) {
      throw new IllegalArgumentException("label string missing from the symbols: " + s);
    }
    return ref;
  }

  /** Adds a series, after every series with smaller labels; chunks in time order. */
  void addSeries(Labels labels, ChunkEncoding encoding, List<ChunkMeta> chunks) throws IOException {
    if (last != null && last.compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series out of order: " + labels + " after " + last);
    }
    last = labels;
    buffer.pad(alignment);
    long offset = written + buffer.size();
    long ref = offset / alignment;
    if (ref > 0xFFFFFFFFL) {
      throw new IOException("index " + file + " exceeds the series reference range");
    }
    ByteOut body = new ByteOut(64 + 16 * chunks.size());
    body.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      body.putUvarint(symbol(labels.name(i)));
      body.putUvarint(symbol(labels.value(i)));
    }
    body.putU8(encoding.code());
    body.putUvarint(chunks.size());
    long prevMax = 0;
    for (int i = 0; i < chunks.size(); i++) {
      ChunkMeta c = chunks.get(i);
      if (i == 0) {
        body.putVarint(c.minTimeMillis());
      } else {
        body.putUvarint(c.minTimeMillis() - prevMax);
      }
      body.putUvarint(c.maxTimeMillis() - c.minTimeMillis());
      body.putUvarint(c.ref());
      prevMax = c.maxTimeMillis();
    }
    buffer.putUvarint(body.size());
    int from = buffer.size();
    buffer.putBytes(body.toByteArray());
    buffer.putU32(buffer.crc(from));
    int id = (int) ref;
    all.add(id);
    for (int i = 0; i < labels.size(); i++) {
      postings
          .computeIfAbsent(labels.name(i), n -> new TreeMap<>(LabelOrder.VALUES))
          .computeIfAbsent(labels.value(i), v -> new IntList())
          .add(id);
    }
    flush(false);
  }

  /** Writes postings, the offset table and the table of contents, then fsyncs and closes. */
  void finish() throws IOException {
    buffer.pad(4);
    long postingsOffset = written + buffer.size();
    ByteOut table = new ByteOut(4096);
    int entries = 0;
    entries += writePostings(table, "", "", all);
    TreeMap<String, TreeMap<String, IntList>> names = new TreeMap<>(LabelOrder.VALUES);
    names.putAll(postings);
    for (Map.Entry<String, TreeMap<String, IntList>> n : names.entrySet()) {
      for (Map.Entry<String, IntList> v : n.getValue().entrySet()) {
        entries += writePostings(table, n.getKey(), v.getKey(), v.getValue());
      }
    }
    long tableOffset = written + buffer.size();
    buffer.putU32(4 + table.size());
    int from = buffer.size();
    buffer.putU32(entries);
    buffer.putBytes(table.toByteArray());
    buffer.putU32(buffer.crc(from));
    int tocFrom = buffer.size();
    buffer.putU64(symbolsOffset);
    buffer.putU64(seriesOffset);
    buffer.putU64(postingsOffset);
    buffer.putU64(tableOffset);
    buffer.putU32(buffer.crc(tocFrom));
    flush(true);
    if (written > Integer.MAX_VALUE) {
      throw new IOException("index " + file + " is larger than 2 GiB: " + written + " bytes");
    }
    out.force(true);
    out.close();
  }

  private int writePostings(ByteOut table, String name, String value, IntList refs)
      throws IOException {
    long offset = written + buffer.size();
    table.putString(name);
    table.putString(value);
    table.putUvarint(offset);
    if (version == 1) {
      buffer.putU32(4 + 4L * refs.size);
      int from = buffer.size();
      buffer.putU32(refs.size);
      for (int i = 0; i < refs.size; i++) {
        buffer.putU32(refs.values[i] & 0xFFFFFFFFL);
      }
      buffer.putU32(buffer.crc(from));
    } else {
      int lenAt = buffer.size();
      buffer.putU32(0);
      int from = buffer.size();
      buffer.putUvarint(refs.size);
      long prev = 0;
      for (int i = 0; i < refs.size; i++) {
        long r = refs.values[i] & 0xFFFFFFFFL;
        buffer.putUvarint(r - prev);
        prev = r;
      }
      buffer.setU32(lenAt, buffer.size() - from);
      buffer.putU32(buffer.crc(from));
    }
    flush(false);
    return 1;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** A growable list of series references in increasing order. */
  private static final class IntList {
    int[] values = new int[4];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }
}
