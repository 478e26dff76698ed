package dev.vigil.tsdb;

import dev.vigil.model.Labels;

/** A sample the store refuses; the message names the labels, the timestamp and the limit broken. */
public final class SampleRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a sample was refused. */
  public enum Reason {
    /** Older than now minus the out-of-order window, or newer than now plus 10 minutes. */
    OUT_OF_BOUNDS,
    /** An add at a timestamp that already holds a different value. */
    DUPLICATE_TIMESTAMP,
    /** A new series beyond the configured maximum number of series. */
    TOO_MANY_SERIES,
    /** A new series beyond the configured maximum number of series with one metric name. */
    TOO_MANY_SERIES_PER_METRIC,
    /** Any write while the head's estimated heap bytes exceed the configured budget. */
    HEAD_MEMORY_LIMIT,
    /** Labels without a metric name ({@code __name__}). */
    INVALID_LABELS,
    /** A float sample for a histogram series, or the other way round. */
    TYPE_MISMATCH
  }

  private final Reason reason;
  private final transient Labels labels;
  private final long timestampMillis;

  /** An exception for a sample of series {@code labels} at {@code timestampMillis}. */
  public SampleRejectedException(
      Reason reason, Labels labels, long timestampMillis, String message) {
    super(message);
    this.reason = reason;
    this.labels = labels;
    this.timestampMillis = timestampMillis;
  }

  /** Why the sample was refused. */
  public Reason reason() {
    return reason;
  }

  /** Labels of the refused sample's series. */
  public Labels labels() {
    return labels;
  }

  /** Timestamp of the refused sample. */
  public long timestampMillis() {
    return timestampMillis;
  }
}
