package dev.vigil.model;

import java.util.Objects;

/**
 * One histogram value of a series at a point in time.
 *
 * @param timestampMillis epoch milliseconds
 * @param histogram the histogram, never null
 */
public record HistogramSample(long timestampMillis, Histogram histogram) {
  /** Rejects a null histogram. */
  public HistogramSample {
    Objects.requireNonNull(histogram, "histogram");
  }
}
