package dev.vigil.bench.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * One sample of a decoded remote-write request, read with protobuf-java's generic parser: a float
 * ({@code histogram} null) or a native histogram ({@code value} NaN).
 */
record DecodedSample(
    Map<String, String> labels, long timestampMillis, double value, NativeBuckets histogram) {

  DecodedSample(Map<String, String> labels, long timestampMillis, double value) {
    this(labels, timestampMillis, value, null);
  }

  /** An integer native histogram: bucket index to count (positive buckets only). */
  record NativeBuckets(
      int schema,
      double zeroThreshold,
      long zeroCount,
      long count,
      double sum,
      Map<Integer, Long> buckets) {}

  /** Decodes a snappy-compressed {@code WriteRequest} without generated classes. */
  static List<DecodedSample> decode(byte[] compressed) throws IOException {
    UnknownFieldSet request = UnknownFieldSet.parseFrom(Snappy.uncompress(compressed));
    assertOnly(request, WriteRequestEncoder.WRITE_REQUEST_TIMESERIES);
    List<DecodedSample> out = new ArrayList<>();
    for (ByteString ts :
        request.getField(WriteRequestEncoder.WRITE_REQUEST_TIMESERIES).getLengthDelimitedList()) {
      UnknownFieldSet series = UnknownFieldSet.parseFrom(ts);
      assertOnly(
          series,
          WriteRequestEncoder.TIMESERIES_LABELS,
          WriteRequestEncoder.TIMESERIES_SAMPLES,
          WriteRequestEncoder.TIMESERIES_HISTOGRAMS);
      Map<String, String> labels = new LinkedHashMap<>();
      for (ByteString l :
          series.getField(WriteRequestEncoder.TIMESERIES_LABELS).getLengthDelimitedList()) {
        UnknownFieldSet label = UnknownFieldSet.parseFrom(l);
        labels.put(
            string(label, WriteRequestEncoder.LABEL_NAME),
            string(label, WriteRequestEncoder.LABEL_VALUE));
      }
      for (ByteString s :
          series.getField(WriteRequestEncoder.TIMESERIES_SAMPLES).getLengthDelimitedList()) {
        UnknownFieldSet sample = UnknownFieldSet.parseFrom(s);
        double value =
            Double.longBitsToDouble(
                sample.getField(WriteRequestEncoder.SAMPLE_VALUE).getFixed64List().get(0));
        long timestamp =
            sample.getField(WriteRequestEncoder.SAMPLE_TIMESTAMP).getVarintList().get(0);
        out.add(new DecodedSample(labels, timestamp, value));
      }
      for (ByteString h :
          series.getField(WriteRequestEncoder.TIMESERIES_HISTOGRAMS).getLengthDelimitedList()) {
        out.add(histogram(labels, UnknownFieldSet.parseFrom(h)));
      }
    }
    return out;
  }

  private static DecodedSample histogram(Map<String, String> labels, UnknownFieldSet h)
      throws IOException {
    long count = h.getField(WriteRequestEncoder.HISTOGRAM_COUNT_INT).getVarintList().get(0);
    double sum =
        Double.longBitsToDouble(
            h.getField(WriteRequestEncoder.HISTOGRAM_SUM).getFixed64List().get(0));
    int schema =
        CodedInputStream.decodeZigZag32(
            h.getField(WriteRequestEncoder.HISTOGRAM_SCHEMA).getVarintList().get(0).intValue());
    double zeroThreshold =
        Double.longBitsToDouble(
            h.getField(WriteRequestEncoder.HISTOGRAM_ZERO_THRESHOLD).getFixed64List().get(0));
    long zeroCount =
        h.getField(WriteRequestEncoder.HISTOGRAM_ZERO_COUNT_INT).getVarintList().get(0);
    long timestamp = h.getField(WriteRequestEncoder.HISTOGRAM_TIMESTAMP).getVarintList().get(0);
    List<Long> deltas = new ArrayList<>();
    for (ByteString packed :
        h.getField(WriteRequestEncoder.HISTOGRAM_POSITIVE_DELTAS).getLengthDelimitedList()) {
      CodedInputStream in = packed.newCodedInput();
      while (!in.isAtEnd()) {
        deltas.add(in.readSInt64());
      }
    }
    Map<Integer, Long> buckets = new TreeMap<>();
    int index = 0;
    int next = 0;
    long current = 0;
    for (ByteString s :
        h.getField(WriteRequestEncoder.HISTOGRAM_POSITIVE_SPANS).getLengthDelimitedList()) {
      UnknownFieldSet span = UnknownFieldSet.parseFrom(s);
      index +=
          CodedInputStream.decodeZigZag32(
              span.getField(WriteRequestEncoder.SPAN_OFFSET).getVarintList().get(0).intValue());
      long length = span.getField(WriteRequestEncoder.SPAN_LENGTH).getVarintList().get(0);
      for (int i = 0; i < length; i++) {
        current += deltas.get(next++);
        buckets.put(index++, current);
      }
    }
    if (next != deltas.size()) {
      throw new InvalidProtocolBufferException(
          deltas.size() + " deltas for " + next + " buckets of the spans");
    }
    return new DecodedSample(
        labels,
        timestamp,
        Double.NaN,
        new NativeBuckets(schema, zeroThreshold, zeroCount, count, sum, buckets));
  }

  /** Every sample of a recorded stream, round by round. */
  static List<List<DecodedSample>> decodeStream(Path file) throws IOException {
    List<List<DecodedSample>> rounds = new ArrayList<>();
    try (StreamFile.Reader reader = new StreamFile.Reader(file)) {
      List<StreamFile.Request> round;
      while (!(round = reader.nextRound()).isEmpty()) {
        List<DecodedSample> samples = new ArrayList<>();
        for (StreamFile.Request r : round) {
          List<DecodedSample> decoded = decode(r.body());
          if (decoded.size() != r.samples()) {
            throw new IllegalStateException(
                "request says " + r.samples() + " samples, holds " + decoded.size());
          }
          samples.addAll(decoded);
        }
        rounds.add(samples);
      }
    }
    return rounds;
  }

  private static String string(UnknownFieldSet message, int field)
      throws InvalidProtocolBufferException {
    List<ByteString> values = message.getField(field).getLengthDelimitedList();
    if (values.size() != 1) {
      throw new InvalidProtocolBufferException("field " + field + " occurs " + values.size() + "x");
    }
    return values.get(0).toString(StandardCharsets.UTF_8);
  }

  private static void assertOnly(UnknownFieldSet message, Integer... fields)
      throws InvalidProtocolBufferException {
    if (!List.of(fields).containsAll(message.asMap().keySet())) {
      throw new InvalidProtocolBufferException(
          "unexpected fields " + message.asMap().keySet() + ", expected " + List.of(fields));
    }
  }
}
