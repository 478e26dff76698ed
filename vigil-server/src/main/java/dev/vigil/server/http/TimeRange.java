package dev.vigil.server.http;

import dev.vigil.server.config.Quantities;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The time range a read covers, {@code [startMillis, endMillis]}, both ends included (a window
 * ending now includes what happened now): {@code ?window=1h} (5m, 1h, 24h, 7d or any duration,
 * ending now) or {@code ?start=...&end=...} (RFC 3339 or epoch seconds). The default is the last
 * hour.
 */
public record TimeRange(long startMillis, long endMillis) {

  /** Default window of a read. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  /** Length in seconds. */
  public double seconds() {
    return (endMillis - startMillis) / 1000.0;
  }

  /**
   * Parses the parameters; any problem is a 400 naming the parameter.
   *
   * @param window the {@code window} parameter or null
   * @param start the {@code start} parameter or null
   * @param end the {@code end} parameter or null
   * @param nowMillis the current time
   * @param maxWindow longest window allowed (the retention)
   */
  public static TimeRange parse(
      String window, String start, String end, long nowMillis, Duration maxWindow) {
    if (window != null && (start != null || end != null)) {
      throw ApiException.badData("window: give either window or start/end, not both");
    }
    long endMillis = end == null ? nowMillis : instant("end", end);
    long startMillis;
    if (start != null) {
      startMillis = instant("start", start);
    } else {
      Duration w = DEFAULT_WINDOW;
      if (window != null) {
        try {
          w = Quantities.duration(window);
        } catch (IllegalArgumentException e) {
          throw ApiException.badData("window: " + e.getMessage());
        }
        if (w.isZero() || w.compareTo(maxWindow) > 0) {
          throw ApiException.badData(
              "window: must be positive and at most the retention ("
                  + maxWindow
                  + "), got "
                  + window);
        }
      }
      startMillis = endMillis - w.toMillis();
    }
    if (startMillis >= endMillis) {
      throw ApiException.badData("start: must be before end");
    }
    return new TimeRange(startMillis, endMillis);
  }

  /** Parses RFC 3339 or (fractional) epoch seconds into epoch milliseconds. */
  static long instant(String param, String text) {
    String t = text.trim();
    if (t.matches("-?\\d+(\\.\\d+)?")) {
      try {
        return new BigDecimal(t).movePointRight(3).longValueExact();
      } catch (ArithmeticException e) {
        // Fractions of a millisecond are dropped below.
        return new BigDecimal(t).movePointRight(3).longValue();
      }
    }
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.badData(
          param
              + ": expected RFC 3339 (2025-07-19T01:42:25Z) or epoch seconds, got \""
              + text
              + "\"");
    }
  }

  /** Parses an optional positive integer parameter with a default and a maximum. */
  public static int intParam(String name, String value, int def, int min, int max) {
    if (value == null) {
      return def;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badData(name + ": expected a whole number, got \"" + value + "\"");
    }
    if (n < min || n > max) {
      throw ApiException.badData(name + ": must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
