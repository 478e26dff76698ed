package dev.vigil.tsdb;

import dev.vigil.model.Labels;

/**
 * An opaque handle to a stored series, returned by {@link Appender#add(SeriesRef, Labels, long,
 * double)} so that a caller writing the same series again can skip looking its labels up, as
 * Prometheus' {@code storage.SeriesRef}. A handle stays usable for as long as the caller likes: one
 * whose series was removed (by retention) is ignored and the labels are looked up instead.
 */
public interface SeriesRef {}
