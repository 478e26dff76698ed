package dev.vigil.tsdb;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures the write-ahead log on realistic loads: bytes written per sample, and replay time. Not a
 * test: run by hand, e.g. {@code java -cp ... dev.vigil.tsdb.WalDriver /tmp/x scrape 100000 240}.
 *
 * <p>{@code scrape SERIES STEPS}: SERIES float counters (10 label pairs like a scraped target's)
 * sampled every 15 s for STEPS steps, committed 1000 samples at a time as a remote-write receiver
 * would. {@code requests ENDPOINTS STEPS}: the server's request load, per 10 s slot and endpoint a
 * latency histogram merge and a counter merge, committed 100 endpoints at a time. Then the store is
 * closed and reopened {@code REPLAYS} times (default 3), each replay timed. {@code replay 0 STEPS}
 * only reopens a directory that a scrape run of STEPS steps left.
 */
public final class WalDriver {
  private WalDriver() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String load = args[1];
    int series = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    int replays = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    long start = TestData.T0;
    // "replay": only reopen an existing directory; the clock stands where a scrape run ended.
    MutableClock clock = new MutableClock(load.equals("replay") ? start + steps * 15_000L : start);
    TsdbOptions options = TsdbOptions.builder(dir).clock(clock).build();
    Random random = new Random(1);
    long samples = 0;
    long writeNanos = System.nanoTime();
    try (Tsdb tsdb = Tsdb.open(options)) {
      if (load.equals("scrape")) {
        Labels[] labels = new Labels[series];
        double[] values = new double[series];
        for (int s = 0; s < series; s++) {
          labels[s] =
              Labels.of(
                  "__name__",
                  "http_requests_total",
                  "cluster",
                  "eu-west-1",
                  "namespace",
                  "shop-" + (s % 20),
                  "job",
                  "api",
                  "instance",
                  "10.0." + (s / 250 % 250) + "." + (s % 250) + ":8080",
                  "pod",
                  "api-" + Integer.toHexString(s * 7919),
                  "method",
                  s % 3 == 0 ? "GET" : "POST",
                  "route",
                  "/api/v1/items/" + (s % 50),
                  "code",
                  s % 10 == 0 ? "500" : "200",
                  "le",
                  "+Inf");
        }
        for (int step = 0; step < steps; step++) {
          long t = start + step * 15_000L;
          clock.set(t);
          for (int from = 0; from < series; from += 1000) {
            Appender a = tsdb.appender();
            for (int s = from; s < Math.min(series, from + 1000); s++) {
              values[s] += random.nextInt(20);
              a.add(labels[s], t + random.nextInt(20), values[s]);
              samples++;
            }
            a.commit();
          }
        }
      } else if (load.equals("requests")) {
        for (int step = 0; step < steps; step++) {
          long slot = start + step * 10_000L;
          clock.set(slot + 5_000);
          for (int from = 0; from < series; from += 100) {
            Appender a = tsdb.appender();
            for (int e = from; e < Math.min(series, from + 100); e++) {
              dev.vigil.model.HistogramBuilder h = Histogram.builder(7);
              int n = 1 + random.nextInt(40);
              for (int i = 0; i < n; i++) {
                h.observe(0.005 * Math.exp(random.nextGaussian()));
              }
              a.mergeHistogram(
                  Labels.of("__name__", "request_duration_seconds", "endpoint", "/e/" + e),
                  slot,
                  h.build());
              a.mergeFloat(
                  Labels.of("__name__", "requests_total", "endpoint", "/e/" + e, "class", "2xx"),
                  slot,
                  n);
              samples += 2;
            }
            a.commit();
          }
        }
      }
    }
    writeNanos = System.nanoTime() - writeNanos;
    long walBytes;
    try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
      walBytes = files.mapToLong(f -> f.toFile().length()).sum();
    }
    System.out.printf(
        "%s: %d samples written in %.1f s; WAL %d bytes, %.2f bytes/sample%n",
        load, samples, writeNanos / 1e9, walBytes, (double) walBytes / samples);
    for (int r = 0; r < replays; r++) {
      long t0 = System.nanoTime();
      try (Tsdb tsdb = Tsdb.open(options)) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("replay %d: %d ms, %d series%n", r + 1, ms, tsdb.stats().series());
      }
    }
  }
}
