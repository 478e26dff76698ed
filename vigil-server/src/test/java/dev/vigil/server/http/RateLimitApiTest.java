package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitApiTest {

  @TempDir Path dir;

  @Test
  void overTheLimitIs429WithRetryAfterPerToken() throws Exception {
    try (TestServer s =
        TestServer.start(
            dir,
            new MutableClock(1_750_000_000_000L),
            null,
            "VIGIL_RATE_LIMIT_REQUESTS_PER_SECOND",
            "0.5",
            "VIGIL_RATE_LIMIT_BURST",
            "3")) {
      for (int i = 0; i < 3; i++) {
        assertThat(s.http.getWith(TestServer.VIEWER, "/api/performance/summary").status())
            .isEqualTo(200);
      }
      Http.Response limited = s.http.getWith(TestServer.VIEWER, "/api/performance/summary");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.header("Retry-After")).isEqualTo("2");
      assertThat(limited.json().path("errorType").asText()).isEqualTo("rate_limited");
      assertThat(s.http.getWith(TestServer.ADMIN, "/api/performance/summary").status())
          .as("another token has its own bucket")
          .isEqualTo(200);
      assertThat(s.http.get("/-/healthy", null).status())
          .as("probes are not limited")
          .isEqualTo(200);
      s.ticker.addAndGet(2_000_000_000L);
      assertThat(s.http.getWith(TestServer.VIEWER, "/api/performance/summary").status())
          .isEqualTo(200);
    }
  }
}
