package dev.vigil.server.remote;

import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.remote.RemoteWriteApiTest.labels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.tsdb.Querier;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteLimitsTest {
  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();

  @TempDir Path dir;

  static Http.Response send(TestServer s, WriteRequestBuilder b) {
    return s.http.post(
        INGEST,
        "/api/v1/write",
        b.snappy(),
        "Content-Type",
        "application/x-protobuf",
        "Content-Encoding",
        "snappy");
  }

  static int series(TestServer s) {
    try (Querier q = s.server.storage().querier(0, Long.MAX_VALUE)) {
      return q.select().size();
    }
  }

  static WriteRequestBuilder request(String name, int from, int to) {
    WriteRequestBuilder b = new WriteRequestBuilder();
    for (int i = from; i < to; i++) {
      b.series(
          labels("__name__", name, "i", Integer.toString(i)), new long[] {NOW}, new double[] {i});
    }
    return b;
  }

  @Test
  void aRequestCreatingSeriesOverTheTotalCapStoresNothingAndNamesTheCap() throws Exception {
    try (TestServer s =
        TestServer.start(dir, new MutableClock(NOW), null, "VIGIL_LIMITS_MAX_SERIES", "4")) {
      assertThat(send(s, request("cap_a", 0, 3)).status()).isEqualTo(204);
      Http.Response r = send(s, request("cap_b", 0, 3));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("text/plain");
      assertThat(r.body())
          .startsWith("limit exceeded (limits.max_series): ")
          .contains("maxSeries of 4 series in total", "cap_b");
      assertThat(series(s)).isEqualTo(3); // none of cap_b's two acceptable series either
      // Existing series still take samples.
      assertThat(send(s, request("cap_a", 0, 3)).status()).isEqualTo(204);
      // The JSON ingest paths answer the same cap in JSON.
      Http.Response json =
          s.http.postJson(
              INGEST,
              "/api/v1/requests",
              "[{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":0.1,"
                  + "\"status_code\":200,\"timestamp\":"
                  + NOW
                  + "}]");
      assertThat(json.status()).isEqualTo(400);
      assertThat(json.json().path("errorType").asText()).isEqualTo("bad_data");
      assertThat(json.json().path("error").asText())
          .contains("limits.max_series", "maxSeries of 4");
    }
  }

  @Test
  void aRequestOverThePerMetricCapStoresNothingAndNamesTheCap() throws Exception {
    try (TestServer s =
        TestServer.start(
            dir, new MutableClock(NOW), null, "VIGIL_LIMITS_MAX_SERIES_PER_METRIC", "2")) {
      Http.Response r = send(s, request("per_metric", 0, 3));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body())
          .startsWith("limit exceeded (limits.max_series_per_metric): ")
          .contains("maxSeriesPerMetric of 2 series named per_metric");
      assertThat(series(s)).isZero();
      assertThat(send(s, request("per_metric", 0, 2)).status()).isEqualTo(204);
      assertThat(send(s, request("other_metric", 0, 2)).status()).isEqualTo(204);
      assertThat(series(s)).isEqualTo(4);
    }
  }

  @Test
  void aHeadOverItsMemoryBudgetRefusesWritesNamingTheBudget() throws Exception {
    try (TestServer s =
        TestServer.start(dir, new MutableClock(NOW), null, "VIGIL_LIMITS_MAX_HEAD_BYTES", "1MiB")) {
      Http.Response last = null;
      for (int round = 0; round < 200; round++) {
        last = send(s, request("mem_" + round, 0, 100));
        if (last.status() != 204) {
          break;
        }
      }
      assertThat(last.status()).isEqualTo(400);
      assertThat(last.body())
          .startsWith("limit exceeded (limits.max_head_bytes): ")
          .contains("maxHeadBytes of 1048576 bytes");
    }
  }
}
