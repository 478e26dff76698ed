package dev.vigil.server.config;

import java.time.Duration;

/**
 * Limits on PromQL queries (configuration section {@code query}), with Prometheus' defaults and
 * Prometheus' errors when hit.
 *
 * @param maxConcurrent queries evaluated at once; more wait for a slot within their timeout ({@code
 *     query.max_concurrent}, 20)
 * @param timeout longest a query may run, queueing included: 503 {@code timeout} ({@code
 *     query.timeout}, 2m)
 * @param maxSamples samples one query may load from the store: 422 {@code execution} ({@code
 *     query.max_samples}, 50,000,000)
 */
public record QueryLimits(int maxConcurrent, Duration timeout, long maxSamples) {

  /** Prometheus' defaults. */
  public static QueryLimits defaults() {
    return new QueryLimits(20, Duration.ofMinutes(2), 50_000_000);
  }
}
