package dev.vigil.client.exposition;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.RecorderSnapshot;
import dev.vigil.client.RejectReason;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The request metrics of a {@link Scrape} other than the latency histogram, as metric families:
 * requests by status class, longest duration, and the recorder's own counters.
 */
final class RequestFamilies {

  static final String DURATION = "http_server_request_duration_seconds";
  static final String DURATION_HELP = "Duration of HTTP server requests.";
  static final String REQUESTS = "http_server_requests";
  static final String MAX = "http_server_request_duration_max_seconds";
  static final String OVERFLOWED = "vigil_client_overflowed_requests";
  static final String REJECTED = "vigil_client_rejected_requests";
  static final String SLOW = "vigil_client_slow_requests";
  static final String DROPPED_USERS = "vigil_client_dropped_user_events";

  /** Every family name the request metrics use. */
  static final Set<String> NAMES =
      Set.of(DURATION, REQUESTS, MAX, OVERFLOWED, REJECTED, SLOW, DROPPED_USERS);

  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private RequestFamilies() {}

  /**
   * Nanoseconds as seconds. Dividing by 1e9 rounds correctly, where multiplying by 1e-9 (itself
   * inexact) turns 13,870,000,000 ns into 13.870000000000001.
   */
  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** Labels of an endpoint: method and route. */
  static Labels endpointLabels(EndpointSnapshot e) {
    return Labels.of("method", e.method(), "route", e.route());
  }

  /** The families, in exposition order. */
  static List<MetricFamily> of(Scrape scrape) {
    RecorderSnapshot s = scrape.recorder();
    List<MetricPoint> requests = new ArrayList<>();
    List<MetricPoint> max = new ArrayList<>();
    for (EndpointSnapshot e : s.endpoints()) {
      Labels labels = endpointLabels(e);
      long[] byClass = {
        e.informational(), e.success(), e.redirects(), e.clientErrors(), e.serverErrors()
      };
      for (int c = 0; c < byClass.length; c++) {
        // Only classes that occurred: five series per endpoint would mostly be zeros.
        if (byClass[c] != 0) {
          requests.add(MetricPoint.of(labels.with("status", STATUS_CLASSES[c]), byClass[c]));
        }
      }
      max.add(MetricPoint.of(labels, seconds(e.maxNanos())));
    }
    List<MetricPoint> rejected = new ArrayList<>();
    for (RejectReason r : RejectReason.values()) {
      long n = s.rejected().getOrDefault(r, 0L);
      rejected.add(MetricPoint.of(Labels.of("reason", r.name().toLowerCase(Locale.ROOT)), n));
    }
    return List.of(
        MetricFamily.counter(
            REQUESTS, "HTTP server requests by method, route and status class.", requests),
        MetricFamily.gauge(
            MAX, "Longest HTTP server request since the recorder started, in seconds.", max),
        MetricFamily.counter(
            OVERFLOWED,
            "Requests counted under the overflow endpoint because the endpoint cap was reached.",
            List.of(MetricPoint.of(s.overflowedRequests()))),
        MetricFamily.counter(REJECTED, "Requests the recorder refused, by reason.", rejected),
        MetricFamily.counter(
            SLOW,
            "Requests at or above the slow threshold.",
            List.of(MetricPoint.of(scrape.slowRequestTotal()))),
        MetricFamily.counter(
            DROPPED_USERS,
            "User events dropped because the user queue was full.",
            List.of(MetricPoint.of(s.droppedUserEvents()))));
  }
}
