package dev.vigil.server.perf;

import dev.vigil.model.Labels;
import dev.vigil.server.http.TimeRange;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.rollup.Resolution;
import dev.vigil.tsdb.rollup.Rollups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reads the request series of a window and sums them per endpoint (method and route, over every
 * service and instance unless one service is asked for). A window holds the slots whose start lies
 * in {@code [start, end]}: an event counts in the window of its own timestamp's slot.
 *
 * <p>A window is tiled from the left with the longest aligned blocks of a {@link SlotBlockCache}
 * that fit (256 hours down to a minute), and its ragged edges are taken slot by slot from cached
 * minutes; a block missing from the cache is read from the store, or summed from its two halves for
 * blocks longer than an hour. The blocks between the window's first and last ten-minute boundaries
 * are summed once and the sum kept while they stay current (see {@link #keep}). A window ending now
 * is thus, per endpoint, one kept sum, at most 18 minutes and the slots of 2 minutes (measured on
 * 200 endpoints over 24 hours: adding 23 hour blocks took 60% of a read, and the ten-minute blocks
 * at the edges 30% of what was left). Ingest must call {@link #invalidate} for every slot it wrote.
 *
 * <p>Thread-safe: reads run concurrently, each with its own {@link WindowSums} from a small pool.
 */
public final class RequestStatsReader {

  /** The figures of a window: every endpoint with requests, and all of them together or null. */
  record WindowStats(List<EndpointStats> endpoints, EndpointStats total) {}

  private static final long SLOT = RequestSeries.SLOT_MILLIS;
  private static final int SLOTS_PER_MINUTE = (int) (SlotBlockCache.LENGTHS[0] / SLOT);
  private static final int POOLED = 4;
  private static final int SUMS = 24;

  private final Storage storage;
  private final Rollups rollups; // null: read everything raw
  private final java.util.concurrent.atomic.AtomicLong hoursFromRollups =
      new java.util.concurrent.atomic.AtomicLong();
  private final SlotBlockCache cache;
  private final EndpointKeys keys = new EndpointKeys();
  private final ConcurrentLinkedQueue<WindowSums> pool = new ConcurrentLinkedQueue<>();

  /** Sums of the spans between the edges of recent windows; guarded by its own monitor. */
  private final Map<SpanKey, Sum> sums =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SpanKey, Sum> eldest) {
          return size() > SUMS;
        }
      };

  /** A reader of {@code storage} with the cache's default bounds. */
  public RequestStatsReader(Storage storage) {
    this(storage, null, SlotBlockCache.DEFAULT_MAX);
  }

  /**
   * A reader of {@code storage} that takes hour blocks from the hourly rollups of {@code rollups}
   * where they are complete: one sample per series instead of 360 slots, and hours past the raw
   * retention stay readable for as long as the rollups are kept.
   */
  public RequestStatsReader(Storage storage, Rollups rollups) {
    this(storage, rollups, SlotBlockCache.DEFAULT_MAX);
  }

  RequestStatsReader(Storage storage, Rollups rollups, int[] cacheBounds) {
    this.storage = storage;
    this.rollups = rollups;
    this.cache = new SlotBlockCache(cacheBounds);
  }

  /** Forgets cached sums holding the slot at {@code slotMillis}; call after a commit into it. */
  public void invalidate(long slotMillis) {
    cache.invalidate(slotMillis);
  }

  /** Hour blocks read from the rollups so far, for tests. */
  long hoursFromRollups() {
    return hoursFromRollups.get();
  }

  /** Blocks cached, for tests. */
  int cachedBlocks() {
    return cache.size();
  }

  /** Approximate heap bytes of the cached blocks and kept sums, for tests and sizing. */
  long cachedBytes() {
    long n = cache.bytes();
    synchronized (sums) {
      for (Sum s : sums.values()) {
        n += s.sum == null ? 0 : s.sum.bytes();
      }
    }
    return n;
  }

  /**
   * Every endpoint with requests in the window, and their total when {@code withTotal} (then
   * without each endpoint's quantiles, Apdex, min and max: see {@link WindowSums#stats}); {@code
   * service} null for all services.
   */
  WindowStats read(TimeRange range, String service, double apdexSeconds, boolean withTotal) {
    long a = Math.floorDiv(range.startMillis() + SLOT - 1, SLOT) * SLOT; // first slot >= start
    long b = RequestSeries.slot(range.endMillis()) + SLOT; // after the last slot <= end
    List<Part> parts = new ArrayList<>();
    long ten = SlotBlockCache.LENGTHS[SlotBlockCache.TEN_MINUTES];
    long hour = SlotBlockCache.LENGTHS[SlotBlockCache.HOUR];
    long m0 = Math.floorDiv(a + ten - 1, ten) * ten; // first ten-minute boundary in the window
    long m1 = Math.floorDiv(b, ten) * ten; // last
    if (m1 - m0 >= 2 * ten) {
      // The ten-minute blocks and hours between the ragged edges are summed once and the sums
      // kept while their blocks stay current: the part before the last whole hour as soon as it
      // is read (a window ending now keeps it for ten minutes; late events, up to an hour late
      // by default, fall after it), the recent part, and both together, once seen unchanged
      // twice in a row (they change with every late event).
      long recent = Math.max(m0, Math.floorDiv(b, hour) * hour - hour);
      List<Part> middle = new ArrayList<>();
      keep(m0, recent, tiles(m0, recent), true, middle);
      keep(recent, m1, tiles(recent, m1), false, middle);
      tile(a, m0, parts);
      keep(m0, m1, middle, false, parts); // both parts in one sum while both stay unchanged
      tile(m1, b, parts);
    } else {
      tile(a, b, parts);
    }
    // Resolved after loading: a service is known once a block with its series was read.
    int serviceId = service == null ? -1 : keys.service(service);
    WindowSums w = pool.poll();
    if (w == null) {
      w = new WindowSums();
    }
    try {
      w.begin(keys);
      // The summary of all services takes each endpoint's counts and the sum of all latencies
      // from the blocks' entries for all keys; everything else sums endpoints' histograms.
      boolean counted = withTotal && service == null;
      if (service == null || serviceId >= 0) {
        for (Part p : parts) {
          if (counted) {
            p.block.addCountsTo(w, p.fromGroup, p.toGroup, w.total());
          } else {
            p.block.addTo(w, p.fromGroup, p.toGroup, serviceId);
          }
        }
      }
      return w.stats(apdexSeconds, withTotal, counted);
    } finally {
      w.reset();
      if (pool.size() < POOLED) {
        pool.offer(w);
      }
    }
  }

  /** Groups {@code [fromGroup, toGroup)} of a block. */
  private record Part(BlockSums block, int fromGroup, int toGroup) {}

  /**
   * Tiles the slots {@code [a, b)} from the left with the longest aligned blocks that fit, and the
   * ragged edges with slots of minute blocks.
   */
  private void tile(long a, long b, List<Part> parts) {
    while (a < b) {
      int level = SlotBlockCache.LENGTHS.length - 1;
      while (level >= 0
          && (a % SlotBlockCache.LENGTHS[level] != 0 || a + SlotBlockCache.LENGTHS[level] > b)) {
        level--;
      }
      if (level >= 0) {
        BlockSums block = block(level, a);
        parts.add(new Part(block, block.whole(), block.whole() + 1));
        a += SlotBlockCache.LENGTHS[level];
      } else {
        long minute = SlotBlockCache.start(SlotBlockCache.MINUTE, a);
        long next = Math.min(b, minute + SlotBlockCache.LENGTHS[0]);
        parts.add(
            new Part(
                block(SlotBlockCache.MINUTE, minute),
                (int) ((a - minute) / SLOT),
                (int) ((next - minute) / SLOT)));
        a = next;
      }
    }
  }

  private List<Part> tiles(long from, long to) {
    List<Part> tiles = new ArrayList<>();
    tile(from, to, tiles);
    return tiles;
  }

  /**
   * Adds to {@code parts} the whole blocks {@code tiles} of {@code [from, to)}, as one kept sum if
   * one is current; else keeps their sum for later reads, always when {@code eager}, else if the
   * same blocks were seen by the previous read of this span.
   */
  private void keep(long from, long to, List<Part> tiles, boolean eager, List<Part> parts) {
    if (tiles.size() < 2) {
      parts.addAll(tiles);
      return;
    }
    BlockSums[] blocks = new BlockSums[tiles.size()];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = tiles.get(i).block;
    }
    SpanKey key = new SpanKey(from, to);
    synchronized (sums) {
      Sum kept = sums.get(key);
      if (kept != null && kept.sum != null && sameBlocks(kept.blocks, blocks)) {
        parts.add(new Part(kept.sum, 0, 1));
        return;
      }
      if (!eager && (kept == null || !sameBlocks(kept.blocks, blocks))) {
        sums.put(key, new Sum(blocks, null)); // seen once: summed if seen again unchanged
        parts.addAll(tiles);
        return;
      }
    }
    BlockSums.Builder sum = new BlockSums.Builder(1);
    for (BlockSums block : blocks) {
      sum.addBlock(0, block);
    }
    Sum kept = new Sum(blocks, sum.build());
    synchronized (sums) {
      sums.put(key, kept);
    }
    parts.add(new Part(kept.sum, 0, 1));
  }

  /**
   * Whether two lists hold the same block objects: a block from the cache is current (see {@link
   * SlotBlockCache}), and a block that changed was replaced by another object.
   */
  private static boolean sameBlocks(BlockSums[] x, BlockSums[] y) {
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] != y[i]) {
        return false;
      }
    }
    return true;
  }

  private record SpanKey(long from, long to) {}

  /** Blocks and their sum (null until summed). */
  private static final class Sum {
    final BlockSums[] blocks;
    final BlockSums sum;

    Sum(BlockSums[] blocks, BlockSums sum) {
      this.blocks = blocks;
      this.sum = sum;
    }
  }

  /** A block from the cache, loaded (and cached unless it changed meanwhile) if absent. */
  private BlockSums block(int level, long start) {
    BlockSums cached = cache.get(level, start);
    if (cached != null) {
      return cached;
    }
    long generation = cache.generation(level, start);
    BlockSums loaded = level > SlotBlockCache.HOUR ? halves(level, start) : load(level, start);
    cache.put(level, start, loaded, generation);
    return loaded;
  }

  /** A block longer than an hour as the sum of its two halves. */
  private BlockSums halves(int level, long start) {
    BlockSums.Builder b = new BlockSums.Builder(1);
    b.addBlock(0, block(level - 1, start));
    b.addBlock(0, block(level - 1, start + SlotBlockCache.LENGTHS[level - 1]));
    return b.build();
  }

  /**
   * A minute, ten-minute or hour block read from the store in one pass over its span (the store
   * decodes a chunk from its start on every read, so sixty one-minute reads of an hour cost sixty
   * times one hour read); the minutes and ten-minute blocks read on the way are offered to the
   * cache too.
   */
  private BlockSums load(int level, long start) {
    if (level == SlotBlockCache.HOUR && rollups != null) {
      long hour = Resolution.ONE_HOUR.millis();
      if (rollups.completeWindows(Resolution.ONE_HOUR, start, start + hour).length == 1) {
        return rolledUpHour(start);
      }
    }
    long length = SlotBlockCache.LENGTHS[level];
    long minute = SlotBlockCache.LENGTHS[SlotBlockCache.MINUTE];
    long tenMinutes = SlotBlockCache.LENGTHS[SlotBlockCache.TEN_MINUTES];
    int minutes = (int) (length / minute);
    // Generations before the read: a block changed during it is not cached.
    long[] minuteGenerations = new long[minutes];
    for (int i = 0; i < minutes; i++) {
      minuteGenerations[i] = cache.generation(SlotBlockCache.MINUTE, start + i * minute);
    }
    int tens = (int) (length / tenMinutes);
    long[] tenGenerations = new long[tens];
    for (int i = 0; i < tens; i++) {
      tenGenerations[i] = cache.generation(SlotBlockCache.TEN_MINUTES, start + i * tenMinutes);
    }
    BlockSums.Builder slots = span(start, start + length);
    if (level == SlotBlockCache.MINUTE) {
      return slots.buildWithSlots(0, SLOTS_PER_MINUTE);
    }
    BlockSums[] minuteBlocks = new BlockSums[minutes];
    for (int i = 0; i < minutes; i++) {
      minuteBlocks[i] = slots.buildWithSlots(i * SLOTS_PER_MINUTE, (i + 1) * SLOTS_PER_MINUTE);
      cache.put(SlotBlockCache.MINUTE, start + i * minute, minuteBlocks[i], minuteGenerations[i]);
    }
    int perTen = (int) (tenMinutes / minute);
    BlockSums.Builder total = new BlockSums.Builder(1);
    for (int t = 0; t < tens; t++) {
      BlockSums.Builder ten = new BlockSums.Builder(1);
      for (int i = t * perTen; i < (t + 1) * perTen; i++) {
        ten.addBlock(0, minuteBlocks[i]);
      }
      BlockSums tenBlock = ten.build();
      if (level == SlotBlockCache.TEN_MINUTES) {
        return tenBlock;
      }
      cache.put(SlotBlockCache.TEN_MINUTES, start + t * tenMinutes, tenBlock, tenGenerations[t]);
      total.addBlock(0, tenBlock);
    }
    return total.build();
  }

  /**
   * The hour at {@code start} from its rollup: the merged latency histogram and the summed status
   * counters of each endpoint, as the sum of its 360 slots would give (floating sums aside).
   */
  private BlockSums rolledUpHour(long start) {
    hoursFromRollups.incrementAndGet();
    BlockSums.Builder b = new BlockSums.Builder(1);
    Matcher sum = Matcher.equal(Rollups.ROLLUP_LABEL, Rollups.SUM);
    try (Querier q = rollups.querier(Resolution.ONE_HOUR, start, start)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.DURATION), sum)) {
        int key = key(s.labels());
        SampleCursor c = s.cursor();
        while (c.next()) {
          if (c.isHistogram()) {
            b.addHistogram(0, key, c.histogram());
          }
        }
      }
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.REQUESTS), sum)) {
        Labels l = s.labels();
        int cls = RequestSeries.statusClassIndex(l.get("status"));
        if (cls < 0) {
          continue;
        }
        int key = key(l);
        SampleCursor c = s.cursor();
        while (c.next()) {
          if (!c.isHistogram()) {
            b.addCount(0, key, cls, Math.round(c.value()));
          }
        }
      }
    }
    return b.build();
  }

  /** The slots in {@code [from, to)} read from the store, one builder group per slot. */
  private BlockSums.Builder span(long from, long to) {
    BlockSums.Builder b = new BlockSums.Builder((int) ((to - from) / SLOT));
    try (Querier q = storage.querier(from, to - 1)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.DURATION))) {
        int key = key(s.labels());
        SampleCursor c = s.cursor();
        while (c.next()) {
          long t = c.timestampMillis();
          if (c.isHistogram() && t >= from && t < to) {
            b.addHistogram((int) ((t - from) / SLOT), key, c.histogram());
          }
        }
      }
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.REQUESTS))) {
        Labels l = s.labels();
        int cls = RequestSeries.statusClassIndex(l.get("status"));
        if (cls < 0) {
          continue;
        }
        int key = key(l);
        SampleCursor c = s.cursor();
        while (c.next()) {
          long t = c.timestampMillis();
          if (!c.isHistogram() && t >= from && t < to) {
            b.addCount((int) ((t - from) / SLOT), key, cls, Math.round(c.value()));
          }
        }
      }
    }
    return b;
  }

  private int key(Labels l) {
    return keys.key(l.get("service"), l.get("method"), l.get("route"));
  }
}
