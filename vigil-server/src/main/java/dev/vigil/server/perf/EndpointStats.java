package dev.vigil.server.perf;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * One endpoint's figures over a window, computed once from the sum of its slot histograms and
 * status counts.
 *
 * <p>Min and max: the store has no min/max merge, so they are derived from the histogram: the lower
 * bound of the lowest non-empty bucket and the upper bound of the highest, clamped so that min <=
 * mean <= max (exact when the window holds one request). They bracket the true values and are
 * within one schema-7 bucket (0.54%) of them.
 *
 * @param key "METHOD route", the key of the seed's endpoint statistics
 * @param method request method
 * @param route route template
 * @param count requests
 * @param totalSeconds total response time in seconds
 * @param averageSeconds mean response time in seconds, 0 without requests
 * @param minSeconds estimated shortest response time (see above)
 * @param maxSeconds estimated longest response time (see above)
 * @param statusCounts requests per status class, 1xx to 5xx
 * @param p50 median response time in seconds, 0 without requests; likewise p90 to p999
 * @param p90 0.9 quantile
 * @param p95 0.95 quantile
 * @param p99 0.99 quantile
 * @param p999 0.999 quantile
 * @param apdex Apdex score at the configured threshold
 */
record EndpointStats(
    String key,
    String method,
    String route,
    long count,
    double totalSeconds,
    double averageSeconds,
    double minSeconds,
    double maxSeconds,
    long[] statusCounts,
    double p50,
    double p90,
    double p95,
    double p99,
    double p999,
    double apdex) {

  /** Quantiles reported, in the descending order {@link HistogramSum#upperQuantiles} takes. */
  private static final double[] QUANTILES = {0.999, 0.99, 0.95, 0.9, 0.5};

  /** The figures of a latency sum and status counts. */
  static EndpointStats of(
      String method, String route, HistogramSum latency, long[] statusCounts, double apdexSeconds) {
    return of(method, route, latency, statusCounts, apdexSeconds, true);
  }

  /**
   * The figures of a latency sum and status counts; without {@code distribution} only those of
   * {@link #counts}.
   */
  static EndpointStats of(
      String method,
      String route,
      HistogramSum latency,
      long[] statusCounts,
      double apdexSeconds,
      boolean distribution) {
    if (!distribution) {
      return counts(method, route, latency.count(), latency.sum(), statusCounts);
    }
    double n = latency.count();
    long count = Math.round(n);
    double sum = latency.sum();
    double avg = count == 0 ? 0 : sum / n;
    double min = 0;
    double max = 0;
    if (count == 1) {
      min = sum;
      max = sum;
    } else if (count > 1) {
      min = Math.min(latency.lowestBound(), avg);
      max = Math.max(latency.highestBound(), avg);
    }
    double[] q = new double[QUANTILES.length];
    if (count != 0) {
      latency.upperQuantiles(QUANTILES, q);
    }
    return new EndpointStats(
        method + " " + route,
        method,
        route,
        count,
        sum,
        avg,
        min,
        max,
        statusCounts,
        q[4],
        q[3],
        q[2],
        q[1],
        q[0],
        latency.apdex(apdexSeconds));
  }

  /**
   * Only the counts, total and average time (the summary's top endpoints), with NaN for the figures
   * of the distribution, which are not computed.
   */
  static EndpointStats counts(
      String method, String route, double requests, double seconds, long[] statusCounts) {
    long count = Math.round(requests);
    double avg = count == 0 ? 0 : seconds / requests;
    double nan = Double.NaN;
    return new EndpointStats(
        method + " " + route,
        method,
        route,
        count,
        seconds,
        avg,
        nan,
        nan,
        statusCounts,
        nan,
        nan,
        nan,
        nan,
        nan,
        nan);
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

  /** Requests counted by status class. */
  public long statusTotal() {
    long total = 0;
    for (long c : statusCounts) {
      total += c;
    }
    return total;
  }

  /** Errors in percent of requests, 0 without requests. */
  public double errorRatePercent() {
    long total = statusTotal();
    return total == 0 ? 0 : 100.0 * errors() / total;
  }

  /**
   * Writes the seed's fields and the additions as the fields of the current JSON object
   * (the same names, order and values as the map this replaced).
   */
  void writeFields(JsonGenerator g, double windowSeconds) throws IOException {
    g.writeStringField("endpoint", key);
    g.writeStringField("method", method);
    g.writeStringField("route", route);
    g.writeNumberField("count", count);
    g.writeNumberField("total_time", totalSeconds);
    g.writeNumberField("avg_time", averageSeconds);
    g.writeNumberField("min_time", minSeconds);
    g.writeNumberField("max_time", maxSeconds);
    g.writeNumberField("errors", errors());
    g.writeNumberField("errors_4xx", clientErrors());
    g.writeNumberField("errors_5xx", serverErrors());
    g.writeNumberField("error_rate", errorRatePercent());
    g.writeNumberField("p50", p50);
    g.writeNumberField("p90", p90);
    g.writeNumberField("p95", p95);
    g.writeNumberField("p99", p99);
    g.writeNumberField("p999", p999);
    g.writeNumberField("requests_per_second", windowSeconds <= 0 ? 0 : count / windowSeconds);
    g.writeNumberField("apdex", apdex);
  }
}
