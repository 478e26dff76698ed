package dev.vigil.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsStoreTest {

  @TempDir Path dir;

  @Test
  void accessLogNamesTheTokenNeverTheSecretAndTokensAreStoredAsHashes() throws Exception {
    MutableClock clock = new MutableClock(1_752_890_400_000L);
    try (TestServer s = TestServer.start(dir, clock, null)) {
      s.http.getWith(TestServer.VIEWER, "/api/performance/summary?window=5m");
      s.http.getWith("wrong-token-0123456789", "/api/performance/summary");
      s.http.get("/-/healthy", null);
    }
    try (EventsDb db = EventsDb.open(dir)) {
      List<String> rows =
          db.read(
              c -> {
                List<String> out = new ArrayList<>();
                try (ResultSet rs =
                    c.createStatement()
                        .executeQuery(
                            "SELECT token_name, role, method, path, status, timestamp_ms FROM access_log ORDER BY id")) {
                  while (rs.next()) {
                    out.add(
                        rs.getString(1)
                            + " "
                            + rs.getString(2)
                            + " "
                            + rs.getString(3)
                            + " "
                            + rs.getString(4)
                            + " "
                            + rs.getInt(5)
                            + " "
                            + rs.getLong(6));
                  }
                }
                return out;
              });
      assertThat(rows)
          .containsExactly(
              "viewer viewer GET /api/performance/summary 200 1752890400000",
              "null null GET /api/performance/summary 401 1752890400000");
      assertThat(new TokenStore(db).all())
          .extracting(t -> t.name())
          .contains("admin", "viewer", "ingest");
    }
    byte[] file = Files.readAllBytes(dir.resolve("events.db"));
    assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(TestServer.ADMIN)
        .doesNotContain(TestServer.VIEWER)
        .doesNotContain("wrong-token-0123456789");
  }

  @Test
  void generatesTokensOnFirstStartOnlyAndPrintsThemOnce() throws Exception {
    Path data = dir.resolve("fresh");
    Files.createDirectories(data);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    dev.vigil.server.config.ServerConfig c =
        dev.vigil.server.config.ConfigLoader.load(
            null, Map.of("VIGIL_SYSTEM_ENABLED", "false"), 0, data, data);
    var options =
        new dev.vigil.server.VigilServer.Options()
            .host("127.0.0.1")
            .out(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    try (var s = dev.vigil.server.VigilServer.start(c, options)) {
      assertThat(s.port()).isPositive();
    }
    String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(printed).contains("admin").contains("viewer").contains("ingest");
    String admin =
        printed
            .lines()
            .filter(l -> l.trim().startsWith("admin"))
            .findFirst()
            .orElseThrow()
            .trim()
            .split("\\s+")[1];
    assertThat(admin).matches("[A-Za-z0-9_-]{43}");
    out.reset();
    try (var s = dev.vigil.server.VigilServer.start(c, options)) {
      dev.vigil.server.Http http = new dev.vigil.server.Http(s.port());
      assertThat(http.getWith(admin, "/api/performance/summary").status()).isEqualTo(200);
    }
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void retentionDeletesOldEvents() throws Exception {
    try (EventsDb db = EventsDb.open(dir)) {
      SlowRequestStore slow = new SlowRequestStore(db);
      slow.insert(
          List.of(
              new SlowRequestRecord(1_000, "s", "i", "GET", "/a", 200, 3.0, null, null, null),
              new SlowRequestRecord(9_000, "s", "i", "GET", "/a", 200, 3.0, null, null, null),
              new SlowRequestRecord(9_500, "s", "i", "GET", "/a", 200, 3.0, null, 7L, 1L),
              new SlowRequestRecord(9_500, "s", "i", "GET", "/a", 200, 3.0, null, 7L, 1L)));
      assertThat(slow.count(0, 10_000)).as("pushed duplicates stored once").isEqualTo(3);
      assertThat(db.deleteBefore(5_000)).isEqualTo(1);
      assertThat(slow.count(0, 10_000)).isEqualTo(2);
      assertThat(slow.recent(0, 10_000, 10))
          .extracting(SlowRequestRecord::timestampMillis)
          .containsExactly(9_500L, 9_000L);
    }
  }
}
