import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Driver of bench/query-bench.sh (run as a single-file program: {@code java bench/QueryBench.java
 * ...}); the JDK only, loopback only.
 *
 * <pre>
 * load    URL TOKEN ENDPOINTS HOURS EVENTS_PER_ENDPOINT_MINUTE SEED
 *   POSTs HOURS of request events ending now to /api/v1/requests in batches of 1,000, oldest
 *   first, then checks that the summary over exactly the loaded span counts every event sent.
 * measure URL TOKEN N WARMUP ROUNDS PATH...
 *   WARMUP requests to each path in turn, then ROUNDS rounds of N sequential timed requests per
 *   path (from sending to the last body byte read, one connection kept alive); prints
 *   p50/p90/p99/max in ms, one line per path and round: "RESULT path p50 .. p90 .. p99 .. max ..".
 * </pre>
 *
 * Workload (realistic, not flattering): each endpoint has its own lognormal latency (median 4 ms
 * to 400 ms, sigma 0.4 to 1.1), one endpoint in 50 is slow (median 1.5 s, so many requests over
 * the 2 s slow threshold go to the events store), error rates from 0.1% to 5% split into 4xx and
 * 5xx, a user on two requests in three out of 500 users. Every endpoint gets events in every
 * 10-second slot: per slot a count drawn around EVENTS_PER_ENDPOINT_MINUTE / 6 (at least 1),
 * timestamps uniform within the slot.
 */
public final class QueryBench {

  private QueryBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    switch (args[0]) {
      case "load" -> load(args);
      case "measure" -> measure(args);
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: load URL TOKEN ENDPOINTS HOURS PER_MINUTE SEED");
    System.err.println("       measure URL TOKEN N WARMUP ROUNDS PATH...");
    System.exit(2);
  }

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  // ---------------------------------------------------------------------------------- load

  private static void load(String[] args) throws Exception {
    String url = args[1];
    String token = args[2];
    int endpoints = Integer.parseInt(args[3]);
    int hours = Integer.parseInt(args[4]);
    double perMinute = Double.parseDouble(args[5]);
    long seed = Long.parseLong(args[6]);
    Random random = new Random(seed);

    String[] method = new String[endpoints];
    String[] route = new String[endpoints];
    double[] median = new double[endpoints];
    double[] sigma = new double[endpoints];
    double[] errorRate = new double[endpoints];
    String[] methods = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    String[] resources = {"orders", "users", "cart", "products", "search", "auth", "payments"};
    for (int e = 0; e < endpoints; e++) {
      method[e] = methods[random.nextInt(methods.length)];
      route[e] = "/api/" + resources[e % resources.length] + "/v" + (e / resources.length) + "/{id}";
      median[e] = e % 50 == 7 ? 1.5 : 0.004 * Math.pow(100, random.nextDouble());
      sigma[e] = 0.4 + 0.7 * random.nextDouble();
      errorRate[e] = 0.001 * Math.pow(50, random.nextDouble());
    }

    long slotMillis = 10_000;
    long end = Math.floorDiv(System.currentTimeMillis(), slotMillis) * slotMillis;
    long start = end - hours * 3_600_000L;
    double perSlot = perMinute / 6.0;

    // One generator thread, two senders: the server has the other core and a half.
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(16);
    byte[] poison = new byte[0];
    AtomicLong sent = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    URI uri = URI.create(url + "/api/v1/requests");
    int senders = 2;
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    byte[] body = queue.take();
                    if (body == poison) {
                      return;
                    }
                    HttpResponse<String> r = post(uri, token, body);
                    if (r.statusCode() != 200) {
                      failure.compareAndSet(null, r.statusCode() + " " + r.body());
                      return;
                    }
                    batches.incrementAndGet();
                  }
                } catch (Exception ex) {
                  failure.compareAndSet(null, ex.toString());
                }
              });
      t.start();
      threads.add(t);
    }

    long t0 = System.nanoTime();
    StringBuilder sb = new StringBuilder(200_000);
    int inBatch = 0;
    long events = 0;
    long lastReport = t0;
    for (long slot = start; slot < end && failure.get() == null; slot += slotMillis) {
      for (int e = 0; e < endpoints; e++) {
        // Around perSlot events (uniform in [0.5, 1.5] x perSlot, rounded), at least one.
        int n = Math.max(1, (int) Math.round(perSlot * (0.5 + random.nextDouble())));
        for (int i = 0; i < n; i++) {
          double seconds = median[e] * Math.exp(sigma[e] * random.nextGaussian());
          seconds = Math.min(seconds, 600.0);
          int status = 200;
          double u = random.nextDouble();
          if (u < errorRate[e]) {
            status = u < errorRate[e] * 0.6 ? (random.nextBoolean() ? 404 : 400) : 500;
          } else if (u > 0.995) {
            status = 201;
          }
          sb.append(inBatch == 0 ? "[" : ",");
          sb.append("{\"timestamp\":").append(slot + random.nextInt((int) slotMillis));
          sb.append(",\"endpoint\":\"").append(route[e]);
          sb.append("\",\"method\":\"").append(method[e]);
          sb.append("\",\"response_time\":")
              .append(String.format(Locale.ROOT, "%.6f", seconds));
          sb.append(",\"status_code\":").append(status);
          if (random.nextInt(3) != 0) {
            sb.append(",\"user\":\"user").append(random.nextInt(500)).append('"');
          }
          sb.append('}');
          inBatch++;
          events++;
          if (inBatch == 1000) {
            queue.put(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
            sb.setLength(0);
            inBatch = 0;
          }
        }
      }
      long now = System.nanoTime();
      if (now - lastReport > 15_000_000_000L) {
        lastReport = now;
        System.out.printf(
            "  ... %,d events sent (%.0f%% of the span), %.0f events/s%n",
            batches.get() * 1000,
            100.0 * (slot - start) / (end - start),
            batches.get() * 1000 / ((now - t0) / 1e9));
      }
    }
    if (inBatch > 0 && failure.get() == null) {
      queue.put(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }
    for (int s = 0; s < senders; s++) {
      queue.put(poison);
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      System.err.println("load failed: " + failure.get());
      System.exit(1);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    sent.set(events);
    System.out.printf(
        "loaded %,d events (%d endpoints x %d h, ~%.0f per endpoint per minute) in %.1f s:"
            + " %.0f events/s%n",
        events, endpoints, hours, perMinute, secs, events / secs);

    // Check: the summary over exactly the loaded span counts every event sent.
    String check =
        "/api/performance/summary?start="
            + Instant.ofEpochMilli(start)
            + "&end="
            + Instant.ofEpochMilli(end - 1);
    HttpResponse<String> r = get(URI.create(url + check), token);
    Matcher m = Pattern.compile("\"total_requests\":(\\d+)").matcher(r.body());
    if (r.statusCode() != 200 || !m.find() || Long.parseLong(m.group(1)) != events) {
      System.err.println("check failed: sent " + events + ", summary says " + r.body());
      System.exit(1);
    }
    System.out.printf("check: summary over the loaded span counts %,d requests, as sent%n", events);
  }

  private static HttpResponse<String> post(URI uri, String token, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI uri, String token)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
  }

  // ------------------------------------------------------------------------------- measure

  private static void measure(String[] args) throws Exception {
    String url = args[1];
    String token = args[2];
    int n = Integer.parseInt(args[3]);
    int warmup = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    List<String> paths = List.of(args).subList(6, args.length);
    List<HttpRequest> requests = new ArrayList<>();
    for (String path : paths) {
      requests.add(
          HttpRequest.newBuilder(URI.create(url + path))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .GET()
              .build());
    }
    // Warm-up: the server's JIT needs a few thousand requests over all the paths before its
    // figures settle (measured: CPU per summary fell from 7 ms to 3.4 ms over the first 2,000).
    for (int i = 0; i < warmup; i++) {
      for (HttpRequest req : requests) {
        send(req);
      }
    }
    for (int round = 1; round <= rounds; round++) {
      for (int p = 0; p < paths.size(); p++) {
        long[] nanos = new long[n];
        int bytes = 0;
        for (int i = 0; i < n; i++) {
          long b = System.nanoTime();
          bytes = send(requests.get(p));
          nanos[i] = System.nanoTime() - b;
        }
        Arrays.sort(nanos);
        System.out.printf(
            Locale.ROOT,
            "RESULT %-40s p50 %7.2f  p90 %7.2f  p99 %7.2f  max %7.2f  ms  (round %d, n=%d, %d"
                + " bytes)%n",
            paths.get(p),
            rank(nanos, 0.50) / 1e6,
            rank(nanos, 0.90) / 1e6,
            rank(nanos, 0.99) / 1e6,
            nanos[n - 1] / 1e6,
            round,
            n,
            bytes);
      }
    }
  }

  /** Sends a GET, fails on anything but 200; returns the body's length. */
  private static int send(HttpRequest req) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      System.err.println(req.uri() + ": " + r.statusCode() + " " + new String(r.body()));
      System.exit(1);
    }
    return r.body().length;
  }

  /** Nearest-rank percentile of sorted values. */
  private static long rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
