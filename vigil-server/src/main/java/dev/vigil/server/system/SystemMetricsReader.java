package dev.vigil.server.system;

import dev.vigil.model.Labels;
import dev.vigil.server.series.SystemSeries;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.rollup.Resolution;
import dev.vigil.tsdb.rollup.Rollups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the stored node_exporter series back into the seed's system samples: {@code cpu_percent}
 * (busy share of CPU time between readings), {@code memory_percent}, {@code memory_available},
 * {@code disk_percent} and {@code disk_free} (of "/", else the largest file system), load averages
 * and network bytes per second (all devices but loopback).
 */
public final class SystemMetricsReader {

  private static final long FIVE_MINUTES = Resolution.FIVE_MINUTES.millis();

  private final Storage storage;
  private final Rollups rollups; // null: raw only

  /** A reader of {@code storage}. */
  public SystemMetricsReader(Storage storage) {
    this(storage, null);
  }

  /**
   * A reader of {@code storage} that reads long spans from the 5-minute rollups of {@code rollups}
   * where they exist: counters by their largest value in each window (the cumulative value at its
   * end), gauges by their average.
   */
  public SystemMetricsReader(Storage storage, Rollups rollups) {
    this.storage = storage;
    this.rollups = rollups;
  }

  /** Raw values of one collection time. */
  private static final class Raw {
    double cpuTotal;
    double cpuIdle;
    Double memTotal;
    Double memAvailable;
    Double load1;
    Double load5;
    Double load15;
    double rx;
    double tx;
    final Map<String, double[]> fs = new LinkedHashMap<>(); // mountpoint -> size, avail
  }

  /** Receives one point of one series. */
  private interface Points {
    void each(String name, boolean counter, PointSink sink);
  }

  private interface PointSink {
    void accept(Labels labels, Raw r, double v);
  }

  /**
   * Samples in {@code [startMillis, endMillis]}, oldest first, at most {@code maxPoints} (evenly
   * thinned; rates are then averaged over the thinned step). When the span holds at least {@code
   * maxPoints} five-minute windows, so that thinning would leave five minutes or more between
   * points anyway, the part already rolled up is read from the 5-minute rollups, one point per
   * window stamped at its last millisecond, and the rest raw.
   */
  public List<Map<String, Object>> samples(long startMillis, long endMillis, int maxPoints) {
    TreeMap<Long, Raw> raw = new TreeMap<>();
    long rawFrom = startMillis;
    if (rollups != null && (endMillis - startMillis) / FIVE_MINUTES >= maxPoints) {
      long until = Math.min(rollups.rolledUpUntil(Resolution.FIVE_MINUTES), endMillis + 1);
      long first = Resolution.FIVE_MINUTES.windowStart(startMillis + FIVE_MINUTES - 1);
      if (until > first) {
        try (Querier q = rollups.querier(Resolution.FIVE_MINUTES, first, until - 1)) {
          collect((name, counter, sink) -> rolledUp(q, name, counter, raw, sink));
        }
        rawFrom = until;
      }
    }
    if (rawFrom <= endMillis) {
      try (Querier q = storage.querier(rawFrom, endMillis)) {
        collect((name, counter, sink) -> rawPoints(q, name, raw, sink));
      }
    }
    List<Map.Entry<Long, Raw>> points = new ArrayList<>(raw.entrySet());
    int step = Math.max(1, (points.size() + maxPoints - 1) / Math.max(1, maxPoints));
    List<Map<String, Object>> out = new ArrayList<>();
    Map.Entry<Long, Raw> prev = null;
    for (int i = 0; i < points.size(); i += step) {
      Map.Entry<Long, Raw> p = points.get(i);
      out.add(sample(p.getKey(), p.getValue(), prev));
      prev = p;
    }
    if (!points.isEmpty() && (points.size() - 1) % step != 0) {
      Map.Entry<Long, Raw> last = points.get(points.size() - 1);
      out.add(sample(last.getKey(), last.getValue(), prev));
    }
    return out;
  }

  private static void collect(Points p) {
    p.each(
        SystemSeries.CPU_SECONDS,
        true,
        (l, r, v) -> {
          String mode = l.get("mode");
          r.cpuTotal += v;
          if ("idle".equals(mode) || "iowait".equals(mode)) {
            r.cpuIdle += v;
          }
        });
    p.each(SystemSeries.MEM_TOTAL, false, (l, r, v) -> r.memTotal = v);
    p.each(SystemSeries.MEM_AVAILABLE, false, (l, r, v) -> r.memAvailable = v);
    p.each(SystemSeries.LOAD1, false, (l, r, v) -> r.load1 = v);
    p.each(SystemSeries.LOAD5, false, (l, r, v) -> r.load5 = v);
    p.each(SystemSeries.LOAD15, false, (l, r, v) -> r.load15 = v);
    p.each(
        SystemSeries.FS_SIZE,
        false,
        (l, r, v) -> r.fs.computeIfAbsent(l.get("mountpoint"), m -> new double[2])[0] = v);
    p.each(
        SystemSeries.FS_AVAIL,
        false,
        (l, r, v) -> r.fs.computeIfAbsent(l.get("mountpoint"), m -> new double[2])[1] = v);
    p.each(
        SystemSeries.NET_RX,
        true,
        (l, r, v) -> {
          if (!"lo".equals(l.get("device"))) {
            r.rx += v;
          }
        });
    p.each(
        SystemSeries.NET_TX,
        true,
        (l, r, v) -> {
          if (!"lo".equals(l.get("device"))) {
            r.tx += v;
          }
        });
  }

  private static void rawPoints(Querier q, String name, TreeMap<Long, Raw> raw, PointSink sink) {
    for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, name))) {
      Labels l = s.labels();
      SampleCursor c = s.cursor();
      while (c.next()) {
        if (!c.isHistogram()) {
          sink.accept(l, raw.computeIfAbsent(c.timestampMillis(), k -> new Raw()), c.value());
        }
      }
    }
  }

  /** Counters: the window's largest value; gauges: its sum over its count. */
  private static void rolledUp(
      Querier q, String name, boolean counter, TreeMap<Long, Raw> raw, PointSink sink) {
    Matcher metric = Matcher.equal(Labels.METRIC_NAME, name);
    if (counter) {
      for (Series s : q.select(metric, Matcher.equal(Rollups.ROLLUP_LABEL, Rollups.MAX))) {
        Labels l = s.labels().without(Rollups.ROLLUP_LABEL);
        SampleCursor c = s.cursor();
        while (c.next()) {
          long t = c.timestampMillis() + FIVE_MINUTES - 1;
          sink.accept(l, raw.computeIfAbsent(t, k -> new Raw()), c.value());
        }
      }
      return;
    }
    Map<Labels, TreeMap<Long, double[]>> parts = new HashMap<>();
    for (Series s : q.select(metric, Matcher.regex(Rollups.ROLLUP_LABEL, "sum|count"))) {
      int i = Rollups.SUM.equals(s.labels().get(Rollups.ROLLUP_LABEL)) ? 0 : 1;
      TreeMap<Long, double[]> byTime =
          parts.computeIfAbsent(s.labels().without(Rollups.ROLLUP_LABEL), k -> new TreeMap<>());
      SampleCursor c = s.cursor();
      while (c.next()) {
        byTime.computeIfAbsent(c.timestampMillis(), k -> new double[2])[i] = c.value();
      }
    }
    for (Map.Entry<Labels, TreeMap<Long, double[]>> e : parts.entrySet()) {
      for (Map.Entry<Long, double[]> p : e.getValue().entrySet()) {
        double[] sc = p.getValue();
        if (sc[1] > 0) {
          long t = p.getKey() + FIVE_MINUTES - 1;
          sink.accept(e.getKey(), raw.computeIfAbsent(t, k -> new Raw()), sc[0] / sc[1]);
        }
      }
    }
  }

  private static Map<String, Object> sample(long t, Raw r, Map.Entry<Long, Raw> prev) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("timestamp", java.time.Instant.ofEpochMilli(t).toString());
    Double cpu = null;
    Double rxRate = null;
    Double txRate = null;
    if (prev != null) {
      Raw p = prev.getValue();
      double dTotal = r.cpuTotal - p.cpuTotal;
      double dIdle = r.cpuIdle - p.cpuIdle;
      if (dTotal > 0) {
        cpu = Math.max(0, Math.min(100, 100 * (dTotal - dIdle) / dTotal));
      }
      double dt = (t - prev.getKey()) / 1000.0;
      if (dt > 0 && r.rx >= p.rx && r.tx >= p.tx) {
        rxRate = (r.rx - p.rx) / dt;
        txRate = (r.tx - p.tx) / dt;
      }
    }
    m.put("cpu_percent", cpu);
    Double memPercent = null;
    if (r.memTotal != null && r.memAvailable != null && r.memTotal > 0) {
      memPercent = 100 * (r.memTotal - r.memAvailable) / r.memTotal;
    }
    m.put("memory_percent", memPercent);
    m.put("memory_available", r.memAvailable);
    double[] disk = r.fs.get("/");
    if (disk == null) {
      for (double[] d : r.fs.values()) {
        if (disk == null || d[0] > disk[0]) {
          disk = d;
        }
      }
    }
    m.put(
        "disk_percent", disk == null || disk[0] <= 0 ? null : 100 * (disk[0] - disk[1]) / disk[0]);
    m.put("disk_free", disk == null ? null : disk[1]);
    m.put("load1", r.load1);
    m.put("load5", r.load5);
    m.put("load15", r.load15);
    m.put("network_receive_bytes_per_second", rxRate);
    m.put("network_transmit_bytes_per_second", txRate);
    return m;
  }
}
