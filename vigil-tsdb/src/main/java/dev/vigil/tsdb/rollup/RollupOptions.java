package dev.vigil.tsdb.rollup;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link Rollups}.
 *
 * @param directory where the two rollup stores live ({@code rollup-5m/}, {@code rollup-1h/})
 * @param rawLateWindow the raw store's out-of-order window: a window is rolled up only once no raw
 *     sample can arrive for it any more
 * @param retention how long rollups are kept (365 days by default)
 * @param catchUpLimit how far back rollups can still be written after downtime: windows older than
 *     this when their turn comes are skipped, with a log line (6 hours by default)
 * @param clock the time source, shared with the raw store
 */
public record RollupOptions(
    Path directory,
    Duration rawLateWindow,
    Duration retention,
    Duration catchUpLimit,
    Clock clock) {

  /** Default {@link #catchUpLimit()}: 6 hours. */
  public static final Duration DEFAULT_CATCH_UP_LIMIT = Duration.ofHours(6);

  /** Checks every setting, naming the offending value. */
  public RollupOptions {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(rawLateWindow, "rawLateWindow");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(catchUpLimit, "catchUpLimit");
    Objects.requireNonNull(clock, "clock");
    if (rawLateWindow.isNegative()) {
      throw new IllegalArgumentException("negative rawLateWindow: " + rawLateWindow);
    }
    if (retention.compareTo(Duration.ofHours(2)) < 0) {
      throw new IllegalArgumentException("rollup retention must be at least 2h: " + retention);
    }
    if (catchUpLimit.compareTo(Duration.ofHours(2)) < 0) {
      throw new IllegalArgumentException("catchUpLimit must be at least 2h: " + catchUpLimit);
    }
  }

  /** The defaults for {@code directory} beside a raw store with late window {@code rawLate}. */
  public static RollupOptions defaults(Path directory, Duration rawLate, Clock clock) {
    return new RollupOptions(
        directory, rawLate, Duration.ofDays(365), DEFAULT_CATCH_UP_LIMIT, clock);
  }
}
