package dev.vigil.server.prom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Numbers, timestamps, labels and histograms written exactly as Prometheus' JSON API writes them.
 */
final class PromFormat {
  private PromFormat() {}

  /**
   * A sample value as Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: the shortest decimal that
   * reads back as the same double, in plain notation; {@code +Inf}, {@code -Inf}, {@code NaN}.
   */
  static String value(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
    }
    if (f == Math.rint(f) && Math.abs(f) < 1e15) {
      return Long.toString((long) f);
    }
    return new BigDecimal(NumberOutput.toString(f, true)).stripTrailingZeros().toPlainString();
  }

  /** A timestamp as Prometheus writes it: seconds, then three decimals when not whole. */
  static void timestamp(JsonGenerator g, long millis) throws IOException {
    StringBuilder b = new StringBuilder(24);
    long t = millis;
    if (t < 0) {
      b.append('-');
      t = -t;
    }
    b.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      b.append('.');
      if (fraction < 100) {
        b.append('0');
      }
      if (fraction < 10) {
        b.append('0');
      }
      b.append(fraction);
    }
    g.writeNumber(b.toString());
  }

  /** A label set as a JSON object, in the labels' order. */
  static void labels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** {@code [ts, "value"]}. */
  static void point(JsonGenerator g, long millis, double value) throws IOException {
    g.writeStartArray();
    timestamp(g, millis);
    g.writeString(value(value));
    g.writeEndArray();
  }

  /** {@code [ts, {"count": .., "sum": .., "buckets": [[rule, lower, upper, count], ..]}]}. */
  static void histogramPoint(JsonGenerator g, long millis, Histogram h) throws IOException {
    g.writeStartArray();
    timestamp(g, millis);
    histogram(g, h);
    g.writeEndArray();
  }

  /**
   * A native histogram in Prometheus' shape: every non-empty bucket, negative ones first (most
   * negative first), then the zero bucket, then the positive ones; boundary rules 0 (left open), 1
   * (right open), 3 (both closed, the zero bucket).
   */
  static void histogram(JsonGenerator g, Histogram h) throws IOException {
    g.writeStartObject();
    g.writeStringField("count", value(h.count()));
    g.writeStringField("sum", value(h.sum()));
    boolean any = h.zeroCount() != 0 || h.positiveBucketCount() > 0 || h.negativeBucketCount() > 0;
    if (any) {
      g.writeArrayFieldStart("buckets");
      int schema = h.schema();
      for (int i = h.negativeBucketCount() - 1; i >= 0; i--) {
        double c = h.negativeCount(i);
        if (c != 0) {
          int index = h.negativeIndex(i);
          bucket(
              g, 1, -Histogram.upperBound(index, schema), -Histogram.lowerBound(index, schema), c);
        }
      }
      if (h.zeroCount() != 0) {
        bucket(g, 3, -h.zeroThreshold(), h.zeroThreshold(), h.zeroCount());
      }
      for (int i = 0; i < h.positiveBucketCount(); i++) {
        double c = h.positiveCount(i);
        if (c != 0) {
          int index = h.positiveIndex(i);
          bucket(g, 0, Histogram.lowerBound(index, schema), Histogram.upperBound(index, schema), c);
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void bucket(JsonGenerator g, int rule, double lower, double upper, double count)
      throws IOException {
    g.writeStartArray();
    g.writeNumber(rule);
    g.writeString(value(lower));
    g.writeString(value(upper));
    g.writeString(value(count));
    g.writeEndArray();
  }
}
