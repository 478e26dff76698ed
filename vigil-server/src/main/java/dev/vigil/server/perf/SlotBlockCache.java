package dev.vigil.server.perf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Summed request data of whole minutes, ten-minute spans and hours, so that a 24-hour read adds
 * about 23 hour blocks and at most a dozen shorter blocks and a few slots at each edge per
 * endpoint, instead of 8,640 slots (measured: 2.5 s for 200 endpoints read slot by slot).
 *
 * <p>Assumptions and guarantees: ingest calls {@link #invalidate} for every slot it wrote, after
 * its commit returned. Each block has a generation, bumped by an invalidation; a loaded block is
 * cached only if its generation did not move while it was loaded, so a block that raced with a
 * write is used by that one read and never cached stale. Entries are bounded per level and evicted
 * least recently used; the maps are guarded by their own monitors, generations are atomics.
 */
final class SlotBlockCache {

  /** Block lengths, shortest first: a minute, ten minutes, an hour. */
  static final long[] LENGTHS = {60_000, 600_000, 3_600_000};

  private final Lru[] levels;
  private final ConcurrentHashMap<Long, AtomicLong> generations = new ConcurrentHashMap<>();

  /** A cache keeping at most {@code max[level]} blocks of each length. */
  SlotBlockCache(int... max) {
    levels = new Lru[LENGTHS.length];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new Lru(max[i]);
    }
  }

  /** Forgets every block holding the slot at {@code slotMillis}. */
  void invalidate(long slotMillis) {
    for (int level = 0; level < LENGTHS.length; level++) {
      long start = Math.floorDiv(slotMillis, LENGTHS[level]) * LENGTHS[level];
      generationOf(level, start).incrementAndGet();
      levels[level].remove(start);
    }
  }

  /** The block of {@code level} starting at {@code start}, loaded if absent or stale. */
  BlockSums get(int level, long start, Supplier<BlockSums> loader) {
    AtomicLong gen = generationOf(level, start);
    long before = gen.get();
    BlockSums cached = levels[level].get(start);
    if (cached != null && cached.generation() == before) {
      return cached;
    }
    BlockSums loaded = loader.get().withGeneration(before);
    if (gen.get() == before) {
      levels[level].put(start, loaded);
    }
    return loaded;
  }

  /** The current generation of a block, to pass to {@link #offer} after loading it. */
  long generation(int level, long start) {
    return generationOf(level, start).get();
  }

  /** Caches a block loaded while its generation was {@code generation}, unless it moved since. */
  void offer(int level, long start, BlockSums block, long generation) {
    if (generationOf(level, start).get() == generation) {
      levels[level].put(start, block.withGeneration(generation));
    }
  }

  private AtomicLong generationOf(int level, long start) {
    // Block starts are multiples of 60,000, so the level fits in the low bits without collisions.
    return generation(start * LENGTHS.length + level);
  }

  private AtomicLong generation(long key) {
    return generations.computeIfAbsent(key, k -> new AtomicLong());
  }

  /** Blocks cached, for tests. */
  int size() {
    int n = 0;
    for (Lru l : levels) {
      n += l.size();
    }
    return n;
  }

  /** A bounded least-recently-used map; every method holds this object's monitor. */
  private static final class Lru {
    private final LinkedHashMap<Long, BlockSums> map;

    Lru(int max) {
      this.map =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, BlockSums> eldest) {
              return size() > max;
            }
          };
    }

    synchronized BlockSums get(long key) {
      return map.get(key);
    }

    synchronized void put(long key, BlockSums value) {
      map.put(key, value);
    }

    synchronized void remove(long key) {
      map.remove(key);
    }

    synchronized int size() {
      return map.size();
    }
  }
}
