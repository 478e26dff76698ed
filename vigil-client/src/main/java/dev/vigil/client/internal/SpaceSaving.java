package dev.vigil.client.internal;

import dev.vigil.client.UserStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted Space-Saving summary (Metwally, Agrawal, El Abbadi 2005): the heaviest keys of a stream
 * in bounded memory. Any key whose true weight exceeds total / capacity is guaranteed to be
 * present; each reported weight over-counts by at most its recorded error.
 *
 * <p>Not thread-safe: callers serialise access. Entries sit in a map and in an indexed binary
 * min-heap on weight, so an update costs O(log capacity) and never allocates once full.
 */
public final class SpaceSaving {

  private final int capacity;
  private final Map<String, Entry> byKey;
  private final Entry[] heap;
  private int size;

  /** Creates a summary that tracks at most {@code capacity} keys. */
  public SpaceSaving(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.byKey = new HashMap<>(capacity * 2);
    this.heap = new Entry[capacity];
  }

  /** Adds {@code weight} to {@code key}, which had one more request lasting {@code nanos}. */
  public void add(String key, long weight, long nanos) {
    Entry e = byKey.get(key);
    if (e == null) {
      if (size < capacity) {
        e = new Entry(key, size);
        heap[size++] = e;
        siftUp(e.heapIndex);
      } else {
        // Evict the lightest key; the newcomer inherits its weight as possible over-count.
        e = heap[0];
        byKey.remove(e.key);
        e.key = key;
        e.error = e.weight;
        e.count = 0;
        e.totalNanos = 0;
      }
      byKey.put(key, e);
    }
    e.weight += weight;
    e.count++;
    e.totalNanos += nanos;
    siftDown(e.heapIndex);
  }

  /** Number of keys tracked. */
  public int size() {
    return size;
  }

  /**
   * The {@code limit} heaviest keys, heaviest first. {@code weightIsCount} says whether the weight
   * is a request count (reported as the count) or a duration (reported as total time).
   */
  public List<UserStats> top(int limit, boolean weightIsCount) {
    List<Entry> entries = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      entries.add(heap[i]);
    }
    entries.sort(Comparator.comparingLong((Entry x) -> x.weight).reversed());
    List<UserStats> out = new ArrayList<>(Math.min(limit, entries.size()));
    for (Entry x : entries.subList(0, Math.min(limit, entries.size()))) {
      out.add(
          weightIsCount
              ? new UserStats(x.key, x.weight, x.totalNanos, x.error)
              : new UserStats(x.key, x.count, x.weight, x.error));
    }
    return out;
  }

  private void siftUp(int i) {
    Entry e = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent].weight <= e.weight) {
        break;
      }
      heap[i] = heap[parent];
      heap[i].heapIndex = i;
      i = parent;
    }
    heap[i] = e;
    e.heapIndex = i;
  }

  private void siftDown(int i) {
    Entry e = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1].weight < heap[child].weight) {
        child++;
      }
      if (heap[child].weight >= e.weight) {
        break;
      }
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = e;
    e.heapIndex = i;
  }

  /** One tracked key. */
  private static final class Entry {
    String key;
    long weight;
    long error;
    long count;
    long totalNanos;
    int heapIndex;

    Entry(String key, int heapIndex) {
      this.key = key;
      this.heapIndex = heapIndex;
    }
  }
}
