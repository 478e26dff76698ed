package dev.vigil.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil query EXPR [--time T | --start S --end E --step D] [--format table|json]}: runs a
 * PromQL query on a Vigil server through {@code /api/v1/query} or {@code /api/v1/query_range} and
 * prints the result as a table (one row per series and point) or as the API's JSON.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run a PromQL query on a Vigil server (an instant query, or a range query with --start,",
      "--end and --step). VIGIL_URL and VIGIL_TOKEN stand in for --url and --token."
    })
final class QueryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "EXPR", description = "The PromQL expression.")
  String expr;

  @Option(
      names = "--time",
      paramLabel = "T",
      description = "Evaluation time (RFC 3339 or Unix seconds; default now).")
  String time;

  @Option(
      names = "--start",
      paramLabel = "S",
      description = "Range start (RFC 3339 or Unix seconds).")
  String start;

  @Option(names = "--end", paramLabel = "E", description = "Range end (RFC 3339 or Unix seconds).")
  String end;

  @Option(
      names = "--step",
      paramLabel = "D",
      description = "Range step (e.g. 15s, 1m, or seconds).")
  String step;

  @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json.")
  String format = "table";

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

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("table") && !format.equals("json")) {
      err.println("vigil query: --format must be table or json, got \"" + format + "\"");
      return 2;
    }
    boolean range = start != null || end != null || step != null;
    if (range && (start == null || end == null || step == null)) {
      err.println("vigil query: a range query needs all of --start, --end and --step");
      return 2;
    }
    if (range && time != null) {
      err.println("vigil query: give either --time or --start/--end/--step, not both");
      return 2;
    }
    String base =
        url != null ? url : System.getenv().getOrDefault("VIGIL_URL", "http://localhost:9753");
    String tok = token != null ? token : System.getenv("VIGIL_TOKEN");
    URI uri;
    try {
      StringBuilder q = new StringBuilder("query=").append(enc(expr));
      if (range) {
        q.append("&start=").append(enc(start)).append("&end=").append(enc(end));
        q.append("&step=").append(enc(step));
      } else if (time != null) {
        q.append("&time=").append(enc(time));
      }
      String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
      uri = URI.create(root + (range ? "/api/v1/query_range?" : "/api/v1/query?") + q);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("not an absolute http URL");
      }
    } catch (IllegalArgumentException e) {
      err.println("vigil query: --url: invalid URL \"" + base + "\": " + e.getMessage());
      return 2;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET();
    if (tok != null) {
      req.header("Authorization", "Bearer " + tok);
    }
    HttpResponse<String> resp;
    try {
      resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("vigil query: cannot reach " + base + ": " + e);
      return 1;
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(resp.body());
    } catch (IOException e) {
      err.println("vigil query: HTTP " + resp.statusCode() + ", not JSON: " + resp.body());
      return 1;
    }
    if (!"success".equals(body.path("status").asText())) {
      err.println(
          "vigil query: "
              + body.path("errorType").asText("error")
              + ": "
              + body.path("error").asText(resp.body()));
      return 1;
    }
    if (format.equals("json")) {
      out.println(Json.write(body));
    } else {
      table(body.path("data"));
      for (JsonNode w : body.path("warnings")) {
        err.println("warning: " + w.asText());
      }
    }
    return 0;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void table(JsonNode data) {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"series", "time", "value"});
    switch (type) {
      case "scalar", "string" ->
          rows.add(new String[] {"", time(result.get(0)), result.get(1).asText()});
      case "vector" -> {
        for (JsonNode s : result) {
          JsonNode p = s.has("value") ? s.path("value") : s.path("histogram");
          rows.add(new String[] {labels(s.path("metric")), time(p.get(0)), value(p.get(1))});
        }
      }
      default -> {
        for (JsonNode s : result) {
          String name = labels(s.path("metric"));
          for (JsonNode p : s.path("values")) {
            rows.add(new String[] {name, time(p.get(0)), value(p.get(1))});
          }
          for (JsonNode p : s.path("histograms")) {
            rows.add(new String[] {name, time(p.get(0)), value(p.get(1))});
          }
        }
      }
    }
    int[] w = new int[3];
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      out.println(
          String.format("%-" + w[0] + "s  %-" + w[1] + "s  %s", r[0], r[1], r[2]).stripTrailing());
    }
  }

  private static String time(JsonNode t) {
    return java.time.Instant.ofEpochMilli(Math.round(t.asDouble() * 1000)).toString();
  }

  private static String value(JsonNode v) {
    if (v.isObject()) {
      return "histogram{count="
          + v.path("count").asText()
          + ", sum="
          + v.path("sum").asText()
          + "}";
    }
    return v.asText();
  }

  private static String labels(JsonNode metric) {
    StringBuilder b = new StringBuilder();
    String name = metric.path("__name__").asText("");
    b.append(name).append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : metric.properties()) {
      if (e.getKey().equals("__name__")) {
        continue;
      }
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(e.getKey()).append("=\"").append(e.getValue().asText()).append('"');
    }
    return b.append('}').toString();
  }
}
