package dev.vigil.tsdb;

import dev.vigil.model.Labels;

/** One series returned by a querier: its labels and its samples in the querier's range. */
public interface Series {
  /** The series' labels, including {@code __name__}. */
  Labels labels();

  /** A new cursor over the samples, positioned before the first; may be called repeatedly. */
  SampleCursor cursor();
}
