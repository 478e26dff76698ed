package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The head's inverted index: label name to label value to the sorted ids of the series that have
 * it, plus the list of all ids.
 *
 * <p><b>Assumptions and guarantees.</b> Guarded by a read/write lock. Lookups take the read lock
 * and only copy out id arrays (matchers are evaluated against the distinct values of one name, not
 * against series), so they are short and run in parallel with each other. Adding or removing a
 * series takes the write lock; ids are assigned in increasing order, so adding appends to each list
 * in amortised O(1). Sample appends never touch the index, so queries do not slow ingest.
 */
final class MemPostings {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, TreeMap<String, IdList>> index = new HashMap<>(); // guarded by lock
  private final IdList all = new IdList(); // guarded by lock

  /** Indexes series {@code id} under each of its labels. */
  void add(long id, Labels labels) {
    lock.writeLock().lock();
    try {
      all.add(id);
      for (int i = 0; i < labels.size(); i++) {
        index
            .computeIfAbsent(labels.name(i), n -> new TreeMap<>(LabelOrder.VALUES))
            .computeIfAbsent(labels.value(i), v -> new IdList())
            .add(id);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes series {@code id}, which has {@code labels}, dropping lists that become empty. */
  void remove(long id, Labels labels) {
    lock.writeLock().lock();
    try {
      all.remove(id);
      for (int i = 0; i < labels.size(); i++) {
        TreeMap<String, IdList> values = index.get(labels.name(i));
        if (values == null) {
          continue;
        }
        IdList ids = values.get(labels.value(i));
        if (ids != null && ids.remove(id) && ids.size == 0) {
          values.remove(labels.value(i));
          if (values.isEmpty()) {
            index.remove(labels.name(i));
          }
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Ids of the series matching every matcher, with Prometheus' semantics: a matcher that matches
   * the empty string also matches series without the label, so it subtracts the series whose value
   * does not match instead of intersecting with those whose value does.
   */
  long[] select(Matcher... matchers) {
    lock.readLock().lock();
    try {
      List<long[]> intersect = new ArrayList<>();
      List<long[]> subtract = new ArrayList<>();
      for (Matcher m : matchers) {
        boolean matchesEmpty = m.matches("");
        if (m.type() == Matcher.Type.EQUAL && !matchesEmpty) {
          IdList ids = valuesOf(m.name()).get(m.value());
          intersect.add(ids == null ? Postings.EMPTY : ids.toArray());
          continue;
        }
        List<long[]> lists = new ArrayList<>();
        for (Map.Entry<String, IdList> e : valuesOf(m.name()).entrySet()) {
          if (m.matches(e.getKey()) != matchesEmpty) {
            lists.add(e.getValue().toArray());
          }
        }
        (matchesEmpty ? subtract : intersect).add(Postings.union(lists));
      }
      long[] result = intersect.isEmpty() ? all.toArray() : intersect.get(0);
      for (int i = 1; i < intersect.size(); i++) {
        result = Postings.intersect(result, intersect.get(i));
      }
      for (long[] s : subtract) {
        result = Postings.subtract(result, s);
      }
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  private TreeMap<String, IdList> valuesOf(String name) {
    TreeMap<String, IdList> values = index.get(name);
    return values == null ? new TreeMap<>() : values;
  }

  /** A growable sorted list of ids. */
  private static final class IdList {
    private long[] ids = new long[2];
    private int size;

    void add(long id) {
      if (size == ids.length) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      if (size == 0 || ids[size - 1] < id) {
        ids[size++] = id; // ids grow, so this is the common case
        return;
      }
      int at = Arrays.binarySearch(ids, 0, size, id);
      if (at >= 0) {
        return;
      }
      at = -at - 1;
      System.arraycopy(ids, at, ids, at + 1, size - at);
      ids[at] = id;
      size++;
    }

    boolean remove(long id) {
      int at = Arrays.binarySearch(ids, 0, size, id);
      if (at < 0) {
        return false;
      }
      System.arraycopy(ids, at + 1, ids, at, size - at - 1);
      size--;
      if (size < ids.length / 4 && ids.length > 8) {
        ids = Arrays.copyOf(ids, size * 2);
      }
      return true;
    }

    long[] toArray() {
      return Arrays.copyOf(ids, size);
    }
  }
}
