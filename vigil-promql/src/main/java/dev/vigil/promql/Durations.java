package dev.vigil.promql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus durations ({@code model.Duration}): {@code 1y2w3d4h5m6s7ms}, units in that order, each
 * at most once, whole numbers only; in milliseconds.
 */
public final class Durations {

  private static final Pattern DURATION =
      Pattern.compile(
          "^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$");

  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000,
    7L * 24 * 3600 * 1000,
    24L * 3600 * 1000,
    3600 * 1000,
    60 * 1000,
    1000,
    1
  };

  /**
   * The largest duration Prometheus represents: Go's {@code time.Duration} counts nanoseconds in an
   * int64, about 292 years.
   */
  public static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000;

  private Durations() {}

  /**
   * Parses a duration as {@code model.ParseDuration} does.
   *
   * @throws IllegalArgumentException with Prometheus' message
   */
  public static long parseMillis(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    // Name an unknown unit first, as prometheus/common does ("5y1hs": unit "hs").
    for (int i = 0; i < s.length(); ) {
      int digits = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      int unit = i;
      while (i < s.length() && Lexer.isAlpha(s.charAt(i))) {
        i++;
      }
      String u = s.substring(unit, i);
      if (u.isEmpty()) {
        break; // Not digits and a unit: the pattern below rejects it.
      }
      if (unit > digits && !u.isEmpty() && !UNITS.contains(u)) {
        throw new IllegalArgumentException(
            "unknown unit " + GoStrings.quote(u) + " in duration " + GoStrings.quote(s));
      }
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(s));
    }
    long total = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      String g = m.group(i + 1);
      if (g == null) {
        continue;
      }
      long v;
      try {
        v = Long.parseLong(g);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range");
      }
      if (v > MAX_MILLIS / UNIT_MILLIS[i]) {
        throw new IllegalArgumentException("duration out of range");
      }
      total += v * UNIT_MILLIS[i];
      if (total > MAX_MILLIS) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return total;
  }

  private static final java.util.Set<String> UNITS =
      java.util.Set.of("y", "w", "d", "h", "m", "s", "ms");

  /**
   * Formats a non-negative duration as {@code model.Duration.String()}: years and weeks only when
   * they divide it exactly ({@code 90d}, not {@code 12w6d}), {@code 0s} for zero.
   */
  public static String format(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("negative duration: " + millis + " ms");
    }
    if (millis == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long ms = millis;
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      long mult = UNIT_MILLIS[i];
      if (i < 2 && ms % mult != 0) {
        continue;
      }
      long v = ms / mult;
      if (v > 0) {
        b.append(v).append(units[i]);
        ms -= v * mult;
      }
    }
    return b.toString();
  }
}
