package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;

/**
 * One buffered write of an appender.
 *
 * @param type the log record type it goes to: WalRecords.FLOAT_SAMPLES (add a float),
 *     HISTOGRAM_SAMPLES, FLOAT_MERGES or HISTOGRAM_MERGES
 * @param histogram null for floats
 */
record Op(int type, Labels labels, long timestamp, double value, Histogram histogram) {
  boolean isHistogram() {
    return WalRecords.isHistogramType(type);
  }

  boolean isMerge() {
    return WalRecords.isMergeType(type);
  }
}
