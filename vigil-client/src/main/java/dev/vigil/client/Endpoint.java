package dev.vigil.client;

import dev.vigil.client.internal.EndpointStats;

/** A {@link Recorder} bound to one endpoint: records without looking the endpoint up. */
public final class Endpoint {

  private final Recorder recorder;
  private final EndpointStats stats;

  Endpoint(Recorder recorder, EndpointStats stats) {
    this.recorder = recorder;
    this.stats = stats;
  }

  /** Method of this endpoint, canonicalised. */
  public String method() {
    return stats.method();
  }

  /** Route template of this endpoint. */
  public String route() {
    return stats.route();
  }

  /**
   * Records one request; never throws. Same contract as {@link Recorder#record(String, String, int,
   * long, String)}.
   */
  public void record(int statusCode, long durationNanos, String user) {
    if (recorder.accept(statusCode, durationNanos)) {
      recorder.recordResolved(stats, statusCode, durationNanos, user);
    }
  }
}
