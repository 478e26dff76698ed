package dev.vigil.client.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.client.Recorder;
import dev.vigil.client.jvm.JvmMetrics;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class OpenMetricsFormatTest {

  private static final String H = "http_server_request_duration_seconds";

  @Test
  void writesGoldenOutput() throws Exception {
    Recorder r = Recorder.create();
    r.record("GET", "/a", 200, 3_000_000, null);
    r.record("GET", "/a", 503, 1_000_000_000, null);
    String labels = "{method=\"GET\",route=\"/a\"";
    String expected =
        "# TYPE "
            + H
            + " histogram\n"
            + "# UNIT "
            + H
            + " seconds\n"
            + "# HELP "
            + H
            + " Duration of HTTP server requests.\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.005\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.01\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.025\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.05\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.1\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.25\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"0.5\"} 1\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"1.0\"} 2\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"2.5\"} 2\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"5.0\"} 2\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"10.0\"} 2\n"
            + H
            + "_bucket"
            + labels
            + ",le=\"+Inf\"} 2\n"
            + H
            + "_count"
            + labels
            + "} 2\n"
            + H
            + "_sum"
            + labels
            + "} 1.003\n"
            + "# TYPE http_server_requests counter\n"
            + "# HELP http_server_requests HTTP server requests by method, route and status class.\n"
            + "http_server_requests_total"
            + labels
            + ",status=\"2xx\"} 1\n"
            + "http_server_requests_total"
            + labels
            + ",status=\"5xx\"} 1\n"
            + "# TYPE http_server_request_duration_max_seconds gauge\n"
            + "# UNIT http_server_request_duration_max_seconds seconds\n"
            + "# HELP http_server_request_duration_max_seconds"
            + " Longest HTTP server request since the recorder started, in seconds.\n"
            + "http_server_request_duration_max_seconds"
            + labels
            + "} 1\n";
    String om = Fixtures.openMetrics(Scrape.of(r, List.of()));
    assertThat(om).startsWith(expected);
    assertThat(om).contains("# TYPE vigil_client_slow_requests counter\n");
    assertThat(om).contains("\nvigil_client_slow_requests_total 0\n");
    assertThat(om).endsWith("vigil_client_dropped_user_events_total 0\n# EOF\n");
  }

  @Test
  void escapesQuotesInHelp() throws Exception {
    String om = Fixtures.openMetrics(Fixtures.scrape());
    assertThat(om)
        .contains(
            "# HELP test_temperature_celsius Temperature \\\"inside\\\" \\\\ the\\nbox\n",
            "test_temperature_celsius{room=\"a\\\"b\\\\c\\nd\"} 21.5\n",
            "# TYPE test_events counter\n",
            "test_events_total 5\n",
            "test_pause_seconds_count{gc=\"G1 Young Generation\"} 3\n");
  }

  @Test
  void fixedScrapeWithJvmMetricsFollowsTheGrammar() throws Exception {
    Recorder r = Fixtures.recorder();
    List<dev.vigil.client.MetricFamily> families = new java.util.ArrayList<>(Fixtures.families());
    families.addAll(JvmMetrics.collect());
    String om = Fixtures.openMetrics(Scrape.of(r, families));
    assertThat(OpenMetricsChecker.check(om)).isEmpty();
  }

  @Property(tries = 50)
  void anyRecordingFollowsTheGrammar(
      @ForAll @Size(max = 100) List<@LongRange(min = 0, max = 60_000_000_000L) Long> nanos,
      @ForAll @Size(max = 100) List<@LongRange(min = 100, max = 599) Long> statuses)
      throws Exception {
    Recorder r = Recorder.create();
    for (int i = 0; i < nanos.size(); i++) {
      int status = statuses.isEmpty() ? 200 : (int) (long) statuses.get(i % statuses.size());
      r.record(i % 3 == 0 ? "POST" : "GET", "/r/" + (i % 5), status, nanos.get(i), null);
    }
    assertThat(OpenMetricsChecker.check(Fixtures.openMetrics(Scrape.of(r, List.of())))).isEmpty();
  }

  /** The checker itself must catch what it claims to: each broken exposition is refused. */
  @Test
  void checkerRefusesBrokenExpositions() {
    assertThat(OpenMetricsChecker.check("# TYPE a gauge\na 1\n")).isNotEmpty();
    assertThat(OpenMetricsChecker.check("# TYPE a counter\na 1\n# EOF\n")).isNotEmpty();
    assertThat(OpenMetricsChecker.check("# TYPE a gauge\n# HELP a x \"y\"\na 1\n# EOF\n"))
        .isNotEmpty();
    assertThat(OpenMetricsChecker.check("# TYPE a gauge\na{b=\"\\q\"} 1\n# EOF\n")).isNotEmpty();
    assertThat(
            OpenMetricsChecker.check(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n"))
        .isNotEmpty(); // 1 is not canonical: 1.0
    assertThat(
            OpenMetricsChecker.check(
                "# TYPE h histogram\nh_bucket{le=\"1.0\"} 2\nh_bucket{le=\"+Inf\"} 1\n# EOF\n"))
        .isNotEmpty(); // not cumulative
    assertThat(
            OpenMetricsChecker.check(
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 2\nh_sum 1\n# EOF\n"))
        .isNotEmpty(); // count differs from +Inf
    assertThat(OpenMetricsChecker.check("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n"))
        .isNotEmpty(); // interleaved
    assertThat(OpenMetricsChecker.check("# TYPE a_seconds gauge\n# UNIT a_seconds bytes\n# EOF\n"))
        .isNotEmpty();
    assertThat(
            OpenMetricsChecker.check(
                "# TYPE h histogram\nh_bucket{le=\"1.0\"} 1\nh_bucket{le=\"+Inf\"} 1\n"
                    + "h_count 1\nh_sum 0.5\n# EOF\n"))
        .isEmpty();
  }
}
