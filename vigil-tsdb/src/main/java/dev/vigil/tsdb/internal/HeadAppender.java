package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.SeriesRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Buffers writes, checking each at once, for one all-or-nothing commit; not thread-safe. */
final class HeadAppender implements Appender {
  private final Head head;
  private final Committer committer;
  private final BatchValidator validator;
  // Reused across batches (a remote write request of 2,000 samples grew them from empty each time),
  // dropped after a batch larger than KEEP_OPS so that a rare huge one does not pin its arrays.
  private static final int KEEP_OPS = 1 << 16;
  private ArrayList<Op> ops = new ArrayList<>();
  private ArrayList<MemSeries> seriesAtBuffer = new ArrayList<>(); // per op: the series then
  private WalEncoder encoder; // frames batches of float adds outside the commit lock; lazy

  HeadAppender(Head head, Committer committer) {
    this.head = head;
    this.committer = committer;
    this.validator = new BatchValidator(head);
  }

  @Override
  public void add(Labels labels, long timestampMillis, double value) {
    buffer(new Op(WalRecords.FLOAT_SAMPLES, labels, timestampMillis, value, null));
  }

  @Override
  public SeriesRef add(SeriesRef ref, Labels labels, long timestampMillis, double value) {
    Op op = new Op(WalRecords.FLOAT_SAMPLES, labels, timestampMillis, value, null);
    MemSeries hint = null;
    if (ref instanceof MemSeries) {
      MemSeries series = (MemSeries) ref;
      // Identity first: a caller caching handles passes the same Labels instance every time.
      if (series.labels == labels || series.labels.equals(labels)) {
        hint = series;
      }
    }
    return buffer(op, hint);
  }

  @Override
  public void addHistogram(Labels labels, long timestampMillis, Histogram histogram) {
    Objects.requireNonNull(histogram, "histogram");
    buffer(new Op(WalRecords.HISTOGRAM_SAMPLES, labels, timestampMillis, 0, histogram));
  }

  @Override
  public void mergeFloat(Labels labels, long timestampMillis, double delta) {
    buffer(new Op(WalRecords.FLOAT_MERGES, labels, timestampMillis, delta, null));
  }

  @Override
  public void mergeHistogram(Labels labels, long timestampMillis, Histogram delta) {
    Objects.requireNonNull(delta, "delta");
    buffer(new Op(WalRecords.HISTOGRAM_MERGES, labels, timestampMillis, 0, delta));
  }

  private void buffer(Op op) {
    buffer(op, null);
  }

  /** Checks and buffers {@code op}; {@code hint} is its series if known. Returns the series. */
  private MemSeries buffer(Op op, MemSeries hint) {
    Objects.requireNonNull(op.labels(), "labels");
    if (committer.isClosed()) {
      throw new IllegalStateException("storage is closed");
    }
    BatchValidator.Pending pending = validator.check(op, head.now(), hint);
    ops.add(op);
    seriesAtBuffer.add(pending.series);
    return pending.series;
  }

  @Override
  public void commit() throws IOException {
    if (ops.isEmpty()) {
      return;
    }
    if (encoder == null) {
      encoder = new WalEncoder();
    }
    try {
      committer.commit(ops, seriesAtBuffer, encoder);
      head.noteBytesAdded(estimatedBytes(ops));
    } finally {
      if (ops.size() > KEEP_OPS) {
        encoder = null;
      }
      rollback();
    }
  }

  /**
   * What a batch adds to the head at most, for the memory budget: a float sample takes 16 bytes in
   * a series' tail, a histogram its estimated size (a merge may add less; it errs on the safe
   * side).
   */
  private static long estimatedBytes(List<Op> batch) {
    long bytes = 0;
    for (Op op : batch) {
      bytes += op.histogram() == null ? 16 : SampleTail.estimatedBytes(op.histogram());
    }
    return bytes;
  }

  @Override
  public void rollback() {
    if (ops.size() > KEEP_OPS) {
      ops = new ArrayList<>();
      seriesAtBuffer = new ArrayList<>();
    } else {
      ops.clear();
      seriesAtBuffer.clear();
    }
    validator.reset();
  }
}
