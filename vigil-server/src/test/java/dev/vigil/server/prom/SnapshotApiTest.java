package dev.vigil.server.prom;

import static dev.vigil.server.TestServer.ADMIN;
import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/admin/tsdb/snapshot on the real server: auth, answer, the snapshot's content. */
class SnapshotApiTest {
  static final Instant NOW = Instant.parse("2025-07-19T02:00:00Z");
  static final String PATH = "/api/v1/admin/tsdb/snapshot";

  @TempDir static Path dir;
  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir, new MutableClock(NOW.toEpochMilli()), null);
    http = server.http;
    String events =
        "[{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":0.1,\"status_code\":200,"
            + "\"timestamp\":\"2025-07-19T01:58:00Z\"},"
            + "{\"endpoint\":\"/b\",\"method\":\"POST\",\"response_time\":0.2,\"status_code\":500,"
            + "\"timestamp\":\"2025-07-19T01:59:30Z\"}]";
    assertThat(http.postJson(INGEST, "/api/v1/requests", events).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Http.Response post(String token, String query) {
    return http.post(token, PATH + query, new byte[0]);
  }

  static Path snapshots() {
    return dir.resolve("tsdb").resolve("snapshots");
  }

  static List<String> snapshotNames() throws IOException {
    if (!Files.exists(snapshots())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(snapshots())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every series with its samples as "t=v" strings, by labels. */
  static Map<String, List<String>> contents(Storage storage) {
    Map<String, List<String>> all = new TreeMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      for (Series s : q.select()) {
        List<String> samples = new ArrayList<>();
        SampleCursor c = s.cursor();
        while (c.next()) {
          samples.add(
              c.timestampMillis() + "=" + (c.isHistogram() ? c.histogram().toString() : c.value()));
        }
        all.put(s.labels().toString(), samples);
      }
    }
    return all;
  }

  @Test
  void onlyAdminsMaySnapshotAndBadArgumentsAre400WithNothingWritten() throws IOException {
    List<String> before = snapshotNames();
    Http.Response none = post(null, "");
    assertThat(none.status()).isEqualTo(401);
    for (String token : List.of(VIEWER, INGEST)) {
      Http.Response r = post(token, "");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().path("errorType").asText()).isEqualTo("forbidden");
    }
    Http.Response bad = post(ADMIN, "?skip_head=maybe");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/json");
    assertThat(bad.json().path("errorType").asText()).isEqualTo("bad_data");
    assertThat(bad.json().path("error").asText()).contains("skip_head").contains("maybe");
    assertThat(http.method(ADMIN, "GET", PATH).status()).isEqualTo(405);
    assertThat(snapshotNames()).isEqualTo(before);
  }

  @Test
  void aSnapshotHoldsTheHeadAndOpensAsAStoreWithTheSameData() throws IOException {
    Http.Response r = post(ADMIN, "?skip_head=false");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.json().path("status").asText()).isEqualTo("success");
    String name = r.json().path("data").path("name").asText();
    assertThat(name).matches("20250719T020000Z-[0-9a-f]{16}");
    Path snap = snapshots().resolve(name);
    assertThat(snap.resolve("blocks")).isDirectory();
    Map<String, List<String>> live = contents(server.server.storage());
    assertThat(live).isNotEmpty();
    try (Tsdb copy =
        Tsdb.open(TsdbOptions.builder(snap).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build())) {
      assertThat(contents(copy)).isEqualTo(live);
    }
    // skip_head: no head block; the head is all there is here, so the snapshot is empty
    Http.Response skip = post(ADMIN, "?skip_head=true");
    assertThat(skip.status()).as(skip.body()).isEqualTo(200);
    Path empty = snapshots().resolve(skip.json().path("data").path("name").asText());
    try (Stream<Path> s = Files.list(empty.resolve("blocks"))) {
      assertThat(s.count()).isZero();
    }
  }
}
