package dev.vigil.client.push;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * Delays between attempts: exponential from an initial delay up to a cap, with "equal jitter" (half
 * fixed, half random) so that instances that failed together do not retry together, and never
 * shorter than the server's {@code Retry-After}.
 */
final class Backoff {

  /** A Retry-After beyond this is taken as this: a typo on the server must not silence us. */
  static final long MAX_RETRY_AFTER_MILLIS = Duration.ofMinutes(5).toMillis();

  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random;

  /** {@code random} returns values in [0, 1). */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.random = random;
  }

  /**
   * Delay before attempt {@code failedAttempts + 1}, in milliseconds, given the {@code Retry-After}
   * the server sent (-1 if none).
   */
  long delayMillis(int failedAttempts, long retryAfterMillis) {
    long exponential = initialMillis;
    for (int i = 1; i < failedAttempts && exponential < maxMillis; i++) {
      // Doubling past maxMillis / 2 could overflow a long; the cap is reached anyway.
      exponential = exponential > maxMillis / 2 ? maxMillis : exponential * 2;
    }
    long half = exponential / 2;
    long jittered = half + (long) (random.getAsDouble() * (exponential - half + 1));
    long floor = Math.min(retryAfterMillis, MAX_RETRY_AFTER_MILLIS);
    return Math.max(jittered, floor);
  }

  /**
   * Parses a {@code Retry-After} header, delay-seconds or an HTTP-date, into milliseconds from
   * {@code nowMillis}; -1 when absent or unparseable.
   */
  static long parseRetryAfter(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? -1 : Math.min(seconds, MAX_RETRY_AFTER_MILLIS / 1000) * 1000;
    } catch (NumberFormatException notSeconds) {
      try {
        long at =
            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant()
                .toEpochMilli();
        return Math.max(0, at - nowMillis);
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
