package dev.vigil.server.ingest;

import static dev.vigil.server.TestServer.ADMIN;
import static dev.vigil.server.TestServer.INGEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestApiTest {

  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();

  @TempDir static Path dir;
  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            dir,
            new MutableClock(NOW),
            null,
            "VIGIL_BODY_LIMIT",
            "4096",
            "VIGIL_RATE_LIMIT_BURST",
            "10000");
    http = server.http;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String event(String route, String extra) {
    return "{\"endpoint\":\""
        + route
        + "\",\"method\":\"GET\",\"response_time\":0.5,\"status_code\":200"
        + extra
        + "}";
  }

  long count(String route) {
    Http.Response r = http.getWith(ADMIN, "/api/performance/endpoints?window=24h");
    return r.json().path("GET " + route).path("count").asLong(0);
  }

  void assertBadData(Http.Response r, String message) {
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("errorType").asText()).isEqualTo("bad_data");
    assertThat(r.json().path("error").asText()).isEqualTo(message);
  }

  @Test
  void aBatchWithOneInvalidItemStoresNothing() {
    Http.Response r =
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "["
                + event("/whole", "")
                + ","
                + event("/whole", "")
                + ","
                + event("/whole", "")
                + ","
                + event("/whole", ",\"status_code\":700")
                + "]");
    assertBadData(r, "item 3: status_code 700 is outside 100..599");
    assertThat(count("/whole")).isZero();
    Http.Response ok =
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "[" + event("/whole", "") + "," + event("/whole", "") + "]");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("status").asText()).isEqualTo("success");
    assertThat(ok.json().path("data").path("accepted").asInt()).isEqualTo(2);
    assertThat(count("/whole")).isEqualTo(2);
  }

  @Test
  void everyBadInputPathIs400() {
    assertThat(
            http.postJson(INGEST, "/api/v1/requests", "{\"endpoint\":")
                .json()
                .path("error")
                .asText())
        .startsWith("invalid JSON at line 1, column 13");
    assertBadData(
        http.postJson(INGEST, "/api/v1/requests", "\"hello\""),
        "body must be a JSON object or an array of objects, got a string");
    assertBadData(
        http.postJson(
            INGEST, "/api/v1/requests", "[" + event("/b", ",\"response_time\":\"x\"") + "]"),
        "item 0: response_time must be a number, got a string");
    assertBadData(
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "{\"method\":\"GET\",\"response_time\":1,\"status_code\":200}"),
        "item 0: missing required field endpoint");
    assertBadData(
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "[" + event("/b", "") + "," + event("/b", ",\"response_time\":-1") + "]"),
        "item 1: response_time -1.0 is outside 0..86400 seconds");
    assertBadData(
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "[" + event("/b", "") + "," + event("/b", ",\"status_code\":600") + "]"),
        "item 1: status_code 600 is outside 100..599");
    assertThat(count("/b")).isZero();
  }

  @Test
  void tooLateEventsAreRefusedWithTheReason() {
    Http.Response r =
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "[" + event("/late", ",\"timestamp\":" + (NOW - 3_600_001L)) + "]");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText())
        .startsWith(
            "item 0: timestamp 2025-07-19T00:59:59.999Z is older than the late window (PT1H)");
    Http.Response lateButOk =
        http.postJson(
            INGEST,
            "/api/v1/requests",
            "[" + event("/late", ",\"timestamp\":" + (NOW - 3_590_000L)) + "]");
    assertThat(lateButOk.status()).isEqualTo(200);
    assertThat(count("/late")).isEqualTo(1);
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      big.append(i == 0 ? "" : ",").append(event("/big", ""));
    }
    Http.Response r = http.postJson(INGEST, "/api/v1/requests", big.append("]").toString());
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().path("errorType").asText()).isEqualTo("too_large");
    assertThat(r.json().path("error").asText()).contains("4096 bytes");
    // A small gzipped body that inflates past the limit is refused too.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(new byte[100_000]);
    }
    Http.Response bomb =
        http.post(INGEST, "/api/v1/push", gz.toByteArray(), "Content-Encoding", "gzip");
    assertThat(bomb.status()).isEqualTo(413);
    assertThat(count("/big")).isZero();
  }

  @Test
  void malformedPushBatchesAre400() throws Exception {
    Http.Response r =
        http.post(INGEST, "/api/v1/push", "not a batch".getBytes(StandardCharsets.UTF_8));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).startsWith("invalid push batch: not a push batch");
    Http.Response g =
        http.post(INGEST, "/api/v1/push", new byte[] {1, 2, 3}, "Content-Encoding", "gzip");
    assertThat(g.status()).isEqualTo(400);
    assertThat(g.json().path("error").asText()).contains("gzip");
  }
}
