package dev.vigil.server.http;

import static dev.vigil.server.TestServer.ADMIN;
import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthApiTest {

  static final String EVENT =
      "{\"endpoint\":\"/x\",\"method\":\"GET\",\"response_time\":0.1,\"status_code\":200}";

  @TempDir static Path dir;
  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            dir,
            new MutableClock(Instant.parse("2025-07-19T02:00:00Z").toEpochMilli()),
            null,
            "VIGIL_RATE_LIMIT_BURST",
            "1000");
    http = server.http;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void assertError(Http.Response r, int status, String type, String message) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().path("status").asText()).isEqualTo("error");
    assertThat(r.json().path("errorType").asText()).isEqualTo(type);
    assertThat(r.json().path("error").asText()).contains(message);
  }

  @Test
  void probesAreOpen() {
    assertThat(http.get("/-/healthy", null).status()).isEqualTo(200);
    assertThat(http.get("/-/ready", null).status()).isEqualTo(200);
    assertThat(http.get("/", null).body()).contains("<title>Vigil</title>");
    assertThat(http.get("/ui/app.js", null).status()).isEqualTo(200);
  }

  @Test
  void missingHeaderIs401WithChallenge() {
    Http.Response r = http.get("/api/performance/summary", null);
    assertError(r, 401, "unauthorized", "missing Authorization");
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void malformedHeaderIs401() {
    assertError(
        http.get("/api/performance/summary", "Basic YWRtaW46YWRtaW4="),
        401,
        "unauthorized",
        "malformed");
    assertError(http.get("/api/performance/summary", "Bearer"), 401, "unauthorized", "malformed");
    assertError(http.get("/metrics", "Bearer "), 401, "unauthorized", "malformed");
  }

  @Test
  void unknownTokenIs401AndNeverEchoed() {
    Http.Response r = http.getWith("not-a-known-token-123", "/api/performance/summary");
    assertError(r, 401, "unauthorized", "unknown token");
    assertThat(r.body()).doesNotContain("not-a-known-token-123");
  }

  @Test
  void viewerMayReadButNotIngest() {
    assertThat(http.getWith(VIEWER, "/api/performance/summary").status()).isEqualTo(200);
    assertThat(http.getWith(VIEWER, "/metrics").status()).isEqualTo(200);
    assertError(
        http.postJson(VIEWER, "/api/v1/requests", EVENT),
        403,
        "forbidden",
        "role viewer may not POST /api/v1/requests");
    assertError(http.post(VIEWER, "/api/v1/push", new byte[] {1}), 403, "forbidden", "role viewer");
  }

  @Test
  void ingestMayWriteButNotRead() {
    assertThat(http.postJson(INGEST, "/api/v1/requests", EVENT).status()).isEqualTo(200);
    assertError(
        http.getWith(INGEST, "/api/performance/summary"),
        403,
        "forbidden",
        "role ingest may not GET");
    assertError(http.getWith(INGEST, "/metrics"), 403, "forbidden", "role ingest");
  }

  @Test
  void adminMayDoEverything() {
    assertThat(http.postJson(ADMIN, "/api/v1/requests", EVENT).status()).isEqualTo(200);
    assertThat(http.getWith(ADMIN, "/api/performance/endpoints").status()).isEqualTo(200);
    assertThat(http.getWith(ADMIN, "/metrics").body()).contains("vigil_ingested_events_total");
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors() {
    assertError(http.getWith(ADMIN, "/api/nope"), 404, "not_found", "no such path: GET /api/nope");
    assertError(
        http.method(ADMIN, "DELETE", "/api/performance/summary"),
        405,
        "method_not_allowed",
        "DELETE");
    assertError(http.getWith(VIEWER, "/api/v1/requests"), 405, "method_not_allowed", "GET");
  }
}
