package dev.vigil.server.config;

/**
 * Caps that keep the store within memory (configuration section {@code limits}). Going over one
 * refuses the write whole with a 400 naming the key; nothing of that request is stored.
 *
 * @param maxSeries series held at once in total ({@code limits.max_series})
 * @param maxSeriesPerMetric series held at once with one metric name, 0 for no cap ({@code
 *     limits.max_series_per_metric})
 * @param maxHeadBytes budget for the store's estimated in-memory bytes, 0 for half the JVM's
 *     maximum heap ({@code limits.max_head_bytes})
 */
public record StorageLimits(int maxSeries, int maxSeriesPerMetric, long maxHeadBytes) {

  /** Default total series cap: about 10 GB of head at an hour of 15 s samples per series. */
  public static final int DEFAULT_MAX_SERIES = 2_000_000;

  /** The defaults: 2,000,000 series, no per-metric cap, half the heap. */
  public static StorageLimits defaults() {
    return new StorageLimits(DEFAULT_MAX_SERIES, 0, 0);
  }

  /** The head budget in effect: the configured one, or half the JVM's maximum heap. */
  public long effectiveMaxHeadBytes() {
    return maxHeadBytes > 0 ? maxHeadBytes : Runtime.getRuntime().maxMemory() / 2;
  }
}
