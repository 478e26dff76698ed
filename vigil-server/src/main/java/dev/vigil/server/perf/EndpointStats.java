package dev.vigil.server.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One endpoint's figures over a window, from the sum of its slot histograms and status counts.
 *
 * <p>Min and max: the store has no min/max merge, so they are derived from the histogram: the lower
 * bound of the lowest non-empty bucket and the upper bound of the highest, clamped so that min <=
 * mean <= max (exact when the window holds one request). They bracket the true values and are
 * within one schema-7 bucket (0.54%) of them.
 *
 * @param method request method
 * @param route route template
 * @param latency summed latency histogram
 * @param statusCounts requests per status class, 1xx to 5xx
 */
record EndpointStats(String method, String route, HistogramSum latency, long[] statusCounts) {

  /** "METHOD route", the key of the seed's endpoint statistics. */
  public String key() {
    return method + " " + route;
  }

  /** Requests. */
  public long count() {
    return Math.round(latency.count());
  }

  /** Total response time in seconds. */
  public double totalSeconds() {
    return latency.sum();
  }

  /** Mean response time in seconds, 0 without requests. */
  public double averageSeconds() {
    return count() == 0 ? 0 : latency.sum() / latency.count();
  }

  /** 4xx responses. */
  public long clientErrors() {
    return statusCounts[3];
  }

  /** 5xx responses. */
  public long serverErrors() {
    return statusCounts[4];
  }

  /** 4xx and 5xx responses. */
  public long errors() {
    return statusCounts[3] + statusCounts[4];
  }

  /** Errors in percent of requests, 0 without requests. */
  public double errorRatePercent() {
    long total = 0;
    for (long c : statusCounts) {
      total += c;
    }
    return total == 0 ? 0 : 100.0 * errors() / total;
  }

  /** Estimated shortest response time (see the type's comment). */
  public double minSeconds() {
    if (count() == 0) {
      return 0;
    }
    return count() == 1 ? latency.sum() : Math.min(latency.lowestBound(), averageSeconds());
  }

  /** Estimated longest response time (see the type's comment). */
  public double maxSeconds() {
    if (count() == 0) {
      return 0;
    }
    return count() == 1 ? latency.sum() : Math.max(latency.highestBound(), averageSeconds());
  }

  /** The {@code q} quantile in seconds, 0 without requests. */
  public double quantile(double q) {
    return count() == 0 ? 0 : latency.quantile(q);
  }

  /** The seed's fields and the additions, as JSON-ready values. */
  public Map<String, Object> toJson(double windowSeconds, double apdexSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoint", key());
    m.put("method", method);
    m.put("route", route);
    m.put("count", count());
    m.put("total_time", totalSeconds());
    m.put("avg_time", averageSeconds());
    m.put("min_time", minSeconds());
    m.put("max_time", maxSeconds());
    m.put("errors", errors());
    m.put("errors_4xx", clientErrors());
    m.put("errors_5xx", serverErrors());
    m.put("error_rate", errorRatePercent());
    m.put("p50", quantile(0.5));
    m.put("p90", quantile(0.9));
    m.put("p95", quantile(0.95));
    m.put("p99", quantile(0.99));
    m.put("p999", quantile(0.999));
    m.put("requests_per_second", windowSeconds <= 0 ? 0 : count() / windowSeconds);
    m.put("apdex", latency.apdex(apdexSeconds));
    return m;
  }
}
