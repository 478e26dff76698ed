package dev.vigil.server.prom;

import dev.vigil.server.series.RequestSeries;
import dev.vigil.server.series.SystemSeries;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metric metadata for {@code /api/v1/metadata}: the series Vigil writes itself, plus what senders
 * report (remote write's metadata, later). Thread-safe.
 */
public final class MetricMetadata {

  /** One metadata entry in Prometheus' shape. */
  public record Entry(String type, String help, String unit) {}

  private final Map<String, List<Entry>> entries = new ConcurrentHashMap<>();

  /** The metadata of the series Vigil's ingest and collector write. */
  public static MetricMetadata builtIn() {
    MetricMetadata m = new MetricMetadata();
    m.put(
        RequestSeries.DURATION,
        "histogram",
        "Request latency per endpoint: native histogram deltas per 10-second slot.",
        "seconds");
    m.put(
        RequestSeries.REQUESTS,
        "gauge",
        "Requests per endpoint and status class: deltas per 10-second slot.",
        "");
    m.put(SystemSeries.CPU_SECONDS, "counter", "Seconds the CPUs spent in each mode.", "seconds");
    m.put(SystemSeries.MEM_TOTAL, "gauge", "Memory information field MemTotal_bytes.", "bytes");
    m.put(
        SystemSeries.MEM_AVAILABLE,
        "gauge",
        "Memory information field MemAvailable_bytes.",
        "bytes");
    m.put(SystemSeries.FS_SIZE, "gauge", "Filesystem size in bytes.", "bytes");
    m.put(SystemSeries.FS_AVAIL, "gauge", "Filesystem space available to non-root users.", "bytes");
    m.put(SystemSeries.LOAD1, "gauge", "1m load average.", "");
    m.put(SystemSeries.LOAD5, "gauge", "5m load average.", "");
    m.put(SystemSeries.LOAD15, "gauge", "15m load average.", "");
    m.put(SystemSeries.NET_RX, "counter", "Network device statistic receive_bytes.", "bytes");
    m.put(SystemSeries.NET_TX, "counter", "Network device statistic transmit_bytes.", "bytes");
    return m;
  }

  /** Sets the metadata of {@code metric}, replacing what was there. */
  public void put(String metric, String type, String help, String unit) {
    entries.put(metric, List.of(new Entry(type, help, unit)));
  }

  /** Every metric's metadata, sorted by name. */
  public Map<String, List<Entry>> all() {
    return new TreeMap<>(entries);
  }
}
