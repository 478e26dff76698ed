package dev.vigil.client.internal;

import dev.vigil.model.Histogram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Concurrent latency histogram on Prometheus' native-histogram bucket grid at {@link #SCHEMA}.
 *
 * <p>Assumptions and guarantees: any number of threads may call {@link #record(long)} concurrently
 * with each other and with {@link #toHistogram}. Recording is lock-free and, once the pages
 * covering the observed range exist, allocation-free: one array read, one {@code getAndAdd} on a
 * bucket. Buckets live in pages of {@link #PAGE_SIZE} counters that are allocated on first use, so
 * memory follows the range a route actually sees rather than the whole grid. Counters only grow. A
 * snapshot reads each counter atomically but not all of them at one instant: an observation racing
 * with the snapshot is either wholly in it or wholly absent from it.
 */
public final class LatencyCounters {

  /**
   * Schema 7: bucket bounds grow by 2^(1/128), i.e. 0.543% per bucket. Both the exact quantile and
   * its estimate lie in the same bucket, so the estimate is within 0.55% of exact: inside the 1%
   * budget with room, at half the memory of schema 8.
   */
  public static final int SCHEMA = 7;

  private static final int BUCKETS_PER_OCTAVE = 1 << SCHEMA;

  /** Smallest tracked power of two: 2^-30 s (0.93 ns); 1 ns is the smallest positive input. */
  private static final int MIN_EXPONENT = -30;

  /** Largest tracked power of two: 2^17 s (36.4 h), above the 24 h cap on durations. */
  private static final int MAX_EXPONENT = 17;

  private static final int MIN_INDEX = MIN_EXPONENT * BUCKETS_PER_OCTAVE + 1;
  private static final int MAX_INDEX = MAX_EXPONENT * BUCKETS_PER_OCTAVE;

  /** 64 counters of 8 bytes: 512 bytes, eight cache lines. */
  static final int PAGE_SHIFT = 6;

  static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_COUNT = ((MAX_INDEX - MIN_INDEX) >> PAGE_SHIFT) + 1;

  private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(long[][].class);
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

  /**
   * For each of the 1024 slots of the top ten mantissa bits, the smallest j in [0, 128] with
   * 2^(j/128) at or above the slot's smallest mantissa. A slot is 2^-10 wide and a bucket at least
   * 2^(1/128) - 1 = 0.0054 wide, so a slot holds at most one bucket bound: the answer for any
   * mantissa in the slot is the table entry or the next one, told apart by one comparison.
   */
  private static final byte[] SLOT_FIRST_BUCKET = new byte[1 << 10];

  /** Mantissa bits (52) of 2^(j/128) for j in [0, 128); entry 128 stands for 2.0, above all. */
  private static final long[] BOUND_MANTISSA = new long[BUCKETS_PER_OCTAVE + 1];

  static {
    for (int j = 0; j < BUCKETS_PER_OCTAVE; j++) {
      // Take the bounds from the model so that the two agree bit for bit.
      double bound = Histogram.upperBound(j, SCHEMA);
      assert bound >= 1.0 && bound < 2.0 : bound;
      BOUND_MANTISSA[j] = Double.doubleToRawLongBits(bound) & 0xFFFFFFFFFFFFFL;
    }
    BOUND_MANTISSA[BUCKETS_PER_OCTAVE] = Long.MAX_VALUE;
    int j = 0;
    for (int slot = 0; slot < SLOT_FIRST_BUCKET.length; slot++) {
      long smallest = (long) slot << 42;
      while (BOUND_MANTISSA[j] < smallest) {
        j++;
      }
      SLOT_FIRST_BUCKET[slot] = (byte) j;
    }
  }

  /** Pages of counters, created on first use; guarded by CAS on the array elements. */
  private final long[][] pages = new long[PAGE_COUNT][];

  /** Observations of exactly zero seconds. */
  private final java.util.concurrent.atomic.AtomicLong zeroCount =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Returns the native-histogram bucket index at schema 7 of a positive duration in seconds.
   *
   * <p>Same result as {@link Histogram#bucketIndex(double, int)}, without its binary search: with v
   * = 1.m * 2^e, Prometheus' index is e * 128 + J where J is the smallest j with 2^(j/128) >= 1.m.
   */
  public static int bucketIndex(double seconds) {
    long bits = Double.doubleToRawLongBits(seconds);
    int exponent = (int) (bits >>> 52) - 1023;
    long mantissa = bits & 0xFFFFFFFFFFFFFL;
    int j = SLOT_FIRST_BUCKET[(int) (mantissa >>> 42)] & 0xFF;
    if (BOUND_MANTISSA[j] < mantissa) {
      j++;
    }
    return exponent * BUCKETS_PER_OCTAVE + j;
  }

  /** Records one duration of {@code nanos} nanoseconds, 0 to 24 hours. */
  public void record(long nanos) {
    if (nanos == 0) {
      zeroCount.getAndIncrement();
      return;
    }
    int offset = bucketIndex(nanos * 1e-9) - MIN_INDEX;
    assert offset >= 0 && offset < PAGE_COUNT * PAGE_SIZE : nanos;
    long[] page = (long[]) PAGES.getAcquire(pages, offset >>> PAGE_SHIFT);
    if (page == null) {
      page = newPage(offset >>> PAGE_SHIFT);
    }
    COUNTS.getAndAdd(page, offset & (PAGE_SIZE - 1), 1L);
  }

  private long[] newPage(int pageIndex) {
    long[] fresh = new long[PAGE_SIZE];
    Object witness = PAGES.compareAndExchangeRelease(pages, pageIndex, null, fresh);
    return witness == null ? fresh : (long[]) witness;
  }

  /** Number of observations, summed over buckets at this moment. */
  public long count() {
    long total = zeroCount.get();
    for (int p = 0; p < PAGE_COUNT; p++) {
      long[] page = (long[]) PAGES.getAcquire(pages, p);
      if (page != null) {
        for (int i = 0; i < PAGE_SIZE; i++) {
          total += (long) COUNTS.getVolatile(page, i);
        }
      }
    }
    return total;
  }

  /** Number of pages allocated, for memory accounting. */
  public int pageCount() {
    int n = 0;
    for (int p = 0; p < PAGE_COUNT; p++) {
      if (PAGES.getAcquire(pages, p) != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Copies the counters into an immutable histogram with the given sum of observations in seconds;
   * its count is the total of the buckets read.
   */
  public Histogram toHistogram(double sumSeconds) {
    var builder = Histogram.builder(SCHEMA).zeroThreshold(0.0);
    builder.zeroCount(zeroCount.get());
    for (int p = 0; p < PAGE_COUNT; p++) {
      long[] page = (long[]) PAGES.getAcquire(pages, p);
      if (page == null) {
        continue;
      }
      for (int i = 0; i < PAGE_SIZE; i++) {
        long c = (long) COUNTS.getVolatile(page, i);
        if (c != 0) {
          builder.addPositive(MIN_INDEX + (p << PAGE_SHIFT) + i, c);
        }
      }
    }
    return builder.sum(sumSeconds).build();
  }
}
