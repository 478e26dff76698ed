package dev.vigil.tsdb;

import dev.vigil.model.Histogram;

/**
 * Iterates over the samples of one series in timestamp order, within the querier's range; not
 * thread-safe.
 *
 * <p>A series holds either float or histogram samples, never both. The accessors describe the
 * sample {@link #next()} moved to, and throw {@link IllegalStateException} before the first call to
 * {@code next()}, after it returned false, or for the other kind of sample.
 */
public interface SampleCursor {
  /** Moves to the next sample; false when there is none. */
  boolean next();

  /** Timestamp of the current sample, epoch milliseconds. */
  long timestampMillis();

  /** Whether the current sample is a histogram (else a float). */
  boolean isHistogram();

  /** Value of the current float sample. */
  double value();

  /** The current histogram sample. */
  Histogram histogram();
}
