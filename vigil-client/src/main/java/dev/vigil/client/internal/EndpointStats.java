package dev.vigil.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * Mutable per-endpoint statistics: latency histogram, sum, min, max, and counts by status class.
 *
 * <p>Assumptions and guarantees: {@link #record} is called from any number of threads and is
 * lock-free and allocation-free. The common case (a 2xx response that is neither a new minimum nor
 * a new maximum) costs two atomic adds: one histogram bucket and the sum. The 2xx count is never
 * stored; it is the histogram's count less the other classes. {@link #record} updates the histogram
 * before the status counter and snapshots read the status counters before the histogram, so with
 * volatile ordering the derived 2xx count is never negative.
 */
public final class EndpointStats {

  private static final VarHandle STATUS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle MIN;
  private static final VarHandle MAX;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MIN = lookup.findVarHandle(EndpointStats.class, "minNanos", long.class);
      MAX = lookup.findVarHandle(EndpointStats.class, "maxNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String method;
  final String route;
  final int methodCode;
  final int hash;

  private final LatencyCounters latency = new LatencyCounters();

  /** Counts of 1xx, 3xx, 4xx and 5xx responses at [0], [2], [3], [4]; [1] stays zero. */
  private final long[] statusCounts = new long[5];

  /**
   * Sum of durations in nanoseconds: 292 years before it overflows. A LongAdder rather than a field
   * of this object: the sum is written on every request, and as a field it shared a cache line with
   * the key and min/max that every lookup reads, so two threads on one endpoint took 102 ns per
   * record against 27 ns through a pre-bound handle (smoke run, 2 cores). The adder also stripes
   * itself under contention.
   */
  private final LongAdder sumNanos = new LongAdder();

  /** Smallest duration seen, Long.MAX_VALUE when none; lowered by CAS. */
  @SuppressWarnings("unused")
  private volatile long minNanos = Long.MAX_VALUE;

  /** Largest duration seen, -1 when none; raised by CAS. */
  @SuppressWarnings("unused")
  private volatile long maxNanos = -1;

  EndpointStats(String method, String route, int methodCode, int hash) {
    this.method = method;
    this.route = route;
    this.methodCode = methodCode;
    this.hash = hash;
  }

  /** Method of this endpoint. */
  public String method() {
    return method;
  }

  /** Route template of this endpoint. */
  public String route() {
    return route;
  }

  /** Records one request; {@code statusCode} in 100..599, {@code nanos} in 0..24 h. */
  public void record(int statusCode, long nanos) {
    latency.record(nanos);
    sumNanos.add(nanos);
    int statusClass = statusCode / 100 - 1;
    if (statusClass != 1) {
      STATUS.getAndAdd(statusCounts, statusClass, 1L);
    }
    long min = (long) MIN.getOpaque(this);
    while (nanos < min) {
      long witness = (long) MIN.compareAndExchange(this, min, nanos);
      if (witness == min) {
        break;
      }
      min = witness;
    }
    long max = (long) MAX.getOpaque(this);
    while (nanos > max) {
      long witness = (long) MAX.compareAndExchange(this, max, nanos);
      if (witness == max) {
        break;
      }
      max = witness;
    }
  }

  /** Reads a consistent-enough snapshot: every counter is monotonic and read atomically. */
  public Snapshot snapshot() {
    long[] classes = new long[5];
    for (int i = 0; i < 5; i++) {
      classes[i] = (long) STATUS.getVolatile(statusCounts, i);
    }
    long sum = sumNanos.sum();
    long min = minNanos;
    long max = maxNanos;
    var histogram = latency.toHistogram(sum * 1e-9);
    long count = (long) histogram.count();
    classes[1] = Math.max(0, count - classes[0] - classes[2] - classes[3] - classes[4]);
    return new Snapshot(
        count, classes, sum, min == Long.MAX_VALUE ? 0 : min, Math.max(max, 0), histogram);
  }

  /** Pages of histogram counters allocated, for memory accounting. */
  public int histogramPages() {
    return latency.pageCount();
  }

  /** Values read by {@link #snapshot()}. */
  public record Snapshot(
      long count,
      long[] countsByStatusClass,
      long sumNanos,
      long minNanos,
      long maxNanos,
      dev.vigil.model.Histogram histogram) {}
}
