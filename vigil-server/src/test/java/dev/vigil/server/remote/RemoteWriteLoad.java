package dev.vigil.server.remote;

import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver: float samples per second through {@code POST /api/v1/write} for 100,000 active
 * series (node_exporter-like labels), each round one sample per series at a new timestamp, in
 * requests of {@code batch} series, from {@code threads} concurrent clients, against an in-process
 * server with a real clock. Arguments: rounds, threads, batch, and optionally the URL of another
 * receiver (such as VictoriaMetrics' {@code /api/v1/write}) to load instead. Bodies are encoded and
 * compressed before the clock starts. Not a test: run it by hand on an otherwise idle machine.
 *
 * <p>Last run, 2026-11-22 07:00 UTC, 2 vCPUs shared with other builds (load average 4 to 6), 40
 * rounds x 50 requests of 2,000 series, 4 senders, measured after 5 rounds, {@code java -Xmx4g};
 * peers from Debian started fresh with default flags (VictoriaMetrics 1.79 answers before its data
 * is durable, Prometheus 2.42 with {@code --web.enable-remote-write-receiver} fsyncs no commit,
 * Vigil fsyncs every commit: 1,216 fsyncs, mean 9.5 ms):
 *
 * <pre>
 * receiver              samples/s   vs Vigil
 * Vigil                   199,239       1.00
 * VictoriaMetrics 1.79    583,813       2.93
 * Prometheus 2.42         177,852       0.89
 * </pre>
 */
public final class RemoteWriteLoad {
  private RemoteWriteLoad() {}

  /** Runs the load. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    String target = args.length > 3 ? args[3] : null;
    int seriesCount = 100_000;
    Path dir = Files.createTempDirectory("vigil-rw-load-");
    long start = System.currentTimeMillis() - 60_000;
    String[][] labels = new String[seriesCount][];
    for (int i = 0; i < seriesCount; i++) {
      labels[i] =
          new String[] {
            "__name__",
            "node_metric_" + (i % 200) + "_total",
            "job",
            "node",
            "instance",
            "host-" + (i / 1000) + ".example.com:9100",
            "cpu",
            Integer.toString(i % 16),
            "mode",
            "mode" + (i / 16 % 8),
            "series",
            Integer.toString(i)
          };
    }
    List<byte[]> bodies = new ArrayList<>();
    long rawBytes = 0;
    for (int r = 0; r < rounds; r++) {
      long t = start + r * 500L;
      for (int from = 0; from < seriesCount; from += batch) {
        WriteRequestBuilder b = new WriteRequestBuilder();
        for (int i = from; i < Math.min(seriesCount, from + batch); i++) {
          b.series(labels[i], new long[] {t}, new double[] {i * 0.5 + r});
        }
        rawBytes += b.protobuf().length;
        bodies.add(b.snappy());
      }
    }
    System.out.printf(
        "%d requests, %.1f MB raw protobuf, %.1f MB snappy%n",
        bodies.size(), rawBytes / 1e6, bodies.stream().mapToLong(x -> x.length).sum() / 1e6);
    try (TestServer s =
        TestServer.start(
            dir,
            new MutableClock(start) {
              @Override
              public long millis() {
                return System.currentTimeMillis();
              }
            },
            null,
            "VIGIL_RATE_LIMIT_REQUESTS_PER_SECOND",
            "1000000",
            "VIGIL_RATE_LIMIT_BURST",
            "1000000",
            "VIGIL_BODY_LIMIT",
            "64MiB")) {
      URI uri =
          URI.create(
              target != null ? target : "http://127.0.0.1:" + s.server.port() + "/api/v1/write");
      HttpClient client = HttpClient.newHttpClient();
      int firstMeasured = bodies.size() / rounds * Math.min(5, rounds / 2); // 5 rounds warm-up
      AtomicInteger next = new AtomicInteger();
      AtomicLong failures = new AtomicLong();
      AtomicLong measureStart = new AtomicLong();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w =
            new Thread(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < bodies.size()) {
                    if (i == firstMeasured) {
                      measureStart.set(System.nanoTime());
                    }
                    HttpRequest req =
                        HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + TestServer.INGEST)
                            .header("Content-Type", "application/x-protobuf")
                            .header("Content-Encoding", "snappy")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                            .build();
                    try {
                      HttpResponse<String> r =
                          client.send(req, HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() / 100 != 2) {
                        if (failures.incrementAndGet() < 5) {
                          System.out.println(r.statusCode() + " " + r.body());
                        }
                      }
                    } catch (Exception e) {
                      failures.incrementAndGet();
                    }
                  }
                });
        w.start();
        workers.add(w);
      }
      for (Thread w : workers) {
        w.join();
      }
      double seconds = (System.nanoTime() - measureStart.get()) / 1e9;
      var stats = s.server.storage().stats();
      System.out.printf(
          "WAL fsyncs: %d, mean %.2f ms, max %.2f ms%n",
          stats.walFsyncs(),
          stats.walFsyncNanosTotal() / 1e6 / Math.max(1, stats.walFsyncs()),
          stats.walFsyncNanosMax() / 1e6);
      long samples =
          (long) (bodies.size() - firstMeasured) * seriesCount / (bodies.size() / rounds);
      System.out.printf(
          "samples/s: %.0f (threads %d, batch %d, %d samples in %.2f s after warm-up,"
              + " failures %d, series %d)%n",
          samples / seconds,
          threads,
          batch,
          samples,
          seconds,
          failures.get(),
          s.server.storage().stats().series());
    }
  }
}
