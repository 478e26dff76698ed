package dev.vigil.server.remote;

import static dev.vigil.server.TestServer.INGEST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.42 (Debian's {@code /usr/bin/prometheus}) scrapes itself every second and
 * remote-writes to a Vigil server with the ingest token; Vigil must end up holding its series.
 */
class PrometheusRemoteWriteTest {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void prometheusRemoteWritesItsOwnMetricsIntoVigil() throws Exception {
    assertThat(PROMETHEUS).as("Debian package prometheus must be installed").isExecutable();
    Path vigilData = Files.createDirectories(dir.resolve("vigil"));
    try (TestServer vigil =
        TestServer.start(
            vigilData,
            new MutableClock(System.currentTimeMillis()),
            null,
            "VIGIL_RATE_LIMIT_BURST",
            "1000000")) {
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "global:",
              "  scrape_interval: 1s",
              "  evaluation_interval: 1s",
              "scrape_configs:",
              "  - job_name: prometheus",
              "    static_configs:",
              "      - targets: ['127.0.0.1:" + port + "']",
              "remote_write:",
              "  - url: http://127.0.0.1:" + vigil.server.port() + "/api/v1/write",
              "    authorization:",
              "      credentials: " + INGEST,
              "    queue_config:",
              "      batch_send_deadline: 1s",
              "      min_backoff: 100ms",
              "      max_backoff: 1s",
              ""),
          StandardCharsets.UTF_8);
      Path log = dir.resolve("prometheus.log");
      Process prometheus =
          new ProcessBuilder(
                  PROMETHEUS.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<Series> up = List.of();
        List<Series> build = List.of();
        while (System.nanoTime() < deadline) {
          up = select(vigil, "up");
          build = select(vigil, "prometheus_build_info");
          if (!up.isEmpty() && !build.isEmpty() && prometheus.isAlive()) {
            break;
          }
          assertThat(prometheus.isAlive())
              .as("prometheus exited early; log:\n%s", tail(log))
              .isTrue();
          Thread.sleep(200);
        }
        assertThat(up)
            .as("series up{job=\"prometheus\"} after %s; prometheus log:\n%s", DEADLINE, tail(log))
            .hasSize(1);
        assertThat(build)
            .as("series prometheus_build_info after %s; log:\n%s", DEADLINE, tail(log))
            .hasSize(1);
        assertThat(up.get(0).labels())
            .isEqualTo(
                Labels.of("__name__", "up", "job", "prometheus", "instance", "127.0.0.1:" + port));
        assertThat(values(up.get(0))).isNotEmpty().containsOnly(1.0);
        assertThat(build.get(0).labels().get("version")).startsWith("2.42.0");
        assertThat(values(build.get(0))).containsOnly(1.0);
        assertThat(select(vigil, "prometheus_tsdb_head_series")).hasSize(1);
        assertThat(vigil.server.storage().stats().series()).isGreaterThan(100);
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
          prometheus.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static List<Series> select(TestServer vigil, String name) {
    try (Querier q = vigil.server.storage().querier(0, Long.MAX_VALUE)) {
      return q.select(Matcher.equal(Labels.METRIC_NAME, name));
    }
  }

  private static List<Double> values(Series s) {
    List<Double> out = new java.util.ArrayList<>();
    SampleCursor c = s.cursor();
    while (c.next()) {
      out.add(c.value());
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
