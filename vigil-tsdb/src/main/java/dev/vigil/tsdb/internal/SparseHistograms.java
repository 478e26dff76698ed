package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;

/**
 * Sparse mode of the histogram chunk: a sample's own buckets, as index gaps and counts minus one in
 * {@link BitWriter#writeSmallUnsigned}'s code. Only for samples whose counts are all positive
 * integers (the zero count may be 0), which is what a delta histogram of observations holds.
 */
final class SparseHistograms {
  /** {@link #residual}'s answer for a sample sparse mode cannot hold. */
  static final long INELIGIBLE = Long.MIN_VALUE;

  private SparseHistograms() {}

  /**
   * The count minus the zero count and the bucket counts (NaN observations, usually 0), or {@link
   * #INELIGIBLE} if sparse mode cannot hold the sample.
   */
  static long residual(Histogram h, HistogramLayout.Buckets b) {
    if (!HistogramLayout.isIntegral(h) || h.zeroCount() < 0) {
      return INELIGIBLE;
    }
    try {
      long total = (long) h.zeroCount();
      for (double c : b.positiveCounts()) {
        if (c < 1) {
          return INELIGIBLE;
        }
        total = Math.addExact(total, (long) c);
      }
      for (double c : b.negativeCounts()) {
        if (c < 1) {
          return INELIGIBLE;
        }
        total = Math.addExact(total, (long) c);
      }
      long residual = Math.subtractExact((long) h.count(), total);
      return residual == INELIGIBLE ? INELIGIBLE : residual;
    } catch (ArithmeticException e) {
      return INELIGIBLE;
    }
  }

  /** Exact size in bits of the sample in sparse mode (without the mode bit and the sum). */
  static int bits(
      HistogramChunkState state, Histogram h, HistogramLayout.Buckets b, long residual) {
    boolean sameThreshold =
        Double.doubleToRawLongBits(h.zeroThreshold())
            == Double.doubleToRawLongBits(state.zeroThreshold);
    int bits = 8 + (sameThreshold ? 1 : 65);
    bits += BitWriter.smallUnsignedBits((long) h.zeroCount()) + BitWriter.varbitIntBits(residual);
    bits += sideBits(b.positive(), b.positiveCounts(), state.positiveFirst);
    return bits + sideBits(b.negative(), b.negativeCounts(), state.negativeFirst);
  }

  private static int sideBits(int[] indexes, double[] counts, int first) {
    int bits = BitWriter.smallUnsignedBits(indexes.length);
    if (indexes.length == 0) {
      return bits;
    }
    bits += BitWriter.varbitIntBits((long) indexes[0] - first);
    for (int i = 1; i < indexes.length; i++) {
      bits += BitWriter.smallUnsignedBits((long) indexes[i] - indexes[i - 1] - 1);
    }
    for (double c : counts) {
      bits += BitWriter.smallUnsignedBits((long) c - 1);
    }
    return bits;
  }

  /** Writes the sample in sparse mode (without the mode bit and the sum). */
  static void write(
      BitWriter out,
      HistogramChunkState state,
      Histogram h,
      HistogramLayout.Buckets b,
      long residual) {
    out.writeBits(h.schema(), 8);
    HistogramChunkWriter.writeZeroThreshold(out, state, h.zeroThreshold());
    out.writeSmallUnsigned((long) h.zeroCount());
    out.writeVarbitInt(residual);
    writeSide(out, b.positive(), b.positiveCounts(), state.positiveFirst);
    writeSide(out, b.negative(), b.negativeCounts(), state.negativeFirst);
  }

  private static void writeSide(BitWriter out, int[] indexes, double[] counts, int first) {
    out.writeSmallUnsigned(indexes.length);
    if (indexes.length == 0) {
      return;
    }
    out.writeVarbitInt((long) indexes[0] - first);
    for (int i = 1; i < indexes.length; i++) {
      out.writeSmallUnsigned((long) indexes[i] - indexes[i - 1] - 1);
    }
    for (double c : counts) {
      out.writeSmallUnsigned((long) c - 1);
    }
  }

  /** Reads a sparse-mode sample into {@code state} (layout grown, counts spread on it). */
  static void read(BitReader in, HistogramChunkState state) {
    int schema = (int) in.readSigned(8);
    double threshold =
        in.readBit() ? Double.longBitsToDouble(in.readBits(64)) : state.zeroThreshold;
    long zeroCount = in.readSmallUnsigned();
    long residual = in.readVarbitInt();
    int[] positive = readIndexes(in, state.positiveFirst);
    double[] positiveCounts = readCounts(in, positive.length);
    int[] negative = readIndexes(in, state.negativeFirst);
    double[] negativeCounts = readCounts(in, negative.length);
    long count = zeroCount + residual;
    for (double c : positiveCounts) {
      count += (long) c;
    }
    for (double c : negativeCounts) {
      count += (long) c;
    }
    state.afterSparse(
        schema,
        threshold,
        new HistogramLayout.Buckets(positive, positiveCounts, negative, negativeCounts));
    state.count = count;
    state.zeroCount = zeroCount;
    state.integral = true;
  }

  private static int[] readIndexes(BitReader in, int first) {
    long n = in.readSmallUnsigned();
    if (n > in.remainingBits()) {
      throw new CorruptChunkException("sparse histogram claims " + n + " buckets");
    }
    int[] indexes = new int[(int) n];
    long index = 0;
    for (int i = 0; i < n; i++) {
      index = i == 0 ? first + in.readVarbitInt() : index + 1 + in.readSmallUnsigned();
      if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
        throw new CorruptChunkException("bucket index " + index + " beyond 32 bits");
      }
      indexes[i] = (int) index;
    }
    return indexes;
  }

  private static double[] readCounts(BitReader in, int n) {
    double[] counts = new double[n];
    for (int i = 0; i < n; i++) {
      counts[i] = 1 + in.readSmallUnsigned();
    }
    return counts;
  }
}
