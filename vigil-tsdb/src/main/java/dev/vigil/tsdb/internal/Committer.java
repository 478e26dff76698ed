package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Commits appenders' batches: validate, log, apply, then wait for the group fsync.
 *
 * <p><b>Assumptions and guarantees.</b> Everything but the wait runs under the head's append lock,
 * which also guards the reused encoder and validator, so batches are applied in log order and a
 * batch is either wholly in the log and the head, or in neither. The log write happens before the
 * head changes: if it fails, the series the batch created are removed again and nothing is visible.
 * A full disk fails the write (StorageFullException), so nothing of that batch is visible. Samples
 * become visible when applied, just before the fsync (as in Prometheus); commit returns only after
 * it. If the fsync fails, the batch stays visible but its commit throws; the log rewrites its bytes
 * on the next commit (see {@link Wal}), so what replay rebuilds matches what was visible.
 * Allocation per batch: the series it creates, the validator's map and one state per series
 * touched.
 */
final class Committer {
  private static final int SERIES_PER_RECORD = 1000;

  private final Head head;
  private final Wal wal;
  private final WalEncoder encoder = new WalEncoder(); // guarded by head.appendLock
  private final BatchValidator validator; // guarded by head.appendLock
  private volatile boolean closed;

  Committer(Head head, Wal wal) {
    this.head = head;
    this.wal = wal;
    this.validator = new BatchValidator(head);
  }

  /** Refuses further commits. */
  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Commits {@code ops} all or nothing; see {@link dev.vigil.tsdb.Appender#commit()}. {@code hints}
   * (or null) are the series each op's labels named when it was buffered, which spare looking up
   * again the series that still exist.
   */
  void commit(List<Op> ops, List<MemSeries> hints) throws IOException {
    commit(ops, hints, null);
  }

  /**
   * As {@link #commit(List, List)}; {@code scratch} (or null), an encoder the caller owns, lets a
   * batch of float adds into series that existed when it was buffered be framed before the lock is
   * taken and checked under it only against what other commits could have changed since.
   */
  void commit(List<Op> ops, List<MemSeries> hints, WalEncoder scratch) throws IOException {
    if (scratch != null && onlyFloatAddsIntoKnownSeries(ops, hints)) {
      encodeSamples(scratch, ops, hints);
      long position = commitKnown(ops, hints, scratch);
      if (position >= 0) {
        wal.awaitDurable(position);
        return;
      }
      // A series the batch names was removed meanwhile: commit it the full way.
    }
    long position;
    head.appendLock.lock();
    try {
      if (closed) {
        throw new IOException("storage is closed");
      }
      validator.reset();
      long now = head.now();
      int n = ops.size();
      MemSeries[] target = new MemSeries[n];
      BatchValidator.Pending[] pending = null;
      if (onlyMergesIntoLiveSeries(ops, hints)) {
        // Merges cannot conflict with each other or with stored data, so each is checked on its
        // own against the series found when it was buffered, without the validator's state.
        for (int k = 0; k < n; k++) {
          target[k] = hints.get(k);
          validator.checkMerge(ops.get(k), now, target[k]);
        }
      } else {
        pending = new BatchValidator.Pending[n];
        for (int k = 0; k < n; k++) {
          pending[k] = validator.check(ops.get(k), now, hints == null ? null : hints.get(k));
        }
      }
      Map<Labels, BatchValidator.Pending> touched = validator.touched();
      List<MemSeries> created = new ArrayList<>();
      for (Map.Entry<Labels, BatchValidator.Pending> e : touched.entrySet()) {
        BatchValidator.Pending p = e.getValue();
        MemSeries series = p.series;
        if (series == null) {
          series = head.createSeries(e.getKey(), p.histogram);
          created.add(series);
        }
        p.resolved = series;
      }
      if (pending != null) {
        for (int k = 0; k < n; k++) {
          target[k] = pending[k].resolved;
        }
      }
      encode(ops, target, created);
      try {
        position = wal.write(encoder.contents());
      } catch (IOException | RuntimeException e) {
        for (MemSeries series : created) {
          head.removeSeries(series);
        }
        throw e;
      }
      for (int k = 0; k < n; k++) {
        Op op = ops.get(k);
        MemSeries series = target[k];
        boolean applied =
            op.isMerge()
                ? series.merge(op.timestamp(), op.value(), op.histogram())
                : series.set(op.timestamp(), op.value(), op.histogram());
        assert applied : "validated sample fell into the sealed range: " + op;
      }
      head.samplesAppended.add(ops.size());
    } finally {
      validator.reset();
      head.appendLock.unlock();
    }
    wal.awaitDurable(position);
  }

  /**
   * Commits a batch of float adds into the series {@code hints} names, framed in {@code records};
   * returns the log position to await, or -1 (nothing done) if one of those series is gone.
   *
   * <p>The appender checked the batch when buffering it: its samples agree with each other and did
   * with the head then. Under the lock only what other commits or the clock could have changed
   * since is checked again: the time window, the memory budget, the sealed range and samples stored
   * at the same timestamps. A sample after its series' newest one (the usual case) costs one
   * volatile read.
   */
  private long commitKnown(List<Op> ops, List<MemSeries> hints, WalEncoder records)
      throws IOException {
    int n = ops.size();
    head.appendLock.lock();
    try {
      if (closed) {
        throw new IOException("storage is closed");
      }
      for (int k = 0; k < n; k++) {
        if (hints.get(k).removed) {
          return -1;
        }
      }
      long now = head.now();
      validator.checkBudget(ops.get(0));
      for (int k = 0; k < n; k++) {
        validator.recheckFloatAdd(ops.get(k), now, hints.get(k));
      }
      long position = wal.write(records.contents());
      for (int k = 0; k < n; k++) {
        Op op = ops.get(k);
        boolean applied = hints.get(k).set(op.timestamp(), op.value(), null);
        assert applied : "validated sample fell into the sealed range: " + op;
      }
      head.samplesAppended.add(n);
      return position;
    } finally {
      head.appendLock.unlock();
    }
  }

  /** Whether every op adds a float into a series found when it was buffered. */
  private static boolean onlyFloatAddsIntoKnownSeries(List<Op> ops, List<MemSeries> hints) {
    if (hints == null || ops.isEmpty()) {
      return false;
    }
    for (int k = 0; k < ops.size(); k++) {
      if (ops.get(k).type() != WalRecords.FLOAT_SAMPLES || hints.get(k) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Frames the float adds {@code ops} into the series {@code hints} names as sample records of at
   * most {@link WalRecords#MAX_SAMPLES_PER_RECORD} samples, the last one marked as the commit's
   * end: the bytes {@link #encode} would frame.
   */
  private void encodeSamples(WalEncoder out, List<Op> ops, List<MemSeries> hints) {
    out.reset();
    int n = ops.size();
    for (int i = 0; i < n; i += WalRecords.MAX_SAMPLES_PER_RECORD) {
      int end = Math.min(n, i + WalRecords.MAX_SAMPLES_PER_RECORD);
      long base = ops.get(i).timestamp();
      WalRecords.beginSamples(out, WalRecords.FLOAT_SAMPLES, end - i, base);
      for (int k = i; k < end; k++) {
        Op op = ops.get(k);
        WalRecords.encodeSample(
            out, WalRecords.FLOAT_SAMPLES, base, hints.get(k).id, op.timestamp(), op.value(), null);
      }
      out.end(end == n);
    }
  }

  /** Whether every op is a merge into a series found at buffering that the head still holds. */
  private static boolean onlyMergesIntoLiveSeries(List<Op> ops, List<MemSeries> hints) {
    if (hints == null) {
      return false;
    }
    for (int k = 0; k < ops.size(); k++) {
      MemSeries hint = hints.get(k);
      if (!ops.get(k).isMerge() || hint == null || hint.removed) {
        return false;
      }
    }
    return true;
  }

  private void encode(List<Op> ops, MemSeries[] target, List<MemSeries> created) {
    encoder.reset();
    int lastRecord = -1;
    MemSeries[] fresh = created.toArray(new MemSeries[0]);
    for (int from = 0; from < fresh.length; from += SERIES_PER_RECORD) {
      lastRecord = encoder.size();
      WalRecords.encodeSeries(
          encoder, fresh, from, Math.min(fresh.length, from + SERIES_PER_RECORD));
    }
    int i = 0;
    while (i < ops.size()) {
      int type = ops.get(i).type();
      int end = i + 1;
      while (end < ops.size()
          && ops.get(end).type() == type
          && end - i < WalRecords.MAX_SAMPLES_PER_RECORD) {
        end++;
      }
      long base = ops.get(i).timestamp();
      lastRecord = encoder.size();
      WalRecords.beginSamples(encoder, type, end - i, base);
      for (int k = i; k < end; k++) {
        Op op = ops.get(k);
        WalRecords.encodeSample(
            encoder, type, base, target[k].id, op.timestamp(), op.value(), op.histogram());
      }
      encoder.end(false);
      i = end;
    }
    encoder.markLastCommitEnd(lastRecord);
  }
}
