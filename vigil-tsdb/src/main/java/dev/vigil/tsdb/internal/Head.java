package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.TsdbOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory part of the store: every series by labels and by id, the postings index, and the
 * rules for when samples stop being mutable and when they expire.
 *
 * <p><b>Assumptions and guarantees.</b> {@link #appendLock} serialises commits: validation, the
 * write-ahead log write and applying samples to series happen under it, in that order, so the log
 * order is the apply order and a checkpoint taken under it sees exactly the log up to a segment
 * boundary. Series creation and removal happen only under it, so a commit never writes into a
 * series that retention removed. It is never held during an fsync. The lookup maps are concurrent
 * and the index has its own lock, so readers never take {@code appendLock}. Lock order: {@code
 * appendLock}, then a series' monitor, then the index lock.
 */
final class Head {
  /** Samples may be at most this far in the future of the clock. */
  static final long MAX_FUTURE_MILLIS = 10 * 60_000L;

  final ReentrantLock appendLock = new ReentrantLock();
  final TsdbOptions options;
  final long windowMillis;
  final long retentionMillis;

  private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, MemSeries> byId = new ConcurrentHashMap<>();
  private final MemPostings postings = new MemPostings();
  private long nextId = 1; // guarded by appendLock
  private volatile long minMutableTime = Long.MIN_VALUE; // written under appendLock

  final LongAdder samplesAppended = new LongAdder();
  final LongAdder samplesRejected = new LongAdder();

  // Series per metric name, for TsdbOptions.maxSeriesPerMetric: written under appendLock (with
  // byLabels), read by appenders' checks without it. Empty when there is no such limit.
  private final ConcurrentHashMap<String, AtomicInteger> seriesPerMetric =
      new ConcurrentHashMap<>();

  // The head's estimated bytes for TsdbOptions.maxHeadBytes: the last full measurement (a walk of
  // every series, as stats() does) plus what commits and new series added since. Walking 100,000
  // series takes milliseconds, too slow for every commit, so measurements happen when samples are
  // cut (every minute) and, at most once a second, when the estimate says the budget is exceeded.
  private volatile long measuredBytes;
  private final AtomicLong bytesSinceMeasured = new AtomicLong();
  private final Object measureLock = new Object();
  private long measuredAtNanos; // guarded by measureLock
  private boolean measuredOnce; // guarded by measureLock
  private static final long REMEASURE_INTERVAL_NANOS = 1_000_000_000L;

  Head(TsdbOptions options) {
    this.options = options;
    this.windowMillis = options.outOfOrderWindow().toMillis();
    this.retentionMillis = options.retention().toMillis();
  }

  long now() {
    return options.clock().millis();
  }

  MemSeries get(Labels labels) {
    return byLabels.get(labels);
  }

  MemSeries get(long id) {
    return byId.get(id);
  }

  int seriesCount() {
    return byLabels.size();
  }

  /** Oldest timestamp a sample may have at {@code now}: the window, and what is already cut. */
  long minValidTime(long now) {
    return Math.max(now - windowMillis, minMutableTime);
  }

  /** Creates a series; {@link #appendLock} must be held. */
  MemSeries createSeries(Labels labels, boolean histogram) {
    assert appendLock.isHeldByCurrentThread();
    return register(new MemSeries(nextId++, labels, histogram));
  }

  private MemSeries register(MemSeries series) {
    byLabels.put(series.labels, series);
    byId.put(series.id, series);
    postings.add(series.id, series.labels);
    if (options.maxSeriesPerMetric() > 0) {
      String name = series.labels.get(dev.vigil.model.Labels.METRIC_NAME);
      seriesPerMetric
          .computeIfAbsent(name == null ? "" : name, n -> new AtomicInteger())
          .incrementAndGet();
    }
    bytesSinceMeasured.addAndGet(series.estimatedBytes());
    return series;
  }

  /** Series held with metric name {@code name}; 0 unless there is a per-metric limit. */
  int seriesCount(String name) {
    AtomicInteger n = seriesPerMetric.get(name);
    return n == null ? 0 : n.get();
  }

  /** Adds the estimated bytes a commit added to the head, for the memory budget. */
  void noteBytesAdded(long bytes) {
    bytesSinceMeasured.addAndGet(bytes);
  }

  /**
   * Whether the head's estimated bytes exceed {@link TsdbOptions#maxHeadBytes()}: measured again
   * (at most once a second) before saying yes, since cutting and retention shrink the head without
   * telling the running estimate.
   */
  boolean overMemoryBudget() {
    long budget = options.maxHeadBytes();
    if (measuredBytes + bytesSinceMeasured.get() <= budget) {
      return false;
    }
    measureBytes(false);
    return measuredBytes + bytesSinceMeasured.get() > budget;
  }

  /** The running estimate of the head's bytes. */
  long bytesEstimate() {
    return measuredBytes + bytesSinceMeasured.get();
  }

  /**
   * Measures the head's bytes by walking every series; unless {@code force}, not if the last
   * measurement is under a second old. Commits running meanwhile may be counted twice, which errs
   * on the side of the budget.
   */
  void measureBytes(boolean force) {
    synchronized (measureLock) {
      long now = System.nanoTime();
      if (!force && measuredOnce && now - measuredAtNanos < REMEASURE_INTERVAL_NANOS) {
        return;
      }
      long before = bytesSinceMeasured.get();
      measuredBytes = estimatedBytes();
      bytesSinceMeasured.addAndGet(-before);
      measuredAtNanos = now;
      measuredOnce = true;
    }
  }

  /** Removes a series; {@link #appendLock} must be held. */
  void removeSeries(MemSeries series) {
    assert appendLock.isHeldByCurrentThread();
    series.removed = true;
    if (byLabels.remove(series.labels, series)) {
      byId.remove(series.id);
      postings.remove(series.id, series.labels);
      if (options.maxSeriesPerMetric() > 0) {
        String name = series.labels.get(dev.vigil.model.Labels.METRIC_NAME);
        AtomicInteger n = seriesPerMetric.get(name == null ? "" : name);
        if (n != null) {
          n.decrementAndGet();
        }
      }
    }
  }

  /**
   * Moves samples that left the out-of-order window into chunks. First publishes the new boundary
   * under {@link #appendLock}, so that no commit validated against an older boundary is still
   * applying when samples are cut.
   */
  void cutAged(long now) {
    long boundary;
    appendLock.lock();
    try {
      boundary = Math.max(minMutableTime, now - windowMillis);
      minMutableTime = boundary;
    } finally {
      appendLock.unlock();
    }
    cutAll(boundary);
    measureBytes(true); // cutting compresses; also the first measurement after replay
  }

  /** Moves samples older than {@code before} into chunks, without publishing a boundary. */
  void cutAll(long before) {
    for (MemSeries series : byId.values()) {
      series.cut(before);
    }
  }

  /** Drops samples older than the retention and removes series left empty; returns how many. */
  int applyRetention(long now) {
    return truncateBefore(now - retentionMillis);
  }

  /** Boundary below which every sample is in a chunk and no commit may add one. */
  long minMutableTime() {
    return minMutableTime;
  }

  /** Every series in label order, for writing a block. */
  List<MemSeries> seriesByLabels() {
    List<MemSeries> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(s -> s.labels));
    return all;
  }

  /**
   * Drops samples older than {@code cutoff} (persisted in a block, or expired) and removes series
   * left empty; returns how many series were removed.
   */
  int truncateBefore(long cutoff) {
    List<MemSeries> empty = new ArrayList<>();
    for (MemSeries series : byId.values()) {
      if (series.minTime() < cutoff) {
        series.dropBefore(cutoff);
      }
      // Also series that replay left empty (a checkpoint keeps every series, expired or not).
      if (series.isEmpty()) {
        empty.add(series);
      }
    }
    if (empty.isEmpty()) {
      return 0;
    }
    int removed = 0;
    appendLock.lock();
    try {
      for (MemSeries series : empty) {
        if (series.isEmpty()) { // a commit may have refilled it meanwhile
          removeSeries(series);
          removed++;
        }
      }
    } finally {
      appendLock.unlock();
    }
    return removed;
  }

  /**
   * Removes the samples in [min, max] of the series matching {@code matchers}; {@link #appendLock}
   * must be held, so no commit is half-applied meanwhile. Returns how many series changed.
   */
  int deleteRange(long min, long max, Matcher... matchers) {
    assert appendLock.isHeldByCurrentThread();
    int changed = 0;
    for (long id : postings.select(matchers)) {
      MemSeries series = byId.get(id);
      if (series != null
          && series.maxTime() >= min
          && series.minTime() <= max
          && series.deleteRange(min, max)) {
        changed++;
      }
    }
    return changed;
  }

  /** Snapshots of the series matching {@code matchers} with a sample in [min, max], by labels. */
  List<SeriesSnapshot> select(long min, long max, Matcher... matchers) {
    List<SeriesSnapshot> result = new ArrayList<>();
    if (min > max) {
      return result;
    }
    for (long id : postings.select(matchers)) {
      MemSeries series = byId.get(id);
      if (series == null || series.maxTime() < min || series.minTime() > max) {
        continue;
      }
      SeriesSnapshot snapshot = series.snapshot(min, max);
      if (snapshot != null && snapshot.hasSamples()) {
        result.add(snapshot);
      }
    }
    result.sort(Comparator.comparing(SeriesSnapshot::labels));
    return result;
  }

  /**
   * Label names of matching series whose time span overlaps [min, max]; as Prometheus' head, by
   * span, without decoding samples.
   */
  List<String> labelNames(long min, long max, Matcher... matchers) {
    TreeSet<String> names = new TreeSet<>(LabelOrder.VALUES);
    for (MemSeries series : overlapping(min, max, matchers)) {
      for (int i = 0; i < series.labels.size(); i++) {
        names.add(series.labels.name(i));
      }
    }
    return List.copyOf(names);
  }

  /** Values of label {@code name} among matching series whose span overlaps [min, max]. */
  List<String> labelValues(String name, long min, long max, Matcher... matchers) {
    TreeSet<String> values = new TreeSet<>(LabelOrder.VALUES);
    for (MemSeries series : overlapping(min, max, matchers)) {
      String value = series.labels.get(name);
      if (value != null) {
        values.add(value);
      }
    }
    return List.copyOf(values);
  }

  private List<MemSeries> overlapping(long min, long max, Matcher... matchers) {
    List<MemSeries> result = new ArrayList<>();
    if (min > max) {
      return result;
    }
    for (long id : postings.select(matchers)) {
      MemSeries series = byId.get(id);
      if (series != null && series.maxTime() >= min && series.minTime() <= max) {
        result.add(series);
      }
    }
    return result;
  }

  /** Every series with everything it holds, in id order; {@link #appendLock} must be held. */
  List<MemSeries> allSeries() {
    List<MemSeries> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong(s -> s.id));
    return all;
  }

  /**
   * Registers a series read from the log under id {@code id}, replacing an earlier incarnation with
   * the same labels and another id; {@link #appendLock} must be held.
   */
  MemSeries replaySeries(long id, Labels labels, boolean histogram) {
    assert appendLock.isHeldByCurrentThread();
    MemSeries existing = byLabels.get(labels);
    if (existing != null && existing.id == id) {
      return existing;
    }
    if (existing != null) {
      // A later incarnation: the live store removed the earlier one only once retention had
      // emptied it, so whatever replay put into it is expired too.
      removeSeries(existing);
    }
    nextId = Math.max(nextId, id + 1);
    return register(new MemSeries(id, labels, histogram));
  }

  /** After replay: the next id must exceed every id in the log, even of series since removed. */
  void reserveIds(long maxIdSeen) {
    nextId = Math.max(nextId, maxIdSeen + 1);
  }

  /** Estimated heap bytes of every series, chunk and tail. */
  long estimatedBytes() {
    long total = 0;
    for (MemSeries series : byId.values()) {
      total += series.estimatedBytes();
    }
    return total;
  }

  /** [oldest, newest] timestamp over all series; {Long.MAX_VALUE, Long.MIN_VALUE} when empty. */
  long[] timeRange() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (MemSeries series : byId.values()) {
      min = Math.min(min, series.minTime());
      max = Math.max(max, series.maxTime());
    }
    return new long[] {min, max};
  }
}
