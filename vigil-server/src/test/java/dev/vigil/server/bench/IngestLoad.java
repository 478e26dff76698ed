package dev.vigil.server.bench;

import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver: events per second through {@code POST /api/v1/requests} in batches of 1,000 (200
 * endpoints, 50 users, timestamps over the last 10 seconds), from {@code threads} concurrent
 * clients, against an in-process server with a real clock. Arguments: seconds, threads. Not a test:
 * run it by hand (see the report) on an otherwise idle machine.
 */
public final class IngestLoad {
  private IngestLoad() {}

  /** Runs the load. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path dir = Files.createTempDirectory("vigil-load-");
    Random random = new Random(1);
    List<byte[]> bodies = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int b = 0; b < 64; b++) {
      StringBuilder sb = new StringBuilder(160_000).append('[');
      for (int i = 0; i < 1000; i++) {
        int ep = random.nextInt(200);
        sb.append(i == 0 ? "" : ",")
            .append("{\"timestamp\":\"")
            .append(Instant.ofEpochMilli(now - random.nextInt(10_000)))
            .append("\",\"endpoint\":\"/api/resource")
            .append(ep)
            .append("/{id}\",\"method\":\"")
            .append(ep % 4 == 0 ? "POST" : "GET")
            .append("\",\"response_time\":")
            .append(0.05 * Math.exp(0.8 * random.nextGaussian()))
            .append(",\"status_code\":")
            .append(random.nextInt(100) < 3 ? 500 : 200)
            .append(",\"user_email\":\"user")
            .append(random.nextInt(50))
            .append("@example.com\"}");
      }
      bodies.add(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }
    try (TestServer s =
        TestServer.start(
            dir,
            new MutableClock(now) {
              @Override
              public long millis() {
                return System.currentTimeMillis();
              }
            },
            null,
            "VIGIL_RATE_LIMIT_REQUESTS_PER_SECOND",
            "1000000",
            "VIGIL_RATE_LIMIT_BURST",
            "1000000")) {
      URI uri = URI.create("http://127.0.0.1:" + s.server.port() + "/api/v1/requests");
      HttpClient client = HttpClient.newHttpClient();
      AtomicLong events = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      long warmupEnd = System.nanoTime() + 5_000_000_000L;
      long end = warmupEnd + seconds * 1_000_000_000L;
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Thread w =
            new Thread(
                () -> {
                  int i = id;
                  while (System.nanoTime() < end) {
                    HttpRequest req =
                        HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + TestServer.INGEST)
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                    bodies.get(i++ % bodies.size())))
                            .build();
                    try {
                      HttpResponse<String> r =
                          client.send(req, HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() != 200) {
                        failures.incrementAndGet();
                      } else if (System.nanoTime() > warmupEnd) {
                        events.addAndGet(1000);
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
      System.out.printf(
          "events/s: %.0f (threads %d, %d s after 5 s warm-up, failures %d)%n",
          events.get() / (double) seconds, threads, seconds, failures.get());
    }
  }
}
