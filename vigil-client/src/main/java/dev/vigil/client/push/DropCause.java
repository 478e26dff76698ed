package dev.vigil.client.push;

/** Why the {@link PushReporter} gave up on a batch. */
public enum DropCause {
  /** The queue was full and this was its oldest batch; a newer batch supersedes it. */
  QUEUE_FULL,
  /** The server refused it with a 4xx other than 429: resending the same bytes cannot help. */
  REJECTED,
  /** Every attempt failed with 429, 5xx or an I/O error. */
  RETRIES_EXHAUSTED,
  /** The batch could not be built or encoded. */
  ENCODING_FAILED,
  /** The reporter closed before the batch could be sent. */
  CLOSED
}
