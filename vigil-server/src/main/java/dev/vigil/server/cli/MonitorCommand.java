package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil monitor}: the seed's monitor_performance. Every interval it fetches the summary and
 * the system metrics and prints one compact table row; {@code --save} appends each snapshot as a
 * JSON line. {@code VIGIL_URL} and {@code VIGIL_TOKEN} stand in for the flags.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = "Prints the server's key numbers every interval, for a duration.")
final class MonitorCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Server URL (default $VIGIL_URL or http://localhost:9753).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token (default $VIGIL_TOKEN).")
  String token;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      description = "Seconds between snapshots (default 60).")
  long interval = 60;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Seconds to monitor for (default 60).")
  long duration = 60;

  @Option(
      names = "--window",
      paramLabel = "WINDOW",
      description = "Window of each snapshot (default 5m).")
  String window = "5m";

  @Option(
      names = "--save",
      paramLabel = "FILE",
      description = "Append each snapshot to FILE as a JSON line.")
  Path save;

  PrintStream out = System.out;
  PrintStream err = System.err;
  Clock clock = Clock.systemUTC();

  private static final String HEADER =
      String.format(
          "%-20s %9s %8s %9s %9s %9s %7s %6s %6s %6s %6s  %s",
          "time",
          "requests",
          "rps",
          "avg_ms",
          "p95_ms",
          "p99_ms",
          "err%",
          "slow",
          "cpu%",
          "mem%",
          "disk%",
          "health");

  @Override
  public Integer call() throws Exception {
    String base =
        url != null ? url : System.getenv().getOrDefault("VIGIL_URL", "http://localhost:9753");
    String tok = token != null ? token : System.getenv("VIGIL_TOKEN");
    if (interval < 1 || duration < 1) {
      err.println("vigil: --interval and --duration must be at least 1 second");
      return 2;
    }
    URI root;
    try {
      root = URI.create(base.endsWith("/") ? base : base + "/");
      if (root.getScheme() == null || root.getHost() == null) {
        throw new IllegalArgumentException("not an absolute http URL");
      }
    } catch (IllegalArgumentException e) {
      err.println("vigil: --url: invalid URL \"" + base + "\": " + e.getMessage());
      return 2;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    out.println(HEADER);
    long start = clock.millis();
    while (true) {
      ObjectNode snapshot;
      try {
        snapshot = snapshot(client, root, tok);
      } catch (IOException e) {
        err.println("vigil monitor: " + e.getMessage());
        return 1;
      }
      out.println(row(snapshot));
      out.flush();
      if (save != null) {
        Files.writeString(
            save,
            Json.write(snapshot) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      long elapsed = clock.millis() - start;
      if (elapsed + interval * 1000 > duration * 1000) {
        return 0;
      }
      Thread.sleep(interval * 1000);
    }
  }

  private ObjectNode snapshot(HttpClient client, URI root, String tok)
      throws IOException, InterruptedException {
    JsonNode summary = get(client, root.resolve("api/performance/summary?window=" + window), tok);
    JsonNode system =
        get(
            client,
            root.resolve("api/performance/system-metrics?window=" + window + "&points=2"),
            tok);
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("timestamp", Instant.ofEpochMilli(clock.millis()).toString());
    s.set("summary", summary);
    s.set("system", system.path("current"));
    return s;
  }

  private static JsonNode get(HttpClient client, URI uri, String tok)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (tok != null && !tok.isEmpty()) {
      b.header("Authorization", "Bearer " + tok);
    }
    HttpResponse<String> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException(
          "cannot connect to "
              + uri.getScheme()
              + "://"
              + uri.getAuthority()
              + " (is the server running?)",
          e);
    } catch (IOException e) {
      throw new IOException(
          "request to " + uri.getScheme() + "://" + uri.getAuthority() + " failed: " + e, e);
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new IOException(
          "HTTP " + r.statusCode() + " from " + uri.getPath() + " with a body that is not JSON", e);
    }
    if (r.statusCode() != 200) {
      throw new IOException(
          "HTTP "
              + r.statusCode()
              + " from "
              + uri.getPath()
              + ": "
              + body.path("error").asText("?"));
    }
    return body;
  }

  static String row(JsonNode s) {
    JsonNode sum = s.path("summary");
    JsonNode sys = s.path("system");
    return String.format(
        Locale.ROOT,
        "%-20s %9d %8.2f %9.1f %9.1f %9.1f %7.2f %6d %6s %6s %6s  %s",
        s.path("timestamp").asText().replaceFirst("\\.\\d+Z$", "Z"),
        sum.path("total_requests").asLong(),
        sum.path("requests_per_second").asDouble(),
        sum.path("avg_response_time").asDouble() * 1000,
        sum.path("p95").asDouble() * 1000,
        sum.path("p99").asDouble() * 1000,
        sum.path("error_rate").asDouble(),
        sum.path("slow_requests").asLong(),
        pct(sys.path("cpu_percent")),
        pct(sys.path("memory_percent")),
        pct(sys.path("disk_percent")),
        sum.path("system_health").asText("unknown"));
  }

  private static String pct(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.1f", n.asDouble()) : "-";
  }
}
