package dev.vigil.client.exposition;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.Recorder;
import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Fixed scrapes for the format tests. */
final class Fixtures {

  /** A route with every character that needs escaping in a label value. */
  static final String NASTY_ROUTE = "/files/\"a\\b\"\nc";

  private Fixtures() {}

  /** A recorder with a fixed clock and known requests. */
  static Recorder recorder() {
    Recorder r =
        Recorder.builder()
            .clock(Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC))
            .build();
    for (long millis : new long[] {3, 7, 20, 300, 1500, 12_000}) {
      r.record("GET", "/api/users/{id}", 200, millis * 1_000_000, null);
    }
    r.record("GET", "/api/users/{id}", 404, 40_000_000, null);
    r.record("POST", NASTY_ROUTE, 500, 200_000_000, null);
    r.record("GET", "/x", 99, 1, null); // rejected: invalid status
    return r;
  }

  /** Families with escaping in help and labels, of each type. */
  static List<MetricFamily> families() {
    return List.of(
        MetricFamily.gauge(
            "test_temperature_celsius",
            "Temperature \"inside\" \\ the\nbox",
            List.of(MetricPoint.of(Labels.of("room", "a\"b\\c\nd"), 21.5))),
        MetricFamily.summary(
            "test_pause_seconds",
            "Pauses.",
            List.of(MetricPoint.summary(Labels.of("gc", "G1 Young Generation"), 3, 0.25))),
        MetricFamily.counter("test_events", "Events.", List.of(MetricPoint.of(5))));
  }

  static Scrape scrape() {
    return Scrape.of(recorder(), families());
  }

  static String text(Scrape scrape) throws IOException {
    StringWriter out = new StringWriter();
    new TextFormat().write(out, scrape);
    return out.toString();
  }

  static String openMetrics(Scrape scrape) throws IOException {
    StringWriter out = new StringWriter();
    new OpenMetricsFormat().write(out, scrape);
    return out.toString();
  }
}
