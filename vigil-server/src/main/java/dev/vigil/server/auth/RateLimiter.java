package dev.vigil.server.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per bearer token: {@code perSecond} requests refill continuously up to {@code
 * burst}. Time comes from an injected nanosecond ticker, so tests need not sleep.
 *
 * <p>Thread-safe: each bucket is guarded by its own monitor; buckets are created once per token
 * name and never removed (tokens are few).
 */
public final class RateLimiter {

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTicker;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** A limiter allowing {@code perSecond} requests with bursts of {@code burst}. */
  public RateLimiter(double perSecond, int burst, LongSupplier nanoTicker) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate limit must be positive: " + perSecond + "/" + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTicker = nanoTicker;
  }

  /**
   * Takes one request from the bucket of {@code key}; returns 0 when allowed, else the seconds to
   * wait before a request would be allowed (at least 1, for {@code Retry-After}).
   */
  public long acquire(String key) {
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nanoTicker.getAsLong()));
    synchronized (b) {
      long now = nanoTicker.getAsLong();
      double refill = Math.max(0, now - b.lastNanos) * 1e-9 * perSecond;
      b.tokens = Math.min(burst, b.tokens + refill);
      b.lastNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      double waitSeconds = (1 - b.tokens) / perSecond;
      return Math.max(1, (long) Math.ceil(waitSeconds));
    }
  }

  /** Tokens available and the time they were counted; guarded by the bucket's monitor. */
  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }
}
