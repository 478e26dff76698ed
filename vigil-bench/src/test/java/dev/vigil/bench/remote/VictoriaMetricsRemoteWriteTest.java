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

/** Sends a recorded stream to a real VictoriaMetrics (Debian's 1.79) and reads it back. */
class VictoriaMetricsRemoteWriteTest {
  private static final Path BINARY = Path.of("/usr/bin/victoria-metrics");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;
  private String base;

  @BeforeEach
  void startVictoriaMetrics() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "-storageDataPath=" + dir.resolve("vm"),
                "-httpListenAddr=127.0.0.1:" + port,
                "-loggerLevel=ERROR")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("vm.log").toFile())
            .start();
    for (int i = 0; ; i++) {
      try {
        if (get("/health").statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(process.isAlive()).as("victoria-metrics exited; see %s", dir).isTrue();
      assertThat(i).as("victoria-metrics not healthy after 30 s").isLessThan(300);
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
  void everySentSampleCanBeExportedBack() throws Exception {
    long last = System.currentTimeMillis() - 60_000;
    Path stream = dir.resolve("stream");
    StreamGenerator.Summary summary =
        StreamGenerator.generate(
            new StreamGenerator.Options(
                600, 4, 15_000, last, 11, 250, 0.2, 2, NodeFleet.Histograms.CLASSIC),
            stream);
    List<List<DecodedSample>> rounds = DecodedSample.decodeStream(stream);

    RemoteWriteSender.Result result =
        new RemoteWriteSender(URI.create(base + "/api/v1/write"), 3, null, Duration.ofMinutes(2))
            .send(stream);

    assertThat(result.requestsFailed()).as(result.toLine()).isZero();
    assertThat(result.acceptedSamples()).isEqualTo(summary.samples());
    assertThat(result.rounds()).isEqualTo(4);

    // VictoriaMetrics makes rows searchable about a second after it accepts them.
    String selector = "{__name__=~\".+\"}";
    Map<Map<String, String>, Map<Long, Double>> exported = Map.of();
    for (int i = 0; i < 300; i++) {
      exported = export(selector, last - 3_600_000, last + 60_000);
      if (samples(exported) == summary.samples()) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(samples(exported)).isEqualTo(summary.samples());
    assertThat(exported).hasSize((int) summary.totalSeries());
    for (List<DecodedSample> round : rounds) {
      for (DecodedSample s : round) {
        Map<Long, Double> series = exported.get(s.labels());
        assertThat(series).as("%s", s.labels()).containsKey(s.timestampMillis());
        // VictoriaMetrics keeps values as decimals: the last of 17 digits may differ.
        assertThat(series.get(s.timestampMillis()))
            .as("%s at %d", s.labels(), s.timestampMillis())
            .isCloseTo(s.value(), within(Math.abs(s.value()) * 1e-12));
      }
    }
  }

  private static long samples(Map<Map<String, String>, Map<Long, Double>> exported) {
    return exported.values().stream().mapToLong(Map::size).sum();
  }

  /** Reads {@code /api/v1/export}: one JSON line per series with metric, values, timestamps. */
  private Map<Map<String, String>, Map<Long, Double>> export(String match, long start, long end)
      throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/export?match[]="
                + URLEncoder.encode(match, StandardCharsets.UTF_8)
                + "&start="
                + start / 1000
                + "&end="
                + end / 1000);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ObjectMapper json = new ObjectMapper();
    Map<Map<String, String>, Map<Long, Double>> out = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = json.readTree(line);
      Map<String, String> labels = new HashMap<>();
      node.get("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      Map<Long, Double> values = new HashMap<>();
      for (int i = 0; i < node.get("values").size(); i++) {
        values.put(node.get("timestamps").get(i).asLong(), node.get("values").get(i).asDouble());
      }
      out.put(labels, values);
    }
    return out;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
