package dev.vigil.server.perf;

import dev.vigil.model.Histogram;
import dev.vigil.server.series.RequestSeries;
import java.util.Arrays;

/**
 * Request data summed over a span of slots, per key (service, method, route; ids from {@link
 * EndpointKeys}): the latency histogram sum and the requests per status class, in flat arrays.
 * Immutable.
 *
 * <p>Entries are ordered by group, then key. The last group holds the whole block; a block of a
 * minute has one group per 10-second slot before it, so that the ragged edges of a window are
 * summed from cached minutes too, and a whole minute is one entry per key, not six. Each group ends
 * with an entry of key {@value #ALL}, the sum of all its entries, from which the summary takes the
 * latency distribution of all requests without summing every endpoint's (that sum was half of a
 * 24-hour summary's cost).
 *
 * <p>Each entry's buckets are stored densely (counts from a first index) or sparsely (index and
 * count pairs), whichever is cheaper to add: a minute of an endpoint holds about 20 requests in a
 * range of 500 buckets, an hour about 1,200 requests filling half of its 900 (measured on the
 * benchmark's lognormal workload). A dense entry is added in a plain loop over consecutive counts,
 * a sparse one by scattering, which costs several times more per bucket.
 */
final class BlockSums {

  /** Status classes per entry. */
  static final int STATUS = RequestSeries.STATUS_CLASSES.length;

  /** The key of a group's entry for all keys. */
  static final int ALL = -1;

  private final int[] groupStart; // groups + 1 offsets into the entries
  private final int[] keys;
  private final long[] status; // STATUS per entry
  private final double[] count;
  private final double[] sum;
  private final double[] zero;
  private final int[] bucketStart; // entries + 1 offsets into counts
  private final int[] indexStart; // entries + 1 offsets into indexes; an empty range: dense
  private final int[] firstIndex; // bucket index of a dense entry's first count
  private final double[] counts;
  private final int[] indexes;
  private final Histogram[] others; // null when no entry has one
  private final boolean wholeCounts; // every count a non-negative integer (HistogramSum.isWhole)

  private BlockSums(Packer p, int[] groupStart) {
    int n = p.entries;
    this.groupStart = groupStart;
    this.keys = Arrays.copyOf(p.keys, n);
    this.status = Arrays.copyOf(p.status, n * STATUS);
    this.count = Arrays.copyOf(p.count, n);
    this.sum = Arrays.copyOf(p.sum, n);
    this.zero = Arrays.copyOf(p.zero, n);
    this.bucketStart = Arrays.copyOf(p.bucketStart, n + 1);
    this.indexStart = Arrays.copyOf(p.indexStart, n + 1);
    this.firstIndex = Arrays.copyOf(p.firstIndex, n);
    this.counts = Arrays.copyOf(p.counts, p.bucketStart[n]);
    this.indexes = Arrays.copyOf(p.indexes, p.indexStart[n]);
    this.others = p.hasOthers ? Arrays.copyOf(p.others, n) : null;
    this.wholeCounts = p.wholeCounts;
  }

  /** Groups: the slots of a minute block and the whole block, else just the whole block. */
  int groups() {
    return groupStart.length - 1;
  }

  /** The group holding the whole block, the last one. */
  int whole() {
    return groupStart.length - 2;
  }

  /** Entries in all groups. */
  int entries() {
    return keys.length;
  }

  /** Approximate heap bytes, for tests and sizing. */
  long bytes() {
    return 16L * 12 // array headers
        + 4L * (groupStart.length + 4L * keys.length) // keys, starts, first indexes
        + 8L * (STATUS + 3) * keys.length // status, count, sum, zero
        + 8L * counts.length
        + 4L * indexes.length;
  }

  /**
   * Adds the entries of groups {@code [fromGroup, toGroup)} of {@code service} (all when -1) to the
   * window sums, per endpoint (services and instances of an endpoint merge).
   */
  void addTo(WindowSums w, int fromGroup, int toGroup, int service) {
    for (int e = groupStart[fromGroup], end = groupStart[toGroup]; e < end; e++) {
      int key = keys[e];
      if (key == ALL || (service >= 0 && w.serviceOf(key) != service)) {
        continue;
      }
      int endpoint = w.endpointOf(key);
      HistogramSum h = w.latency(endpoint);
      addStatus(e, w.status(), endpoint);
      addBuckets(e, h);
      if (others != null && others[e] != null) {
        h.addOther(others[e]);
      }
    }
  }

  /**
   * Adds the counts, sums and status counts of groups {@code [fromGroup, toGroup)} to the window
   * sums per endpoint, without their buckets, and the entries for all keys to {@code total}.
   */
  void addCountsTo(WindowSums w, int fromGroup, int toGroup, HistogramSum total) {
    for (int e = groupStart[fromGroup], end = groupStart[toGroup]; e < end; e++) {
      int key = keys[e];
      Histogram other = others == null ? null : others[e];
      if (key == ALL) {
        addBuckets(e, total);
        if (other != null) {
          total.addOther(other);
        }
        continue;
      }
      int endpoint = w.endpointOf(key);
      addStatus(e, w.status(), endpoint);
      w.addCount(endpoint, count[e], sum[e], other);
    }
  }

  private void addStatus(int e, long[] st, int endpoint) {
    int s = endpoint * STATUS;
    int from = e * STATUS;
    for (int c = 0; c < STATUS; c++) {
      st[s + c] += status[from + c];
    }
  }

  /** Adds entry {@code e}'s histogram (without its aside part) to {@code h}. */
  private void addBuckets(int e, HistogramSum h) {
    int b0 = bucketStart[e];
    int n = bucketStart[e + 1] - b0;
    int i0 = indexStart[e];
    if (indexStart[e + 1] > i0) {
      h.addSparse(indexes, i0, counts, b0, n);
    } else {
      h.addDense(firstIndex[e], counts, b0, n);
    }
    h.addTotals(zero[e], count[e], sum[e]);
    if (!wholeCounts) {
      h.notWhole();
    }
  }

  /** Builds blocks: sums per group and key while a span is read or blocks are added. */
  static final class Builder {
    private final Cell[][] cells; // [group][key], grown as keys come
    private final Cell[] all; // [group]: every key
    private final int schema = RequestSeries.SCHEMA;

    /** A builder of a block with {@code groups} groups. */
    Builder(int groups) {
      cells = new Cell[groups][0];
      all = new Cell[groups];
      for (int g = 0; g < groups; g++) {
        all[g] = new Cell();
      }
    }

    private Cell cell(int group, int key) {
      Cell[] g = cells[group];
      if (key >= g.length) {
        g = cells[group] = Arrays.copyOf(g, Math.max(key + 1, 2 * g.length));
      }
      Cell c = g[key];
      if (c == null) {
        c = g[key] = new Cell();
      }
      return c;
    }

    void addHistogram(int group, int key, Histogram h) {
      cell(group, key).addHistogram(h, schema);
      all[group].toSum(schema).add(h);
    }

    void addCount(int group, int key, int statusClass, long n) {
      cell(group, key).status[statusClass] += n;
      all[group].status[statusClass] += n;
    }

    /** Adds the whole of {@code block} (its last group) to group {@code group}. */
    void addBlock(int group, BlockSums block) {
      for (int e = block.groupStart[block.whole()]; e < block.keys.length; e++) {
        int key = block.keys[e];
        Cell c = key == ALL ? all[group] : cell(group, key);
        HistogramSum h = c.toSum(schema);
        block.addBuckets(e, h);
        if (block.others != null && block.others[e] != null) {
          h.addOther(block.others[e]);
        }
        for (int s = 0; s < STATUS; s++) {
          c.status[s] += block.status[e * STATUS + s];
        }
      }
    }

    /** The block of this builder's single group. */
    BlockSums build() {
      if (cells.length != 1) {
        throw new IllegalStateException("expected one group, got " + cells.length);
      }
      Packer p = new Packer();
      pack(p, cells[0], all[0]);
      return new BlockSums(p, new int[] {0, p.entries});
    }

    /** A block of groups {@code [from, to)} of this builder followed by their sum. */
    BlockSums buildWithSlots(int from, int to) {
      Packer p = new Packer();
      int[] groupStart = new int[to - from + 2];
      int keys = 0;
      for (int g = from; g < to; g++) {
        pack(p, cells[g], all[g]);
        groupStart[g - from + 1] = p.entries;
        keys = Math.max(keys, cells[g].length);
      }
      Cell[] whole = new Cell[keys];
      Cell wholeAll = new Cell();
      for (int g = from; g < to; g++) {
        Cell[] row = cells[g];
        for (int key = 0; key < row.length; key++) {
          Cell c = row[key];
          if (c != null) {
            if (whole[key] == null) {
              whole[key] = new Cell();
            }
            whole[key].add(c, schema);
          }
        }
        wholeAll.add(all[g], schema);
      }
      pack(p, whole, wholeAll);
      groupStart[to - from + 1] = p.entries;
      return new BlockSums(p, groupStart);
    }

    private void pack(Packer p, Cell[] row, Cell allCell) {
      int before = p.entries;
      for (int key = 0; key < row.length; key++) {
        Cell c = row[key];
        if (c != null && !c.isEmpty()) {
          p.add(key, c, schema);
        }
      }
      if (p.entries > before) {
        p.add(ALL, allCell, schema);
      }
    }
  }

  /** One group's sums of one key while building. */
  private static final class Cell {
    Histogram single;
    HistogramSum sum;
    final long[] status = new long[STATUS];

    /** Adds another cell. */
    void add(Cell c, int schema) {
      if (c.single != null) {
        addHistogram(c.single, schema);
      } else if (c.sum != null) {
        toSum(schema).add(c.sum);
      }
      for (int s = 0; s < STATUS; s++) {
        status[s] += c.status[s];
      }
    }

    void addHistogram(Histogram h, int schema) {
      if (sum == null && single == null) {
        single = h; // the common case: one sample per slot and key, stored as it is
        return;
      }
      toSum(schema).add(h);
    }

    HistogramSum toSum(int schema) {
      if (sum == null) {
        sum = new HistogramSum(schema);
        if (single != null) {
          sum.add(single);
          single = null;
        }
      }
      return sum;
    }

    boolean isEmpty() {
      boolean latency = single != null ? single.count() == 0 : sum == null || sum.isEmpty();
      if (!latency) {
        return false;
      }
      for (long s : status) {
        if (s != 0) {
          return false;
        }
      }
      return true;
    }
  }

  /** Growing arrays that entries are packed into. */
  private static final class Packer {
    int entries;
    int[] keys = new int[16];
    long[] status = new long[16 * STATUS];
    double[] count = new double[16];
    double[] sum = new double[16];
    double[] zero = new double[16];
    int[] bucketStart = new int[17];
    int[] indexStart = new int[17];
    int[] firstIndex = new int[16];
    Histogram[] others = new Histogram[16];
    boolean hasOthers;
    boolean wholeCounts = true;
    double[] counts = new double[256];
    int[] indexes = new int[256];

    void add(int key, Cell c, int schema) {
      if (entries == keys.length) {
        int n = 2 * entries;
        keys = Arrays.copyOf(keys, n);
        status = Arrays.copyOf(status, n * STATUS);
        count = Arrays.copyOf(count, n);
        sum = Arrays.copyOf(sum, n);
        zero = Arrays.copyOf(zero, n);
        bucketStart = Arrays.copyOf(bucketStart, n + 1);
        indexStart = Arrays.copyOf(indexStart, n + 1);
        firstIndex = Arrays.copyOf(firstIndex, n);
        others = Arrays.copyOf(others, n);
      }
      int e = entries++;
      keys[e] = key;
      System.arraycopy(c.status, 0, status, e * STATUS, STATUS);
      int b = bucketStart[e];
      int x = indexStart[e];
      Histogram h = c.single;
      if (h != null
          && (h.schema() != schema || h.zeroThreshold() != 0.0 || h.negativeBucketCount() > 0)) {
        others[e] = h; // kept aside whole
        hasOthers = true;
      } else if (h != null) {
        int n = h.positiveBucketCount();
        int width = n == 0 ? 0 : h.positiveIndex(n - 1) - h.positiveIndex(0) + 1;
        zero[e] = h.zeroCount();
        count[e] = h.count();
        sum[e] = h.sum();
        if (isDense(n, width)) {
          firstIndex[e] = n == 0 ? 0 : h.positiveIndex(0);
          room(width, 0);
          for (int i = 0; i < n; i++) {
            counts[b + h.positiveIndex(i) - firstIndex[e]] = h.positiveCount(i);
          }
          b += width;
        } else {
          room(n, n);
          for (int i = 0; i < n; i++) {
            indexes[x + i] = h.positiveIndex(i);
            counts[b + i] = h.positiveCount(i);
          }
          b += n;
          x += n;
        }
      } else if (c.sum != null) {
        HistogramSum s = c.sum;
        s.trim();
        if (s.other() != null) {
          others[e] = s.other();
          hasOthers = true;
        }
        zero[e] = s.zeroCount();
        count[e] = s.denseCount();
        sum[e] = s.denseSum();
        int width = s.width();
        int first = s.firstIndex();
        int n = 0;
        for (int i = 0; i < width; i++) {
          n += s.bucket(first + i) != 0 ? 1 : 0;
        }
        if (isDense(n, width)) {
          firstIndex[e] = first;
          room(width, 0);
          for (int i = 0; i < width; i++) {
            counts[b + i] = s.bucket(first + i);
          }
          b += width;
        } else {
          room(n, n);
          for (int i = 0, j = 0; i < width; i++) {
            double v = s.bucket(first + i);
            if (v != 0) {
              indexes[x + j] = first + i;
              counts[b + j] = v;
              j++;
            }
          }
          b += n;
          x += n;
        }
      }
      bucketStart[e + 1] = b;
      indexStart[e + 1] = x;
      wholeCounts &= HistogramSum.isWhole(zero[e]);
      for (int i = bucketStart[e]; i < b && wholeCounts; i++) {
        wholeCounts = HistogramSum.isWhole(counts[i]);
      }
    }

    /** Dense when at least a third of the range is used: a dense add is about 3x cheaper. */
    private static boolean isDense(int nonEmpty, int width) {
      return 3L * nonEmpty >= width;
    }

    private void room(int moreCounts, int moreIndexes) {
      int b = bucketStart[entries - 1] + moreCounts;
      if (b > counts.length) {
        counts = Arrays.copyOf(counts, Math.max(b, 2 * counts.length));
      }
      int x = indexStart[entries - 1] + moreIndexes;
      if (x > indexes.length) {
        indexes = Arrays.copyOf(indexes, Math.max(x, 2 * indexes.length));
      }
    }
  }
}
