package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.SampleRejectedException;
import dev.vigil.tsdb.SampleRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks the writes of one batch against the head and against each other; not thread-safe.
 *
 * <p>It keeps, per series touched, the value each timestamp will have once the earlier writes of
 * the batch are applied, so that an add conflicting with an earlier add or merge of the same batch
 * is caught as well as one conflicting with stored data. A rejected write leaves no trace in that
 * state, so an appender can go on after a rejection.
 */
final class BatchValidator {
  private final Head head;
  private final Map<Labels, Pending> touched = new HashMap<>();
  private int newSeries;
  private final Map<String, Integer> newSeriesPerMetric = new HashMap<>(); // with a limit only

  /** What the batch does to one series. */
  static final class Pending {
    final MemSeries series; // null for a series the batch creates
    final boolean histogram;
    MemSeries resolved; // the series written to: series, or the one the commit created
    // The state of each timestamp written (a Double, a Histogram or a Merged chain) after the
    // batch's writes so far. Most series get one write per batch (ingest pre-aggregates per
    // series and slot), so the first timestamp is held inline and a map made only for more.
    private long firstTime;
    private Object firstState; // null: no write yet
    private Map<Long, Object> moreStates;

    Pending(MemSeries series, boolean histogram) {
      this.series = series;
      this.histogram = histogram;
    }

    // firstState is FLOAT when the first timestamp holds the float firstFloat: an add of a float,
    // the most common write, then records its value without boxing it.
    private static final Object FLOAT = new Object();
    private double firstFloat;

    Object state(long t) {
      if (firstState != null && firstTime == t) {
        return firstState == FLOAT ? (Object) firstFloat : firstState;
      }
      return moreStates == null ? null : moreStates.get(t);
    }

    void setFloat(long t, double value) {
      if (firstState == null || firstTime == t) {
        firstTime = t;
        firstState = FLOAT;
        firstFloat = value;
      } else {
        setState(t, value);
      }
    }

    void setState(long t, Object state) {
      if (firstState == null || firstTime == t) {
        firstTime = t;
        firstState = state;
      } else {
        if (moreStates == null) {
          moreStates = new HashMap<>();
        }
        moreStates.put(t, state);
      }
    }
  }

  BatchValidator(Head head) {
    this.head = head;
  }

  /** Forgets every write checked so far. */
  void reset() {
    touched.clear();
    newSeries = 0;
    newSeriesPerMetric.clear();
  }

  /** The series the batch touches, for the commit that applies it. */
  Map<Labels, Pending> touched() {
    return touched;
  }

  /**
   * Checks one write as of {@code now} and records its effect; returns the state of its series.
   *
   * @throws SampleRejectedException if it is not acceptable; nothing is recorded then
   */
  Pending check(Op op, long now) {
    return check(op, now, null);
  }

  /**
   * As {@link #check(Op, long)}, with the series the labels named when the write was buffered
   * ({@code hint}, or null): the commit, holding {@code head.appendLock}, uses it if the head still
   * holds it, instead of looking the labels up again (half the lookups, 4% of ingest CPU).
   */
  Pending check(Op op, long now, MemSeries hint) {
    Labels labels = op.labels();
    long t = op.timestamp();
    Pending pending = touched.get(labels);
    MemSeries existing = null;
    if (pending == null) {
      existing = hint != null && !hint.removed ? hint : head.get(labels);
      // Labels of a stored series, or of an earlier accepted write, were checked then (a refused
      // write leaves no state); looking the name up for every write cost 5% of ingest CPU.
      if (existing == null && labels.get(Labels.METRIC_NAME) == null) {
        throw reject(op, Reason.INVALID_LABELS, "has no metric name (label __name__)");
      }
    }
    checkTime(op, t, now);
    checkBudget(op);
    boolean create = false;
    if (pending == null) {
      MemSeries series = existing;
      if (series == null) {
        int limit = head.options.maxSeries();
        if (head.seriesCount() + newSeries >= limit) {
          throw reject(
              op,
              Reason.TOO_MANY_SERIES,
              "would create a series beyond the limit maxSeries of " + limit + " series in total");
        }
        int perMetric = head.options.maxSeriesPerMetric();
        if (perMetric > 0) {
          String name = labels.get(Labels.METRIC_NAME);
          if (head.seriesCount(name) + newSeriesPerMetric.getOrDefault(name, 0) >= perMetric) {
            throw reject(
                op,
                Reason.TOO_MANY_SERIES_PER_METRIC,
                "would create a series beyond the limit maxSeriesPerMetric of "
                    + perMetric
                    + " series named "
                    + name);
          }
        }
        create = true;
      }
      pending = new Pending(series, series == null ? op.isHistogram() : series.histogram);
    }
    // A sample after the newest one a non-empty series holds (the usual scrape or remote write)
    // can neither be sealed nor meet a stored value: every sealed sample is at or before the
    // newest one. Reading the volatile maxTime spares taking the series' lock twice, which cost a
    // tenth of a remote write commit across 100,000 series. The series' state is checked under
    // its lock otherwise.
    long newest = pending.series == null ? Long.MIN_VALUE : pending.series.maxTime();
    boolean afterNewest = newest != Long.MIN_VALUE && t > newest;
    if (afterNewest) {
      if (pending.histogram != op.isHistogram()) {
        checkSeries(op, t, pending.histogram, null); // throws TYPE_MISMATCH
      }
    } else {
      checkSeries(op, t, pending.histogram, pending.series);
    }
    Object recorded = pending.state(t);
    Object next = null; // the state the op leaves; null for an add of a float, recorded unboxed
    if (op.isMerge()) {
      // Merges cannot conflict; their result is only worked out if a later add needs it.
      next = new Merged(recorded, op);
    } else {
      Object current = recorded != null ? resolve(recorded, pending, t) : null;
      if (current == null && pending.series != null && !afterNewest) {
        current = pending.series.tailValueAt(t);
      }
      if (current != null) {
        Object value = op.isHistogram() ? op.histogram() : (Object) op.value();
        if (!same(current, value)) {
          throw reject(
              op,
              Reason.DUPLICATE_TIMESTAMP,
              "has value "
                  + value
                  + " but the series holds "
                  + current
                  + " at that timestamp; a merge adds to it");
        }
      }
      next = op.isHistogram() ? op.histogram() : null;
    }
    if (create) {
      touched.put(labels, pending);
      newSeries++;
      if (head.options.maxSeriesPerMetric() > 0) {
        newSeriesPerMetric.merge(labels.get(Labels.METRIC_NAME), 1, Integer::sum);
      }
    } else {
      touched.putIfAbsent(labels, pending);
    }
    if (next == null) {
      pending.setFloat(t, op.value());
    } else {
      pending.setState(t, next);
    }
    return pending;
  }

  /**
   * Checks a merge into {@code series}, a series the head holds, as {@link #check} would, without
   * recording anything: merges cannot conflict, so a batch of merges only into existing series
   * needs no state. The commit uses it for such batches.
   *
   * @throws SampleRejectedException if it is not acceptable
   */
  void checkMerge(Op op, long now, MemSeries series) {
    assert op.isMerge() && !series.removed : op;
    checkTime(op, op.timestamp(), now);
    checkSeries(op, op.timestamp(), series.histogram, series);
  }

  /**
   * Checks the head's memory budget, as {@link #check} does for every write.
   *
   * @throws SampleRejectedException naming {@code op} if the head is over its budget
   */
  void checkBudget(Op op) {
    if (head.overMemoryBudget()) {
      throw reject(
          op,
          Reason.HEAD_MEMORY_LIMIT,
          "is refused: the head's estimated size of "
              + head.bytesEstimate()
              + " bytes exceeds the limit maxHeadBytes of "
              + head.options.maxHeadBytes()
              + " bytes");
    }
  }

  /**
   * Checks again, as of {@code now} and without recording anything, a float add into {@code series}
   * (a float series the head holds) that {@link #check} accepted when it was buffered: only what
   * other commits or the clock can have changed since, that is the time window, the sealed range
   * and a value stored at its timestamp. What the batch's own writes do to each other was checked
   * then and cannot change. {@code head.appendLock} must be held.
   *
   * @throws SampleRejectedException if it is no longer acceptable
   */
  void recheckFloatAdd(Op op, long now, MemSeries series) {
    assert op.type() == WalRecords.FLOAT_SAMPLES && !series.histogram && !series.removed : op;
    long t = op.timestamp();
    checkTime(op, t, now);
    if (t > series.maxTime()) {
      return; // nothing stored at or after t, nothing sealed there
    }
    checkSeries(op, t, false, series);
    Object current = series.tailValueAt(t);
    if (current != null && !same(current, op.value())) {
      throw reject(
          op,
          Reason.DUPLICATE_TIMESTAMP,
          "has value "
              + op.value()
              + " but the series holds "
              + current
              + " at that timestamp; a merge adds to it");
    }
  }

  private void checkTime(Op op, long t, long now) {
    long min = head.minValidTime(now);
    if (t < min) {
      throw reject(
          op,
          Reason.OUT_OF_BOUNDS,
          "is older than the out-of-order window of "
              + format(head.options.outOfOrderWindow())
              + ": the oldest timestamp accepted now is "
              + time(min));
    }
    long max = now + Head.MAX_FUTURE_MILLIS;
    if (t > max) {
      throw reject(
          op,
          Reason.OUT_OF_BOUNDS,
          "is more than 10m in the future: the newest timestamp accepted now is " + time(max));
    }
  }

  private void checkSeries(Op op, long t, boolean histogram, MemSeries series) {
    if (histogram != op.isHistogram()) {
      throw reject(
          op,
          Reason.TYPE_MISMATCH,
          "is a "
              + (op.isHistogram() ? "histogram" : "float")
              + " but the series holds "
              + (histogram ? "histograms" : "floats"));
    }
    if (series != null && t <= series.sealedMaxTime()) {
      throw reject(
          op,
          Reason.OUT_OF_BOUNDS,
          "is at or before "
              + time(series.sealedMaxTime())
              + ", which the series has already compressed (the clock went back?)");
    }
  }

  /** Merges recorded at one timestamp: the earlier state (null: the stored value) plus one op. */
  private record Merged(Object before, Op op) {}

  /** The value a recorded state stands for: the stored value with the batch's writes applied. */
  private static Object resolve(Object recorded, Pending pending, long t) {
    ArrayDeque<Op> merges = new ArrayDeque<>();
    Object state = recorded;
    while (state instanceof Merged) {
      merges.push(((Merged) state).op);
      state = ((Merged) state).before;
    }
    Object value = state != null || pending.series == null ? state : pending.series.tailValueAt(t);
    for (Op op : merges) { // oldest first
      if (value == null) {
        value = op.isHistogram() ? op.histogram() : (Object) op.value();
      } else if (op.isHistogram()) {
        value = ((Histogram) value).merge(op.histogram());
      } else {
        value = (Double) value + op.value();
      }
    }
    return value;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Double) {
      // Bit equality, as Prometheus: NaN equals the same NaN, 0.0 differs from -0.0.
      return Double.doubleToRawLongBits((Double) a) == Double.doubleToRawLongBits((Double) b);
    }
    return a.equals(b);
  }

  private SampleRejectedException reject(Op op, Reason reason, String problem) {
    head.samplesRejected.increment();
    return new SampleRejectedException(
        reason,
        op.labels(),
        op.timestamp(),
        (op.isMerge() ? "merge into " : "sample of ")
            + op.labels()
            + " at "
            + time(op.timestamp())
            + " "
            + problem);
  }

  static String time(long millis) {
    return millis + " (" + Instant.ofEpochMilli(millis) + ")";
  }

  private static String format(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
