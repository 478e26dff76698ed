package dev.vigil.server.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.vigil.model.Histogram;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes a Prometheus remote write 1.0 {@code WriteRequest} (prometheus/prompb remote.proto and
 * types.proto) with protobuf-java's {@link CodedInputStream}, without generated classes, handing
 * each series' samples to a {@link Sink}; not thread-safe (one per thread, reused).
 *
 * <p>Field numbers: WriteRequest {1 timeseries, 3 metadata (skipped)}; TimeSeries {1 labels, 2
 * samples, 3 exemplars (skipped), 4 histograms}; Label {1 name, 2 value}; Sample {1 double value, 2
 * int64 timestamp}; Histogram {1 count_int, 2 count_float, 3 sum, 4 sint32 schema, 5
 * zero_threshold, 6 zero_count_int, 7 zero_count_float, 8 negative_spans, 9 negative_deltas
 * (sint64), 10 negative_counts, 11 positive_spans, 12 positive_deltas, 13 positive_counts, 14
 * reset_hint, 15 timestamp}; BucketSpan {1 sint32 offset, 2 uint32 length}. Unknown fields are
 * skipped, as protobuf requires.
 *
 * <p>Allocation: a series whose label bytes are in the {@link SeriesCache} costs no allocation;
 * samples go through reused arrays. Labels are decoded, validated and built only on a miss.
 */
final class WriteRequestDecoder {
  /** Receives each decoded series' samples. */
  interface Sink {
    /** Float samples {@code [0, count)} of the arrays, in the order sent. */
    void floats(SeriesCache.Entry series, long[] timestamps, double[] values, int count);

    /** One histogram sample. */
    void histogram(SeriesCache.Entry series, long timestamp, Histogram histogram);
  }

  private static final int TAG_TIMESERIES = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_LABEL = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_SAMPLE = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_HISTOGRAM = tag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_SAMPLE_VALUE = tag(1, WireFormat.WIRETYPE_FIXED64);
  private static final int TAG_SAMPLE_TIMESTAMP = tag(2, WireFormat.WIRETYPE_VARINT);

  private final SeriesCache cache;
  private final SeriesCache.Probe probe = new SeriesCache.Probe();
  private byte[] keyScratch = new byte[512];
  private long[] timestamps = new long[16];
  private double[] values = new double[16];
  private int samples;
  private long[] histogramTimes = new long[4];
  private Histogram[] histograms = new Histogram[4];
  private int histogramCount;
  private final HistogramDecoder histogramDecoder = new HistogramDecoder();
  private int series;

  WriteRequestDecoder(SeriesCache cache) {
    this.cache = cache;
  }

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }

  /**
   * Decodes {@code buf[0, length)} into {@code sink}; returns the number of series entries.
   *
   * @throws MalformedRequestException if the bytes are not a valid WriteRequest or hold invalid
   *     labels or histograms
   */
  int decode(byte[] buf, int length, Sink sink) throws MalformedRequestException {
    series = 0;
    CodedInputStream in = CodedInputStream.newInstance(buf, 0, length);
    try {
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          if (tag != TAG_TIMESERIES) {
            throw new MalformedRequestException(
                "WriteRequest field 1 (timeseries) has wire type "
                    + WireFormat.getTagWireType(tag)
                    + ", expected 2");
          }
          int size = in.readRawVarint32();
          int limit = in.pushLimit(size);
          timeSeries(in, buf, sink);
          in.popLimit(limit);
          series++;
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException("invalid protobuf: " + e.getMessage());
    } catch (IOException e) {
      throw new MalformedRequestException("invalid protobuf: " + e.getMessage());
    }
    return series;
  }

  private void timeSeries(CodedInputStream in, byte[] buf, Sink sink)
      throws IOException, MalformedRequestException {
    samples = 0;
    histogramCount = 0;
    int labelStart = -1;
    int labelEnd = -1;
    int scratchLength = -1; // >= 0 once label fields were not contiguous
    while (true) {
      int before = in.getTotalBytesRead();
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (tag == TAG_LABEL) {
        int size = in.readRawVarint32();
        in.skipRawBytes(size);
        int end = in.getTotalBytesRead();
        if (labelStart < 0) {
          labelStart = before;
          labelEnd = end;
        } else if (scratchLength < 0 && before == labelEnd) {
          labelEnd = end;
        } else {
          if (scratchLength < 0) {
            scratchLength = append(0, buf, labelStart, labelEnd - labelStart);
          }
          scratchLength = append(scratchLength, buf, before, end - before);
        }
      } else if (tag == TAG_SAMPLE) {
        int size = in.readRawVarint32();
        int limit = in.pushLimit(size);
        sample(in);
        in.popLimit(limit);
      } else if (tag == TAG_HISTOGRAM) {
        int size = in.readRawVarint32();
        int limit = in.pushLimit(size);
        Histogram h = histogramDecoder.decode(in);
        in.popLimit(limit);
        addHistogram(histogramDecoder.timestamp(), h);
      } else if (WireFormat.getTagFieldNumber(tag) <= 4 && WireFormat.getTagFieldNumber(tag) != 3) {
        throw new MalformedRequestException(
            "TimeSeries field "
                + WireFormat.getTagFieldNumber(tag)
                + " has wire type "
                + WireFormat.getTagWireType(tag)
                + ", expected 2");
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    if (labelStart < 0) {
      throw new MalformedRequestException(
          "invalid labels: series " + (series + 1) + " has no labels (and so no metric name)");
    }
    SeriesCache.Entry labels =
        scratchLength < 0
            ? labels(buf, labelStart, labelEnd - labelStart)
            : labels(keyScratch, 0, scratchLength);
    if (samples > 0) {
      sink.floats(labels, timestamps, values, samples);
    }
    for (int i = 0; i < histogramCount; i++) {
      sink.histogram(labels, histogramTimes[i], histograms[i]);
      histograms[i] = null;
    }
  }

  private int append(int at, byte[] src, int from, int length) {
    if (at + length > keyScratch.length) {
      keyScratch = Arrays.copyOf(keyScratch, Math.max(keyScratch.length * 2, at + length));
    }
    System.arraycopy(src, from, keyScratch, at, length);
    return at + length;
  }

  private void sample(CodedInputStream in) throws IOException {
    double value = 0;
    long timestamp = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (tag == TAG_SAMPLE_VALUE) {
        value = in.readDouble();
      } else if (tag == TAG_SAMPLE_TIMESTAMP) {
        timestamp = in.readInt64();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    if (samples == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, samples * 2);
      values = Arrays.copyOf(values, samples * 2);
    }
    timestamps[samples] = timestamp;
    values[samples] = value;
    samples++;
  }

  private void addHistogram(long timestamp, Histogram h) {
    if (histogramCount == histograms.length) {
      histograms = Arrays.copyOf(histograms, histogramCount * 2);
      histogramTimes = Arrays.copyOf(histogramTimes, histogramCount * 2);
    }
    histograms[histogramCount] = h;
    histogramTimes[histogramCount] = timestamp;
    histogramCount++;
  }

  /** The labels of the label fields in {@code bytes[offset, offset + length)}, cached. */
  private SeriesCache.Entry labels(byte[] bytes, int offset, int length)
      throws MalformedRequestException {
    probe.set(bytes, offset, length);
    SeriesCache.Entry entry = cache.get(probe);
    if (entry == null) {
      entry = new SeriesCache.Entry(probe, LabelValidator.parse(bytes, offset, length, series + 1));
      cache.put(entry);
    }
    return entry;
  }
}
