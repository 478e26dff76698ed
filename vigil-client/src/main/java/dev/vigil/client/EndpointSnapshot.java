package dev.vigil.client;

import dev.vigil.model.Histogram;
import java.util.Objects;

/**
 * Cumulative statistics of one endpoint (method and route template) since the recorder started.
 *
 * @param method request method, {@code _OTHER} for non-standard methods and for overflow
 * @param route route template, or {@code _overflow} for requests past the endpoint cap
 * @param count requests
 * @param informational 1xx responses
 * @param success 2xx responses
 * @param redirects 3xx responses
 * @param clientErrors 4xx responses
 * @param serverErrors 5xx responses
 * @param sumNanos total duration
 * @param minNanos shortest duration, 0 when count is 0
 * @param maxNanos longest duration, 0 when count is 0
 * @param latency latency in seconds as a native histogram at schema 7
 */
public record EndpointSnapshot(
    String method,
    String route,
    long count,
    long informational,
    long success,
    long redirects,
    long clientErrors,
    long serverErrors,
    long sumNanos,
    long minNanos,
    long maxNanos,
    Histogram latency) {

  /** Checks the fields. */
  public EndpointSnapshot {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(latency, "latency");
  }

  /** 4xx and 5xx responses. */
  public long errors() {
    return clientErrors + serverErrors;
  }

  /** Total duration in seconds. */
  public double sumSeconds() {
    return sumNanos * 1e-9;
  }

  /** Mean duration in seconds, 0 when there were no requests. */
  public double averageSeconds() {
    return count == 0 ? 0.0 : sumNanos * 1e-9 / count;
  }

  /** Errors as a percentage of requests, 0 when there were none. */
  public double errorRatePercent() {
    return count == 0 ? 0.0 : 100.0 * errors() / count;
  }

  /** The {@code q} quantile of latency in seconds, by Prometheus' native-histogram rule. */
  public double quantileSeconds(double q) {
    return latency.quantile(q);
  }
}
