package dev.vigil.client;

/** Why {@link Recorder#record} refused a request instead of counting it. */
public enum RejectReason {
  /** Method was null or blank. */
  INVALID_METHOD,
  /** Route was null, blank, or longer than {@link Recorder#MAX_ROUTE_LENGTH}. */
  INVALID_ROUTE,
  /** Status code outside 100..599. */
  INVALID_STATUS,
  /** Negative duration. */
  NEGATIVE_DURATION,
  /** Duration above the configured maximum (24 hours by default). */
  ABSURD_DURATION
}
