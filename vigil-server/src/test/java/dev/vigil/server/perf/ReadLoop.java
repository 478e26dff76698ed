package dev.vigil.server.perf;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import dev.vigil.model.Labels;
import dev.vigil.server.MutableClock;
import dev.vigil.server.http.TimeRange;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * Profiling driver for the read path without HTTP: writes {@code hours} of the query benchmark's
 * workload (lognormal latencies per endpoint, about 3.5 requests per endpoint and slot) for {@code
 * endpoints} endpoints straight into a store, then times {@link RequestStatsReader#read} of a
 * window ending now, {@code n} times, in CPU and wall time. Arguments: endpoints, hours, n, window
 * hours. Not a test: run it by hand, e.g. with JFR.
 */
public final class ReadLoop {
  private ReadLoop() {}

  /** Runs the loop. */
  public static void main(String[] args) throws Exception {
    int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    double windowHours = args.length > 3 ? Double.parseDouble(args[3]) : 24;
    long pauseMillis = args.length > 4 ? Long.parseLong(args[4]) : 0;
    Path dir = Files.createTempDirectory("vigil-readloop-");
    long end = RequestSeries.slot(System.currentTimeMillis());
    long start = end - hours * 3_600_000L;
    MutableClock clock = new MutableClock(end);
    Random random = new Random(42);
    double[] median = new double[endpoints];
    double[] sigma = new double[endpoints];
    Labels[][] labels = new Labels[endpoints][];
    for (int e = 0; e < endpoints; e++) {
      median[e] = e % 50 == 7 ? 1.5 : 0.004 * Math.pow(100, random.nextDouble());
      sigma[e] = 0.4 + 0.7 * random.nextDouble();
      labels[e] =
          RequestSeries.deltaLabels("default", "api", e % 4 == 0 ? "POST" : "GET", "/r" + e);
    }
    try (Storage tsdb =
        Tsdb.open(
            TsdbOptions.builder(dir.resolve("tsdb"))
                .clock(clock)
                .outOfOrderWindow(Duration.ofHours(hours + 2))
                .build())) {
      long t0 = System.nanoTime();
      Appender a = tsdb.appender();
      int inBatch = 0;
      for (long slot = start; slot < end; slot += RequestSeries.SLOT_MILLIS) {
        for (int e = 0; e < endpoints; e++) {
          HistogramBuilder b = Histogram.builder(RequestSeries.SCHEMA).zeroThreshold(0.0);
          int count = Math.max(1, (int) Math.round(3.33 * (0.5 + random.nextDouble())));
          int errors = 0;
          for (int i = 0; i < count; i++) {
            b.observe(median[e] * Math.exp(sigma[e] * random.nextGaussian()));
            errors += random.nextInt(50) == 0 ? 1 : 0;
          }
          a.mergeHistogram(labels[e][0], slot, b.build());
          a.mergeFloat(labels[e][2], slot, count - errors);
          if (errors > 0) {
            a.mergeFloat(labels[e][5], slot, errors);
          }
        }
        if (++inBatch == 60) {
          a.commit();
          a = tsdb.appender();
          inBatch = 0;
        }
      }
      a.commit();
      System.out.printf(
          "wrote %d h x %d endpoints in %.1f s%n",
          hours, endpoints, (System.nanoTime() - t0) / 1e9);
      RequestStatsReader reader = new RequestStatsReader(tsdb);
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long window = (long) (windowHours * 3_600_000);
      for (String phase : new String[] {"warm-up", "summary", "endpoints"}) {
        long[] wall = new long[n];
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
          // A window ending a little later each time, as reads of "the last 24 hours" do.
          long now = end - 3_600_000 + (long) i * 1_000;
          long b = System.nanoTime();
          reader.read(new TimeRange(now - window, now), null, 0.5, !phase.equals("endpoints"));
          wall[i] = System.nanoTime() - b;
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis); // as between a client's requests: other work runs meanwhile
          }
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        Arrays.sort(wall);
        System.out.printf(
            "%-9s cpu %.2f ms/read, wall p50 %.2f p99 %.2f max %.2f ms%n",
            phase,
            cpu / 1e6 / n,
            wall[n / 2] / 1e6,
            wall[(int) (n * 0.99)] / 1e6,
            wall[n - 1] / 1e6);
      }
      System.out.printf(
          "cache: %d blocks, %.1f MB%n", reader.cachedBlocks(), reader.cachedBytes() / 1e6);
    }
  }
}
