package dev.vigil.server.remote;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Encodes remote write {@code WriteRequest}s for tests with protobuf-java's {@link
 * CodedOutputStream}, field by field as prometheus/prompb defines them.
 */
public final class WriteRequestBuilder {
  private final ByteArrayOutputStream request = new ByteArrayOutputStream();

  /** A native histogram sample in the wire's terms. */
  public record NativeHistogram(
      long timestamp,
      boolean isFloat,
      double count,
      double sum,
      int schema,
      double zeroThreshold,
      double zeroCount,
      int[] positiveSpans, // offset, length pairs
      double[] positiveCounts, // absolute counts; deltas are derived for integer histograms
      int[] negativeSpans,
      double[] negativeCounts) {}

  /** One TimeSeries: labels as name, value pairs; samples as timestamp, value pairs. */
  public WriteRequestBuilder series(String[] labels, long[] timestamps, double[] values) {
    return series(labels, timestamps, values, List.of());
  }

  public WriteRequestBuilder series(
      String[] labels, long[] timestamps, double[] values, List<NativeHistogram> histograms) {
    byte[] ts =
        message(
            out -> {
              for (int i = 0; i < labels.length; i += 2) {
                String name = labels[i];
                String value = labels[i + 1];
                out.writeByteArray(
                    1,
                    message(
                        l -> {
                          l.writeString(1, name);
                          l.writeString(2, value);
                        }));
              }
              for (int i = 0; i < timestamps.length; i++) {
                long t = timestamps[i];
                double v = values[i];
                out.writeByteArray(
                    2,
                    message(
                        s -> {
                          s.writeDouble(1, v);
                          s.writeInt64(2, t);
                        }));
              }
              for (NativeHistogram h : histograms) {
                out.writeByteArray(4, histogram(h));
              }
            });
    raw(1, ts);
    return this;
  }

  /** A field with arbitrary bytes, for malformed requests. */
  WriteRequestBuilder raw(int field, byte[] bytes) {
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(request);
      out.writeByteArray(field, bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The uncompressed protobuf. */
  byte[] protobuf() {
    return request.toByteArray();
  }

  /** The snappy-compressed protobuf, as sent. */
  public byte[] snappy() {
    try {
      return Snappy.compress(protobuf());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] histogram(NativeHistogram h) {
    return message(
        out -> {
          if (h.isFloat()) {
            out.writeDouble(2, h.count());
          } else {
            out.writeUInt64(1, (long) h.count());
          }
          out.writeDouble(3, h.sum());
          out.writeSInt32(4, h.schema());
          out.writeDouble(5, h.zeroThreshold());
          if (h.isFloat()) {
            out.writeDouble(7, h.zeroCount());
          } else {
            out.writeUInt64(6, (long) h.zeroCount());
          }
          side(out, h, h.negativeSpans(), h.negativeCounts(), 8);
          side(out, h, h.positiveSpans(), h.positiveCounts(), 11);
          out.writeInt64(15, h.timestamp());
        });
  }

  private static void side(
      CodedOutputStream out, NativeHistogram h, int[] spans, double[] counts, int spanField)
      throws IOException {
    for (int i = 0; i < spans.length; i += 2) {
      int offset = spans[i];
      int length = spans[i + 1];
      out.writeByteArray(
          spanField,
          message(
              s -> {
                s.writeSInt32(1, offset);
                s.writeUInt32(2, length);
              }));
    }
    if (counts.length == 0) {
      return;
    }
    if (h.isFloat()) {
      out.writeByteArray(
          spanField + 2,
          message(
              p -> {
                for (double c : counts) {
                  p.writeDoubleNoTag(c);
                }
              }));
    } else {
      out.writeByteArray(
          spanField + 1,
          message(
              p -> {
                long previous = 0;
                for (double c : counts) {
                  p.writeSInt64NoTag((long) c - previous);
                  previous = (long) c;
                }
              }));
    }
  }

  interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
