package dev.vigil.model;

/**
 * Prometheus 3's {@code HistogramQuantile} and {@code HistogramFraction} for native histograms
 * (promql/quantile.go), over Vigil's normalised bucket arrays.
 *
 * <p>Buckets are visited in value order as Prometheus' AllBucketIterator does: negative buckets
 * from the most negative, then the zero bucket if its count is positive, then positive buckets; a
 * bucket overlapping the zero bucket is clipped at the zero threshold. Within a bucket the quantile
 * is interpolated exponentially (linearly on a log2 scale), within the zero bucket linearly.
 * Results agree with Prometheus up to the last few ulps: Go's {@code math.Log2} and {@code
 * math.Exp2} are not bit-identical to the JDK functions used here.
 *
 * <p>Prometheus takes 0 as the lower (upper) bound of the zero bucket when the histogram has only
 * positive (negative) buckets; it counts bucket slots that may hold zeros, Vigil counts non-empty
 * buckets, which differs only for histograms Vigil never builds.
 */
final class HistogramQuantile {
  private HistogramQuantile() {}

  static double quantile(Histogram h, double q) {
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (h.count == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    // NaN observations raise the count but sit in no bucket, so with a NaN sum only forward
    // iteration finds the right rank. Otherwise iterate from the nearer end: for high quantiles
    // this keeps the rank arithmetic on small numbers, which is more precise.
    boolean forward = Double.isNaN(h.sum) || q < 0.5;
    double rank = forward ? q * h.count : (1 - q) * h.count;
    Buckets buckets = new Buckets(h);
    int n = buckets.size();
    int k = -1;
    double cumulative = 0;
    for (int step = 0; step < n; step++) {
      int candidate = forward ? step : n - 1 - step;
      double c = buckets.count(candidate);
      if (c == 0) {
        continue;
      }
      k = candidate;
      cumulative += c;
      if (cumulative >= rank) {
        break;
      }
    }
    double lower = k < 0 ? 0 : buckets.lower(k);
    double upper = k < 0 ? 0 : buckets.upper(k);
    double bucketCount = k < 0 ? 0 : buckets.count(k);
    if (lower < 0 && upper > 0) { // the zero bucket
      if (h.negativeIndexes.length == 0 && h.positiveIndexes.length > 0) {
        lower = 0;
      } else if (h.positiveIndexes.length == 0 && h.negativeIndexes.length > 0) {
        upper = 0;
      }
    }
    if (cumulative > h.count) {
      cumulative = h.count; // rounding errors can add up to more than the count
    }
    if (cumulative < rank) {
      return upper; // only with NaN observations: the rank lies beyond every bucket
    }
    rank = forward ? rank - (cumulative - bucketCount) : cumulative - rank;
    double fraction = rank / bucketCount;
    if (lower <= 0 && upper >= 0) {
      return lower + (upper - lower) * fraction;
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    double result;
    if (lower > 0) {
      result = Math.pow(2, logLower + (logUpper - logLower) * fraction);
    } else {
      result = -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction));
    }
    // Vigil addition: log2 and pow can each be an ulp off, which could put the result just outside
    // its bucket and make the quantile decrease across a bucket boundary. Clamping keeps it
    // monotone in q and changes nothing else.
    return Math.max(lower, Math.min(upper, result));
  }

  static double fraction(Histogram h, double lower, double upper) {
    if (h.count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    Buckets buckets = new Buckets(h);
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int k = 0; k < buckets.size(); k++) {
      double c = buckets.count(k);
      double bLower = buckets.lower(k);
      double bUpper = buckets.upper(k);
      boolean zeroBucket = false;
      if (bLower <= 0 && bUpper >= 0) {
        zeroBucket = true;
        if (h.negativeIndexes.length == 0 && h.positiveIndexes.length > 0) {
          bLower = 0;
        } else if (h.positiveIndexes.length == 0 && h.negativeIndexes.length > 0) {
          bUpper = 0;
        }
      }
      if (!lowerSet && bLower >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && bLower >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && bLower < lower && bUpper > lower) {
        lowerRank = rank + c * fractionBelow(lower, bLower, bUpper, zeroBucket);
        lowerSet = true;
      }
      if (!upperSet && bLower < upper && bUpper > upper) {
        upperRank = rank + c * fractionBelow(upper, bLower, bUpper, zeroBucket);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank += c;
    }
    if (!lowerSet || lowerRank > h.count) {
      lowerRank = h.count;
    }
    if (!upperSet || upperRank > h.count) {
      upperRank = h.count;
    }
    return (upperRank - lowerRank) / h.count;
  }

  /** The part of bucket (lower, upper] below v, by the same interpolation as the quantile. */
  private static double fractionBelow(double v, double lower, double upper, boolean linear) {
    if (linear) {
      return (v - lower) / (upper - lower);
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    double logV = log2(Math.abs(v));
    if (v > 0) {
      return (logV - logLower) / (logUpper - logLower);
    }
    return 1 - (logV - logUpper) / (logLower - logUpper);
  }

  /** {@code 1/ln(2)} rounded from the exact value, like Go's {@code 1/Ln2} constant expression. */
  private static final double LOG2_E = 1.4426950408889634;

  /** Go's math.Log2, step for step: exact for powers of two (all bounds at schema <= 0). */
  static double log2(double x) {
    if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
      return Math.log(x); // NaN, -Inf for 0, +Inf
    }
    int exp = BucketMath.frexpExponent(x);
    double frac = Math.scalb(x, -exp); // in [0.5, 1)
    if (frac == 0.5) {
      return exp - 1;
    }
    return Math.log(frac) * LOG2_E + exp;
  }

  /**
   * All buckets in ascending value order, addressed by position: negative buckets (highest index
   * first), the zero bucket when its count is positive, then positive buckets. Allocation-free
   * apart from this small view.
   */
  private static final class Buckets {
    private final Histogram h;
    private final int negatives;
    private final int zeros;

    Buckets(Histogram h) {
      this.h = h;
      this.negatives = h.negativeIndexes.length;
      this.zeros = h.zeroCount > 0 ? 1 : 0;
    }

    int size() {
      return negatives + zeros + h.positiveIndexes.length;
    }

    double count(int k) {
      if (k < negatives) {
        return h.negativeCounts[negatives - 1 - k];
      }
      if (k < negatives + zeros) {
        return h.zeroCount;
      }
      return h.positiveCounts[k - negatives - zeros];
    }

    double lower(int k) {
      if (k < negatives) {
        return -BucketMath.upperBound(h.negativeIndexes[negatives - 1 - k], h.schema);
      }
      if (k < negatives + zeros) {
        return -h.zeroThreshold;
      }
      int index = h.positiveIndexes[k - negatives - zeros];
      return Math.max(BucketMath.lowerBound(index, h.schema), h.zeroThreshold);
    }

    double upper(int k) {
      if (k < negatives) {
        int index = h.negativeIndexes[negatives - 1 - k];
        return Math.min(-BucketMath.lowerBound(index, h.schema), -h.zeroThreshold);
      }
      if (k < negatives + zeros) {
        return h.zeroThreshold;
      }
      return BucketMath.upperBound(h.positiveIndexes[k - negatives - zeros], h.schema);
    }
  }
}
