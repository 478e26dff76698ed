package dev.vigil.model;

import java.util.Arrays;

/**
 * Merge, subtraction, resolution reduction and counter-reset detection of {@link Histogram}s,
 * following Prometheus' FloatHistogram (model/histogram/float_histogram.go).
 *
 * <p>Deliberate difference: Prometheus reconciles the zero buckets while each operand still has its
 * own schema and reduces resolution afterwards; a coarse bucket of the other operand can then
 * straddle the new zero threshold and is added in full although part of it already went into the
 * zero count. Here both operands are reduced to the common schema first and the zero buckets
 * reconciled in it, so no count is lost or doubled and merge is commutative. When schemas and
 * thresholds agree, the results are the same. Merge is also associative as long as every zero
 * threshold is a bucket bound in all schemas (0 or 2^(16k)); otherwise the order of reductions and
 * foldings can move a threshold differently.
 */
final class HistogramArithmetic {
  private HistogramArithmetic() {}

  /** {@code a + sign * b}, with sign 1 (merge) or -1 (subtract). */
  static Histogram combine(Histogram a, Histogram b, double sign) {
    int schema = Math.min(a.schema, b.schema);
    Histogram ra = reduce(a, schema);
    Histogram rb = reduce(b, schema);
    double threshold = commonZeroThreshold(ra, rb);
    Folded fa = fold(ra, threshold);
    Folded fb = fold(rb, threshold);
    Side positive =
        add(
            ra.positiveIndexes,
            ra.positiveCounts,
            fa.positiveFrom,
            rb.positiveIndexes,
            rb.positiveCounts,
            fb.positiveFrom,
            sign);
    Side negative =
        add(
            ra.negativeIndexes,
            ra.negativeCounts,
            fa.negativeFrom,
            rb.negativeIndexes,
            rb.negativeCounts,
            fb.negativeFrom,
            sign);
    return new Histogram(
        schema,
        threshold,
        fa.zeroCount + sign * fb.zeroCount,
        a.count + sign * b.count,
        a.sum + sign * b.sum,
        positive.indexes,
        positive.counts,
        negative.indexes,
        negative.counts);
  }

  /** {@code h} at {@code targetSchema <= h.schema}; zero bucket, count and sum unchanged. */
  static Histogram reduce(Histogram h, int targetSchema) {
    if (targetSchema == h.schema) {
      return h;
    }
    Side positive = reduce(h.positiveIndexes, h.positiveCounts, h.schema, targetSchema);
    Side negative = reduce(h.negativeIndexes, h.negativeCounts, h.schema, targetSchema);
    return new Histogram(
        targetSchema,
        h.zeroThreshold,
        h.zeroCount,
        h.count,
        h.sum,
        positive.indexes,
        positive.counts,
        negative.indexes,
        negative.counts);
  }

  /** Prometheus' DetectReset without counter-reset hints. */
  static boolean isCounterReset(Histogram current, Histogram previous) {
    if (current.count < previous.count) {
      return true;
    }
    if (current.schema > previous.schema) {
      return true; // resolution only goes up with a reset
    }
    double threshold = current.zeroThreshold;
    if (threshold < previous.zeroThreshold) {
      return true; // a zero bucket only narrows with a reset
    }
    if (widenedZeroThreshold(previous, threshold) != threshold) {
      return true; // the new threshold cuts through a populated bucket of the previous histogram
    }
    if (current.zeroCount < fold(previous, threshold).zeroCount) {
      return true;
    }
    Histogram reduced = reduce(previous, current.schema);
    return decreased(
            current.positiveIndexes,
            current.positiveCounts,
            reduced.positiveIndexes,
            reduced.positiveCounts,
            current.schema,
            threshold)
        || decreased(
            current.negativeIndexes,
            current.negativeCounts,
            reduced.negativeIndexes,
            reduced.negativeCounts,
            current.schema,
            threshold);
  }

  /**
   * Whether any bucket of {@code previous} above the zero threshold is missing or smaller in {@code
   * current}; both sides in the same schema.
   */
  private static boolean decreased(
      int[] currentIndexes,
      double[] currentCounts,
      int[] previousIndexes,
      double[] previousCounts,
      int schema,
      double threshold) {
    int j = 0;
    for (int i = 0; i < previousIndexes.length; i++) {
      int index = previousIndexes[i];
      if (BucketMath.upperBound(index, schema) <= threshold) {
        continue; // counted in the zero bucket
      }
      while (j < currentIndexes.length && currentIndexes[j] < index) {
        j++;
      }
      boolean present = j < currentIndexes.length && currentIndexes[j] == index;
      if (present ? currentCounts[j] < previousCounts[i] : previousCounts[i] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The smallest threshold >= both zero thresholds that cuts through no populated bucket of either
   * histogram (both in the same schema): Prometheus' reconcileZeroBuckets.
   */
  private static double commonZeroThreshold(Histogram a, Histogram b) {
    double threshold = Math.max(a.zeroThreshold, b.zeroThreshold);
    while (true) {
      double widenedByA = widenedZeroThreshold(a, threshold);
      double widenedByB = widenedZeroThreshold(b, widenedByA);
      if (widenedByB == threshold) {
        return threshold; // a fixed point for both, since threshold <= widenedByA <= widenedByB
      }
      threshold = widenedByB;
    }
  }

  /**
   * The threshold {@code h} would need to take {@code largerThreshold}: raised to the upper bound
   * of a populated bucket that it cuts through, repeatedly (Prometheus'
   * zeroCountForLargerThreshold). A histogram's own threshold is taken as is, as in Prometheus.
   */
  static double widenedZeroThreshold(Histogram h, double largerThreshold) {
    double t = largerThreshold;
    if (t == h.zeroThreshold) {
      return t;
    }
    assert t > h.zeroThreshold : t;
    boolean changed = true;
    while (changed) {
      t = widen(h.positiveIndexes, h.schema, t);
      double beforeNegative = t;
      t = widen(h.negativeIndexes, h.schema, t);
      // Raising the threshold on the negative side can make it cut a positive bucket: repeat.
      changed = t != beforeNegative;
    }
    return t;
  }

  private static double widen(int[] indexes, int schema, double threshold) {
    for (int index : indexes) {
      if (BucketMath.lowerBound(index, schema) >= threshold) {
        break;
      }
      double upper = BucketMath.upperBound(index, schema);
      if (upper > threshold) {
        return upper; // normalised arrays hold only populated buckets
      }
    }
    return threshold;
  }

  /** The zero count at {@code threshold} and the first bucket of each side left above it. */
  private record Folded(double zeroCount, int positiveFrom, int negativeFrom) {}

  private static Folded fold(Histogram h, double threshold) {
    if (threshold == h.zeroThreshold) {
      return new Folded(h.zeroCount, 0, 0);
    }
    double zeroCount = h.zeroCount;
    int p = 0;
    while (p < h.positiveIndexes.length
        && BucketMath.lowerBound(h.positiveIndexes[p], h.schema) < threshold) {
      zeroCount += h.positiveCounts[p++];
    }
    int n = 0;
    while (n < h.negativeIndexes.length
        && BucketMath.lowerBound(h.negativeIndexes[n], h.schema) < threshold) {
      zeroCount += h.negativeCounts[n++];
    }
    return new Folded(zeroCount, p, n);
  }

  private record Side(int[] indexes, double[] counts) {}

  private static Side reduce(int[] indexes, double[] counts, int fromSchema, int toSchema) {
    int[] outIndexes = new int[indexes.length];
    double[] outCounts = new double[indexes.length];
    int n = 0;
    for (int i = 0; i < indexes.length; i++) {
      int target = BucketMath.reduceIndex(indexes[i], fromSchema, toSchema);
      // The mapping is monotone, so equal targets are adjacent.
      if (n > 0 && outIndexes[n - 1] == target) {
        outCounts[n - 1] += counts[i];
      } else {
        if (n > 0 && outCounts[n - 1] == 0) {
          n--; // drop a bucket whose (signed) counts cancelled out
        }
        outIndexes[n] = target;
        outCounts[n] = counts[i];
        n++;
      }
    }
    if (n > 0 && outCounts[n - 1] == 0) {
      n--;
    }
    return new Side(Arrays.copyOf(outIndexes, n), Arrays.copyOf(outCounts, n));
  }

  /**
   * Merge-joins a[aFrom..] and sign * b[bFrom..], dropping buckets that end up empty. Two passes,
   * the first only counting, so that the result arrays are allocated once at their final size:
   * merging a small delta into a large histogram is dominated by copying the large one, and the
   * oversized-then-trimmed arrays used to double that.
   */
  private static Side add(
      int[] aIndexes,
      double[] aCounts,
      int aFrom,
      int[] bIndexes,
      double[] bCounts,
      int bFrom,
      double sign) {
    int n = 0;
    int i = aFrom;
    int j = bFrom;
    while (i < aIndexes.length || j < bIndexes.length) {
      if (j == bIndexes.length || (i < aIndexes.length && aIndexes[i] < bIndexes[j])) {
        n += aCounts[i++] != 0 ? 1 : 0;
      } else if (i == aIndexes.length || bIndexes[j] < aIndexes[i]) {
        n += sign * bCounts[j++] != 0 ? 1 : 0;
      } else {
        n += aCounts[i++] + sign * bCounts[j++] != 0 ? 1 : 0;
      }
    }
    int[] indexes = new int[n];
    double[] counts = new double[n];
    i = aFrom;
    j = bFrom;
    n = 0;
    while (i < aIndexes.length || j < bIndexes.length) {
      int index;
      double c;
      if (j == bIndexes.length || (i < aIndexes.length && aIndexes[i] < bIndexes[j])) {
        index = aIndexes[i];
        c = aCounts[i++];
      } else if (i == aIndexes.length || bIndexes[j] < aIndexes[i]) {
        index = bIndexes[j];
        c = sign * bCounts[j++];
      } else {
        index = aIndexes[i];
        c = aCounts[i++] + sign * bCounts[j++];
      }
      if (c != 0) {
        indexes[n] = index;
        counts[n] = c;
        n++;
      }
    }
    return new Side(indexes, counts);
  }
}
