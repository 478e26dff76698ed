package dev.vigil.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations ({@code 500ms}, {@code 10s}, {@code 1h}, {@code 30d}) and sizes ({@code 10MiB}).
 */
public final class Quantities {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private Quantities() {}

  /**
   * Parses a duration: a number with a unit (ms, s, m, h, d, w); a bare number is seconds.
   *
   * @throws IllegalArgumentException with a message fit to follow a key path
   */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 10s, 5m, 1h or 30d, got \"" + text + "\"");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    double millis =
        switch (unit) {
          case "ms" -> n;
          case "s" -> n * 1_000;
          case "m" -> n * 60_000;
          case "h" -> n * 3_600_000;
          case "d" -> n * 86_400_000;
          default -> n * 604_800_000;
        };
    if (millis > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("duration too long: \"" + text + "\"");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /**
   * Parses a size in bytes: a number with an optional unit (B, KB, KiB, MB, MiB, GB, GiB).
   *
   * @throws IllegalArgumentException with a message fit to follow a key path
   */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size such as 1048576, 512KiB or 10MiB, got \"" + text + "\"");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large: \"" + text + "\"", e);
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "kb" -> 1_000L;
          case "kib" -> 1L << 10;
          case "mb" -> 1_000_000L;
          case "mib" -> 1L << 20;
          case "gb" -> 1_000_000_000L;
          case "gib" -> 1L << 30;
          default -> 1L;
        };
    if (n > Long.MAX_VALUE / factor) {
      throw new IllegalArgumentException("size too large: \"" + text + "\"");
    }
    return n * factor;
  }
}
