package dev.vigil.bench.remote;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * Encodes Prometheus remote-write 1.0 {@code WriteRequest}s of float samples, one sample per time
 * series, with protobuf-java's {@link CodedOutputStream} and snappy block compression, as
 * Prometheus sends them (the body of {@code POST /api/v1/write}, {@code Content-Encoding: snappy}).
 *
 * <p>Field numbers, from prometheus/prompb {@code remote.proto} and {@code types.proto}: {@code
 * WriteRequest.timeseries = 1}; {@code TimeSeries.labels = 1}, {@code TimeSeries.samples = 2};
 * {@code Label.name = 1}, {@code Label.value = 2}; {@code Sample.value = 1} (double), {@code
 * Sample.timestamp = 2} (int64, epoch milliseconds).
 *
 * <p>A series' labels are encoded once ({@link #encodeLabels}) and reused for every sample, so a
 * request costs one pass over its bytes plus compression. Not thread-safe: the buffer is reused.
 */
final class WriteRequestEncoder {
  static final int WRITE_REQUEST_TIMESERIES = 1;
  static final int TIMESERIES_LABELS = 1;
  static final int TIMESERIES_SAMPLES = 2;
  static final int LABEL_NAME = 1;
  static final int LABEL_VALUE = 2;
  static final int SAMPLE_VALUE = 1;
  static final int SAMPLE_TIMESTAMP = 2;
  static final int TIMESERIES_HISTOGRAMS = 4;
  static final int HISTOGRAM_COUNT_INT = 1;
  static final int HISTOGRAM_SUM = 3;
  static final int HISTOGRAM_SCHEMA = 4;
  static final int HISTOGRAM_ZERO_THRESHOLD = 5;
  static final int HISTOGRAM_ZERO_COUNT_INT = 6;
  static final int HISTOGRAM_POSITIVE_SPANS = 11;
  static final int HISTOGRAM_POSITIVE_DELTAS = 12;
  static final int HISTOGRAM_TIMESTAMP = 15;
  static final int SPAN_OFFSET = 1;
  static final int SPAN_LENGTH = 2;

  private byte[] buffer = new byte[1 << 16];
  private int size;

  /**
   * The repeated {@code labels} field of a {@code TimeSeries}: each pair as a length-delimited
   * {@code Label}. {@code namesAndValues} alternates names and values, sorted by name as Prometheus
   * expects ({@code __name__} first).
   */
  static byte[] encodeLabels(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "labels need name/value pairs: " + Arrays.toString(namesAndValues));
    }
    int total = 0;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      int label = labelSize(namesAndValues[i], namesAndValues[i + 1]);
      total +=
          CodedOutputStream.computeTagSize(TIMESERIES_LABELS)
              + CodedOutputStream.computeUInt32SizeNoTag(label)
              + label;
    }
    byte[] out = new byte[total];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (int i = 0; i < namesAndValues.length; i += 2) {
        String name = namesAndValues[i];
        String value = namesAndValues[i + 1];
        cos.writeTag(TIMESERIES_LABELS, 2);
        cos.writeUInt32NoTag(labelSize(name, value));
        cos.writeString(LABEL_NAME, name);
        cos.writeString(LABEL_VALUE, value);
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int labelSize(String name, String value) {
    return CodedOutputStream.computeStringSize(LABEL_NAME, name)
        + CodedOutputStream.computeStringSize(LABEL_VALUE, value);
  }

  /** Starts a new request. */
  void reset() {
    size = 0;
  }

  /** Adds one {@code TimeSeries} with {@code labels} (from {@link #encodeLabels}) and a sample. */
  void add(byte[] labels, long timestampMillis, double value) {
    int sample =
        CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value)
            + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestampMillis);
    int series =
        labels.length
            + CodedOutputStream.computeTagSize(TIMESERIES_SAMPLES)
            + CodedOutputStream.computeUInt32SizeNoTag(sample)
            + sample;
    int total =
        CodedOutputStream.computeTagSize(WRITE_REQUEST_TIMESERIES)
            + CodedOutputStream.computeUInt32SizeNoTag(series)
            + series;
    if (size + total > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + total));
    }
    CodedOutputStream cos = CodedOutputStream.newInstance(buffer, size, total);
    try {
      cos.writeTag(WRITE_REQUEST_TIMESERIES, 2);
      cos.writeUInt32NoTag(series);
      cos.writeRawBytes(labels);
      cos.writeTag(TIMESERIES_SAMPLES, 2);
      cos.writeUInt32NoTag(sample);
      cos.writeDouble(SAMPLE_VALUE, value);
      cos.writeInt64(SAMPLE_TIMESTAMP, timestampMillis);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    size += total;
  }

  /**
   * Adds one {@code TimeSeries} with {@code labels} and one integer native histogram with positive
   * buckets only, all in one span starting at {@code firstIndex}: {@code bucketCounts[i]} is the
   * count of bucket {@code firstIndex + i} (zeros allowed).
   */
  void addHistogram(
      byte[] labels,
      long timestampMillis,
      int schema,
      double zeroThreshold,
      long zeroCount,
      double sum,
      int firstIndex,
      long[] bucketCounts) {
    long count = zeroCount;
    int deltasSize = 0;
    long previous = 0;
    for (long c : bucketCounts) {
      count += c;
      deltasSize += CodedOutputStream.computeSInt64SizeNoTag(c - previous);
      previous = c;
    }
    int span =
        CodedOutputStream.computeSInt32Size(SPAN_OFFSET, firstIndex)
            + CodedOutputStream.computeUInt32Size(SPAN_LENGTH, bucketCounts.length);
    int histogram =
        CodedOutputStream.computeUInt64Size(HISTOGRAM_COUNT_INT, count)
            + CodedOutputStream.computeDoubleSize(HISTOGRAM_SUM, sum)
            + CodedOutputStream.computeSInt32Size(HISTOGRAM_SCHEMA, schema)
            + CodedOutputStream.computeDoubleSize(HISTOGRAM_ZERO_THRESHOLD, zeroThreshold)
            + CodedOutputStream.computeUInt64Size(HISTOGRAM_ZERO_COUNT_INT, zeroCount)
            + (bucketCounts.length == 0
                ? 0
                : CodedOutputStream.computeTagSize(HISTOGRAM_POSITIVE_SPANS)
                    + CodedOutputStream.computeUInt32SizeNoTag(span)
                    + span
                    + CodedOutputStream.computeTagSize(HISTOGRAM_POSITIVE_DELTAS)
                    + CodedOutputStream.computeUInt32SizeNoTag(deltasSize)
                    + deltasSize)
            + CodedOutputStream.computeInt64Size(HISTOGRAM_TIMESTAMP, timestampMillis);
    int series =
        labels.length
            + CodedOutputStream.computeTagSize(TIMESERIES_HISTOGRAMS)
            + CodedOutputStream.computeUInt32SizeNoTag(histogram)
            + histogram;
    int total =
        CodedOutputStream.computeTagSize(WRITE_REQUEST_TIMESERIES)
            + CodedOutputStream.computeUInt32SizeNoTag(series)
            + series;
    if (size + total > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + total));
    }
    CodedOutputStream cos = CodedOutputStream.newInstance(buffer, size, total);
    try {
      cos.writeTag(WRITE_REQUEST_TIMESERIES, 2);
      cos.writeUInt32NoTag(series);
      cos.writeRawBytes(labels);
      cos.writeTag(TIMESERIES_HISTOGRAMS, 2);
      cos.writeUInt32NoTag(histogram);
      cos.writeUInt64(HISTOGRAM_COUNT_INT, count);
      cos.writeDouble(HISTOGRAM_SUM, sum);
      cos.writeSInt32(HISTOGRAM_SCHEMA, schema);
      cos.writeDouble(HISTOGRAM_ZERO_THRESHOLD, zeroThreshold);
      cos.writeUInt64(HISTOGRAM_ZERO_COUNT_INT, zeroCount);
      if (bucketCounts.length > 0) {
        cos.writeTag(HISTOGRAM_POSITIVE_SPANS, 2);
        cos.writeUInt32NoTag(span);
        cos.writeSInt32(SPAN_OFFSET, firstIndex);
        cos.writeUInt32(SPAN_LENGTH, bucketCounts.length);
        cos.writeTag(HISTOGRAM_POSITIVE_DELTAS, 2);
        cos.writeUInt32NoTag(deltasSize);
        previous = 0;
        for (long c : bucketCounts) {
          cos.writeSInt64NoTag(c - previous);
          previous = c;
        }
      }
      cos.writeInt64(HISTOGRAM_TIMESTAMP, timestampMillis);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    size += total;
  }

  /** Uncompressed size of the request so far. */
  int sizeBytes() {
    return size;
  }

  /** The request so far, snappy block-compressed. */
  byte[] compressed() {
    try {
      byte[] out = new byte[Snappy.maxCompressedLength(size)];
      int n = Snappy.compress(buffer, 0, size, out, 0);
      return Arrays.copyOf(out, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
