package dev.vigil.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Seeded request workloads shared by the benchmark and the reports, so that every library sees the
 * same data: latencies in nanoseconds and status codes.
 *
 * <p>{@link Random} rather than a newer generator because its algorithm is fixed by its
 * specification: the same seed gives the same workload on every JDK.
 */
final class Latencies {

  /** Longest latency generated: 1 hour. HdrHistogram refuses values above its trackable range. */
  static final long MAX_NANOS = TimeUnit.HOURS.toNanos(1);

  /** Median of the realistic lognormal: 100 ms, as in the accuracy brief (mu = ln 0.1 s). */
  static final double REALISTIC_MEDIAN_SECONDS = 0.1;

  /** Shape of the realistic lognormal: sigma = 1, so P99 is about 10x the median. */
  static final double REALISTIC_SIGMA = 1.0;

  private Latencies() {}

  /** {@code n} latencies whose logarithm is normal with median {@code medianSeconds}. */
  static long[] lognormal(int n, double medianSeconds, double sigma, long seed) {
    Random random = new Random(seed);
    double mu = Math.log(medianSeconds);
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      nanos[i] = toNanos(Math.exp(mu + sigma * random.nextGaussian()));
    }
    return nanos;
  }

  /** The realistic workload: lognormal, median 100 ms, sigma 1. */
  static long[] realistic(int n, long seed) {
    return lognormal(n, REALISTIC_MEDIAN_SECONDS, REALISTIC_SIGMA, seed);
  }

  /**
   * A service with a fast path and a slow path: 90% lognormal around 20 ms (sigma 0.5) and 10%
   * lognormal around 1.5 s (sigma 0.3), interleaved at random.
   */
  static long[] bimodal(int n, long seed) {
    Random random = new Random(seed);
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      boolean slow = random.nextDouble() < 0.1;
      double mu = Math.log(slow ? 1.5 : 0.020);
      double sigma = slow ? 0.3 : 0.5;
      nanos[i] = toNanos(Math.exp(mu + sigma * random.nextGaussian()));
    }
    return nanos;
  }

  /** Latencies spread evenly over the logarithm of [minSeconds, maxSeconds]. */
  static long[] logUniform(int n, double minSeconds, double maxSeconds, long seed) {
    Random random = new Random(seed);
    double low = Math.log(minSeconds);
    double span = Math.log(maxSeconds) - low;
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      nanos[i] = toNanos(Math.exp(low + span * random.nextDouble()));
    }
    return nanos;
  }

  /** Status codes: 95% 200, 4% 404, 1% 500. */
  static int[] statuses(int n, long seed) {
    Random random = new Random(seed);
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      codes[i] = u < 0.95 ? 200 : u < 0.99 ? 404 : 500;
    }
    return codes;
  }

  /** Rounds to whole nanoseconds within [1 ns, {@link #MAX_NANOS}]. */
  static long toNanos(double seconds) {
    return Math.max(1L, Math.min(MAX_NANOS, Math.round(seconds * 1e9)));
  }
}
