package dev.vigil.server.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes one remote write {@code Histogram} message (a native histogram, as of Prometheus 2.42)
 * into a {@link Histogram}; not thread-safe, reused.
 *
 * <p>Integer histograms ({@code count_int}) carry bucket counts as deltas from the previous bucket
 * ({@code *_deltas}), float histograms ({@code count_float}) as absolute counts ({@code *_counts});
 * which one a message is follows the count field, as Prometheus' {@code IsFloatHistogram}. Vigil's
 * histogram holds counts as doubles, so both kinds are stored; a negative or non-finite count is
 * refused. {@code reset_hint} is not kept: Vigil detects counter resets from the buckets.
 */
final class HistogramDecoder {
  private int[] negativeSpans = new int[8]; // offset, length pairs
  private int negativeSpanCount;
  private int[] positiveSpans = new int[8];
  private int positiveSpanCount;
  private long[] negativeDeltas = new long[16];
  private int negativeDeltaCount;
  private long[] positiveDeltas = new long[16];
  private int positiveDeltaCount;
  private double[] negativeCounts = new double[16];
  private int negativeCountCount;
  private double[] positiveCounts = new double[16];
  private int positiveCountCount;
  private long timestamp;

  /** Timestamp of the histogram decoded last. */
  long timestamp() {
    return timestamp;
  }

  /** Decodes the message up to the input's current limit. */
  Histogram decode(CodedInputStream in) throws IOException, MalformedRequestException {
    negativeSpanCount = 0;
    positiveSpanCount = 0;
    negativeDeltaCount = 0;
    positiveDeltaCount = 0;
    negativeCountCount = 0;
    positiveCountCount = 0;
    timestamp = 0;
    boolean isFloat = false;
    long countInt = 0;
    double countFloat = 0;
    double sum = 0;
    int schema = 0;
    double zeroThreshold = 0;
    double zeroCount = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      switch (field) {
        case 1 -> {
          expect(wire, WireFormat.WIRETYPE_VARINT, "count_int");
          countInt = in.readUInt64();
          isFloat = false;
        }
        case 2 -> {
          expect(wire, WireFormat.WIRETYPE_FIXED64, "count_float");
          countFloat = in.readDouble();
          isFloat = true;
        }
        case 3 -> {
          expect(wire, WireFormat.WIRETYPE_FIXED64, "sum");
          sum = in.readDouble();
        }
        case 4 -> {
          expect(wire, WireFormat.WIRETYPE_VARINT, "schema");
          schema = in.readSInt32();
        }
        case 5 -> {
          expect(wire, WireFormat.WIRETYPE_FIXED64, "zero_threshold");
          zeroThreshold = in.readDouble();
        }
        case 6 -> {
          expect(wire, WireFormat.WIRETYPE_VARINT, "zero_count_int");
          zeroCount = unsigned(in.readUInt64());
        }
        case 7 -> {
          expect(wire, WireFormat.WIRETYPE_FIXED64, "zero_count_float");
          zeroCount = in.readDouble();
        }
        case 8 -> negativeSpanCount = span(in, wire, negativeSpanCount, false);
        case 9 -> negativeDeltaCount = deltas(in, wire, negativeDeltaCount, false);
        case 10 -> negativeCountCount = counts(in, wire, negativeCountCount, false);
        case 11 -> positiveSpanCount = span(in, wire, positiveSpanCount, true);
        case 12 -> positiveDeltaCount = deltas(in, wire, positiveDeltaCount, true);
        case 13 -> positiveCountCount = counts(in, wire, positiveCountCount, true);
        case 15 -> {
          expect(wire, WireFormat.WIRETYPE_VARINT, "timestamp");
          timestamp = in.readInt64();
        }
        default -> {
          if (!in.skipField(tag)) {
            return build(isFloat, countInt, countFloat, sum, schema, zeroThreshold, zeroCount);
          }
        }
      }
    }
    return build(isFloat, countInt, countFloat, sum, schema, zeroThreshold, zeroCount);
  }

  private Histogram build(
      boolean isFloat,
      long countInt,
      double countFloat,
      double sum,
      int schema,
      double zeroThreshold,
      double zeroCount)
      throws MalformedRequestException {
    if (schema < -4 || schema > 8) {
      throw new MalformedRequestException(
          "invalid histogram at " + timestamp + ": schema " + schema + " is outside -4..8");
    }
    try {
      HistogramBuilder b = Histogram.builder(schema);
      b.zeroThreshold(zeroThreshold);
      b.zeroCount(zeroCount);
      b.sum(sum);
      b.count(isFloat ? countFloat : unsigned(countInt));
      addBuckets(b, isFloat, positiveSpans, positiveSpanCount, true);
      addBuckets(b, isFloat, negativeSpans, negativeSpanCount, false);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(
          "invalid histogram at " + timestamp + ": " + e.getMessage());
    }
  }

  private void addBuckets(
      HistogramBuilder b, boolean isFloat, int[] spans, int spanCount, boolean positive)
      throws MalformedRequestException {
    int buckets = isFloat ? (positive ? positiveCountCount : negativeCountCount) : 0;
    if (!isFloat) {
      buckets = positive ? positiveDeltaCount : negativeDeltaCount;
    }
    long expected = 0;
    for (int s = 0; s < spanCount; s++) {
      expected += spans[2 * s + 1] & 0xFFFFFFFFL;
    }
    String side = positive ? "positive" : "negative";
    if (expected != buckets) {
      throw new MalformedRequestException(
          "invalid histogram at "
              + timestamp
              + ": "
              + side
              + " spans cover "
              + expected
              + " buckets but "
              + buckets
              + (isFloat ? " counts" : " deltas")
              + " were sent");
    }
    long index = 0;
    int bucket = 0;
    long running = 0;
    for (int s = 0; s < spanCount; s++) {
      index += spans[2 * s]; // the first offset is absolute, later ones are gaps
      long length = spans[2 * s + 1] & 0xFFFFFFFFL;
      for (long k = 0; k < length; k++, index++, bucket++) {
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
          throw new MalformedRequestException(
              "invalid histogram at " + timestamp + ": bucket index out of range");
        }
        double count;
        if (isFloat) {
          count = positive ? positiveCounts[bucket] : negativeCounts[bucket];
        } else {
          running += positive ? positiveDeltas[bucket] : negativeDeltas[bucket];
          if (running < 0) {
            throw new MalformedRequestException(
                "invalid histogram at "
                    + timestamp
                    + ": "
                    + side
                    + " bucket "
                    + index
                    + " has negative count "
                    + running);
          }
          count = running;
        }
        if (positive) {
          b.addPositive((int) index, count);
        } else {
          b.addNegative((int) index, count);
        }
      }
    }
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  private static void expect(int wire, int expected, String field)
      throws MalformedRequestException {
    if (wire != expected) {
      throw new MalformedRequestException(
          "Histogram field " + field + " has wire type " + wire + ", expected " + expected);
    }
  }

  private int span(CodedInputStream in, int wire, int count, boolean positive)
      throws IOException, MalformedRequestException {
    expect(
        wire, WireFormat.WIRETYPE_LENGTH_DELIMITED, positive ? "positive_spans" : "negative_spans");
    int limit = in.pushLimit(in.readRawVarint32());
    int offset = 0;
    int length = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (tag == ((1 << 3) | WireFormat.WIRETYPE_VARINT)) {
        offset = in.readSInt32();
      } else if (tag == ((2 << 3) | WireFormat.WIRETYPE_VARINT)) {
        length = in.readUInt32();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    in.popLimit(limit);
    int[] spans = positive ? positiveSpans : negativeSpans;
    if (2 * count + 2 > spans.length) {
      spans = Arrays.copyOf(spans, spans.length * 2);
      if (positive) {
        positiveSpans = spans;
      } else {
        negativeSpans = spans;
      }
    }
    spans[2 * count] = offset;
    spans[2 * count + 1] = length;
    return count + 1;
  }

  private int deltas(CodedInputStream in, int wire, int count, boolean positive)
      throws IOException, MalformedRequestException {
    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) { // packed, the proto3 default
      int limit = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        count = addDelta(in.readSInt64(), count, positive);
      }
      in.popLimit(limit);
      return count;
    }
    expect(wire, WireFormat.WIRETYPE_VARINT, positive ? "positive_deltas" : "negative_deltas");
    return addDelta(in.readSInt64(), count, positive);
  }

  private int addDelta(long delta, int count, boolean positive) {
    long[] a = positive ? positiveDeltas : negativeDeltas;
    if (count == a.length) {
      a = Arrays.copyOf(a, count * 2);
      if (positive) {
        positiveDeltas = a;
      } else {
        negativeDeltas = a;
      }
    }
    a[count] = delta;
    return count + 1;
  }

  private int counts(CodedInputStream in, int wire, int count, boolean positive)
      throws IOException, MalformedRequestException {
    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      int limit = in.pushLimit(in.readRawVarint32());
      while (in.getBytesUntilLimit() > 0) {
        count = addCount(in.readDouble(), count, positive);
      }
      in.popLimit(limit);
      return count;
    }
    expect(wire, WireFormat.WIRETYPE_FIXED64, positive ? "positive_counts" : "negative_counts");
    return addCount(in.readDouble(), count, positive);
  }

  private int addCount(double c, int count, boolean positive) {
    double[] a = positive ? positiveCounts : negativeCounts;
    if (count == a.length) {
      a = Arrays.copyOf(a, count * 2);
      if (positive) {
        positiveCounts = a;
      } else {
        negativeCounts = a;
      }
    }
    a[count] = c;
    return count + 1;
  }
}
