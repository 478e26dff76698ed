package dev.vigil.server.perf;

import dev.vigil.model.Histogram;

/**
 * A sum of schema-7 latency histograms in one dense array of bucket counts, with the statistics the
 * API needs computed on the array directly; reusable after {@link #reset}.
 *
 * <p>Why dense: summing a day of slots this way is a tight loop over arrays; building a {@link
 * Histogram} per step costs a TreeMap insertion per bucket (measured: 50 ms of a 60 ms 24-hour read
 * for 200 endpoints). Quantiles follow Prometheus 3's native-histogram rule exactly as {@link
 * Histogram#quantile} does for a histogram with only positive buckets and a zero bucket of width 0
 * (rank from the nearer end, exponential interpolation within the bucket); HistogramSumTest checks
 * them against it. Histograms of another schema or zero threshold are merged aside the slow way.
 *
 * <p>The array may be wider than the buckets in use: {@code lo..hi} is the range touched since the
 * last reset, and every scan stays within it. Not thread-safe; a sum held by a cached block is
 * never added to again.
 */
final class HistogramSum {

  private static final double LOG2_E = 1.4426950408889634; // 1 / ln 2

  private final int schema;
  private double[] counts = new double[0];
  private int base; // bucket index of counts[0]
  private int lo = Integer.MAX_VALUE; // touched positions in counts, lo > hi when none
  private int hi = Integer.MIN_VALUE;
  private double zeroCount;
  private double count;
  private double sum;
  private Histogram other;
  // Whether every count added (buckets and zero bucket) was a non-negative integer below 2^53:
  // then every partial sum is exact in any order, which the fast scans below rely on.
  private boolean whole = true;

  HistogramSum(int schema) {
    this.schema = schema;
  }

  int schema() {
    return schema;
  }

  /** Forgets everything added, keeping the array for the next sum. */
  void reset() {
    if (lo <= hi) {
      java.util.Arrays.fill(counts, lo, hi + 1, 0.0);
    }
    lo = Integer.MAX_VALUE;
    hi = Integer.MIN_VALUE;
    zeroCount = 0;
    count = 0;
    sum = 0;
    other = null;
    whole = true;
  }

  /** Adds a histogram. */
  void add(Histogram h) {
    if (h.schema() != schema || h.zeroThreshold() != 0.0 || h.negativeBucketCount() > 0) {
      addOther(h);
      return;
    }
    int n = h.positiveBucketCount();
    if (n > 0) {
      ensure(h.positiveIndex(0), h.positiveIndex(n - 1));
      for (int i = 0; i < n; i++) {
        double c = h.positiveCount(i);
        counts[h.positiveIndex(i) - base] += c;
        whole &= isWhole(c);
      }
    }
    whole &= isWhole(h.zeroCount());
    addTotals(h.zeroCount(), h.count(), h.sum());
  }

  /** Whether {@code c} is a non-negative integer that sums of counts can hold exactly. */
  static boolean isWhole(double c) {
    return c >= 0 && c < 0x1p40 && c == Math.rint(c);
  }

  /**
   * Notes that counts added with {@link #addDense}, {@link #addSparse} or {@link #addTotals} may be
   * fractional or negative; callers that cannot tell must call it.
   */
  void notWhole() {
    whole = false;
  }

  /** Adds count, sum and zero count of buckets added separately. */
  void addTotals(double zeroCount, double count, double sum) {
    this.zeroCount += zeroCount;
    this.count += count;
    this.sum += sum;
  }

  /** Merges a histogram of another schema or zero bucket aside. */
  void addOther(Histogram h) {
    other = other == null ? h : other.merge(h);
  }

  /**
   * Adds {@code n} consecutive buckets from index {@code firstIndex}, counts from {@code c[from]}.
   */
  void addDense(int firstIndex, double[] c, int from, int n) {
    if (n == 0) {
      return;
    }
    ensure(firstIndex, firstIndex + n - 1);
    double[] a = counts;
    int shift = firstIndex - base - from;
    for (int i = from, end = from + n; i < end; i++) {
      a[i + shift] += c[i];
    }
  }

  /**
   * Adds {@code n} buckets with indexes {@code idx[idxFrom..]} (ascending) and counts {@code
   * c[from..]}.
   */
  void addSparse(int[] idx, int idxFrom, double[] c, int from, int n) {
    if (n == 0) {
      return;
    }
    ensure(idx[idxFrom], idx[idxFrom + n - 1]);
    double[] a = counts;
    int shift = idxFrom - from;
    int b = base;
    for (int i = from, end = from + n; i < end; i++) {
      a[idx[i + shift] - b] += c[i];
    }
  }

  /** Adds another sum. */
  void add(HistogramSum s) {
    if (s.lo <= s.hi) {
      addDense(s.base + s.lo, s.counts, s.lo, s.hi - s.lo + 1);
    }
    addTotals(s.zeroCount, s.count, s.sum);
    whole &= s.whole;
    if (s.other != null) {
      addOther(s.other);
    }
  }

  /** Trims the array to the touched range, for a sum that is kept. */
  void compact() {
    trim();
    if (lo > hi) {
      counts = new double[0];
      lo = Integer.MAX_VALUE;
      hi = Integer.MIN_VALUE;
    } else if (lo > 0 || hi < counts.length - 1) {
      counts = java.util.Arrays.copyOfRange(counts, lo, hi + 1);
      base += lo;
      hi -= lo;
      lo = 0;
    }
  }

  /** Narrows {@code lo..hi} to the non-empty buckets. */
  void trim() {
    while (lo <= hi && counts[lo] == 0) {
      lo++;
    }
    while (hi >= lo && counts[hi] == 0) {
      hi--;
    }
    if (lo > hi) {
      lo = Integer.MAX_VALUE;
      hi = Integer.MIN_VALUE;
    }
  }

  /** Index of the lowest touched bucket (call {@link #trim} first for the lowest non-empty). */
  int firstIndex() {
    return base + lo;
  }

  /** Touched buckets from {@link #firstIndex}, 0 when none. */
  int width() {
    return lo > hi ? 0 : hi - lo + 1;
  }

  /** Count of bucket {@code index}. */
  double bucket(int index) {
    int i = index - base;
    return i < 0 || i >= counts.length ? 0 : counts[i];
  }

  /** Observations in the zero bucket, of the dense part. */
  double zeroCount() {
    return zeroCount;
  }

  /** Observations of the dense part (without what was merged aside). */
  double denseCount() {
    return count;
  }

  /** Sum of the dense part's observations (without what was merged aside). */
  double denseSum() {
    return sum;
  }

  /** Histogram merged aside, or null. */
  Histogram other() {
    return other;
  }

  private void ensure(int first, int last) {
    int from = first - base;
    int to = last - base;
    if (from < 0 || to >= counts.length) {
      grow(first, last);
      from = first - base;
      to = last - base;
    }
    if (from < lo) {
      lo = from;
    }
    if (to > hi) {
      hi = to;
    }
  }

  private void grow(int first, int last) {
    if (lo > hi && last - first + 1 <= counts.length) {
      // Empty: re-centre the array we have on the new range.
      base = first - (counts.length - (last - first + 1)) / 2;
      return;
    }
    int newBase = lo > hi ? first : Math.min(base + lo, first);
    int newEnd = lo > hi ? last + 1 : Math.max(base + hi + 1, last + 1);
    // Grow with slack so that a spreading range does not copy on every addition.
    int slack = Math.max(32, (newEnd - newBase) / 2);
    newBase -= slack;
    newEnd += slack;
    double[] grown = new double[newEnd - newBase];
    if (lo <= hi) {
      System.arraycopy(counts, lo, grown, base + lo - newBase, hi - lo + 1);
      lo += base - newBase;
      hi += base - newBase;
    }
    counts = grown;
    base = newBase;
  }

  /** A sum with another schema folded in is answered through a merged histogram. */
  private Histogram fallback() {
    return other == null ? null : histogram();
  }

  /** Whether nothing was added. */
  boolean isEmpty() {
    return count == 0 && other == null;
  }

  /** Observations. */
  double count() {
    Histogram f = fallback();
    return f != null ? f.count() : count;
  }

  /** Sum of observations. */
  double sum() {
    Histogram f = fallback();
    return f != null ? f.sum() : sum;
  }

  /** The q-quantile by Prometheus' native-histogram rule. */
  double quantile(double q) {
    Histogram f = fallback();
    if (f != null) {
      return f.quantile(q);
    }
    if (count == 0) {
      return Double.NaN;
    }
    // As the model: with NaN observations (a NaN sum) only a forward scan finds the right rank.
    boolean forward = Double.isNaN(sum) || q < 0.5;
    double rank = forward ? q * count : (1 - q) * count;
    double cumulative = 0;
    int k = Integer.MIN_VALUE; // position in counts; -1 stands for the zero bucket
    double bucketCount = 0;
    if (forward) {
      if (zeroCount > 0) {
        cumulative = zeroCount;
        bucketCount = zeroCount;
        k = -1;
      }
      for (int i = lo; i <= hi && (k == Integer.MIN_VALUE || cumulative < rank); i++) {
        if (counts[i] != 0) {
          cumulative += counts[i];
          bucketCount = counts[i];
          k = i;
        }
      }
    } else {
      for (int i = hi; i >= lo && (k == Integer.MIN_VALUE || cumulative < rank); i--) {
        if (counts[i] != 0) {
          cumulative += counts[i];
          bucketCount = counts[i];
          k = i;
        }
      }
      if ((k == Integer.MIN_VALUE || cumulative < rank) && zeroCount > 0) {
        cumulative += zeroCount;
        bucketCount = zeroCount;
        k = -1;
      }
    }
    if (k == -1 || k == Integer.MIN_VALUE) {
      return 0; // the zero bucket of width 0
    }
    cumulative = Math.min(cumulative, count);
    double lower = Histogram.lowerBound(base + k, schema);
    double upper = Histogram.upperBound(base + k, schema);
    if (cumulative < rank) {
      return upper; // the rank lies beyond every bucket (NaN observations, negative counts)
    }
    double r = forward ? rank - (cumulative - bucketCount) : cumulative - rank;
    double fraction = r / bucketCount;
    double logLower = log2(lower);
    double logUpper = log2(upper);
    double result = Math.pow(2, logLower + (logUpper - logLower) * fraction);
    return Math.max(lower, Math.min(upper, result));
  }

  /**
   * The quantiles {@code qs} (each at least 0.5, in descending order) into {@code out}, in one pass
   * from the top: each equals {@link #quantile} of it, since every rank is reached by the same
   * sequence of additions that a pass for that quantile alone makes.
   */
  void upperQuantiles(double[] qs, double[] out) {
    Histogram f = fallback();
    if (f != null || count == 0 || Double.isNaN(sum)) {
      for (int j = 0; j < qs.length; j++) {
        out[j] = quantile(qs[j]);
      }
      return;
    }
    double cumulative = 0;
    int k = Integer.MIN_VALUE;
    double bucketCount = 0;
    int i = hi;
    // With whole counts (see `whole`), four buckets that cannot reach the rank are added at once,
    // exactly: with counts >= 0 no bucket inside them would have stopped a one-by-one scan. The
    // bucket such a scan would have stopped on last, the lowest non-empty one of the four, is only
    // looked for when needed: `chunk` is the lowest of the last four added at once that were not
    // all empty.
    boolean fast = whole && count < 0x1p40;
    int chunk = -1;
    for (int j = 0; j < qs.length; j++) {
      double q = qs[j];
      if (q < 0.5 || (j > 0 && q > qs[j - 1])) {
        throw new IllegalArgumentException("quantiles must be >= 0.5 and descending: " + q);
      }
      double rank = (1 - q) * count;
      while (i >= lo && (k == Integer.MIN_VALUE || cumulative < rank)) {
        if (fast && k != Integer.MIN_VALUE && i - 3 >= lo) {
          double four = (counts[i] + counts[i - 1]) + (counts[i - 2] + counts[i - 3]);
          if (cumulative + four < rank) {
            if (four != 0) {
              chunk = i - 3;
            }
            cumulative += four;
            i -= 4;
            continue;
          }
        }
        if (counts[i] != 0) {
          cumulative += counts[i];
          bucketCount = counts[i];
          k = i;
          chunk = -1;
        }
        i--;
      }
      if (chunk >= 0) {
        for (int m = chunk; ; m++) {
          if (counts[m] != 0) {
            k = m;
            bucketCount = counts[m];
            break;
          }
        }
        chunk = -1;
      }
      if ((k == Integer.MIN_VALUE || cumulative < rank) && zeroCount > 0) {
        out[j] = 0; // the zero bucket of width 0
      } else if (k == Integer.MIN_VALUE) {
        out[j] = 0;
      } else {
        double c = Math.min(cumulative, count);
        out[j] =
            c < rank
                ? Histogram.upperBound(base + k, schema) // as quantile(): beyond every bucket
                : interpolate(k, c - rank, bucketCount);
      }
    }
  }

  /** Exponential interpolation in the bucket at position {@code k}, {@code r} of its count in. */
  private double interpolate(int k, double r, double bucketCount) {
    double lower = Histogram.lowerBound(base + k, schema);
    double upper = Histogram.upperBound(base + k, schema);
    double fraction = r / bucketCount;
    double logLower = log2(lower);
    double logUpper = log2(upper);
    double result = Math.pow(2, logLower + (logUpper - logLower) * fraction);
    return Math.max(lower, Math.min(upper, result));
  }

  /** log2 as vigil-model computes it (frexp, then ln of the fraction), for identical results. */
  private static double log2(double x) {
    int exp = Math.getExponent(x) + 1; // bounds here are normal numbers
    double frac = Math.scalb(x, -exp);
    return frac == 0.5 ? exp - 1 : Math.log(frac) * LOG2_E + exp;
  }

  /**
   * Apdex with threshold t: a bucket counts as satisfied when its upper bound is at most t,
   * tolerating when at most 4t (see {@link Apdex}). The two bucket ranges are found once instead of
   * computing every bucket's bound (that cost 9% of a one-hour read).
   */
  double apdex(double t) {
    Histogram f = fallback();
    if (f != null) {
      return Apdex.score(f, t);
    }
    if (count <= 0) {
      return 1.0;
    }
    int satisfiedLast = Math.min(hi, Apdex.lastIndexAtMost(t, schema) - base);
    int toleratingLast = Math.min(hi, Apdex.lastIndexAtMost(4 * t, schema) - base);
    // Empty buckets add +0.0, which changes no sum: the same result as adding non-empty ones only.
    // Whole counts sum exactly in any order, so four sums run side by side.
    boolean fast = whole && count < 0x1p40;
    double satisfied = sum(zeroCount, lo, satisfiedLast, fast);
    double tolerating = sum(0, Math.max(lo, satisfiedLast + 1), toleratingLast, fast);
    return (satisfied + tolerating / 2) / count;
  }

  /**
   * {@code start} plus the counts at positions {@code from..to}, in order unless {@code anyOrder}.
   */
  private double sum(double start, int from, int to, boolean anyOrder) {
    double s0 = start;
    int i = from;
    if (anyOrder) {
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (; i + 3 <= to; i += 4) {
        s0 += counts[i];
        s1 += counts[i + 1];
        s2 += counts[i + 2];
        s3 += counts[i + 3];
      }
      s0 += s1 + s2 + s3;
    }
    for (; i <= to; i++) {
      s0 += counts[i];
    }
    return s0;
  }

  /** Lower bound of the lowest non-empty bucket, 0 with observations in the zero bucket. */
  double lowestBound() {
    Histogram f = fallback();
    if (f != null) {
      return f.zeroCount() > 0 || f.positiveBucketCount() == 0
          ? 0
          : Histogram.lowerBound(f.positiveIndex(0), f.schema());
    }
    if (zeroCount > 0) {
      return 0;
    }
    for (int i = lo; i <= hi; i++) {
      if (counts[i] != 0) {
        return Histogram.lowerBound(base + i, schema);
      }
    }
    return 0;
  }

  /** Upper bound of the highest non-empty bucket. */
  double highestBound() {
    Histogram f = fallback();
    if (f != null) {
      int n = f.positiveBucketCount();
      return n == 0 ? 0 : Histogram.upperBound(f.positiveIndex(n - 1), f.schema());
    }
    for (int i = hi; i >= lo; i--) {
      if (counts[i] != 0) {
        return Histogram.upperBound(base + i, schema);
      }
    }
    return 0;
  }

  /** The sum as one histogram (slow: for tests and the rare mixed-schema case). */
  Histogram histogram() {
    var b = Histogram.builder(schema).zeroThreshold(0.0).zeroCount(zeroCount).sum(sum).count(count);
    for (int i = lo; i <= hi; i++) {
      if (counts[i] != 0) {
        b.addPositive(base + i, counts[i]);
      }
    }
    Histogram h = b.build();
    return other == null ? h : h.merge(other);
  }
}
