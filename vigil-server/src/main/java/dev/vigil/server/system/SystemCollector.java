package dev.vigil.server.system;

import dev.vigil.model.Labels;
import dev.vigil.server.metrics.IngestCounters;
import dev.vigil.server.series.SystemSeries;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a {@link SystemReading} at a fixed interval and stores it as float series under
 * node_exporter's names. {@link #collectOnce()} is public so that tests drive it without a timer.
 */
public final class SystemCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SystemCollector.class);

  private final Storage storage;
  private final SystemSource source;
  private final Clock clock;
  private final IngestCounters counters;
  private ScheduledExecutorService timer;

  /** A collector reading {@code source} into {@code storage}. */
  public SystemCollector(
      Storage storage, SystemSource source, Clock clock, IngestCounters counters) {
    this.storage = storage;
    this.source = source;
    this.clock = clock;
    this.counters = counters;
  }

  /** Starts collecting every {@code interval}, the first reading at once. */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-system-collector");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::collectSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void collectSafely() {
    try {
      collectOnce();
    } catch (Exception | LinkageError e) {
      // OSHI can fail on unusual systems; a missed reading must not stop the next ones.
      LOG.warn("system metrics: reading failed: {}", e.toString());
    }
  }

  /** Takes one reading and commits it; returns the samples written. */
  public int collectOnce() throws java.io.IOException {
    SystemReading r = source.read();
    long t = clock.millis();
    Appender a = storage.appender();
    int n = 0;
    for (Map.Entry<String, Map<String, Double>> cpu : r.cpuSecondsByCpuAndMode().entrySet()) {
      for (Map.Entry<String, Double> mode : cpu.getValue().entrySet()) {
        a.add(
            Labels.of(
                Labels.METRIC_NAME,
                SystemSeries.CPU_SECONDS,
                "cpu",
                cpu.getKey(),
                "mode",
                mode.getKey()),
            t,
            mode.getValue());
        n++;
      }
    }
    a.add(Labels.of(Labels.METRIC_NAME, SystemSeries.MEM_TOTAL), t, r.memTotalBytes());
    a.add(Labels.of(Labels.METRIC_NAME, SystemSeries.MEM_AVAILABLE), t, r.memAvailableBytes());
    a.add(Labels.of(Labels.METRIC_NAME, SystemSeries.LOAD1), t, r.load1());
    a.add(Labels.of(Labels.METRIC_NAME, SystemSeries.LOAD5), t, r.load5());
    a.add(Labels.of(Labels.METRIC_NAME, SystemSeries.LOAD15), t, r.load15());
    n += 5;
    for (SystemReading.FileSystem fs : r.filesystems()) {
      Labels l =
          Labels.of(
              Labels.METRIC_NAME,
              SystemSeries.FS_SIZE,
              "mountpoint",
              fs.mountpoint(),
              "fstype",
              fs.fstype(),
              "device",
              fs.device());
      a.add(l, t, fs.sizeBytes());
      a.add(l.with(Labels.METRIC_NAME, SystemSeries.FS_AVAIL), t, fs.availBytes());
      n += 2;
    }
    for (SystemReading.Network net : r.networks()) {
      Labels l = Labels.of(Labels.METRIC_NAME, SystemSeries.NET_RX, "device", net.device());
      a.add(l, t, net.receiveBytes());
      a.add(l.with(Labels.METRIC_NAME, SystemSeries.NET_TX), t, net.transmitBytes());
      n += 2;
    }
    a.commit();
    counters.systemSamples.add(n);
    return n;
  }

  /** Stops the timer. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
