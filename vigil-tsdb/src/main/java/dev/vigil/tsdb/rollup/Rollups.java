package dev.vigil.tsdb.rollup;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageStats;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Downsampled copies of a raw store: every series rolled up into 5-minute windows, and those into
 * 1-hour windows, each resolution in a store of its own that keeps a year by default.
 *
 * <p><b>What a rollup holds.</b> For each raw series with samples in a window, series with the same
 * labels plus {@value #ROLLUP_LABEL}: for float series {@code min}, {@code max}, {@code sum} and
 * {@code count} of the window's samples (NaN samples, staleness markers among them, are left out; a
 * window of only NaNs yields nothing); for histogram series {@code sum}, the merge of the window's
 * histograms, and {@code count}, how many were merged. Every sample is stamped with the window's
 * start. Hour windows combine the 5-minute series component by component (min of mins, sum of sums
 * and of counts, merge of histograms).
 *
 * <p><b>When.</b> A 5-minute window is rolled up once the raw store can no longer accept a sample
 * in it: its end plus the raw late window plus a minute has passed. An hour window is rolled up
 * once its twelve 5-minute windows are. {@link #catchUp()} does every window that is due; the
 * server calls it every minute. Each window is one commit in the rollup store, together with a
 * sample of {@value #WATERMARK_METRIC} at the window's start: 1 when the window's source was
 * complete, 0 when it was not (an hour whose 5-minute windows were partly skipped). Progress
 * survives restarts through that series, and readers use it to know which windows they may take
 * from the rollups ({@link #completeWindows}) and read the rest raw.
 *
 * <p><b>Limits.</b> Rollups begin when they are first opened: raw data from before is not rolled
 * up. After downtime, windows older than {@link RollupOptions#catchUpLimit()} can no longer be
 * written (the rollup store's own out-of-order window) and are skipped with a log line; they have
 * no watermark sample, so readers read them raw while the raw store still has them.
 *
 * <p>Thread-safe: {@link #catchUp()} is serialised; queriers may be used concurrently with it.
 */
public final class Rollups implements AutoCloseable {
  /** Label naming the component of a rollup series. */
  public static final String ROLLUP_LABEL = "__rollup__";

  /** Component: smallest float sample of the window. */
  public static final String MIN = "min";

  /** Component: largest float sample of the window. */
  public static final String MAX = "max";

  /** Component: sum of the float samples, or merge of the histograms, of the window. */
  public static final String SUM = "sum";

  /** Component: number of samples in the window. */
  public static final String COUNT = "count";

  /** Progress series: one sample per rolled-up window, 1 if complete, 0 if partial. */
  public static final String WATERMARK_METRIC = "vigil_rollup_watermark";

  private static final System.Logger LOG = System.getLogger(Rollups.class.getName());
  private static final long GRACE_MILLIS = 60_000;
  private static final Labels WATERMARK = Labels.of(Labels.METRIC_NAME, WATERMARK_METRIC);
  private static final long NONE = Long.MIN_VALUE;

  private final Storage raw;
  private final RollupOptions options;
  private final Map<Resolution, Tsdb> stores = new EnumMap<>(Resolution.class);

  /** Start of the last window handled per resolution, NONE before the first. */
  private final Map<Resolution, Long> progress = new EnumMap<>(Resolution.class);

  private Rollups(Storage raw, RollupOptions options) {
    this.raw = raw;
    this.options = options;
  }

  /**
   * Opens (or creates) the rollup stores under {@code options.directory()} for the raw store {@code
   * raw}, which stays owned by the caller.
   */
  public static Rollups open(Storage raw, RollupOptions options) throws IOException {
    Rollups rollups = new Rollups(raw, options);
    try {
      long window =
          options.catchUpLimit().toMillis() + Resolution.ONE_HOUR.millis() + 2 * GRACE_MILLIS;
      for (Resolution r : Resolution.values()) {
        Tsdb store =
            Tsdb.open(
                TsdbOptions.builder(options.directory().resolve(r.directoryName()))
                    .retention(options.retention())
                    .outOfOrderWindow(java.time.Duration.ofMillis(window))
                    .clock(options.clock())
                    .maxSeries(Integer.MAX_VALUE)
                    .build());
        rollups.stores.put(r, store);
        rollups.progress.put(r, rollups.readProgress(store));
      }
    } catch (IOException | RuntimeException e) {
      rollups.close();
      throw e;
    }
    return rollups;
  }

  /**
   * Rolls up every window that is due, oldest first; returns how many windows were written. Raw
   * windows are read through {@code raw.querier}, so this costs one pass over each raw sample.
   *
   * @throws IOException if a rollup store could not write; the windows before it are kept
   */
  public synchronized int catchUp() throws IOException {
    long now = options.clock().millis();
    int done =
        advance(
            Resolution.FIVE_MINUTES,
            raw,
            now - options.rawLateWindow().toMillis() - GRACE_MILLIS,
            now);
    long fiveDone = rolledUpUntil(Resolution.FIVE_MINUTES);
    if (fiveDone != NONE) {
      done += advance(Resolution.ONE_HOUR, stores.get(Resolution.FIVE_MINUTES), fiveDone, now);
    }
    return done;
  }

  /**
   * Exclusive end of the data rolled up at {@code resolution} so far, or {@link Long#MIN_VALUE}
   * before the first window.
   */
  public synchronized long rolledUpUntil(Resolution resolution) {
    long last = progress.get(resolution);
    return last == NONE ? NONE : last + resolution.millis();
  }

  /**
   * Starts of the complete windows at {@code resolution} within [fromMillis, toMillis), ascending:
   * the windows a reader may take from the rollups instead of the raw store.
   */
  public long[] completeWindows(Resolution resolution, long fromMillis, long toMillis) {
    if (toMillis <= fromMillis) {
      return new long[0];
    }
    long[] starts = new long[16];
    int n = 0;
    try (Querier q = stores.get(resolution).querier(fromMillis, toMillis - 1)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, WATERMARK_METRIC))) {
        SampleCursor c = s.cursor();
        while (c.next()) {
          if (c.value() == 1.0) {
            if (n == starts.length) {
              starts = Arrays.copyOf(starts, n * 2);
            }
            starts[n++] = c.timestampMillis();
          }
        }
      }
    }
    return Arrays.copyOf(starts, n);
  }

  /** A querier over the rollup series at {@code resolution}; see the class comment for labels. */
  public Querier querier(Resolution resolution, long minTimeMillis, long maxTimeMillis) {
    return stores.get(resolution).querier(minTimeMillis, maxTimeMillis);
  }

  /** Statistics of the store at {@code resolution}. */
  public StorageStats stats(Resolution resolution) {
    return stores.get(resolution).stats();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Tsdb store : stores.values()) {
      try {
        store.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private long readProgress(Tsdb store) {
    long now = options.clock().millis();
    long last = NONE;
    try (Querier q = store.querier(now - options.retention().toMillis(), Long.MAX_VALUE)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, WATERMARK_METRIC))) {
        SampleCursor c = s.cursor();
        while (c.next()) {
          last = c.timestampMillis();
        }
      }
    }
    return last;
  }

  private int advance(Resolution r, Storage source, long readyUntil, long now) throws IOException {
    long step = r.millis();
    long last = progress.get(r);
    long next = last == NONE ? NONE : last + step;
    // The oldest window the rollup store still accepts, with a minute to spare.
    long earliest = r.windowStart(now - options.catchUpLimit().toMillis()) + step;
    if (next == NONE || next < earliest) {
      if (next != NONE) {
        LOG.log(
            Level.WARNING,
            "rollups {0}: skipping windows from {1} to {2}: older than the catch-up limit {3}",
            r.directoryName(),
            java.time.Instant.ofEpochMilli(next),
            java.time.Instant.ofEpochMilli(earliest),
            options.catchUpLimit());
      }
      next = earliest;
    }
    int done = 0;
    while (next + step <= readyUntil) {
      rollWindow(r, source, next, next + step);
      progress.put(r, next);
      next += step;
      done++;
    }
    return done;
  }

  private void rollWindow(Resolution r, Storage source, long start, long end) throws IOException {
    boolean fromRaw = r == Resolution.FIVE_MINUTES;
    Appender app = stores.get(r).appender();
    try (Querier q = source.querier(start, end - 1)) {
      List<Series> series = fromRaw ? q.select() : q.select(Matcher.regex(ROLLUP_LABEL, ".+"));
      for (Series s : series) {
        if (fromRaw) {
          rollRaw(app, s, start);
        } else {
          rollRollup(app, s, start);
        }
      }
    }
    boolean complete =
        fromRaw
            || completeWindows(Resolution.FIVE_MINUTES, start, end).length
                == (int) (r.millis() / Resolution.FIVE_MINUTES.millis());
    app.add(WATERMARK, start, complete ? 1.0 : 0.0);
    try {
      app.commit();
    } catch (IOException | RuntimeException e) {
      app.rollback();
      throw e;
    }
  }

  /** One raw series over one window: four float components, or a merged histogram and count. */
  private static void rollRaw(Appender app, Series s, long start) {
    Labels labels = s.labels();
    if (labels.get(ROLLUP_LABEL) != null) {
      return; // never roll up a rollup stored in the raw store by mistake
    }
    SampleCursor c = s.cursor();
    long count = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    Histogram merged = null;
    while (c.next()) {
      if (c.isHistogram()) {
        Histogram h = c.histogram();
        merged = merged == null ? h : merged.merge(h);
        count++;
      } else {
        double v = c.value();
        if (Double.isNaN(v)) {
          continue;
        }
        count++;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (count == 0) {
      return;
    }
    if (merged != null) {
      app.addHistogram(labels.with(ROLLUP_LABEL, SUM), start, merged);
    } else {
      app.add(labels.with(ROLLUP_LABEL, MIN), start, min);
      app.add(labels.with(ROLLUP_LABEL, MAX), start, max);
      app.add(labels.with(ROLLUP_LABEL, SUM), start, sum);
    }
    app.add(labels.with(ROLLUP_LABEL, COUNT), start, count);
  }

  /** One 5-minute component series over one hour: the same component, combined. */
  private static void rollRollup(Appender app, Series s, long start) {
    Labels labels = s.labels();
    String component = labels.get(ROLLUP_LABEL);
    SampleCursor c = s.cursor();
    boolean any = false;
    boolean seenFloat = false;
    double acc = 0;
    Histogram merged = null;
    while (c.next()) {
      any = true;
      if (c.isHistogram()) {
        Histogram h = c.histogram();
        merged = merged == null ? h : merged.merge(h);
        continue;
      }
      double v = c.value();
      if (!seenFloat) {
        acc = v;
        seenFloat = true;
      } else {
        switch (component) {
          case MIN -> acc = Math.min(acc, v);
          case MAX -> acc = Math.max(acc, v);
          default -> acc += v; // sum, count
        }
      }
    }
    if (!any) {
      return;
    }
    if (merged != null) {
      app.addHistogram(labels, start, merged);
    } else {
      app.add(labels, start, acc);
    }
  }
}
