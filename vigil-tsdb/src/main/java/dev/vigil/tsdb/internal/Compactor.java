package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.SampleCursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * Writes the head's oldest range into a block, and merges blocks: overlapping ones first, then
 * leveled (ranges growing threefold from the block range, as Prometheus': 2 h, 6 h, 18 h, 54 h,
 * ...). Runs on the maintenance thread only.
 */
final class Compactor {
  private static final System.Logger LOG = System.getLogger(Compactor.class.getName());

  private final Head head;
  private final Blocks blocks;
  private final long[] ranges;

  Compactor(Head head, Blocks blocks, long blockRangeMillis, long retentionMillis) {
    this.head = head;
    this.blocks = blocks;
    this.ranges = ranges(blockRangeMillis, retentionMillis);
  }

  /** Block ranges: three-fold steps up to a tenth of the retention (at least the first). */
  static long[] ranges(long first, long retentionMillis) {
    List<Long> out = new ArrayList<>();
    out.add(first);
    for (long r = first * 3; r <= retentionMillis / 10 && out.size() < 10; r *= 3) {
      out.add(r);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  long[] ranges() {
    return ranges.clone();
  }

  /**
   * If the head spans more than 1.5 block ranges, writes its oldest whole range (once every sample
   * in it is cut into chunks) into a block, publishes the block and truncates the head; returns
   * whether it did.
   */
  boolean compactHead() throws IOException {
    long[] span = head.timeRange();
    long range = ranges[0];
    if (span[0] > span[1] || span[1] - span[0] <= range / 2 * 3) {
      return false;
    }
    long t0 = Math.floorDiv(span[0], range) * range;
    long t1 = t0 + range;
    if (t1 > head.minMutableTime()) {
      return false; // samples in the range may still change
    }
    Path dir = writeHead(blocks.dir, t0, t1);
    if (dir != null) {
      Block b = blocks.add(dir, List.of());
      LOG.log(Level.INFO, "wrote block {0} from the head", b);
    }
    head.truncateBefore(t1);
    return true;
  }

  /**
   * Writes the head's samples in [t0, t1), those still in the series' tails included, as a block of
   * level 1 in {@code parent}; returns its directory, or null when no series had samples there.
   */
  Path writeHead(Path parent, long t0, long t1) throws IOException {
    List<MemSeries> series = head.seriesByLabels();
    TreeSet<String> symbols = new TreeSet<>(LabelOrder.VALUES);
    List<MemSeries> inRange = new ArrayList<>();
    for (MemSeries s : series) {
      if (s.minTime() < t1 && s.maxTime() >= t0) {
        inRange.add(s);
        addSymbols(symbols, s.labels);
      }
    }
    Iterator<BlockWriter.SeriesData> data =
        inRange.stream()
            .map(
                s -> {
                  SeriesSnapshot snap = s.snapshot(t0, t1 - 1);
                  ChunkEncoding enc =
                      s.histogram ? ChunkEncoding.HISTOGRAM : ChunkEncoding.FLOAT_XOR;
                  List<Chunk> chunks =
                      snap == null
                          ? List.of()
                          : clip(enc, snap, Arrays.asList(snap.chunks()), t0, t1);
                  return new BlockWriter.SeriesData(s.labels, enc, chunks);
                })
            .iterator();
    String id = BlockId.next(head.now());
    return BlockWriter.write(parent, id, t0, t1, 1, List.of(id), symbols, data);
  }

  private static void addSymbols(TreeSet<String> symbols, Labels labels) {
    for (int i = 0; i < labels.size(); i++) {
      symbols.add(labels.name(i));
      symbols.add(labels.value(i));
    }
  }

  /**
   * The samples of {@code snap} in [t0, t1) as chunks: chunks wholly inside reused as they are (but
   * the last one when tail samples follow it), others re-encoded; {@code snap}'s tail appended.
   */
  static List<Chunk> clip(
      ChunkEncoding enc, SeriesSnapshot snap, List<Chunk> chunks, long t0, long t1) {
    List<Chunk> out = new ArrayList<>();
    ChunkWriter w = null;
    boolean tailInRange = false;
    if (snap != null) {
      for (int i = 0; i < snap.tailSize() && !tailInRange; i++) {
        tailInRange = snap.tailTimestamp(i) >= t0 && snap.tailTimestamp(i) < t1;
      }
    }
    for (int k = 0; k < chunks.size(); k++) {
      Chunk c = chunks.get(k);
      // The last chunk (the head's open one, most often partly filled) is re-encoded together with
      // the tail that follows it, so that they make one chunk rather than two small ones.
      boolean last = k == chunks.size() - 1;
      if (c.minTimeMillis() >= t0 && c.maxTimeMillis() < t1 && !(last && tailInRange)) {
        if (w != null) {
          out.add(w.toChunk());
          w = null;
        }
        out.add(c);
        continue;
      }
      ChunkIterator it = c.iterator();
      while (it.next()) {
        long t = it.timestamp();
        if (t >= t0 && t < t1) {
          boolean h = enc == ChunkEncoding.HISTOGRAM;
          w = append(out, w, enc, t, h ? 0 : it.value(), h ? it.histogram() : null);
        }
      }
    }
    if (snap != null) {
      for (int i = 0; i < snap.tailSize(); i++) {
        long t = snap.tailTimestamp(i);
        if (t >= t0 && t < t1) {
          boolean h = enc == ChunkEncoding.HISTOGRAM;
          w = append(out, w, enc, t, h ? 0 : snap.tailValue(i), h ? snap.tailHistogram(i) : null);
        }
      }
    }
    if (w != null) {
      out.add(w.toChunk());
    }
    return out;
  }

  private static ChunkWriter append(
      List<Chunk> out,
      ChunkWriter w,
      ChunkEncoding enc,
      long t,
      double v,
      dev.vigil.model.Histogram h) {
    if (w != null && w.isFullFor(t)) {
      out.add(w.toChunk());
      w = null;
    }
    if (w == null) {
      w = Chunk.newWriter(enc);
    }
    w.append(t, v, h);
    return w;
  }

  // ---- block compaction

  /** Plans and runs one block compaction; returns whether it merged anything. */
  boolean compactBlocks() throws IOException {
    List<Block> group = plan(blocks.list());
    if (group.isEmpty()) {
      return false;
    }
    try {
      merge(group);
    } catch (CorruptBlockException e) {
      // Damage found while merging: set that block aside, so the next pass does not fail again.
      Block bad = blocks.owning(e.file());
      if (bad == null) {
        throw e;
      }
      blocks.quarantine(bad, e.getMessage());
    }
    return true;
  }

  /**
   * The blocks to merge next: an overlapping group, else a block with deletions (alone), else the
   * oldest full leveled window.
   */
  List<Block> plan(List<Block> list) {
    List<Block> group = new ArrayList<>();
    long end = Long.MIN_VALUE;
    for (Block b : list) { // sorted by minTime
      if (!group.isEmpty() && b.meta.minTime() < end) {
        group.add(b);
        end = Math.max(end, b.meta.maxTime());
        continue;
      }
      if (group.size() > 1) {
        return group;
      }
      group = new ArrayList<>(List.of(b));
      end = b.meta.maxTime();
    }
    if (group.size() > 1) {
      return group;
    }
    if (list.isEmpty()) {
      return List.of();
    }
    for (Block b : list) {
      if (b.hasTombstones()) {
        return List.of(b); // rewritten alone, dropping the deleted samples
      }
    }
    long newest = list.stream().mapToLong(b -> b.meta.maxTime()).max().getAsLong();
    for (int level = 1; level < ranges.length; level++) {
      long r = ranges[level];
      List<Block> window = new ArrayList<>();
      long windowStart = Long.MIN_VALUE;
      for (Block b : list) {
        long start = Math.floorDiv(b.meta.minTime(), r) * r;
        boolean fits = b.meta.maxTime() <= start + r && b.meta.maxTime() - b.meta.minTime() < r;
        if (!fits) {
          continue;
        }
        if (start != windowStart) {
          if (window.size() > 1 && windowStart + r <= newest) {
            return window;
          }
          window = new ArrayList<>();
          windowStart = start;
        }
        window.add(b);
      }
      if (window.size() > 1 && windowStart + r <= newest) {
        return window;
      }
    }
    return List.of();
  }

  /** Merges {@code group} into one block, publishes it and retires the group. */
  void merge(List<Block> group) throws IOException {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int level = 0;
    TreeSet<String> sources = new TreeSet<>();
    TreeSet<String> symbols = new TreeSet<>(LabelOrder.VALUES);
    for (Block b : group) {
      min = Math.min(min, b.meta.minTime());
      max = Math.max(max, b.meta.maxTime());
      level = Math.max(level, b.meta.level());
      sources.addAll(b.meta.sources());
      symbols.addAll(Arrays.asList(b.symbols()));
    }
    // Newer blocks first: at equal timestamps their samples win, as in the querier.
    List<Block> byAge = new ArrayList<>(group);
    byAge.sort((a, b) -> b.meta.id().compareTo(a.meta.id()));
    String id = BlockId.next(head.now());
    Path dir;
    try {
      dir =
          BlockWriter.write(
              blocks.dir,
              id,
              min,
              max,
              group.size() == 1 ? level : level + 1,
              List.copyOf(sources),
              symbols,
              new MergingIterator(byAge));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (dir == null) {
      blocks.replace(group, List.of());
    } else {
      blocks.add(dir, group);
    }
    LOG.log(Level.INFO, "compacted {0} blocks into {1}", group.size(), id);
  }

  /** Walks the series of several blocks in label order, merging the chunks of equal series. */
  private static final class MergingIterator implements Iterator<BlockWriter.SeriesData> {
    private final List<Block> blocks;
    private final long[][] refs;
    private final int[] pos;
    private final Block.SeriesEntry[] current;

    MergingIterator(List<Block> blocks) {
      this.blocks = blocks;
      this.refs = new long[blocks.size()][];
      this.pos = new int[blocks.size()];
      this.current = new Block.SeriesEntry[blocks.size()];
      for (int i = 0; i < refs.length; i++) {
        refs[i] = blocks.get(i).allPostings();
        advance(i);
      }
    }

    private void advance(int i) {
      current[i] = pos[i] < refs[i].length ? blocks.get(i).series(refs[i][pos[i]++]) : null;
    }

    @Override
    public boolean hasNext() {
      for (Block.SeriesEntry e : current) {
        if (e != null) {
          return true;
        }
      }
      return false;
    }

    @Override
    public BlockWriter.SeriesData next() {
      Labels smallest = null;
      for (Block.SeriesEntry e : current) {
        if (e != null && (smallest == null || e.labels().compareTo(smallest) < 0)) {
          smallest = e.labels();
        }
      }
      if (smallest == null) {
        throw new NoSuchElementException();
      }
      try {
        ChunkEncoding enc = null;
        List<List<Chunk>> parts = new ArrayList<>();
        for (int i = 0; i < current.length; i++) {
          Block.SeriesEntry e = current[i];
          if (e == null || !e.labels().equals(smallest)) {
            continue;
          }
          if (enc == null) {
            enc = e.encoding(); // the newest block's kind wins a (rare) conflict
          }
          if (e.encoding() == enc) {
            parts.add(blocks.get(i).chunks(e));
          }
          advance(i);
        }
        return new BlockWriter.SeriesData(smallest, enc, combine(smallest, enc, parts));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Chunks of one series from several blocks: concatenated if disjoint, else re-encoded. */
  static List<Chunk> combine(Labels labels, ChunkEncoding enc, List<List<Chunk>> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<Chunk> all = new ArrayList<>();
    parts.forEach(all::addAll);
    all.sort((a, b) -> Long.compare(a.minTimeMillis(), b.minTimeMillis()));
    boolean disjoint = true;
    for (int i = 1; i < all.size(); i++) {
      if (all.get(i).minTimeMillis() <= all.get(i - 1).maxTimeMillis()) {
        disjoint = false;
        break;
      }
    }
    if (disjoint) {
      return all;
    }
    List<SeriesSnapshot> sources = new ArrayList<>();
    for (List<Chunk> p : parts) {
      sources.add(SeriesSnapshot.ofChunks(labels, enc, p, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    SampleCursor c = new MergedSeries(labels, sources).cursor();
    List<Chunk> out = new ArrayList<>();
    ChunkWriter w = null;
    boolean h = enc == ChunkEncoding.HISTOGRAM;
    while (c.next()) {
      w = append(out, w, enc, c.timestampMillis(), h ? 0 : c.value(), h ? c.histogram() : null);
    }
    if (w != null) {
      out.add(w.toChunk());
    }
    return out;
  }
}
