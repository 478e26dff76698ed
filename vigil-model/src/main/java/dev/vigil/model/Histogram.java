package dev.vigil.model;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable sparse exponential histogram, compatible with Prometheus native histograms.
 *
 * <p>Buckets follow Prometheus' exponential schemas: for schema {@code s} (-4..8) the base is
 * {@code 2^(2^-s)}; positive bucket {@code i} covers {@code (base^(i-1), base^i]}, negative bucket
 * {@code i} covers {@code [-base^i, -base^(i-1))}, and the zero bucket covers {@code
 * [-zeroThreshold, zeroThreshold]}. Each side is held as two flat arrays sorted by index, {@code
 * int[] indexes} and {@code double[] counts}, with empty buckets omitted, so two histograms with
 * the same buckets are {@code equals} whatever their history. A bucket lying entirely inside the
 * zero bucket is folded into the zero count; one that straddles the zero threshold is kept (and
 * clipped at the threshold by quantile estimation), as in Prometheus. Spans in Prometheus' form are
 * derived on demand.
 *
 * <p>All counts are doubles, like Prometheus' FloatHistogram, so that rates and deltas need no
 * second type; doubles hold every integer up to 2^53 exactly, which covers any counter that can
 * occur (2^53 observations at 10^9 per second take 104 days per single bucket). A histogram built
 * from observations has non-negative integral counts; {@link #subtract} may produce negative ones.
 */
public final class Histogram {
  /**
   * A run of consecutive buckets, as in Prometheus' protobuf and {@code histogram.Span}: the first
   * span's offset is the absolute index of its first bucket, a later span's offset is the number of
   * empty buckets between it and the previous span.
   */
  public record Span(int offset, int length) {
    /** Rejects a negative length. */
    public Span {
      if (length < 0) {
        throw new IllegalArgumentException("negative span length: " + length);
      }
    }
  }

  // Package-private and never mutated: shared with HistogramArithmetic, HistogramQuantile and
  // HistogramCodec, which work on the arrays directly to avoid copies.
  final int schema;
  final double zeroThreshold;
  final double zeroCount;
  final double count;
  final double sum;
  final int[] positiveIndexes;
  final double[] positiveCounts;
  final int[] negativeIndexes;
  final double[] negativeCounts;
  // Not state but a cache of encodedSizeBytes(), 0 until computed. Racy like String.hash: every
  // thread computes the same value, and an int is written atomically. The write-ahead log asks
  // for it twice per histogram (to make room, then in encodeTo).
  private int encodedSize;

  /**
   * Takes ownership of the arrays, which must be sorted by index, hold no zero counts and no bucket
   * whose upper bound is at or below the zero threshold.
   */
  Histogram(
      int schema,
      double zeroThreshold,
      double zeroCount,
      double count,
      double sum,
      int[] positiveIndexes,
      double[] positiveCounts,
      int[] negativeIndexes,
      double[] negativeCounts) {
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.count = count;
    this.sum = sum;
    this.positiveIndexes = positiveIndexes;
    this.positiveCounts = positiveCounts;
    this.negativeIndexes = negativeIndexes;
    this.negativeCounts = negativeCounts;
    assert schema >= BucketMath.MIN_SCHEMA && schema <= BucketMath.MAX_SCHEMA : schema;
    assert zeroThreshold >= 0 && zeroThreshold < Double.POSITIVE_INFINITY : zeroThreshold;
    assert isNormalised(positiveIndexes, positiveCounts, schema, zeroThreshold);
    assert isNormalised(negativeIndexes, negativeCounts, schema, zeroThreshold);
  }

  /** A builder for a histogram of the given schema (-4..8). */
  public static HistogramBuilder builder(int schema) {
    return new HistogramBuilder(schema);
  }

  /**
   * A histogram from bucket arrays already sorted by index: equal to what {@link #builder} would
   * build with the same zero threshold, zero count and sum and one {@code addPositive} or {@code
   * addNegative} per bucket (the count derived from the buckets), without the builder's map per
   * bucket. Empty buckets are dropped and buckets inside the zero bucket folded into it, as the
   * builder does. The arrays are copied.
   *
   * <p>Why: building the latency histograms of a 1,000-event ingest batch through the builder's
   * TreeMap cost about 10% of ingest CPU; sorting the batch's bucket indexes and calling this is a
   * fraction of that.
   *
   * @throws IllegalArgumentException if the schema or zero threshold is invalid, the index and
   *     count arrays of a side differ in length, indexes are not strictly ascending, or a count is
   *     negative or not finite
   */
  public static Histogram ofSortedBuckets(
      int schema,
      double zeroThreshold,
      double zeroCount,
      double sum,
      int[] positiveIndexes,
      double[] positiveCounts,
      int[] negativeIndexes,
      double[] negativeCounts) {
    return HistogramBuilder.ofSortedBuckets(
        schema,
        zeroThreshold,
        zeroCount,
        sum,
        positiveIndexes,
        positiveCounts,
        negativeIndexes,
        negativeCounts);
  }

  /** Index of the bucket holding {@code absValue} (> 0) in {@code schema}; see Prometheus. */
  public static int bucketIndex(double absValue, int schema) {
    return BucketMath.bucketIndex(absValue, schema);
  }

  /** Upper (inclusive) bound of bucket {@code index} in {@code schema}. */
  public static double upperBound(int index, int schema) {
    return BucketMath.upperBound(index, schema);
  }

  /** Lower (exclusive) bound of bucket {@code index} in {@code schema}. */
  public static double lowerBound(int index, int schema) {
    return BucketMath.lowerBound(index, schema);
  }

  /** Resolution: each power of two is split into 2^schema buckets. */
  public int schema() {
    return schema;
  }

  /** Half-width of the zero bucket, which covers [-zeroThreshold, zeroThreshold]. */
  public double zeroThreshold() {
    return zeroThreshold;
  }

  /** Observations in the zero bucket. */
  public double zeroCount() {
    return zeroCount;
  }

  /** Total observations, including NaN observations, which are in no bucket. */
  public double count() {
    return count;
  }

  /** Sum of observations; NaN once a NaN was observed. */
  public double sum() {
    return sum;
  }

  /** Number of non-empty positive buckets. */
  public int positiveBucketCount() {
    return positiveIndexes.length;
  }

  /** Index of the {@code i}-th non-empty positive bucket, ascending. */
  public int positiveIndex(int i) {
    return positiveIndexes[i];
  }

  /** Count of the {@code i}-th non-empty positive bucket. */
  public double positiveCount(int i) {
    return positiveCounts[i];
  }

  /** Number of non-empty negative buckets. */
  public int negativeBucketCount() {
    return negativeIndexes.length;
  }

  /** Index of the {@code i}-th non-empty negative bucket, ascending (away from zero). */
  public int negativeIndex(int i) {
    return negativeIndexes[i];
  }

  /** Count of the {@code i}-th non-empty negative bucket. */
  public double negativeCount(int i) {
    return negativeCounts[i];
  }

  /** Positive buckets as Prometheus spans; spans never hold empty buckets. */
  public List<Span> positiveSpans() {
    return spans(positiveIndexes);
  }

  /** Negative buckets as Prometheus spans; spans never hold empty buckets. */
  public List<Span> negativeSpans() {
    return spans(negativeIndexes);
  }

  /** Positive counts in the order the spans list them (a copy; absolute, not deltas). */
  public double[] positiveCountsInSpanOrder() {
    return positiveCounts.clone();
  }

  /** Negative counts in the order the spans list them (a copy; absolute, not deltas). */
  public double[] negativeCountsInSpanOrder() {
    return negativeCounts.clone();
  }

  /**
   * The sum of this and {@code other}, as Prometheus' FloatHistogram.Add: the result has the
   * coarser schema and the wider zero bucket; buckets inside the widened zero bucket are folded
   * into it, and if the wider threshold falls inside a populated bucket it is raised to that
   * bucket's upper bound. Unlike Prometheus, both operands are first reduced to the common schema
   * and the zero buckets reconciled there, so the operation is commutative and no count is lost.
   */
  public Histogram merge(Histogram other) {
    return HistogramArithmetic.combine(this, other, 1);
  }

  /**
   * This minus {@code earlier} (a counter delta), with schema and zero bucket reconciled as in
   * {@link #merge}. If {@link #isCounterResetSince} is true the result may hold negative counts.
   */
  public Histogram subtract(Histogram earlier) {
    return HistogramArithmetic.combine(this, earlier, -1);
  }

  /**
   * Whether this cannot be a later state of the counter histogram {@code earlier}, as Prometheus'
   * DetectReset: the count or any bucket (after reconciling schema and zero bucket) decreased, the
   * schema increased, or the zero threshold decreased or now cuts through a populated bucket.
   */
  public boolean isCounterResetSince(Histogram earlier) {
    return HistogramArithmetic.isCounterReset(this, earlier);
  }

  /** This histogram at the coarser {@code targetSchema} (<= schema), merging buckets. */
  public Histogram reduceResolution(int targetSchema) {
    BucketMath.checkSchema(targetSchema);
    if (targetSchema > schema) {
      throw new IllegalArgumentException(
          "cannot increase resolution from schema " + schema + " to " + targetSchema);
    }
    return HistogramArithmetic.reduce(this, targetSchema);
  }

  /**
   * The {@code q}-quantile, as Prometheus 3's histogram_quantile for native histograms: exponential
   * interpolation within buckets, linear within the zero bucket.
   */
  public double quantile(double q) {
    return HistogramQuantile.quantile(this, q);
  }

  /** Estimated fraction of observations in [lower, upper], as Prometheus' histogram_fraction. */
  public double fraction(double lower, double upper) {
    return HistogramQuantile.fraction(this, lower, upper);
  }

  /** The compact binary encoding specified in docs/format/histogram.md. */
  public byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(encodedSizeBytes());
    HistogramCodec.encode(this, buffer);
    return buffer.array();
  }

  /** Size in bytes of {@link #encode()}'s result. */
  public int encodedSizeBytes() {
    int size = encodedSize;
    if (size == 0) {
      size = HistogramCodec.encodedSizeBytes(this);
      encodedSize = size;
    }
    return size;
  }

  /**
   * Writes the encoding at the buffer's position, advancing it; whatever the buffer's byte order.
   *
   * @throws BufferOverflowException if fewer than {@link #encodedSizeBytes()} bytes remain, before
   *     writing anything
   */
  public void encodeTo(ByteBuffer buffer) {
    if (buffer.remaining() < encodedSizeBytes()) {
      throw new BufferOverflowException();
    }
    HistogramCodec.encode(this, buffer);
  }

  /**
   * Decodes exactly one histogram from {@code bytes}.
   *
   * @throws CorruptEncodingException if the bytes are not one valid encoding
   */
  public static Histogram decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    Histogram h = HistogramCodec.decode(buffer);
    if (buffer.hasRemaining()) {
      throw new CorruptEncodingException(
          buffer.remaining() + " trailing bytes after histogram", buffer.position());
    }
    return h;
  }

  /**
   * Decodes one histogram at the buffer's position, advancing it past the encoding.
   *
   * @throws CorruptEncodingException if the bytes are not a valid encoding; offsets in the message
   *     are buffer positions
   */
  public static Histogram decode(ByteBuffer buffer) {
    return HistogramCodec.decode(buffer);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Histogram)) {
      return false;
    }
    Histogram h = (Histogram) o;
    return schema == h.schema
        && same(zeroThreshold, h.zeroThreshold)
        && same(zeroCount, h.zeroCount)
        && same(count, h.count)
        && same(sum, h.sum)
        && Arrays.equals(positiveIndexes, h.positiveIndexes)
        && Arrays.equals(positiveCounts, h.positiveCounts)
        && Arrays.equals(negativeIndexes, h.negativeIndexes)
        && Arrays.equals(negativeCounts, h.negativeCounts);
  }

  @Override
  public int hashCode() {
    int h = schema;
    h = 31 * h + Double.hashCode(zeroThreshold);
    h = 31 * h + Double.hashCode(zeroCount);
    h = 31 * h + Double.hashCode(count);
    h = 31 * h + Double.hashCode(sum);
    h = 31 * h + Arrays.hashCode(positiveIndexes);
    h = 31 * h + Arrays.hashCode(positiveCounts);
    h = 31 * h + Arrays.hashCode(negativeIndexes);
    return 31 * h + Arrays.hashCode(negativeCounts);
  }

  /**
   * Readable form listing buckets in value order, e.g. {@code {schema:0, count:4, sum:2.5,
   * [-2,-1):1, [-0.001,0.001]:1, (1,2]:2}}; counts print without ".0" when integral.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{schema:").append(schema);
    sb.append(", count:").append(number(count)).append(", sum:").append(number(sum));
    for (int i = negativeIndexes.length - 1; i >= 0; i--) {
      sb.append(", [").append(number(-upperBound(negativeIndexes[i], schema)));
      sb.append(',').append(number(-lowerBound(negativeIndexes[i], schema)));
      sb.append("):").append(number(negativeCounts[i]));
    }
    if (zeroCount != 0 || zeroThreshold != 0) {
      sb.append(", [").append(number(-zeroThreshold)).append(',').append(number(zeroThreshold));
      sb.append("]:").append(number(zeroCount));
    }
    for (int i = 0; i < positiveIndexes.length; i++) {
      sb.append(", (").append(number(lowerBound(positiveIndexes[i], schema)));
      sb.append(',').append(number(upperBound(positiveIndexes[i], schema)));
      sb.append("]:").append(number(positiveCounts[i]));
    }
    return sb.append('}').toString();
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static boolean same(double a, double b) {
    return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
  }

  static List<Span> spans(int[] indexes) {
    List<Span> spans = new ArrayList<>();
    int i = 0;
    int previousEnd = 0;
    while (i < indexes.length) {
      int start = i;
      while (i + 1 < indexes.length && indexes[i + 1] == indexes[i] + 1) {
        i++;
      }
      int offset = spans.isEmpty() ? indexes[start] : indexes[start] - previousEnd;
      spans.add(new Span(offset, i - start + 1));
      previousEnd = indexes[i] + 1;
      i++;
    }
    return List.copyOf(spans);
  }

  /**
   * Sorted, no empty buckets, none inside the zero bucket (a bucket may straddle the threshold).
   */
  static boolean isNormalised(int[] indexes, double[] counts, int schema, double zeroThreshold) {
    if (indexes.length != counts.length) {
      return false;
    }
    if (indexes.length > 0 && BucketMath.upperBound(indexes[0], schema) <= zeroThreshold) {
      return false;
    }
    for (int i = 0; i < indexes.length; i++) {
      if (counts[i] == 0 || (i > 0 && indexes[i] <= indexes[i - 1])) {
        return false;
      }
    }
    return true;
  }
}
