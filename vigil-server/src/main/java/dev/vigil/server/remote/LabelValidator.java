package dev.vigil.server.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes a series' label fields and checks them as Prometheus' receiver does: label names match
 * {@code [a-zA-Z_][a-zA-Z0-9_]*}, no name occurs twice, {@code __name__} is present with a valid
 * metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}), names and values are valid UTF-8. A label with an
 * empty value is dropped, as {@link Labels} does (Prometheus treats it as absent).
 */
final class LabelValidator {
  private static final int TAG_NAME = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_VALUE = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private LabelValidator() {}

  /**
   * The labels of the Label fields (tag, length and message each) in {@code bytes[offset, offset +
   * length)}, of the {@code seriesNumber}-th series (1-based) of the request.
   *
   * @throws MalformedRequestException naming the series and the problem
   */
  static Labels parse(byte[] bytes, int offset, int length, int seriesNumber)
      throws MalformedRequestException {
    List<String> pairs = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
    try {
      while (!in.isAtEnd()) {
        in.readTag(); // a TimeSeries label field: the decoder collected only those
        int size = in.readRawVarint32();
        int limit = in.pushLimit(size);
        String name = "";
        String value = "";
        while (true) {
          int tag = in.readTag();
          if (tag == 0) {
            break;
          }
          if (tag == TAG_NAME) {
            name = in.readStringRequireUtf8();
          } else if (tag == TAG_VALUE) {
            value = in.readStringRequireUtf8();
          } else if (!in.skipField(tag)) {
            break;
          }
        }
        in.popLimit(limit);
        pairs.add(name);
        pairs.add(value);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException(
          "invalid labels of series " + seriesNumber + ": " + e.getMessage());
    } catch (IOException e) {
      throw new MalformedRequestException(
          "invalid labels of series " + seriesNumber + ": " + e.getMessage());
    }
    String problem = problem(pairs);
    if (problem != null) {
      throw new MalformedRequestException(
          "invalid labels for series " + describe(pairs) + ": " + problem);
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  private static String problem(List<String> pairs) {
    Set<String> names = new HashSet<>();
    String metricName = null;
    for (int i = 0; i < pairs.size(); i += 2) {
      String name = pairs.get(i);
      if (!Labels.isValidLabelName(name)) {
        return "invalid label name " + quote(name);
      }
      if (!names.add(name)) {
        return "duplicate label name " + quote(name);
      }
      if (name.equals(Labels.METRIC_NAME)) {
        metricName = pairs.get(i + 1);
      }
    }
    if (metricName == null || metricName.isEmpty()) {
      return "no metric name (label __name__)";
    }
    if (!Labels.isValidMetricName(metricName)) {
      return "invalid metric name " + quote(metricName);
    }
    return null;
  }

  /** Prometheus' form, in the order sent: {@code {__name__="up", job="x"}}. */
  private static String describe(List<String> pairs) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.size(); i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs.get(i)).append('=').append(quote(pairs.get(i + 1)));
    }
    return sb.append('}').toString();
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
