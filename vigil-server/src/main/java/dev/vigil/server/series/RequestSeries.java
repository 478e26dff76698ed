package dev.vigil.server.series;

import dev.vigil.model.Labels;

/**
 * Names and labels of the request series, shared by ingest and the performance API.
 *
 * <p>Request data is stored as deltas in fixed 10-second slots: per endpoint, {@value #DURATION}
 * holds the merged native histogram (schema 7) of the latencies that fell in the slot and {@value
 * #REQUESTS} the count per status class. A late event is merged into its own slot, so it counts in
 * the window of its own timestamp. Pushed clients' cumulative state (the baseline deltas are taken
 * against) lives in the {@code vigil_push_*} series, written in the same commit as the deltas.
 */
public final class RequestSeries {

  /** Latency histogram per endpoint and slot (delta). */
  public static final String DURATION = "http_server_request_duration_seconds";

  /** Requests per endpoint, status class and slot (delta). */
  public static final String REQUESTS = "http_server_requests";

  /** A pushing client's cumulative latency histogram per endpoint. */
  public static final String PUSH_DURATION = "vigil_push_cumulative_duration_seconds";

  /** A pushing client's cumulative requests per endpoint and status class. */
  public static final String PUSH_REQUESTS = "vigil_push_cumulative_requests";

  /** A pushing client's recorder start, written with every push. */
  public static final String PUSH_START = "vigil_push_recorder_start_millis";

  /** Length of a slot. */
  public static final long SLOT_MILLIS = 10_000;

  /** Native-histogram schema of the latency histograms, as the client records them. */
  public static final int SCHEMA = 7;

  /** Status classes, indexed by {@code status / 100 - 1}. */
  public static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  /** Label sets cached per endpoint: building and validating labels cost 5% of ingest CPU. */
  private static final java.util.concurrent.ConcurrentHashMap<EndpointId, Labels[]> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Most endpoints cached; past it labels are built each time (bounded memory). */
  private static final int CACHE_LIMIT = 100_000;

  private RequestSeries() {}

  /** An endpoint of a service instance. */
  private record EndpointId(String service, String instance, String method, String route) {}

  /**
   * The delta series' labels of an endpoint: index 0 the latency histogram, 1 to 5 the request
   * counts of status classes 1xx to 5xx.
   */
  public static Labels[] deltaLabels(String service, String instance, String method, String route) {
    EndpointId id = new EndpointId(service, instance, method, route);
    Labels[] labels = CACHE.get(id);
    if (labels == null) {
      labels = new Labels[1 + STATUS_CLASSES.length];
      labels[0] = duration(DURATION, service, instance, method, route);
      for (int c = 0; c < STATUS_CLASSES.length; c++) {
        labels[1 + c] = requests(REQUESTS, service, instance, method, route, c);
      }
      if (CACHE.size() < CACHE_LIMIT) {
        // Every caller gets the same instances, including those that raced to build them: the
        // store's maps then find a series by reference instead of comparing all its labels,
        // which cost 10% of ingest CPU when concurrent first batches left different instances.
        Labels[] raced = CACHE.putIfAbsent(id, labels);
        if (raced != null) {
          labels = raced;
        }
      }
    }
    return labels;
  }

  /** Start of the slot holding {@code timestampMillis}: floor(t / 10 s) * 10 s. */
  public static long slot(long timestampMillis) {
    return Math.floorDiv(timestampMillis, SLOT_MILLIS) * SLOT_MILLIS;
  }

  /** Index of a status code's class, 0 for 1xx to 4 for 5xx. */
  public static int statusClass(int statusCode) {
    return statusCode / 100 - 1;
  }

  /** Index of a class label such as "4xx", or -1. */
  public static int statusClassIndex(String label) {
    for (int i = 0; i < STATUS_CLASSES.length; i++) {
      if (STATUS_CLASSES[i].equals(label)) {
        return i;
      }
    }
    return -1;
  }

  /** Labels of the latency series of an endpoint. */
  public static Labels duration(
      String name, String service, String instance, String method, String route) {
    return Labels.of(
        Labels.METRIC_NAME,
        name,
        "service",
        service,
        "instance",
        instance,
        "method",
        method,
        "route",
        route);
  }

  /** Labels of the request-count series of an endpoint and status class. */
  public static Labels requests(
      String name, String service, String instance, String method, String route, int statusClass) {
    return Labels.of(
        Labels.METRIC_NAME,
        name,
        "service",
        service,
        "instance",
        instance,
        "method",
        method,
        "route",
        route,
        "status",
        STATUS_CLASSES[statusClass]);
  }

  /** Labels of a pushing instance's start marker. */
  public static Labels pushStart(String service, String instance) {
    return Labels.of(Labels.METRIC_NAME, PUSH_START, "service", service, "instance", instance);
  }
}
