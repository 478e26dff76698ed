package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;

/** Walks the samples of one chunk in order; not thread-safe. */
interface ChunkIterator {
  /** Moves to the next sample; false at the end. */
  boolean next();

  /** Timestamp of the current sample. */
  long timestamp();

  /** Value of the current float sample. */
  double value();

  /** The current histogram sample, decoded on first call. */
  Histogram histogram();
}
