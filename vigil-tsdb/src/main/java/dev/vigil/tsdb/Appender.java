package dev.vigil.tsdb;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.io.IOException;

/**
 * Buffers samples for one all-or-nothing {@link #commit()}; not thread-safe, reusable after commit
 * or rollback.
 *
 * <p>Every {@code add*} and {@code merge*} checks the sample at once against the store and the
 * samples already buffered, and throws {@link SampleRejectedException} without buffering it, so a
 * caller can name the offending item of a batch. {@link #commit()} checks everything again, since
 * other appenders may have committed in between.
 */
public interface Appender {
  /** Buffers a float sample. */
  void add(Labels labels, long timestampMillis, double value);

  /**
   * As {@link #add(Labels, long, double)}, for callers that keep series handles: {@code ref} is
   * what an earlier call returned for the same {@code labels}, or null. Returns the handle to pass
   * next time, or null while the series does not exist yet (the commit creates it). Saves the
   * lookup of the labels in the store's index, about a tenth of the cost of an add.
   */
  default SeriesRef add(SeriesRef ref, Labels labels, long timestampMillis, double value) {
    add(labels, timestampMillis, value);
    return null;
  }

  /** Buffers a histogram sample (cumulative or delta, as the caller's series holds them). */
  void addHistogram(Labels labels, long timestampMillis, Histogram histogram);

  /**
   * Buffers adding {@code delta} into the float sample at exactly {@code timestampMillis}, creating
   * the sample with value {@code delta} if there is none. A sample is mutable this way as long as
   * its timestamp is within the out-of-order window.
   */
  void mergeFloat(Labels labels, long timestampMillis, double delta);

  /**
   * Buffers merging {@code delta} into the histogram sample at exactly {@code timestampMillis}
   * ({@link Histogram#merge}), creating the sample as {@code delta} if there is none.
   */
  void mergeHistogram(Labels labels, long timestampMillis, Histogram delta);

  /**
   * Stores every buffered sample, or none. When this returns normally, all of them are in the
   * fsynced write-ahead log and visible to queriers; the appender is then empty.
   *
   * @throws SampleRejectedException if a sample is no longer acceptable; nothing was stored and the
   *     appender is empty
   * @throws StorageFullException if the disk is full; nothing was stored, the appender is empty,
   *     and commits succeed again once space is freed
   * @throws IOException if the write-ahead log failed otherwise; after a failed write nothing was
   *     stored, after a failed fsync the samples are visible and may or may not survive a restart
   *     (docs/format/wal.md); the appender is empty
   */
  void commit() throws IOException;

  /** Discards every buffered sample. */
  void rollback();
}
