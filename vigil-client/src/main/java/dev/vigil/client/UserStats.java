package dev.vigil.client;

/**
 * Requests and total time of one pseudonymous user, from a heavy-hitters summary.
 *
 * @param user pseudonym
 * @param count requests counted for this user
 * @param totalNanos total duration of those requests
 * @param overestimate upper bound of what the summary may have over-counted in its ranking weight
 *     (requests in the by-count ranking, nanoseconds in the by-time ranking); 0 for users tracked
 *     since their first request
 */
public record UserStats(String user, long count, long totalNanos, long overestimate) {

  /** Total duration in seconds. */
  public double totalSeconds() {
    return totalNanos * 1e-9;
  }
}
