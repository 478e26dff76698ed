package dev.vigil.server.perf;

import dev.vigil.model.Labels;
import dev.vigil.server.http.TimeRange;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the request series of a window and sums them per endpoint (method and route, over every
 * service and instance unless one service is asked for). A window holds the slots whose start lies
 * in {@code [start, end]}: an event counts in the window of its own timestamp's slot.
 *
 * <p>The slots of a window are taken as whole hours, ten-minute spans and minutes from a {@link
 * SlotBlockCache} where they fit, and read from the store only at the ragged edges (under a minute
 * each side). Ingest must call {@link #invalidate} for every slot it wrote.
 */
public final class RequestStatsReader {

  private final Storage storage;
  private final SlotBlockCache cache;

  /**
   * A reader of {@code storage} caching the last 3 hours of minutes, 24 hours of ten-minute blocks
   * and 8 days of hours at most (a block holds one histogram per endpoint).
   */
  public RequestStatsReader(Storage storage) {
    this.storage = storage;
    this.cache = new SlotBlockCache(180, 144, 192);
  }

  /** Forgets cached sums holding the slot at {@code slotMillis}; call after a commit into it. */
  public void invalidate(long slotMillis) {
    cache.invalidate(slotMillis);
  }

  /** Every endpoint with requests in the window; {@code service} null for all services. */
  List<EndpointStats> read(TimeRange range, String service) {
    long slot = RequestSeries.SLOT_MILLIS;
    long a = Math.floorDiv(range.startMillis() + slot - 1, slot) * slot; // first slot >= start
    long b = RequestSeries.slot(range.endMillis()) + slot; // after the last slot <= end
    BlockSums.Builder sums = new BlockSums.Builder();
    while (a < b) {
      int level = SlotBlockCache.LENGTHS.length - 1;
      while (level >= 0
          && (a % SlotBlockCache.LENGTHS[level] != 0 || a + SlotBlockCache.LENGTHS[level] > b)) {
        level--;
      }
      if (level >= 0) {
        sums.addEndpoints(block(level, a), service);
        a += SlotBlockCache.LENGTHS[level];
      } else {
        long minute = SlotBlockCache.LENGTHS[0];
        long next = Math.min(b, (Math.floorDiv(a, minute) + 1) * minute);
        sums.addEndpoints(span(a, next), service);
        a = next;
      }
    }
    List<EndpointStats> out = new ArrayList<>();
    for (Map.Entry<BlockSums.Key, BlockSums.Sums> e : sums.build().endpoints().entrySet()) {
      out.add(
          new EndpointStats(
              e.getKey().method(),
              e.getKey().route(),
              e.getValue().latency(),
              e.getValue().statusCounts()));
    }
    return out;
  }

  /**
   * A block from the cache. A missing block is read from the store in one pass over its whole span
   * (the store decodes a chunk from its start on every read, so sixty one-minute reads of an hour
   * cost sixty times one hour read); the minutes read on the way are offered to the cache too.
   */
  private BlockSums block(int level, long start) {
    return cache.get(level, start, () -> load(level, start));
  }

  private BlockSums load(int level, long start) {
    long minute = SlotBlockCache.LENGTHS[0];
    long length = SlotBlockCache.LENGTHS[level];
    int minutes = (int) (length / minute);
    long[] generations = new long[minutes];
    for (int i = 0; i < minutes; i++) {
      generations[i] = cache.generation(0, start + i * minute);
    }
    BlockSums[] read = span(start, start + length, minute);
    BlockSums.Builder total = new BlockSums.Builder();
    for (int i = 0; i < minutes; i++) {
      total.addAll(read[i]);
      if (level > 0) {
        cache.offer(0, start + i * minute, read[i], generations[i]);
      }
    }
    return total.build();
  }

  /** Sums the slots in {@code [from, to)} read from the store. */
  private BlockSums span(long from, long to) {
    return span(from, to, to - from)[0];
  }

  /** Sums the slots in {@code [from, to)} read from the store, in groups of {@code group} ms. */
  private BlockSums[] span(long from, long to, long group) {
    int groups = (int) ((to - from + group - 1) / group);
    BlockSums.Builder[] b = new BlockSums.Builder[groups];
    for (int i = 0; i < groups; i++) {
      b[i] = new BlockSums.Builder();
    }
    try (Querier q = storage.querier(from, to - 1)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.DURATION))) {
        Labels l = s.labels();
        BlockSums.Key k = new BlockSums.Key(l.get("service"), l.get("method"), l.get("route"));
        SampleCursor c = s.cursor();
        while (c.next()) {
          long t = c.timestampMillis();
          if (c.isHistogram() && t >= from && t < to) {
            b[(int) ((t - from) / group)].addHistogram(k, c.histogram());
          }
        }
      }
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, RequestSeries.REQUESTS))) {
        Labels l = s.labels();
        int cls = RequestSeries.statusClassIndex(l.get("status"));
        if (cls < 0) {
          continue;
        }
        BlockSums.Key k = new BlockSums.Key(l.get("service"), l.get("method"), l.get("route"));
        SampleCursor c = s.cursor();
        while (c.next()) {
          long t = c.timestampMillis();
          if (!c.isHistogram() && t >= from && t < to) {
            b[(int) ((t - from) / group)].addCount(k, cls, Math.round(c.value()));
          }
        }
      }
    }
    BlockSums[] out = new BlockSums[groups];
    for (int i = 0; i < groups; i++) {
      out[i] = b[i].build();
    }
    return out;
  }
}
