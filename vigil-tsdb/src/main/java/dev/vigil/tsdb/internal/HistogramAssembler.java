package dev.vigil.tsdb.internal;

import dev.vigil.model.CorruptEncodingException;
import dev.vigil.model.Histogram;
import java.nio.ByteBuffer;

/**
 * Builds {@link Histogram}s from decoded parts; not thread-safe (it reuses a buffer).
 *
 * <p>Why through the model's binary encoding: the model's only public constructor for arbitrary
 * histograms is {@link Histogram#decode}; its builder refuses the negative counts that {@link
 * Histogram#subtract} produces, and costs a TreeMap operation per bucket. Writing the canonical
 * version-1 layout of docs/format/histogram.md into a reused buffer and decoding it is exact and
 * array-based.
 */
final class HistogramAssembler {
  private ByteBuffer buffer = ByteBuffer.allocate(256);

  /**
   * The histogram with these parts; slots whose count is 0 are left out.
   *
   * @throws CorruptChunkException if the parts are not a valid histogram
   */
  Histogram assemble(
      int schema,
      double zeroThreshold,
      double zeroCount,
      double count,
      double sum,
      int[] positiveIndexes,
      double[] positiveCounts,
      int[] negativeIndexes,
      double[] negativeCounts) {
    boolean integral =
        HistogramLayout.isExactInteger(zeroCount)
            && HistogramLayout.isExactInteger(count)
            && allExact(positiveCounts)
            && allExact(negativeCounts);
    // Upper bound: 3 header bytes, 8 threshold, 3 x 10 for counts and sum, and per side 10 for
    // the span count plus, per bucket, at most one span (5 + 5) and one count (10).
    int bound = 64 + 20 * (positiveIndexes.length + negativeIndexes.length);
    if (buffer.capacity() < bound) {
      buffer = ByteBuffer.allocate(Math.max(bound, buffer.capacity() * 2));
    }
    ByteBuffer out = buffer.clear();
    out.put((byte) 1);
    out.put((byte) ((integral ? 0x01 : 0) | (zeroThreshold == 0 ? 0x02 : 0)));
    out.put((byte) schema);
    if (zeroThreshold != 0) {
      out.putDouble(zeroThreshold);
    }
    if (integral) {
      putZigZag(out, (long) zeroCount);
      putZigZag(out, (long) count);
    } else {
      out.putDouble(zeroCount);
      out.putDouble(count);
    }
    out.putDouble(sum);
    putSide(out, positiveIndexes, positiveCounts, integral);
    putSide(out, negativeIndexes, negativeCounts, integral);
    out.flip();
    try {
      return Histogram.decode(out);
    } catch (CorruptEncodingException e) {
      throw new CorruptChunkException("decoded histogram parts are invalid: " + e.getMessage());
    }
  }

  private static boolean allExact(double[] counts) {
    for (double c : counts) {
      if (c != 0 && !HistogramLayout.isExactInteger(c)) {
        return false;
      }
    }
    return true;
  }

  private static void putSide(ByteBuffer out, int[] indexes, double[] counts, boolean integral) {
    int spans = 0;
    int previousIndex = 0;
    boolean any = false;
    for (int i = 0; i < indexes.length; i++) {
      if (counts[i] != 0) {
        if (!any || indexes[i] != previousIndex + 1) {
          spans++;
        }
        any = true;
        previousIndex = indexes[i];
      }
    }
    putVarint(out, spans);
    any = false;
    long previousEnd = 0;
    int i = 0;
    while (i < indexes.length) {
      if (counts[i] == 0) {
        i++;
        continue;
      }
      int start = i;
      while (i + 1 < indexes.length && counts[i + 1] != 0 && indexes[i + 1] == indexes[i] + 1) {
        i++;
      }
      putZigZag(out, any ? indexes[start] - previousEnd : indexes[start]);
      putVarint(out, i - start + 1);
      previousEnd = indexes[i] + 1L;
      any = true;
      i++;
    }
    long previous = 0;
    for (int k = 0; k < indexes.length; k++) {
      if (counts[k] == 0) {
        continue;
      }
      if (integral) {
        putZigZag(out, (long) counts[k] - previous);
        previous = (long) counts[k];
      } else {
        out.putDouble(counts[k]);
      }
    }
  }

  private static void putVarint(ByteBuffer out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  private static void putZigZag(ByteBuffer out, long v) {
    putVarint(out, (v << 1) ^ (v >> 63));
  }
}
