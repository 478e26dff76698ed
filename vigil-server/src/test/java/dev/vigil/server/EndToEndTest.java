package dev.vigil.server;

import static dev.vigil.server.TestServer.ADMIN;
import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.client.Pseudonymizer;
import dev.vigil.client.Recorder;
import dev.vigil.client.push.PushBatch;
import dev.vigil.client.push.PushCodec;
import dev.vigil.client.push.PushReporter;
import dev.vigil.server.series.RequestSeries;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends requests through vigil-client (Recorder, PushReporter, PushCodec) and through {@code POST
 * /api/v1/requests} (late and out of order), reads every performance endpoint and checks the
 * numbers against values computed here, kills the server with SIGKILL, restarts it on the same
 * directory, and checks that every answer is unchanged and that pushing goes on without loss or
 * double counting.
 */
class EndToEndTest {

  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
  static final long MIN = 60_000;

  @TempDir Path dir;

  /** One request as the test knows it. */
  record Req(
      String method,
      String route,
      double seconds,
      int status,
      String user,
      long slotMillis,
      long timestampMillis) {
    String key() {
      return method + " " + route;
    }
  }

  final List<Req> expected = new ArrayList<>();
  final Random random = new Random(42);
  final Pseudonymizer pseudonyms =
      Pseudonymizer.withKey(TestServer.KEY.getBytes(StandardCharsets.UTF_8));
  static final String[] USERS = {
    "ada@example.com", "grace@example.com", "linus@example.com", "ken@example.com"
  };

  double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  int status(double clientErrors, double serverErrors) {
    double r = random.nextDouble();
    return r < serverErrors ? 503 : r < serverErrors + clientErrors ? 404 : 200;
  }

  /** Records n client requests; they will count in the slot of the push at {@code pushMillis}. */
  void record(Recorder recorder, MutableClock clientClock, int n, long pushMillis) {
    for (int i = 0; i < n; i++) {
      String[] ep =
          i % 3 == 0
              ? new String[] {"GET", "/api/products"}
              : i % 3 == 1
                  ? new String[] {"POST", "/api/orders"}
                  : new String[] {"GET", "/api/reports/{id}"};
      double median = ep[1].contains("reports") ? 1.5 : ep[0].equals("POST") ? 0.3 : 0.05;
      long nanos = (long) (lognormal(median, 0.6) * 1e9);
      int status = status(0.05, ep[0].equals("POST") ? 0.04 : 0.01);
      String user = USERS[random.nextInt(USERS.length)];
      recorder.record(ep[0], ep[1], status, nanos, user);
      expected.add(
          new Req(
              ep[0],
              ep[1],
              nanos * 1e-9,
              status,
              user,
              RequestSeries.slot(pushMillis),
              clientClock.millis()));
    }
  }

  /** JSON events spread over the last 50 minutes, shuffled, in batches of 500. */
  void postJson(Http http, int n) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] ep =
          i % 3 == 0
              ? new String[] {"GET", "/api/products"}
              : i % 3 == 1
                  ? new String[] {"GET", "/api/users/{id}"}
                  : new String[] {"POST", "/api/auth/login"};
      double seconds =
          lognormal(ep[1].contains("login") ? 0.25 : 0.04, ep[1].contains("login") ? 1.2 : 0.5);
      int status = status(0.03, 0.02);
      long t = NOW - 50 * MIN + random.nextInt((int) (50 * MIN));
      String user = random.nextInt(5) == 0 ? null : USERS[random.nextInt(USERS.length)];
      String ts =
          switch (i % 3) {
            case 0 -> Long.toString(t);
            case 1 -> "\"" + Instant.ofEpochMilli(t) + "\"";
            default ->
                "\""
                    + LocalDateTime.ofEpochSecond(
                        t / 1000, (int) (t % 1000) * 1_000_000, ZoneOffset.UTC)
                    + "\"";
          };
      items.add(
          "{\"timestamp\":"
              + ts
              + ",\"endpoint\":\""
              + ep[1]
              + "\",\"method\":\""
              + ep[0]
              + "\",\"response_time\":"
              + seconds
              + ",\"status_code\":"
              + status
              + (user == null ? "" : ",\"user_email\":\"" + user + "\"")
              + ",\"service\":\"web\"}");
      expected.add(new Req(ep[0], ep[1], seconds, status, user, RequestSeries.slot(t), t));
    }
    Collections.shuffle(items, random);
    for (int from = 0; from < items.size(); from += 500) {
      String body =
          "[" + String.join(",", items.subList(from, Math.min(items.size(), from + 500))) + "]";
      Http.Response r = http.postJson(INGEST, "/api/v1/requests", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  static byte[] batch(Recorder recorder) throws Exception {
    return gzip(
        PushCodec.encode(new PushBatch("shop", "i-1", recorder.snapshot(0, 50), List.of())));
  }

  static Http.Response push(Http http, byte[] gzipped) {
    return http.post(
        INGEST,
        "/api/v1/push",
        gzipped,
        "Content-Type",
        PushCodec.MEDIA_TYPE,
        "Content-Encoding",
        "gzip");
  }

  static String range(long start, long end) {
    return "start=" + start / 1000 + "&end=" + Instant.ofEpochMilli(end);
  }

  static double exactQuantile(List<Double> sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /**
   * Asserts that an estimate is within 1% of the exact q-quantile. When q * n is a whole number,
   * every value between the (qn)-th and the (qn + 1)-th smallest is an exact quantile (Prometheus
   * iterates high quantiles from the top, so it lands on the upper one), so the estimate may lie
   * within 1% of that interval.
   */
  static void assertQuantile(String what, double estimate, List<Double> sorted, double q) {
    double lo = exactQuantile(sorted, q);
    double qn = q * sorted.size();
    double hi = qn == Math.rint(qn) && (int) qn < sorted.size() ? sorted.get((int) qn) : lo;
    assertThat(estimate).as(what + " of " + sorted.size()).isBetween(lo * 0.99, hi * 1.01);
  }

  void checkEndpoint(JsonNode e, List<Req> reqs) {
    List<Double> sorted = reqs.stream().map(Req::seconds).sorted().toList();
    long c4 = reqs.stream().filter(r -> r.status() >= 400 && r.status() < 500).count();
    long c5 = reqs.stream().filter(r -> r.status() >= 500).count();
    double total = reqs.stream().mapToDouble(Req::seconds).sum();
    assertThat(e.path("count").asLong()).isEqualTo(reqs.size());
    assertThat(e.path("errors_4xx").asLong()).isEqualTo(c4);
    assertThat(e.path("errors_5xx").asLong()).isEqualTo(c5);
    assertThat(e.path("errors").asLong()).isEqualTo(c4 + c5);
    assertThat(e.path("error_rate").asDouble())
        .isCloseTo(100.0 * (c4 + c5) / reqs.size(), within(1e-9));
    assertThat(e.path("total_time").asDouble()).isCloseTo(total, within(1e-9 * reqs.size()));
    assertThat(e.path("avg_time").asDouble()).isCloseTo(total / reqs.size(), within(1e-9));
    double min = sorted.get(0);
    double max = sorted.get(sorted.size() - 1);
    assertThat(e.path("min_time").asDouble())
        .isLessThanOrEqualTo(min)
        .isGreaterThanOrEqualTo(min / 1.0055);
    assertThat(e.path("max_time").asDouble())
        .isGreaterThanOrEqualTo(max)
        .isLessThanOrEqualTo(max * 1.0055);
    for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
      String field = "p" + (int) Math.round(q * 100);
      assertQuantile(field, e.path(field).asDouble(), sorted, q);
    }
  }

  /** Checks every read of the window against the expected requests; returns the bodies. */
  Map<String, JsonNode> checkAll(Http http, long start, long end) {
    Predicate<Req> in = r -> r.slotMillis() >= start && r.slotMillis() <= end;
    List<Req> reqs = expected.stream().filter(in).toList();
    String w = range(start, end);
    Map<String, JsonNode> bodies = new HashMap<>();
    JsonNode summary = http.getWith(VIEWER, "/api/performance/summary?" + w).json();
    bodies.put("summary", summary);
    List<Double> all = reqs.stream().map(Req::seconds).sorted().toList();
    long errors = reqs.stream().filter(r -> r.status() >= 400).count();
    assertThat(summary.path("total_requests").asLong()).isEqualTo(reqs.size());
    assertThat(summary.path("error_rate").asDouble())
        .isCloseTo(100.0 * errors / reqs.size(), within(1e-9));
    assertThat(summary.path("avg_response_time").asDouble())
        .isCloseTo(reqs.stream().mapToDouble(Req::seconds).average().orElseThrow(), within(1e-9));
    assertThat(summary.path("requests_per_second").asDouble())
        .isCloseTo(reqs.size() / ((end - start) / 1000.0), within(1e-9));
    for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
      assertQuantile(
          "summary p" + q, summary.path("p" + (int) Math.round(q * 100)).asDouble(), all, q);
    }
    long satisfied = reqs.stream().filter(r -> r.seconds() <= 0.5).count();
    long tolerating = reqs.stream().filter(r -> r.seconds() > 0.5 && r.seconds() <= 2.0).count();
    assertThat(summary.path("performance_score").asDouble())
        .as("Apdex is exact at T = 0.5 s, a bucket boundary")
        .isCloseTo((satisfied + tolerating / 2.0) / reqs.size(), within(1e-9));
    assertThat(summary.path("system_health").asText()).isEqualTo("unknown");
    Map<String, Long> perKey = new HashMap<>();
    reqs.forEach(r -> perKey.merge(r.key(), 1L, Long::sum));
    JsonNode top = summary.path("top_endpoints").get(0);
    assertThat(top.path("count").asLong()).isEqualTo(Collections.max(perKey.values()));
    assertThat(top.path("avg_time").asDouble())
        .isCloseTo(
            reqs.stream()
                .filter(r -> r.key().equals(top.path("endpoint").asText()))
                .mapToDouble(Req::seconds)
                .average()
                .orElseThrow(),
            within(1e-9));

    JsonNode endpoints = http.getWith(VIEWER, "/api/performance/endpoints?sort=count&" + w).json();
    bodies.put("endpoints", endpoints);
    Map<String, List<Req>> byKey = new HashMap<>();
    reqs.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
    assertThat(endpoints.size()).isEqualTo(byKey.size());
    for (Map.Entry<String, List<Req>> e : byKey.entrySet()) {
      checkEndpoint(endpoints.path(e.getKey()), e.getValue());
      String encoded =
          URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
              .replace("+", "%20")
              .replace("%2F", "/");
      JsonNode one = http.getWith(VIEWER, "/api/performance/endpoints/" + encoded + "?" + w).json();
      checkEndpoint(one, e.getValue());
    }
    List<Long> counts = new ArrayList<>();
    endpoints.forEach(e -> counts.add(e.path("count").asLong()));
    assertThat(counts).isSortedAccordingTo(Collections.reverseOrder());

    List<Req> slow =
        expected.stream()
            .filter(
                r ->
                    r.seconds() >= 2.0
                        && r.timestampMillis() >= start
                        && r.timestampMillis() <= end)
            .toList();
    JsonNode slowBody =
        http.getWith(VIEWER, "/api/performance/slow-requests?limit=1000&" + w).json();
    bodies.put("slow", slowBody);
    assertThat(slowBody.path("slow_requests")).hasSize(slow.size());
    assertThat(summary.path("slow_requests").asLong()).isEqualTo(slow.size());
    List<String> times = new ArrayList<>();
    slowBody.path("slow_requests").forEach(s -> times.add(s.path("timestamp").asText()));
    assertThat(times).as("newest first").isSortedAccordingTo(Collections.reverseOrder());

    JsonNode users = http.getWith(VIEWER, "/api/performance/users?limit=100&" + w).json();
    bodies.put("users", users);
    bodies.put("system", http.getWith(VIEWER, "/api/performance/system-metrics?" + w).json());
    return bodies;
  }

  void checkUsers(JsonNode users) {
    Map<String, Long> count = new HashMap<>();
    Map<String, Double> time = new HashMap<>();
    for (Req r : expected) {
      if (r.user() != null) {
        count.merge(pseudonyms.pseudonym(r.user()), 1L, Long::sum);
        time.merge(pseudonyms.pseudonym(r.user()), r.seconds(), Double::sum);
      }
    }
    assertThat(users.path("by_count")).hasSize(count.size());
    for (JsonNode u : users.path("by_count")) {
      assertThat(u.path("user").asText()).startsWith("u_").doesNotContain("@");
      assertThat(u.path("count").asLong()).isEqualTo(count.get(u.path("user").asText()));
      assertThat(u.path("total_time").asDouble())
          .isCloseTo(time.get(u.path("user").asText()), within(1e-6));
    }
  }

  @Test
  void numbersAreExactAndSurviveKillDashNine() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    MutableClock clientClock = new MutableClock(NOW - 20 * MIN);
    Recorder recorder =
        Recorder.builder()
            .clock(clientClock)
            .userKey(TestServer.KEY.getBytes(StandardCharsets.UTF_8))
            .build();
    long start = NOW - 60 * MIN;
    Map<String, JsonNode> before;
    try (ServerProcess first = ServerProcess.start(data, NOW, log)) {
      Http http = new Http(first.port);
      record(recorder, clientClock, 600, clientClock.millis());
      // The client's own reporter: close() sends one final snapshot synchronously.
      PushReporter.builder(recorder, URI.create("http://127.0.0.1:" + first.port))
          .token(INGEST)
          .service("shop")
          .instance("i-1")
          .clock(clientClock)
          .requestTimeout(Duration.ofSeconds(30))
          .closeTimeout(Duration.ofSeconds(30))
          .jvmMetrics(List::of)
          .build()
          .close();
      postJson(http, 2_000);
      clientClock.advanceMillis(10 * MIN);
      record(recorder, clientClock, 900, clientClock.millis());
      byte[] second = batch(recorder);
      assertThat(push(http, second).json().path("data").path("accepted").asLong()).isEqualTo(900);
      assertThat(push(http, second).json().path("data").path("accepted").asLong())
          .as("a replayed batch adds nothing")
          .isZero();
      Http.Response late =
          http.postJson(
              INGEST,
              "/api/v1/requests",
              "[{\"timestamp\":"
                  + (NOW - 61 * MIN)
                  + ",\"endpoint\":\"/x\",\"method\":\"GET\",\"response_time\":1,\"status_code\":200}]");
      assertThat(late.status()).isEqualTo(400);
      before = checkAll(http, start, NOW);
      checkUsers(before.get("users"));
      checkAll(http, start, NOW - 30 * MIN);
      assertThat(http.getWith(ADMIN, "/metrics").body())
          .contains("vigil_ingested_events_total 2000");
      first.kill();
    }
    try (ServerProcess second = ServerProcess.start(data, NOW, log)) {
      Http http = new Http(second.port);
      Map<String, JsonNode> after = checkAll(http, start, NOW);
      // Same answers after the restart; floating sums may differ in the last bits because the
      // restarted server adds the same slots in another order.
      assertSameJson("", after.keySet(), before.keySet());
      for (String key : before.keySet()) {
        assertSameJson(key, after.get(key), before.get(key));
      }
      // Pushing goes on from the restored baseline: a replay adds nothing, new requests count once.
      assertThat(push(http, batch(recorder)).json().path("data").path("accepted").asLong())
          .isZero();
      clientClock.advanceMillis(8 * MIN);
      record(recorder, clientClock, 300, clientClock.millis());
      assertThat(push(http, batch(recorder)).json().path("data").path("accepted").asLong())
          .isEqualTo(300);
      checkUsers(checkAll(http, start, NOW).get("users"));
      second.kill();
    }
  }

  private static void assertSameJson(String path, Object actual, Object expected) {
    assertThat(actual).as(path).isEqualTo(expected);
  }

  private static void assertSameJson(String path, JsonNode actual, JsonNode expected) {
    if (expected.isNumber() && actual.isNumber()) {
      double e = expected.asDouble();
      assertThat(actual.asDouble()).as(path).isCloseTo(e, within(Math.abs(e) * 1e-12 + 1e-15));
      return;
    }
    assertThat(actual.getNodeType()).as(path).isEqualTo(expected.getNodeType());
    if (expected.isObject()) {
      java.util.List<String> names = new java.util.ArrayList<>();
      expected.fieldNames().forEachRemaining(names::add);
      java.util.List<String> actualNames = new java.util.ArrayList<>();
      actual.fieldNames().forEachRemaining(actualNames::add);
      assertThat(actualNames).as(path).isEqualTo(names);
      for (String name : names) {
        assertSameJson(path + "." + name, actual.get(name), expected.get(name));
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertSameJson(path + "[" + i + "]", actual.get(i), expected.get(i));
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
