package dev.vigil.client;

import dev.vigil.model.Labels;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable metric family: a name, a type, a help text and labelled points; what the JVM metrics
 * produce and what exposition and push consume.
 *
 * <p>A counter's name is its base name without {@code _total}, as in OpenMetrics and client_java
 * 1.x: {@code jvm_threads_started} is exposed as {@code jvm_threads_started_total}. A summary's
 * samples are {@code name_count} and {@code name_sum}.
 *
 * @param name metric name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; a counter's without {@code _total}
 * @param type gauge, counter or summary
 * @param help one-line description, may be empty
 * @param points the points, each with a distinct label set
 */
public record MetricFamily(String name, Type type, String help, List<MetricPoint> points) {

  /** Kind of metric, as in Prometheus. */
  public enum Type {
    /** A value that goes up and down. */
    GAUGE,
    /** A monotonically increasing total. */
    COUNTER,
    /** A count and sum of observations, without quantiles. */
    SUMMARY
  }

  /** Checks the name, the label sets and the counter naming rule, and copies the points. */
  public MetricFamily {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    if (!Labels.isValidMetricName(name)) {
      throw new IllegalArgumentException("invalid metric name: " + name);
    }
    if (type == Type.COUNTER && name.endsWith("_total")) {
      // The formats append _total; a name already ending in it would expose foo_total_total.
      throw new IllegalArgumentException("counter name must not end with _total: " + name);
    }
    points = List.copyOf(points);
    Set<Labels> seen = new HashSet<>();
    for (MetricPoint p : points) {
      if (!seen.add(p.labels())) {
        throw new IllegalArgumentException("duplicate labels " + p.labels() + " in " + name);
      }
      if (p.labels().get("le") != null || p.labels().get("quantile") != null) {
        // Reserved for histogram buckets and summary quantiles in both text formats.
        throw new IllegalArgumentException("reserved label le or quantile in " + name);
      }
      if (type != Type.SUMMARY && p.count() != 0) {
        throw new IllegalArgumentException("count set on a " + type + " point of " + name);
      }
    }
  }

  /** A gauge family. */
  public static MetricFamily gauge(String name, String help, List<MetricPoint> points) {
    return new MetricFamily(name, Type.GAUGE, help, points);
  }

  /** A counter family; {@code name} without {@code _total}. */
  public static MetricFamily counter(String name, String help, List<MetricPoint> points) {
    return new MetricFamily(name, Type.COUNTER, help, points);
  }

  /** A summary family of count and sum points. */
  public static MetricFamily summary(String name, String help, List<MetricPoint> points) {
    return new MetricFamily(name, Type.SUMMARY, help, points);
  }

  /** The point with exactly these labels, or null. */
  public MetricPoint point(Labels labels) {
    for (MetricPoint p : points) {
      if (p.labels().equals(labels)) {
        return p;
      }
    }
    return null;
  }
}
