package dev.vigil.server.prom;

import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.server.remote.WriteRequestBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same remote-write data sent to Vigil and to a real Prometheus 2.42 (Debian's {@code
 * /usr/bin/prometheus}, {@code --web.enable-remote-write-receiver}), then the same API calls to
 * both: status codes, {@code status}, {@code errorType}, error messages and {@code data} must be
 * equal, so that Prometheus' clients and Grafana see no difference.
 */
class PrometheusCompatibilityTest {

  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static TestServer vigil;
  static Process prometheus;
  static Http prom;
  static long now;

  @BeforeAll
  static void start() throws Exception {
    assertThat(PROMETHEUS).as("Debian package prometheus must be installed").isExecutable();
    now = System.currentTimeMillis() / 1000 * 1000;
    vigil =
        TestServer.start(
            Files.createDirectories(dir.resolve("vigil")),
            new MutableClock(now),
            null,
            "VIGIL_RATE_LIMIT_BURST",
            "1000000");
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\n", StandardCharsets.UTF_8);
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                "--enable-feature=native-histograms")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    prom = new Http(port);
    byte[] body = data();
    waitUntil(() -> prom.get("/-/ready", null).status() == 200, "Prometheus ready");
    assertThat(send(prom, null, body)).isEqualTo(204);
    assertThat(send(vigil.http, INGEST, body)).isEqualTo(204);
    waitUntil(
        () ->
            prom.get("/api/v1/series?match[]=" + q("{job=~\".+\"}"), null)
                    .json()
                    .path("data")
                    .size()
                == 8,
        "Prometheus holding the 8 series");
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (vigil != null) {
      vigil.close();
    }
  }

  /** Seven series: counters with two jobs and instances, a gauge, a classic histogram's buckets. */
  static byte[] data() {
    WriteRequestBuilder b = new WriteRequestBuilder();
    long[] ts = new long[10];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = now - (ts.length - i) * 15_000L;
    }
    String[][] series = {
      {"__name__", "http_requests_total", "job", "api", "instance", "a:80", "code", "200"},
      {"__name__", "http_requests_total", "job", "api", "instance", "b:80", "code", "200"},
      {"__name__", "http_requests_total", "job", "api", "instance", "a:80", "code", "500"},
      {"__name__", "http_requests_total", "job", "web", "instance", "c:80", "code", "200"},
      {"__name__", "node_load1", "job", "node", "instance", "a:9100"},
      {"__name__", "latency_seconds_bucket", "job", "api", "instance", "a:80", "le", "0.1"},
      {"__name__", "latency_seconds_bucket", "job", "api", "instance", "a:80", "le", "+Inf"},
    };
    for (int s = 0; s < series.length; s++) {
      double[] v = new double[ts.length];
      for (int i = 0; i < v.length; i++) {
        // Binary fractions, so that rates and sums are exact: Prometheus 3 (and Vigil) sum with
        // Kahan compensation, 2.42 plainly, and the two can differ in the last bit otherwise.
        v[i] = s == 4 ? 0.5 + 0.25 * i : 15.0 * (s + 1) * i;
      }
      b.series(series[s], ts, v);
    }
    // A native histogram series (schema 1): counts grow by whole numbers, both signs and zero.
    List<WriteRequestBuilder.NativeHistogram> hs = new ArrayList<>();
    for (int i = 0; i < ts.length; i++) {
      double k = i + 1;
      hs.add(
          new WriteRequestBuilder.NativeHistogram(
              ts[i],
              false,
              10 * k,
              7.5 * k,
              1,
              0.001,
              k,
              new int[] {0, 2, 1, 2},
              new double[] {2 * k, 3 * k, k, k},
              new int[] {1, 1},
              new double[] {2 * k}));
    }
    b.series(
        new String[] {"__name__", "rpc_seconds", "job", "api", "instance", "a:80"},
        new long[0],
        new double[0],
        hs);
    return b.snappy();
  }

  static String log() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  static int send(Http http, String token, byte[] body) {
    return http.post(
            token,
            "/api/v1/write",
            body,
            "Content-Type",
            "application/x-protobuf",
            "Content-Encoding",
            "snappy",
            "X-Prometheus-Remote-Write-Version",
            "0.1.0")
        .status();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitUntil(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (RuntimeException | IOException | AssertionError e) {
        // not up yet: Http reports a refused connection as an AssertionError
      }
      assertThat(prometheus.isAlive()).as("prometheus exited; see its log").isTrue();
      assertThat(System.nanoTime())
          .as("waiting for %s; Prometheus' log:%n%s", what, log())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Calls both and compares status code, status, errorType, error and data. */
  static void same(String path) {
    Http.Response p = prom.get(path, null);
    Http.Response v = vigil.http.getWith(VIEWER, path);
    assertThat(v.status())
        .as("status code of %s (Prometheus said %s)", path, p.body())
        .isEqualTo(p.status());
    JsonNode pj = p.json();
    JsonNode vj = v.json();
    for (String field : List.of("status", "errorType")) {
      assertThat(vj.path(field)).as("%s of %s", field, path).isEqualTo(pj.path(field));
    }
    // Prometheus 3 (which Vigil follows) lets "." match newlines: its regexps are (?s:...), 2.42's
    // (?:...). Otherwise the messages are the same.
    assertThat(vj.path("error").asText().replace("^(?s:", "^(?:"))
        .as("error of %s", path)
        .isEqualTo(pj.path("error").asText());
    String why =
        String.format(
            "data of %s: Vigil %s, Prometheus %s", path, vj.path("data"), pj.path("data"));
    assertThat(close(normal(vj.path("data")), normal(pj.path("data")))).as(why).isTrue();
  }

  /**
   * Series lists and query results compare as sets: both sort series, but by different orders of
   * labels, and an instant vector's order is the evaluation's.
   */
  static Object normal(JsonNode data) {
    if (data.isObject() && data.has("resultType")) {
      return List.of(data.path("resultType").asText(), normal(data.path("result")));
    }
    if (data.isArray() && data.size() > 0 && data.get(0).isObject()) {
      Set<String> set = new TreeSet<>();
      data.forEach(n -> set.add(n.toString()));
      return set;
    }
    return data;
  }

  @Test
  void seriesLabelsAndValuesAnswerAsPrometheus() {
    String start = Long.toString(now / 1000 - 600);
    String end = Long.toString(now / 1000);
    same("/api/v1/series?match[]=" + q("http_requests_total"));
    same("/api/v1/series?match[]=" + q("http_requests_total{code!=\"200\"}"));
    same("/api/v1/series?match[]=" + q("{job=~\"a.*|node\"}") + "&match[]=" + q("node_load1"));
    same("/api/v1/series?match[]=" + q("{__name__=~\"latency.*\",le!~\"0\\\\..*\"}"));
    same("/api/v1/series?match[]=" + q("http_requests_total") + "&start=" + start + "&end=" + end);
    same("/api/v1/series?match[]=" + q("http_requests_total") + "&start=10&end=20");
    same("/api/v1/labels");
    same("/api/v1/labels?match[]=" + q("node_load1"));
    same("/api/v1/labels?match[]=" + q("http_requests_total") + "&start=" + start);
    same("/api/v1/label/job/values");
    same("/api/v1/label/__name__/values?match[]=" + q("{job=\"api\"}"));
    same("/api/v1/label/instance/values?match[]=" + q("http_requests_total{code=\"500\"}"));
    same("/api/v1/label/nope/values");
  }

  @Test
  void errorsAnswerAsPrometheus() {
    same("/api/v1/series");
    same("/api/v1/series?match[]=" + q("up{"));
    same("/api/v1/series?match[]=up&start=yesterday");
    same("/api/v1/series?match[]=up&end=" + q("2025-13-01T00:00:00Z"));
    same("/api/v1/labels?match[]=" + q("{job=~\"(\"}"));
    same("/api/v1/format_query?query=" + q("1 +"));
    same("/api/v1/format_query?query=" + q("sum(rate(x[5m]))by(job)"));
    same("/api/v1/format_query?query=" + q("a   and on(x)   b"));
  }

  @Test
  void queriesAnswerAsPrometheus() {
    // Times between samples: Prometheus 2.42's range windows are closed on the left, 3.x's (and
    // Vigil's) open, so a sample exactly at a window's start would be counted by one only.
    String t = "&time=" + (now / 1000 - 7);
    String range = "&start=" + (now / 1000 - 157) + "&end=" + (now / 1000 - 7) + "&step=15";
    for (String expr :
        List.of(
            "http_requests_total",
            "http_requests_total[1m]",
            "rate(http_requests_total[1m])",
            "sum by (job) (rate(http_requests_total[2m]))",
            "node_load1 * 3 / 7",
            "histogram_quantile(0.9, sum by (le) (rate(latency_seconds_bucket[2m])))",
            "topk(2, http_requests_total)",
            "count_values(\"v\", node_load1)",
            "1 + 1",
            "\"a string\"",
            "time()",
            "-node_load1 offset 30s",
            "absent(nope)",
            "label_replace(node_load1, \"x\", \"$1\", \"instance\", \"(.*):.*\")",
            "rpc_seconds",
            "rpc_seconds[1m]",
            "histogram_count(rpc_seconds)",
            "histogram_sum(rate(rpc_seconds[2m]))",
            "histogram_quantile(0.5, rpc_seconds)",
            "histogram_fraction(0, 2, rpc_seconds)",
            "sum(rate(rpc_seconds[2m]))")) {
      same("/api/v1/query?query=" + q(expr) + t);
      if (!expr.endsWith("[1m]") && !expr.startsWith("\"")) {
        same("/api/v1/query_range?query=" + q(expr) + range);
      }
    }
  }

  @Test
  void nativeHistogramsReachBothAndAnswerWithBuckets() {
    String t = "&time=" + (now / 1000 - 7);
    JsonNode p = prom.get("/api/v1/query?query=rpc_seconds" + t, null).json();
    JsonNode h = p.path("data").path("result").get(0).path("histogram").get(1);
    assertThat(h.path("count").asText()).isEqualTo("100");
    assertThat(h.path("buckets").size()).isEqualTo(6);
    same("/api/v1/query?query=rpc_seconds" + t);
  }

  @Test
  void queryErrorsAnswerAsPrometheus() {
    String range = "&start=" + (now / 1000 - 150) + "&end=" + now / 1000;
    same("/api/v1/query?query=" + q("1 +"));
    same("/api/v1/query?query=up&time=abc");
    same("/api/v1/query_range?query=up" + range);
    same("/api/v1/query_range?query=up" + range + "&step=0");
    same("/api/v1/query_range?query=up" + range + "&step=abc");
    same("/api/v1/query_range?query=up&start=100&end=50&step=1");
    same("/api/v1/query_range?query=up&start=0&end=100000&step=1");
    same("/api/v1/query_range?query=" + q("up[5m]") + range + "&step=15");
    same("/api/v1/query_range?query=up&end=100&step=1");
  }

  @Test
  void statusEndpointsHavePrometheusFields() {
    for (String path :
        List.of("/api/v1/status/buildinfo", "/api/v1/status/runtimeinfo", "/api/v1/status/tsdb")) {
      JsonNode p = prom.get(path, null).json().path("data");
      JsonNode v = vigil.http.getWith(VIEWER, path).json().path("data");
      assertThat(fields(v)).as("fields of %s", path).containsAll(fields(p));
    }
    JsonNode p = prom.get("/api/v1/status/tsdb", null).json().path("data").path("headStats");
    JsonNode v = vigil.http.getWith(VIEWER, "/api/v1/status/tsdb").json().path("data");
    assertThat(fields(v.path("headStats"))).containsAll(fields(p));
    assertThat(v.path("headStats").path("numSeries").asLong()).isGreaterThanOrEqualTo(8);
  }

  /**
   * Equal, except that sample values written as strings may differ in the last bits: Prometheus 3
   * (and Vigil) sum with Kahan compensation where 2.42 adds plainly.
   */
  static boolean close(Object a, Object b) {
    if (a instanceof Set<?> x && b instanceof Set<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!close(parse(i.next().toString()), parse(j.next().toString()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int k = 0; k < x.size(); k++) {
        if (!close(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof JsonNode x && b instanceof JsonNode y) {
      if (x.isTextual() && y.isTextual()) {
        String p = x.asText();
        String q = y.asText();
        if (p.equals(q)) {
          return true;
        }
        try {
          double u = Double.parseDouble(p);
          double v = Double.parseDouble(q);
          return Math.abs(u - v) <= 1e-12 * Math.max(Math.abs(u), Math.abs(v));
        } catch (NumberFormatException e) {
          return false;
        }
      }
      if (x.isContainerNode() && y.isContainerNode() && x.size() == y.size()) {
        if (x.isArray() != y.isArray()) {
          return false;
        }
        if (x.isArray()) {
          for (int k = 0; k < x.size(); k++) {
            if (!close(x.get(k), y.get(k))) {
              return false;
            }
          }
          return true;
        }
        for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          if (!y.has(f) || !close(x.get(f), y.get(f))) {
            return false;
          }
        }
        return true;
      }
      return x.equals(y);
    }
    return java.util.Objects.equals(a, b);
  }

  static JsonNode parse(String json) {
    try {
      return dev.vigil.server.http.Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
