package dev.vigil.bench.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends a stream with native and classic histograms to a real Prometheus (Debian's 2.42, native
 * histograms enabled) and queries it back: Prometheus parses what the encoder writes.
 */
class PrometheusNativeHistogramTest {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private Process process;
  private String base;

  @BeforeEach
  void startPrometheus() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    Path config =
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
    process =
        new ProcessBuilder(
                "/usr/bin/prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver",
                "--enable-feature=native-histograms",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    for (int i = 0; ; i++) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(process.isAlive()).as("prometheus exited; see %s", dir).isTrue();
      assertThat(i).as("prometheus not ready after 30 s").isLessThan(300);
      Thread.sleep(100);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void nativeHistogramsAndFloatsAreQueryableAsSent() throws Exception {
    long last = System.currentTimeMillis() - 60_000;
    Path stream = dir.resolve("stream");
    StreamGenerator.Summary summary =
        StreamGenerator.generate(
            new StreamGenerator.Options(
                500, 4, 15_000, last, 13, 200, 0.2, 2, NodeFleet.Histograms.BOTH),
            stream);
    List<List<DecodedSample>> rounds = DecodedSample.decodeStream(stream);

    RemoteWriteSender.Result result =
        new RemoteWriteSender(URI.create(base + "/api/v1/write"), 2, null, Duration.ofMinutes(2))
            .send(stream);

    assertThat(result.requestsFailed()).as(result.toLine()).isZero();
    assertThat(result.acceptedSamples()).isEqualTo(summary.samples());

    Map<Map<String, String>, JsonNode> natives = new HashMap<>();
    for (JsonNode r : query("http_request_duration_seconds", last)) {
      natives.put(labels(r.get("metric")), r.get("histogram").get(1));
    }
    int checked = 0;
    for (DecodedSample s : rounds.get(rounds.size() - 1)) {
      if (s.histogram() == null) {
        continue;
      }
      JsonNode h = natives.get(s.labels());
      assertThat(h).as("%s", s.labels()).isNotNull();
      assertThat(h.get("count").asText()).isEqualTo(Long.toString(s.histogram().count()));
      assertThat(Double.parseDouble(h.get("sum").asText()))
          .isCloseTo(s.histogram().sum(), within(Math.abs(s.histogram().sum()) * 1e-12));
      checked++;
    }
    assertThat(checked).isPositive();
    // Hosts churned away during the 45 s of the stream are still inside the 5-minute lookback.
    long everSent =
        rounds.stream()
            .flatMap(List::stream)
            .filter(s -> s.histogram() != null)
            .map(DecodedSample::labels)
            .distinct()
            .count();
    assertThat(natives).hasSize((int) everSent);

    JsonNode probe = query(summary.probeSelector(), last);
    assertThat(probe).hasSize(1);
    assertThat(Double.parseDouble(probe.get(0).get("value").get(1).asText()))
        .isEqualTo(summary.probeValue());
  }

  private JsonNode query(String promql, long timeMillis) throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time="
                + timeMillis / 1000.0);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body()).get("data").get("result");
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new HashMap<>();
    metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
