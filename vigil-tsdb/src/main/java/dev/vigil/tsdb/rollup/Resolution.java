package dev.vigil.tsdb.rollup;

import java.time.Duration;

/** The resolutions Vigil keeps rollups at. */
public enum Resolution {
  /** 5-minute windows, computed from the raw store. */
  FIVE_MINUTES(Duration.ofMinutes(5), "5m"),
  /** 1-hour windows, computed from the 5-minute rollups. */
  ONE_HOUR(Duration.ofHours(1), "1h");

  private final long millis;
  private final String directoryName;

  Resolution(Duration step, String suffix) {
    this.millis = step.toMillis();
    this.directoryName = "rollup-" + suffix;
  }

  /** Length of one window in milliseconds. */
  public long millis() {
    return millis;
  }

  /** Name of this resolution's store under the rollup directory. */
  String directoryName() {
    return directoryName;
  }

  /** Start of the window holding {@code timestampMillis}. */
  public long windowStart(long timestampMillis) {
    return Math.floorDiv(timestampMillis, millis) * millis;
  }
}
