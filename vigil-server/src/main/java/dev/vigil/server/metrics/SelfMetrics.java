package dev.vigil.server.metrics;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.Recorder;
import dev.vigil.client.exposition.Scrape;
import dev.vigil.client.exposition.TextFormat;
import dev.vigil.client.jvm.JvmMetrics;
import dev.vigil.model.Labels;
import dev.vigil.server.events.AccessLog;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Vigil's own metrics in Prometheus' text format: its HTTP requests (recorded with vigil-client's
 * {@link Recorder}, exposed with its {@link TextFormat}), ingest counters, rejected items by
 * reason, the store's series and write-ahead-log fsync latency, the access log, and the JVM
 * (vigil-client's {@link JvmMetrics}: heap, GC, threads).
 */
public final class SelfMetrics {

  private final Recorder http;
  private final IngestCounters ingest;
  private final Storage storage;
  private final AccessLog accessLog;
  private final LongSupplier pushInstances;

  /** Metrics over these sources. */
  public SelfMetrics(
      Recorder http,
      IngestCounters ingest,
      Storage storage,
      AccessLog accessLog,
      LongSupplier pushInstances) {
    this.http = http;
    this.ingest = ingest;
    this.storage = storage;
    this.accessLog = accessLog;
    this.pushInstances = pushInstances;
  }

  /** The exposition now, in the text format ({@link TextFormat#CONTENT_TYPE}). */
  public byte[] scrape() throws IOException {
    List<MetricFamily> families = new ArrayList<>(JvmMetrics.collect());
    families.add(
        counter(
            "vigil_ingested_events",
            "Request events accepted through /api/v1/requests.",
            ingest.events.sum()));
    families.add(
        counter("vigil_ingested_push_batches", "Push batches accepted.", ingest.pushBatches.sum()));
    families.add(
        counter(
            "vigil_ingested_pushed_requests",
            "Requests counted from pushed deltas.",
            ingest.pushedRequests.sum()));
    families.add(
        counter(
            "vigil_ingested_samples",
            "Samples and merges committed by ingest.",
            ingest.samples.sum()));
    families.add(
        counter(
            "vigil_slow_requests_stored",
            "Slow requests newly stored as events.",
            ingest.slowRequests.sum()));
    families.add(
        counter(
            "vigil_ingested_remote_write_requests",
            "Remote write requests accepted through /api/v1/write.",
            ingest.remoteWriteRequests.sum()));
    families.add(
        counter(
            "vigil_ingested_remote_write_samples",
            "Float and histogram samples accepted through /api/v1/write.",
            ingest.remoteWriteSamples.sum()));
    families.add(
        counter("vigil_system_samples", "System samples collected.", ingest.systemSamples.sum()));
    List<MetricPoint> rejected = new ArrayList<>();
    for (Map.Entry<String, Long> e : ingest.rejected().entrySet()) {
      rejected.add(MetricPoint.of(Labels.of("reason", e.getKey()), e.getValue()));
    }
    families.add(
        MetricFamily.counter(
            "vigil_rejected_items", "Items refused by ingest, by reason.", rejected));
    StorageStats s = storage.stats();
    families.add(gauge("vigil_tsdb_series", "Series in the store's head.", s.series()));
    families.add(
        gauge(
            "vigil_tsdb_head_bytes",
            "Estimated heap bytes of the store's head.",
            s.headBytesEstimate()));
    families.add(gauge("vigil_tsdb_wal_bytes", "Bytes in the write-ahead log.", s.walBytes()));
    families.add(
        counter(
            "vigil_tsdb_samples_appended", "Samples committed to the store.", s.samplesAppended()));
    families.add(
        counter("vigil_tsdb_samples_rejected", "Samples the store refused.", s.samplesRejected()));
    families.add(
        counter(
            "vigil_tsdb_wal_repairs",
            "Torn or corrupt log tails truncated at open.",
            s.walRepairs()));
    families.add(
        MetricFamily.summary(
            "vigil_tsdb_wal_fsync_seconds",
            "Write-ahead-log fsyncs and their total duration.",
            List.of(
                MetricPoint.summary(
                    Labels.empty(), s.walFsyncs(), s.walFsyncNanosTotal() * 1e-9))));
    families.add(
        gauge(
            "vigil_tsdb_wal_fsync_max_seconds",
            "Longest write-ahead-log fsync.",
            s.walFsyncNanosMax() * 1e-9));
    families.add(
        counter("vigil_access_log_written", "Access-log entries written.", accessLog.written()));
    families.add(
        counter(
            "vigil_access_log_dropped",
            "Access-log entries dropped (queue full).",
            accessLog.dropped()));
    families.add(
        gauge(
            "vigil_push_instances",
            "Pushing instances with a baseline.",
            pushInstances.getAsLong()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    new TextFormat().write(out, Scrape.of(http, families));
    return out.toByteArray();
  }

  private static MetricFamily counter(String name, String help, double value) {
    return MetricFamily.counter(name, help, List.of(MetricPoint.of(value)));
  }

  private static MetricFamily gauge(String name, String help, double value) {
    return MetricFamily.gauge(name, help, List.of(MetricPoint.of(value)));
  }
}
