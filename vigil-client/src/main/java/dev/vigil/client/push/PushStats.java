package dev.vigil.client.push;

import java.util.Map;

/**
 * Counters of a {@link PushReporter} at one moment.
 *
 * @param sent batches the server accepted with a 2xx
 * @param retries attempts repeated after a 429, 5xx or I/O error
 * @param dropped batches given up, by cause
 * @param queued batches waiting to be sent
 * @param ackedSlowSequence highest slow-request sequence the server acknowledged
 * @param lastError the last failure, without credentials, or null if none yet
 * @param lastErrorMillis when it happened (reporter's clock), 0 if never
 * @param lastSuccessMillis when a batch was last accepted (reporter's clock), 0 if never
 */
public record PushStats(
    long sent,
    long retries,
    Map<DropCause, Long> dropped,
    int queued,
    long ackedSlowSequence,
    String lastError,
    long lastErrorMillis,
    long lastSuccessMillis) {

  /** Copies the map. */
  public PushStats {
    dropped = Map.copyOf(dropped);
  }

  /** Batches dropped for {@code cause}. */
  public long dropped(DropCause cause) {
    return dropped.getOrDefault(cause, 0L);
  }

  /** Batches dropped for any cause. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
