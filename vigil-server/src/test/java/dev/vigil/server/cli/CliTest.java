package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  PrintStream oldOut;
  PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badFlagsExitWithTwoAndAClearMessage() {
    assertThat(Main.execute("server", "--bogus")).isEqualTo(2);
    assertThat(err()).contains("vigil: Unknown option: '--bogus'").contains("vigil server --help");
    assertThat(Main.execute("monitor", "--interval", "soon")).isEqualTo(2);
    assertThat(err()).contains("Invalid value for option '--interval'");
    assertThat(Main.execute("frobnicate")).isEqualTo(2);
    assertThat(Main.execute()).isEqualTo(2);
    assertThat(err()).contains("missing command");
  }

  @Test
  void helpExitsWithZero() {
    assertThat(Main.execute("server", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config").contains("VIGIL_");
  }

  @Test
  void invalidConfigurationExitsWithTwoNamingTheKey() throws Exception {
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "health:\n  cpu:\n    warning: 120\n");
    assertThat(
            Main.execute(
                "server", "--config", cfg.toString(), "--data", dir.resolve("d").toString()))
        .isEqualTo(2);
    assertThat(err()).contains("health.cpu.warning: must be between 0 and 100, got 120");
    assertThat(Main.execute("server", "--port", "70000", "--data", dir.toString())).isEqualTo(2);
    assertThat(err()).contains("port (from --port): must be between 0 and 65535, got 70000");
  }

  @Test
  void monitorPrintsARowAndSavesJsonLines() throws Exception {
    try (TestServer s =
        TestServer.start(dir.resolve("data"), new MutableClock(System.currentTimeMillis()), null)) {
      s.http.postJson(
          TestServer.INGEST,
          "/api/v1/requests",
          "[{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":0.2,\"status_code\":200},"
              + "{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":2.5,\"status_code\":500}]");
      Path save = dir.resolve("snap.jsonl");
      int code =
          Main.execute(
              "monitor",
              "--url",
              "http://127.0.0.1:" + s.server.port(),
              "--token",
              TestServer.VIEWER,
              "--interval",
              "1",
              "--duration",
              "1",
              "--save",
              save.toString());
      assertThat(code).as(err()).isZero();
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      assertThat(lines.get(0)).contains("requests").contains("p95_ms").contains("health");
      assertThat(lines.get(1)).contains(" 2 ").contains("50.00").contains("unknown");
      List<String> saved = Files.readAllLines(save);
      assertThat(saved).hasSize(1);
      JsonNode snap = Json.MAPPER.readTree(saved.get(0));
      assertThat(snap.path("summary").path("total_requests").asInt()).isEqualTo(2);
      assertThat(snap.path("summary").path("slow_requests").asInt()).isEqualTo(1);
    }
  }

  @Test
  void monitorReportsConnectionAndAuthErrors() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    assertThat(
            Main.execute(
                "monitor", "--url", "http://127.0.0.1:" + port, "--token", "x", "--duration", "1"))
        .isEqualTo(1);
    assertThat(err()).contains("cannot connect to http://127.0.0.1:" + port);
    try (TestServer s =
        TestServer.start(dir.resolve("data"), new MutableClock(System.currentTimeMillis()), null)) {
      assertThat(
              Main.execute(
                  "monitor",
                  "--url",
                  "http://127.0.0.1:" + s.server.port(),
                  "--token",
                  "wrong-token-123456",
                  "--duration",
                  "1"))
          .isEqualTo(1);
      assertThat(err()).contains("HTTP 401").doesNotContain("wrong-token-123456");
    }
  }

  @Test
  void queryPrintsATableOrTheApiJsonAndNamesErrors() throws Exception {
    long now = System.currentTimeMillis();
    try (TestServer s = TestServer.start(dir.resolve("data"), new MutableClock(now), null)) {
      s.http.postJson(
          TestServer.INGEST,
          "/api/v1/requests",
          "[{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":0.2,\"status_code\":200},"
              + "{\"endpoint\":\"/a\",\"method\":\"GET\",\"response_time\":0.3,\"status_code\":200}]");
      String url = "http://127.0.0.1:" + s.server.port();
      String expr = "sum by (route) (http_server_requests)";
      int code = Main.execute("query", expr, "--url", url, "--token", TestServer.VIEWER);
      assertThat(code).as(err()).isZero();
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      assertThat(lines.get(0)).startsWith("series").contains("time").contains("value");
      assertThat(lines.get(1)).startsWith("{route=\"/a\"}").endsWith(" 2");
      out.reset();
      code =
          Main.execute(
              "query", expr, "--format", "json", "--url", url, "--token", TestServer.VIEWER);
      assertThat(code).as(err()).isZero();
      JsonNode json = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
      assertThat(json.path("data").path("resultType").asText()).isEqualTo("vector");
      assertThat(json.path("data").path("result").get(0).path("value").get(1).asText())
          .isEqualTo("2");
      out.reset();
      long t = now / 1000;
      code =
          Main.execute(
              "query",
              expr,
              "--start",
              Long.toString(t - 60),
              "--end",
              Long.toString(t),
              "--step",
              "30s",
              "--url",
              url,
              "--token",
              TestServer.VIEWER);
      assertThat(code).as(err()).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8).lines().skip(1))
          .isNotEmpty()
          .allMatch(l -> l.startsWith("{route=\"/a\"}"));
      assertThat(Main.execute("query", "1 +", "--url", url, "--token", TestServer.VIEWER))
          .isEqualTo(1);
      assertThat(err()).contains("bad_data").contains("parse error");
    }
    assertThat(Main.execute("query", "up", "--format", "yaml")).isEqualTo(2);
    assertThat(err()).contains("--format must be table or json");
    assertThat(Main.execute("query", "up", "--start", "1")).isEqualTo(2);
    assertThat(err()).contains("needs all of --start, --end and --step");
  }

  @Test
  void promqlTestRunsScriptsAndExitsOneOnAFailure() throws Exception {
    Path good = dir.resolve("good.test");
    Files.writeString(
        good,
        "load 1m\n  m{a=\"x\"} 1 2 3\n\neval instant at 2m m\n  m{a=\"x\"} 3\n",
        StandardCharsets.UTF_8);
    Path bad = dir.resolve("bad.test");
    Files.writeString(
        bad,
        "load 1m\n  m{a=\"x\"} 1 2 3\n\neval instant at 2m m\n  m{a=\"x\"} 4\n",
        StandardCharsets.UTF_8);
    assertThat(Main.execute("promql-test", good.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(good + ": 1 passed, 0 failed");
    out.reset();
    assertThat(Main.execute("promql-test", good.toString(), bad.toString())).isEqualTo(1);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains(bad + ": 0 passed, 1 failed").contains("m");
    assertThat(Main.execute("promql-test", dir.resolve("missing.test").toString())).isEqualTo(2);
    assertThat(err()).contains("no such file");
  }
}
