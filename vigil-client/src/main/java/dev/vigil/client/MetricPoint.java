package dev.vigil.client;

import dev.vigil.model.Labels;
import java.util.Objects;

/**
 * One labelled value of a {@link MetricFamily}.
 *
 * <p>A gauge or counter point carries its value and a count of 0; a summary point carries the sum
 * of its observations as {@code value} and their number as {@code count}, which is all
 * client_java's {@code jvm_gc_collection_seconds} needs (no quantiles).
 *
 * @param labels the point's labels, without the metric name
 * @param value gauge or counter value, or the sum of a summary
 * @param count number of observations of a summary, 0 for gauges and counters
 */
public record MetricPoint(Labels labels, double value, long count) {

  /** Checks the fields. */
  public MetricPoint {
    Objects.requireNonNull(labels, "labels");
    if (count < 0) {
      throw new IllegalArgumentException("negative count: " + count);
    }
  }

  /** A gauge or counter point. */
  public static MetricPoint of(Labels labels, double value) {
    return new MetricPoint(labels, value, 0);
  }

  /** A gauge or counter point without labels. */
  public static MetricPoint of(double value) {
    return new MetricPoint(Labels.empty(), value, 0);
  }

  /** A summary point: {@code count} observations adding up to {@code sum}. */
  public static MetricPoint summary(Labels labels, long count, double sum) {
    return new MetricPoint(labels, sum, count);
  }
}
