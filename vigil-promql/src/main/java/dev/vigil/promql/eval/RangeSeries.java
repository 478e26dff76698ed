package dev.vigil.promql.eval;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;

/**
 * The samples of one series over a time span, stale markers removed: the data a range-vector
 * function slides its windows over.
 */
final class RangeSeries {
  final Labels labels;
  final boolean dropName;
  final long[] t;
  final double[] f;
  final Histogram[] h; // null when the series holds floats only
  final int size;

  RangeSeries(Labels labels, boolean dropName, long[] t, double[] f, Histogram[] h, int size) {
    this.labels = labels;
    this.dropName = dropName;
    this.t = t;
    this.f = f;
    this.h = h;
    this.size = size;
  }

  /** The first index whose timestamp is greater than {@code time}. */
  int after(long time) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] <= time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  boolean isHistogram(int i) {
    return h != null && h[i] != null;
  }
}
