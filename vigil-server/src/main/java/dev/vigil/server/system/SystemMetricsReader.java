package dev.vigil.server.system;

import dev.vigil.model.Labels;
import dev.vigil.server.series.SystemSeries;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import java.util.ArrayList;
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

  private final Storage storage;

  /** A reader of {@code storage}. */
  public SystemMetricsReader(Storage storage) {
    this.storage = storage;
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

  /**
   * Samples in {@code [startMillis, endMillis]}, oldest first, at most {@code maxPoints} (evenly
   * thinned; rates are then averaged over the thinned step).
   */
  public List<Map<String, Object>> samples(long startMillis, long endMillis, int maxPoints) {
    TreeMap<Long, Raw> raw = new TreeMap<>();
    try (Querier q = storage.querier(startMillis, endMillis)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, SystemSeries.CPU_SECONDS))) {
        String mode = s.labels().get("mode");
        boolean idle = "idle".equals(mode) || "iowait".equals(mode);
        each(
            s,
            raw,
            (r, v) -> {
              r.cpuTotal += v;
              if (idle) {
                r.cpuIdle += v;
              }
            });
      }
      gauge(q, SystemSeries.MEM_TOTAL, raw, (r, v) -> r.memTotal = v);
      gauge(q, SystemSeries.MEM_AVAILABLE, raw, (r, v) -> r.memAvailable = v);
      gauge(q, SystemSeries.LOAD1, raw, (r, v) -> r.load1 = v);
      gauge(q, SystemSeries.LOAD5, raw, (r, v) -> r.load5 = v);
      gauge(q, SystemSeries.LOAD15, raw, (r, v) -> r.load15 = v);
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, SystemSeries.FS_SIZE))) {
        String mount = s.labels().get("mountpoint");
        each(s, raw, (r, v) -> r.fs.computeIfAbsent(mount, m -> new double[2])[0] = v);
      }
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, SystemSeries.FS_AVAIL))) {
        String mount = s.labels().get("mountpoint");
        each(s, raw, (r, v) -> r.fs.computeIfAbsent(mount, m -> new double[2])[1] = v);
      }
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, SystemSeries.NET_RX))) {
        if (!"lo".equals(s.labels().get("device"))) {
          each(s, raw, (r, v) -> r.rx += v);
        }
      }
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, SystemSeries.NET_TX))) {
        if (!"lo".equals(s.labels().get("device"))) {
          each(s, raw, (r, v) -> r.tx += v);
        }
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

  private interface Sink {
    void accept(Raw r, double v);
  }

  private static void gauge(Querier q, String name, TreeMap<Long, Raw> raw, Sink sink) {
    for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, name))) {
      each(s, raw, sink);
    }
  }

  private static void each(Series s, TreeMap<Long, Raw> raw, Sink sink) {
    SampleCursor c = s.cursor();
    while (c.next()) {
      if (!c.isHistogram()) {
        sink.accept(raw.computeIfAbsent(c.timestampMillis(), k -> new Raw()), c.value());
      }
    }
  }
}
