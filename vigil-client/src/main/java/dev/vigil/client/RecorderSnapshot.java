package dev.vigil.client;

import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Recorder} holds at one moment: cumulative endpoint statistics, recent slow
 * requests, the heaviest users, and the recorder's own counters.
 *
 * @param timestampMillis when the snapshot was taken
 * @param startMillis when the recorder started; a change tells a reader the counters restarted
 * @param endpoints every endpoint with at least one request, overflow last if used
 * @param slowRequests slow requests after the sequence the caller asked for, oldest first
 * @param usersByCount heaviest users by request count, heaviest first
 * @param usersByTime heaviest users by total time, heaviest first
 * @param overflowedRequests requests counted under the overflow endpoint
 * @param rejected requests refused, by reason
 * @param droppedUserEvents user events dropped because the user queue was full
 */
public record RecorderSnapshot(
    long timestampMillis,
    long startMillis,
    List<EndpointSnapshot> endpoints,
    List<SlowRequest> slowRequests,
    List<UserStats> usersByCount,
    List<UserStats> usersByTime,
    long overflowedRequests,
    Map<RejectReason, Long> rejected,
    long droppedUserEvents) {

  /** Copies the collections. */
  public RecorderSnapshot {
    endpoints = List.copyOf(endpoints);
    slowRequests = List.copyOf(slowRequests);
    usersByCount = List.copyOf(usersByCount);
    usersByTime = List.copyOf(usersByTime);
    rejected = Map.copyOf(rejected);
  }

  /** Total requests refused. */
  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The endpoint with this method and route, or null. */
  public EndpointSnapshot endpoint(String method, String route) {
    for (EndpointSnapshot e : endpoints) {
      if (e.method().equals(method) && e.route().equals(route)) {
        return e;
      }
    }
    return null;
  }
}
