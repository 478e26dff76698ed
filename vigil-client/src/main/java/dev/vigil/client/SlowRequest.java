package dev.vigil.client;

import java.util.Objects;

/**
 * A request that took at least the slow threshold, with its context.
 *
 * @param sequence position in the stream of slow requests of this recorder, from 1
 * @param timestampMillis when the request ended, epoch milliseconds
 * @param method request method
 * @param route route template
 * @param statusCode response status
 * @param durationNanos duration in nanoseconds
 * @param user pseudonym of the user, or null
 */
public record SlowRequest(
    long sequence,
    long timestampMillis,
    String method,
    String route,
    int statusCode,
    long durationNanos,
    String user) {

  /** Checks the fields. */
  public SlowRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(route, "route");
  }

  /** Duration in seconds. */
  public double durationSeconds() {
    return durationNanos * 1e-9;
  }
}
