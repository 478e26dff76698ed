package dev.vigil.tsdb.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Set operations on postings lists: sorted arrays of distinct series ids. Each runs in time linear
 * in its inputs and allocates only the result.
 */
final class Postings {
  static final long[] EMPTY = new long[0];

  private Postings() {}

  /** The ids in both lists. */
  static long[] intersect(long[] a, long[] b) {
    long[] out = new long[Math.min(a.length, b.length)];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) {
        i++;
      } else if (a[i] > b[j]) {
        j++;
      } else {
        out[n++] = a[i];
        i++;
        j++;
      }
    }
    return trim(out, n);
  }

  /** The ids in {@code a} but not in {@code b}. */
  static long[] subtract(long[] a, long[] b) {
    long[] out = new long[a.length];
    int j = 0;
    int n = 0;
    for (long id : a) {
      while (j < b.length && b[j] < id) {
        j++;
      }
      if (j == b.length || b[j] != id) {
        out[n++] = id;
      }
    }
    return trim(out, n);
  }

  /** The ids in any of the lists. */
  static long[] union(List<long[]> lists) {
    if (lists.isEmpty()) {
      return EMPTY;
    }
    if (lists.size() == 1) {
      return lists.get(0);
    }
    // Pairwise merging in a balanced tree: O(total * log(lists)).
    long[][] level = lists.toArray(new long[0][]);
    int count = level.length;
    while (count > 1) {
      int next = 0;
      for (int k = 0; k < count; k += 2) {
        level[next++] = k + 1 < count ? union(level[k], level[k + 1]) : level[k];
      }
      count = next;
    }
    return level[0];
  }

  /** The ids in either list. */
  static long[] union(long[] a, long[] b) {
    long[] out = new long[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) {
        out[n++] = a[i++];
      } else if (a[i] > b[j]) {
        out[n++] = b[j++];
      } else {
        out[n++] = a[i++];
        j++;
      }
    }
    while (i < a.length) {
      out[n++] = a[i++];
    }
    while (j < b.length) {
      out[n++] = b[j++];
    }
    return trim(out, n);
  }

  private static long[] trim(long[] a, int n) {
    return n == a.length ? a : Arrays.copyOf(a, n);
  }
}
