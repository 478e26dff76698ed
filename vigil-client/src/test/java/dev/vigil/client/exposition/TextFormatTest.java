package dev.vigil.client.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.client.Recorder;
import dev.vigil.client.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TextFormatTest {

  private static final String H = "http_server_request_duration_seconds";
  private static final String USERS = "method=\"GET\",route=\"/api/users/{id}\"";
  private static final String NASTY = "method=\"POST\",route=\"/files/\\\"a\\\\b\\\"\\nc\"";

  @Test
  void writesGoldenOutput() throws Exception {
    StringBuilder rejected = new StringBuilder();
    for (RejectReason r : RejectReason.values()) {
      rejected
          .append("vigil_client_rejected_requests_total{reason=\"")
          .append(r.name().toLowerCase(Locale.ROOT))
          .append("\"} ")
          .append(r == RejectReason.INVALID_STATUS ? 1 : 0)
          .append('\n');
    }
    String expected =
        "# HELP "
            + H
            + " Duration of HTTP server requests.\n"
            + "# TYPE "
            + H
            + " histogram\n"
            + buckets(USERS, "0.005", 1, "0.01", 2, "0.025", 3, "0.05", 4, "0.1", 4, "0.25", 4)
            + buckets(USERS, "0.5", 5, "1", 5, "2.5", 6, "5", 6, "10", 6, "+Inf", 7)
            + H
            + "_sum{"
            + USERS
            + "} 13.87\n"
            + H
            + "_count{"
            + USERS
            + "} 7\n"
            + buckets(NASTY, "0.005", 0, "0.01", 0, "0.025", 0, "0.05", 0, "0.1", 0, "0.25", 1)
            + buckets(NASTY, "0.5", 1, "1", 1, "2.5", 1, "5", 1, "10", 1, "+Inf", 1)
            + H
            + "_sum{"
            + NASTY
            + "} 0.2\n"
            + H
            + "_count{"
            + NASTY
            + "} 1\n"
            + "# HELP http_server_requests_total"
            + " HTTP server requests by method, route and status class.\n"
            + "# TYPE http_server_requests_total counter\n"
            + "http_server_requests_total{"
            + USERS
            + ",status=\"2xx\"} 6\n"
            + "http_server_requests_total{"
            + USERS
            + ",status=\"4xx\"} 1\n"
            + "http_server_requests_total{"
            + NASTY
            + ",status=\"5xx\"} 1\n"
            + "# HELP http_server_request_duration_max_seconds"
            + " Longest HTTP server request since the recorder started, in seconds.\n"
            + "# TYPE http_server_request_duration_max_seconds gauge\n"
            + "http_server_request_duration_max_seconds{"
            + USERS
            + "} 12\n"
            + "http_server_request_duration_max_seconds{"
            + NASTY
            + "} 0.2\n"
            + "# HELP vigil_client_overflowed_requests_total Requests counted under the overflow"
            + " endpoint because the endpoint cap was reached.\n"
            + "# TYPE vigil_client_overflowed_requests_total counter\n"
            + "vigil_client_overflowed_requests_total 0\n"
            + "# HELP vigil_client_rejected_requests_total Requests the recorder refused, by"
            + " reason.\n"
            + "# TYPE vigil_client_rejected_requests_total counter\n"
            + rejected
            + "# HELP vigil_client_slow_requests_total Requests at or above the slow threshold.\n"
            + "# TYPE vigil_client_slow_requests_total counter\n"
            + "vigil_client_slow_requests_total 1\n"
            + "# HELP vigil_client_dropped_user_events_total User events dropped because the user"
            + " queue was full.\n"
            + "# TYPE vigil_client_dropped_user_events_total counter\n"
            + "vigil_client_dropped_user_events_total 0\n"
            + "# HELP test_temperature_celsius Temperature \"inside\" \\\\ the\\nbox\n"
            + "# TYPE test_temperature_celsius gauge\n"
            + "test_temperature_celsius{room=\"a\\\"b\\\\c\\nd\"} 21.5\n"
            + "# HELP test_pause_seconds Pauses.\n"
            + "# TYPE test_pause_seconds summary\n"
            + "test_pause_seconds_count{gc=\"G1 Young Generation\"} 3\n"
            + "test_pause_seconds_sum{gc=\"G1 Young Generation\"} 0.25\n"
            + "# HELP test_events_total Events.\n"
            + "# TYPE test_events_total counter\n"
            + "test_events_total 5\n";
    assertThat(Fixtures.text(Fixtures.scrape())).isEqualTo(expected);
  }

  @Test
  void writesNothingForAnEmptyRecorderButItsOwnCounters() throws Exception {
    String text = Fixtures.text(Scrape.of(Recorder.create(), List.of()));
    assertThat(text).doesNotContain(H, "http_server_requests_total{");
    assertThat(text).contains("vigil_client_slow_requests_total 0\n");
  }

  @Test
  void writesUtf8ToStreams() throws Exception {
    Recorder r = Recorder.create();
    r.record("GET", "/caf\u00e9/\u6771\u4eac", 200, 1000, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TextFormat().write(out, Scrape.of(r, List.of()));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("route=\"/caf\u00e9/\u6771\u4eac\"");
  }

  @Test
  void usesConfiguredBuckets() throws Exception {
    StringWriter out = new StringWriter();
    new TextFormat(ClassicBuckets.of(0.1, 1)).write(out, Fixtures.scrape());
    assertThat(bucketCounts(out.toString(), USERS)).containsExactly(4L, 5L, 7L);
  }

  /** Buckets are cumulative, never decrease, and end at the count, whatever was recorded. */
  @Property(tries = 50)
  void bucketsAreCumulativeAndEndAtTheCount(
      @ForAll @Size(min = 1, max = 300) List<@LongRange(min = 0, max = 60_000_000_000L) Long> nanos)
      throws Exception {
    Recorder r = Recorder.create();
    for (long n : nanos) {
      r.record("GET", "/p", 200, n, null);
    }
    String text = Fixtures.text(Scrape.of(r, List.of()));
    String labels = "method=\"GET\",route=\"/p\"";
    List<Long> counts = bucketCounts(text, labels);
    assertThat(counts).hasSize(ClassicBuckets.DEFAULT.size() + 1);
    for (int i = 1; i < counts.size(); i++) {
      assertThat(counts.get(i)).isGreaterThanOrEqualTo(counts.get(i - 1));
    }
    assertThat(counts.get(counts.size() - 1)).isEqualTo(nanos.size());
    assertThat(text).contains(H + "_count{" + labels + "} " + nanos.size() + "\n");
  }

  static List<Long> bucketCounts(String text, String labels) {
    Pattern p =
        Pattern.compile(
            "^" + H + "_bucket\\{" + Pattern.quote(labels) + ",le=\"[^\"]+\"} (\\d+)$",
            Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    List<Long> out = new ArrayList<>();
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  private static String buckets(String labels, Object... leAndCounts) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < leAndCounts.length; i += 2) {
      sb.append(H)
          .append("_bucket{")
          .append(labels)
          .append(",le=\"")
          .append(leAndCounts[i])
          .append("\"} ")
          .append(leAndCounts[i + 1])
          .append('\n');
    }
    return sb.toString();
  }
}
