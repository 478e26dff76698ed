package dev.vigil.server.prom;

import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metadata half of Prometheus' HTTP API on the real server: shapes, parameters, errors. */
class PrometheusApiTest {

  static final Instant NOW = Instant.parse("2025-07-19T02:00:00Z");

  @TempDir static Path dir;
  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir, new MutableClock(NOW.toEpochMilli()), null);
    http = server.http;
    String events =
        "[{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":0.1,\"status_code\":200,"
            + "\"timestamp\":\"2025-07-19T01:59:00Z\"},"
            + "{\"endpoint\":\"/b\",\"method\":\"POST\",\"response_time\":0.2,\"status_code\":500,"
            + "\"timestamp\":\"2025-07-19T01:59:30Z\"}]";
    assertThat(http.postJson(INGEST, "/api/v1/requests", events).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static JsonNode ok(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().path("status").asText()).isEqualTo("success");
    return r.json().path("data");
  }

  static void badData(Http.Response r, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("status").asText()).isEqualTo("error");
    assertThat(r.json().path("errorType").asText()).isEqualTo("bad_data");
    assertThat(r.json().path("error").asText()).isEqualTo(message);
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void seriesByMatchersWithinARange() {
    JsonNode data =
        ok(
            http.getWith(
                VIEWER,
                "/api/v1/series?match[]="
                    + q("http_server_requests{route=\"/b\"}")
                    + "&start=1752890000&end="
                    + q("2025-07-19T02:00:00Z")));
    assertThat(data.isArray()).isTrue();
    assertThat(data).isNotEmpty();
    for (JsonNode s : data) {
      assertThat(s.path("__name__").asText()).isEqualTo("http_server_requests");
      assertThat(s.path("route").asText()).isEqualTo("/b");
      assertThat(s.path("status").asText()).isEqualTo("5xx");
    }
    // Two selectors are a union; a range before the data finds nothing.
    JsonNode both =
        ok(
            http.getWith(
                VIEWER,
                "/api/v1/series?match[]="
                    + q("http_server_requests{route=\"/a\"}")
                    + "&match[]="
                    + q("{__name__=\"http_server_requests\",route=\"/b\"}")));
    assertThat(both.size()).isEqualTo(2);
    assertThat(ok(http.getWith(VIEWER, "/api/v1/series?match[]=up&end=1000")).size()).isZero();
    // limit truncates with a warning
    Http.Response limited =
        http.getWith(VIEWER, "/api/v1/series?match[]=" + q("{route=~\"/.*\"}") + "&limit=1");
    assertThat(ok(limited).size()).isEqualTo(1);
    assertThat(texts(limited.json().path("warnings")))
        .containsExactly("results truncated due to limit");
  }

  @Test
  void formPostIsAReadAndTakesTheSameParameters() {
    Http.Response r =
        http.post(
            VIEWER,
            "/api/v1/series",
            ("match[]=" + q("http_server_requests{route=\"/a\"}")).getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(ok(r).size()).isEqualTo(1);
    Http.Response labels =
        http.post(
            VIEWER,
            "/api/v1/labels",
            ("match[]=" + q("http_server_requests")).getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-www-form-urlencoded");
    assertThat(texts(ok(labels))).contains("__name__", "route", "method", "status");
  }

  @Test
  void labelNamesAndValues() {
    List<String> names = texts(ok(http.getWith(VIEWER, "/api/v1/labels")));
    assertThat(names).contains("__name__", "method", "route", "service", "status").isSorted();
    List<String> metrics = texts(ok(http.getWith(VIEWER, "/api/v1/label/__name__/values")));
    assertThat(metrics).contains("http_server_request_duration_seconds", "http_server_requests");
    assertThat(metrics).isSorted();
    List<String> routes =
        texts(
            ok(
                http.getWith(
                    VIEWER,
                    "/api/v1/label/route/values?match[]="
                        + q("http_server_requests{method=\"GET\"}"))));
    assertThat(routes).containsExactly("/a");
    assertThat(texts(ok(http.getWith(VIEWER, "/api/v1/label/nope/values")))).isEmpty();
  }

  @Test
  void badParametersNameTheProblemAsPrometheusDoes() {
    badData(http.getWith(VIEWER, "/api/v1/series"), "no match[] parameter provided");
    badData(
        http.getWith(VIEWER, "/api/v1/series?match[]=up&start=yesterday"),
        "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"yesterday\""
            + " to a valid timestamp");
    badData(
        http.getWith(VIEWER, "/api/v1/series?match[]=" + q("up{")),
        "invalid parameter \"match[]\": 1:4: parse error: unexpected end of input inside braces");
    badData(
        http.getWith(VIEWER, "/api/v1/series?match[]=" + q("rate(up[5m])")),
        "invalid parameter \"match[]\": expected a series selector, got a vector expression");
  }

  @Test
  void statusAndMetadata() {
    JsonNode build = ok(http.getWith(VIEWER, "/api/v1/status/buildinfo"));
    assertThat(build.path("version").asText()).isEqualTo(PrometheusApi.VERSION);
    assertThat(build.has("revision") && build.has("goVersion")).isTrue();
    JsonNode runtime = ok(http.getWith(VIEWER, "/api/v1/status/runtimeinfo"));
    assertThat(runtime.path("storageRetention").asText()).isEqualTo("30d");
    assertThat(runtime.path("GOMAXPROCS").asInt()).isPositive();
    JsonNode tsdb = ok(http.getWith(VIEWER, "/api/v1/status/tsdb"));
    assertThat(tsdb.path("headStats").path("numSeries").asLong()).isPositive();
    assertThat(tsdb.path("seriesCountByMetricName").get(0).has("name")).isTrue();
    assertThat(tsdb.path("seriesCountByMetricName").get(0).has("value")).isTrue();
    JsonNode meta = ok(http.getWith(VIEWER, "/api/v1/metadata?metric=node_load1"));
    assertThat(meta.path("node_load1").get(0).path("type").asText()).isEqualTo("gauge");
    assertThat(meta.size()).isEqualTo(1);
    assertThat(PrometheusApi.promDuration(Duration.ofDays(9))).isEqualTo("9d");
    assertThat(PrometheusApi.promDuration(Duration.ofDays(14))).isEqualTo("2w");
    assertThat(PrometheusApi.promDuration(Duration.ofMinutes(90))).isEqualTo("1h30m");
  }

  @Test
  void formatQueryPrintsCanonicallyOrNamesTheParseError() {
    assertThat(
            ok(http.getWith(VIEWER, "/api/v1/format_query?query=" + q("sum(rate(x[5m]))by(job)")))
                .asText())
        .isEqualTo("sum by (job) (rate(x[5m]))");
    badData(
        http.getWith(VIEWER, "/api/v1/format_query?query=" + q("1 +")),
        "invalid parameter \"query\": 1:4: parse error: unexpected end of input");
  }
}
