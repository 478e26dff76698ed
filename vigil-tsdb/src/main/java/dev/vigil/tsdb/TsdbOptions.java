package dev.vigil.tsdb;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Tsdb}; build with {@link #builder(Path)}.
 *
 * @param directory data directory; the write-ahead log goes to {@code wal/} under it
 * @param retention how long samples are kept (30 days by default)
 * @param outOfOrderWindow how late a sample may arrive, and how long it stays mergeable (1 hour by
 *     default)
 * @param clock the time source for the window and retention ({@link Clock#systemUTC()})
 * @param walSegmentSizeBytes size at which a log segment is closed and a new one begun (64 MiB)
 * @param maxSeries most series held at once (2,000,000)
 * @param blockRange time range of the blocks the head is cut into (2 hours); compaction merges them
 *     into ranges three, nine, ... times as long, up to a tenth of the retention
 * @param retentionBytes most bytes of blocks and log kept on disk, oldest blocks dropped first; 0
 *     for no limit (the default)
 * @param maxSeriesPerMetric most series held at once with one metric name ({@code __name__}); 0 for
 *     no limit (the default)
 * @param maxHeadBytes budget for the estimated heap bytes of the head (series, chunks and recent
 *     samples, as {@link StorageStats#headBytesEstimate()}); appends are refused while the estimate
 *     is over it. Half the JVM's maximum heap by default
 */
public record TsdbOptions(
    Path directory,
    Duration retention,
    Duration outOfOrderWindow,
    Clock clock,
    long walSegmentSizeBytes,
    int maxSeries,
    Duration blockRange,
    long retentionBytes,
    int maxSeriesPerMetric,
    long maxHeadBytes) {

  /** Smallest segment size accepted: below it a segment would hold almost nothing. */
  public static final long MIN_WAL_SEGMENT_SIZE_BYTES = 4096;

  /** Checks every setting, naming the offending value. */
  public TsdbOptions {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(outOfOrderWindow, "outOfOrderWindow");
    Objects.requireNonNull(clock, "clock");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    if (outOfOrderWindow.isNegative()) {
      throw new IllegalArgumentException("negative out-of-order window: " + outOfOrderWindow);
    }
    if (walSegmentSizeBytes < MIN_WAL_SEGMENT_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "walSegmentSizeBytes must be at least "
              + MIN_WAL_SEGMENT_SIZE_BYTES
              + ": "
              + walSegmentSizeBytes);
    }
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be at least 1: " + maxSeries);
    }
    Objects.requireNonNull(blockRange, "blockRange");
    if (blockRange.toMillis() < 1000 || blockRange.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "blockRange must be a positive whole number of seconds: " + blockRange);
    }
    if (retentionBytes < 0) {
      throw new IllegalArgumentException("negative retentionBytes: " + retentionBytes);
    }
    if (maxSeriesPerMetric < 0) {
      throw new IllegalArgumentException(
          "maxSeriesPerMetric must be 0 (no limit) or positive: " + maxSeriesPerMetric);
    }
    if (maxHeadBytes < 1) {
      throw new IllegalArgumentException("maxHeadBytes must be positive: " + maxHeadBytes);
    }
  }

  /** A builder with the defaults for data directory {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Builds {@link TsdbOptions}; not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private Duration retention = Duration.ofDays(30);
    private Duration outOfOrderWindow = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();
    private long walSegmentSizeBytes = 64L << 20;
    private int maxSeries = 2_000_000;
    private Duration blockRange = Duration.ofHours(2);
    private long retentionBytes;
    private int maxSeriesPerMetric = 0;
    private long maxHeadBytes = Runtime.getRuntime().maxMemory() / 2;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** How long samples are kept. */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    /** How late a sample may arrive, and how long merges into it are accepted. */
    public Builder outOfOrderWindow(Duration outOfOrderWindow) {
      this.outOfOrderWindow = outOfOrderWindow;
      return this;
    }

    /** The time source; tests inject a controllable one. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Size at which a log segment is closed. */
    public Builder walSegmentSizeBytes(long walSegmentSizeBytes) {
      this.walSegmentSizeBytes = walSegmentSizeBytes;
      return this;
    }

    /** Most series held at once. */
    public Builder maxSeries(int maxSeries) {
      this.maxSeries = maxSeries;
      return this;
    }

    /** Time range of the blocks the head is cut into. */
    public Builder blockRange(Duration blockRange) {
      this.blockRange = blockRange;
      return this;
    }

    /** Most bytes of blocks and log kept on disk; 0 for no limit. */
    public Builder retentionBytes(long retentionBytes) {
      this.retentionBytes = retentionBytes;
      return this;
    }

    /** Most series held at once with one metric name; 0 for no limit. */
    public Builder maxSeriesPerMetric(int maxSeriesPerMetric) {
      this.maxSeriesPerMetric = maxSeriesPerMetric;
      return this;
    }

    /** Budget for the head's estimated heap bytes. */
    public Builder maxHeadBytes(long maxHeadBytes) {
      this.maxHeadBytes = maxHeadBytes;
      return this;
    }

    /** The options; throws IllegalArgumentException naming an invalid setting. */
    public TsdbOptions build() {
      return new TsdbOptions(
          directory,
          retention,
          outOfOrderWindow,
          clock,
          walSegmentSizeBytes,
          maxSeries,
          blockRange,
          retentionBytes,
          maxSeriesPerMetric,
          maxHeadBytes);
    }
  }
}
