package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares the parser with the real Prometheus from Debian ({@code /usr/bin/prometheus}, 2.42): the
 * same queries are rejected with the same message, and accepted alike. Only cases whose wording did
 * not change between 2.42 and 3.x are compared; where 3.x changed the language, the last test pins
 * the difference.
 */
class PrometheusCompatibilityTest {

  private static final Pattern ERROR = Pattern.compile("\"error\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final String PREFIX = "invalid parameter \"query\": ";

  @TempDir static Path dir;
  private static Process prometheus;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void startPrometheus() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\n");
    prometheus =
        new ProcessBuilder(
                "/usr/bin/prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    base = "http://127.0.0.1:" + port;
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 600; i++) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (!prometheus.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "Prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  /** Prometheus' parse error for a query, or null if it accepts it. */
  private static String prometheusError(String query) throws Exception {
    String url =
        base + "/api/v1/query?time=0&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 200) {
      return null;
    }
    Matcher m = ERROR.matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    String error = unescapeJson(m.group(1));
    return error.startsWith(PREFIX) ? error.substring(PREFIX.length()) : error;
  }

  private static String unescapeJson(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  private static String vigilError(String query) {
    try {
      Parser.parse(query);
      return null;
    } catch (ParseException e) {
      return e.getMessage();
    }
  }

  private static final List<String> REJECTED =
      List.of(
          "",
          "  # only a comment",
          "1+",
          ".",
          "0deadbeef",
          "*1",
          "(1))",
          "((1)",
          "1 and 1",
          "1 == 1",
          "1 !~ 1",
          "-\"string\"",
          "-test[5m]",
          "1 offset 1d",
          "foo offset 1s offset 2s",
          "a - on(b) ignoring(c) d",
          "foo offset 5m[5m]",
          "foo @ 10 [5m]",
          "foo[5m] @ 100 @ 200",
          "foo @ start",
          "foo @ +Inf",
          "sum(foo) @ 1",
          "foo{a=\"b\"",
          "foo{a!}",
          "foo{a=b}",
          "foo{a}",
          "foo{=}",
          "foo{a=\"b\" c=\"d\"}",
          "foo{a:b=\"c\"}",
          "{}",
          "{x=~\".*\"}",
          "foo{__name__=\"bar\"}",
          "sum by (foo) (x) by (b)",
          "sum by a (x)",
          "sum by (a b) (x)",
          "sum by (1) (x)",
          "sum by (foo) x",
          "sum(x y)",
          "rate(x[5m] y)",
          "sum(x, y)",
          "topk(x)",
          "sum()",
          "topk(\"a\", x)",
          "count_values(1, x)",
          "sum(x[5m])",
          "foo()",
          "rate(x)",
          "rate(x[5m], 1)",
          "round()",
          "round(x, 1, 2)",
          "label_join(x)",
          "rate(x[5m],)",
          "x[5m][5m]",
          "x[5m:][5m:]",
          "x[5m] + 1",
          "1 + on(a) x",
          "x and on(a) group_left y",
          "x + on(a) group_left(a) y",
          "x + bool y",
          "x + group_left y",
          "x[1m1h]",
          "x[0s]",
          "x[5m:0s]",
          "sum by (a) x",
          "foo ==",
          "foo ]",
          "foo 1",
          "foo \"a long string value\"",
          "'\\q'",
          "\"abc",
          "`abc",
          "foo +\n  *bar",
          "1e400");

  @Test
  void rejectsLikePrometheusWithTheSameMessage() throws Exception {
    List<String> differences = new ArrayList<>();
    for (String q : REJECTED) {
      String theirs = prometheusError(q);
      String ours = vigilError(q);
      assertThat(theirs).as("Prometheus rejects %s", q).isNotNull();
      if (!theirs.equals(ours)) {
        differences.add(q + "\n  prometheus: " + theirs + "\n  vigil:      " + ours);
      }
    }
    assertThat(differences).isEmpty();
  }

  private static final List<String> ACCEPTED =
      List.of(
          "1",
          "-1^2",
          "0x1f + 0755 - 1e3 * .5",
          "+Inf",
          "NaN",
          "foo",
          "foo:bar{a=\"b\", c!='d', e=~`f.*`, g!~\"h\",}",
          "foo offset -5m",
          "foo @ 1603774568 offset 1h",
          "foo[5m] @ end()",
          "rate(foo[5m] offset 1w @ start())",
          "min_over_time(rate(x[5m])[1h:1m])",
          "x[1h:]",
          "sum by (a, b) (x)",
          "sum(x) without (a)",
          "SUM BY (group) (x)",
          "topk(5, x)",
          "count_values(\"v\", x)",
          "quantile without (i) (0.9, x)",
          "x * on(a) group_left(b) y",
          "x / ignoring(a) group_right y",
          "x > bool on() y",
          "x and on(a) y or z unless w",
          "1 < bool 2 - 1 * 2",
          "2 ^ 3 ^ 2",
          "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
          "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
          "time() - timestamp(up)",
          "sum",
          "by{a=\"b\"} + offset",
          "foo # comment\n + bar",
          "absent_over_time(x[5m:1m] offset 1m)",
          "clamp(x, 0, 1) atan2 vector(1)");

  @Test
  void acceptsWhatPrometheusAccepts() throws Exception {
    for (String q : ACCEPTED) {
      assertThat(prometheusError(q)).as("Prometheus accepts %s", q).isNull();
      assertThat(vigilError(q)).as("Vigil accepts %s", q).isNull();
    }
  }

  /**
   * Random well-typed trees in the language both versions share, printed by Vigil, are accepted by
   * Prometheus' own parser ({@code promtool check rules} parses every rule's expression).
   */
  @Test
  void prometheusParsesWhatThePrinterWrites() throws Exception {
    Random random = new Random(42);
    StringBuilder rules = new StringBuilder("groups:\n- name: printed\n  rules:\n");
    List<String> printed = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Expr e = new RandomExprs(random, true).any(random.nextInt(5));
      String text = Printer.print(e);
      assertThat(Parser.parse(text)).as(text).isEqualTo(e);
      printed.add(text);
      rules
          .append("  - record: r")
          .append(i)
          .append("\n    expr: ")
          .append(yamlQuote(text))
          .append('\n');
    }
    Path file = dir.resolve("printed.rules.yml");
    Files.writeString(file, rules.toString());
    Process promtool =
        new ProcessBuilder("/usr/bin/promtool", "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor()).as(output).isZero();
    assertThat(output).contains("SUCCESS: 1000 rules found");
  }

  /** A YAML double-quoted scalar. */
  private static String yamlQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                b.append('\\').appendCodePoint(c);
              } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.append('"').toString();
  }

  @Test
  void prometheus3LanguageChangesAreFollowedNot242() throws Exception {
    // Numbers as durations, durations as numbers and quoted UTF-8 names are PromQL 3.
    for (String q :
        List.of(
            "rate(x[300])",
            "x offset 90",
            "predict_linear(x[5m], 1h)",
            "x @ 100s",
            "{\"my.metric\"}",
            "sum by (\"a.b\") (x)")) {
      assertThat(prometheusError(q)).as("Prometheus 2.42 rejects %s", q).isNotNull();
      assertThat(vigilError(q)).as("Vigil accepts %s", q).isNull();
    }
    // 3.x's number scanner reports a malformed number as a whole (parse_test.go's wording).
    assertThat(prometheusError("2.5.")).isEqualTo("1:4: parse error: unexpected character: '.'");
    assertThat(vigilError("2.5."))
        .isEqualTo("1:1: parse error: bad number or duration syntax: \"2.5.\"");
    // holt_winters was renamed double_exponential_smoothing (experimental) in 3.0.
    assertThat(prometheusError("holt_winters(x[5m], 0.5, 0.5)")).isNull();
    assertThat(vigilError("holt_winters(x[5m], 0.5, 0.5)"))
        .isEqualTo("1:1: parse error: unknown function with name \"holt_winters\"");
  }
}
