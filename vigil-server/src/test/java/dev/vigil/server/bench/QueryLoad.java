package dev.vigil.server.bench;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import dev.vigil.model.Labels;
import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.server.series.RequestSeries;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * Load driver: latency of the summary and endpoints reads over 24 hours of data for 200 endpoints
 * (one slot every 10 s each: 1.7 million histogram samples). Writes the data straight into the
 * store with a clock stepping through the day, then starts a server on it and times each read
 * {@code n} times. Arguments: endpoints, hours, n. Not a test: run it by hand.
 */
public final class QueryLoad {
  private QueryLoad() {}

  /** Runs the load. */
  public static void main(String[] args) throws Exception {
    int endpoints = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    Path dir = Files.createTempDirectory("vigil-query-");
    long end = RequestSeries.slot(System.currentTimeMillis());
    long start = end - hours * 3_600_000L;
    MutableClock clock = new MutableClock(start);
    Random random = new Random(7);
    long t0 = System.nanoTime();
    try (Storage tsdb =
        Tsdb.open(
            TsdbOptions.builder(dir.resolve("tsdb"))
                .clock(clock)
                .outOfOrderWindow(Duration.ofMinutes(70))
                .build())) {
      Labels[][] labels = new Labels[endpoints][];
      for (int e = 0; e < endpoints; e++) {
        labels[e] =
            RequestSeries.deltaLabels(
                "shop", "i-1", e % 4 == 0 ? "POST" : "GET", "/api/r" + e + "/{id}");
      }
      for (long slot = start; slot < end; slot += RequestSeries.SLOT_MILLIS) {
        clock.advanceMillis(slot - clock.millis());
        Appender a = tsdb.appender();
        for (int e = 0; e < endpoints; e++) {
          HistogramBuilder b = Histogram.builder(RequestSeries.SCHEMA).zeroThreshold(0.0);
          int count = 1 + random.nextInt(8);
          int errors = 0;
          for (int i = 0; i < count; i++) {
            b.observe(0.05 * Math.exp(0.8 * random.nextGaussian()));
            errors += random.nextInt(50) == 0 ? 1 : 0;
          }
          a.mergeHistogram(labels[e][0], slot, b.build());
          a.mergeFloat(labels[e][2], slot, count - errors);
          if (errors > 0) {
            a.mergeFloat(labels[e][5], slot, errors);
          }
        }
        a.commit();
      }
    }
    System.out.printf(
        "wrote %d h x %d endpoints in %.1f s%n", hours, endpoints, (System.nanoTime() - t0) / 1e9);
    clock.advanceMillis(end - clock.millis());
    try (TestServer s =
        TestServer.start(
            dir,
            clock,
            null,
            "VIGIL_RATE_LIMIT_REQUESTS_PER_SECOND",
            "1000000",
            "VIGIL_RATE_LIMIT_BURST",
            "1000000")) {
      Http http = s.http;
      for (String path :
          new String[] {
            "/api/performance/summary?window=24h",
            "/api/performance/endpoints?window=24h",
            "/api/performance/summary?window=1h"
          }) {
        long[] nanos = new long[n];
        for (int i = 0; i < n + 3; i++) {
          long b = System.nanoTime();
          Http.Response r = http.getWith(TestServer.VIEWER, path);
          if (r.status() != 200) {
            throw new AssertionError(r.body());
          }
          if (i >= 3) {
            nanos[i - 3] = System.nanoTime() - b;
          }
        }
        Arrays.sort(nanos);
        System.out.printf(
            "%-45s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n",
            path,
            nanos[n / 2] / 1e6,
            nanos[(int) Math.ceil(n * 0.99) - 1] / 1e6,
            nanos[n - 1] / 1e6);
      }
    }
  }
}
