package dev.vigil.promql.test;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The native histogram literal {@code {{schema:0 sum:1 count:1 buckets:[1 2] ...}}}. */
final class HistogramLiteral {
  private HistogramLiteral() {}

  /** Parses the text between the double braces. */
  static Histogram parse(String inner) {
    Map<String, String> fields = new LinkedHashMap<>();
    int i = 0;
    while (i < inner.length()) {
      while (i < inner.length() && Character.isWhitespace(inner.charAt(i))) {
        i++;
      }
      if (i >= inner.length()) {
        break;
      }
      int colon = inner.indexOf(':', i);
      if (colon < 0) {
        throw new IllegalArgumentException("bad histogram field in " + inner);
      }
      String key = inner.substring(i, colon).trim();
      int j = colon + 1;
      while (j < inner.length() && Character.isWhitespace(inner.charAt(j))) {
        j++;
      }
      int endIdx;
      if (j < inner.length() && inner.charAt(j) == '[') {
        endIdx = inner.indexOf(']', j) + 1;
      } else {
        endIdx = j;
        while (endIdx < inner.length() && !Character.isWhitespace(inner.charAt(endIdx))) {
          endIdx++;
        }
      }
      fields.put(key, inner.substring(j, endIdx).trim());
      i = endIdx;
    }
    int schema = (int) num(fields.getOrDefault("schema", "0"));
    if (fields.containsKey("custom_values") || schema == -53) {
      throw new IllegalArgumentException("custom-bucket histograms are not supported");
    }
    HistogramBuilder b =
        Histogram.builder(schema)
            .zeroThreshold(num(fields.getOrDefault("z_bucket_w", "0")))
            .zeroCount(num(fields.getOrDefault("z_bucket", "0")))
            .sum(num(fields.getOrDefault("sum", "0")));
    int offset = (int) num(fields.getOrDefault("offset", "0"));
    double[] pos = list(fields.get("buckets"));
    for (int k = 0; k < pos.length; k++) {
      b.addPositive(offset + k, pos[k]);
    }
    int nOffset = (int) num(fields.getOrDefault("n_offset", "0"));
    double[] neg = list(fields.get("n_buckets"));
    for (int k = 0; k < neg.length; k++) {
      b.addNegative(nOffset + k, neg[k]);
    }
    b.count(num(fields.getOrDefault("count", "0")));
    return b.build();
  }

  private static double num(String s) {
    return SeriesLine.number(s);
  }

  private static double[] list(String s) {
    if (s == null) {
      return new double[0];
    }
    String body = s.substring(1, s.length() - 1).trim();
    if (body.isEmpty()) {
      return new double[0];
    }
    String[] parts = body.split("\\s+");
    double[] out = new double[parts.length];
    for (int k = 0; k < parts.length; k++) {
      out[k] = num(parts[k]);
    }
    return out;
  }
}
