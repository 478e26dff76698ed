package dev.vigil.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Cost of recording one HTTP request, Vigil against Micrometer, Prometheus client_java (classic and
 * native histograms) and HdrHistogram, each with a label lookup per call ({@code lookup}, as a
 * servlet filter calls it) and through a handle resolved once ({@code bound}).
 *
 * <p>Three scenarios, one method each: one thread on one endpoint; two threads on one endpoint
 * (contended counters); two threads spread over 100 endpoints (routes {@code /api/r{i}/{id}}, each
 * thread cycling through them from its own offset). Durations come from one seeded lognormal array
 * (median 100 ms, sigma 1) read by a per-thread cycling index, so no random number is drawn in the
 * measured code and every library records the same values. Requests are GET with status 200 ({@code
 * "200"} for the peers). 27 of the 16,384 durations (0.16%) reach Vigil's default slow threshold of
 * 2 s and take its slow path, which reads the clock and allocates one record: that is all Vigil
 * allocates here.
 *
 * <p>Run the whole matrix with {@code bench/client-bench.sh}; one cell with e.g. {@code java -jar
 * vigil-bench/target/benchmarks.jar RecordBenchmark.twoThreads100Endpoints -p library=vigil -p
 * mode=bound -prof gc}. Figures, machine and date are kept in docs/BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RecordBenchmark {

  /** Endpoints in the spread scenario. */
  static final int ROUTE_COUNT = 100;

  /** Durations in the shared array: 16,384 longs, 128 KiB, read sequentially. */
  static final int DURATION_COUNT = 1 << 14;

  private static final int DURATION_MASK = DURATION_COUNT - 1;

  /** The reports' realistic distribution (lognormal, median 100 ms, sigma 1), seed 42. */
  private static final long[] DURATIONS = Latencies.realistic(DURATION_COUNT, 42);

  /** Which library records. */
  @Param({"vigil", "micrometer", "promClassic", "promNative", "hdr"})
  public String library;

  /** {@code lookup}: labels resolved on every call; {@code bound}: a handle resolved in setup. */
  @Param({"lookup", "bound"})
  public String mode;

  private RecordTarget target;

  /** Builds the one target of this fork. */
  @Setup(Level.Trial)
  public void setUp() {
    target = RecordTarget.create(library, mode, RecordTarget.routes(ROUTE_COUNT));
  }

  /** Per-thread position in the duration array and in the route cycle. */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;
    private int route;

    /** Starts each thread at its own place so that two threads do not record in lock step. */
    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      next = thread.getThreadIndex() * (DURATION_COUNT / 2 + 17);
      route = thread.getThreadIndex() * (ROUTE_COUNT / 2) % ROUTE_COUNT;
    }

    long nextNanos() {
      return DURATIONS[next++ & DURATION_MASK];
    }

    int nextRoute() {
      int r = route;
      route = r == ROUTE_COUNT - 1 ? 0 : r + 1;
      return r;
    }
  }

  /** One thread, one endpoint. */
  @Benchmark
  @Threads(1)
  public void oneThreadOneEndpoint(Cursor cursor) {
    target.record(0, cursor.nextNanos());
  }

  /** Two threads on the same endpoint: its counters are contended. */
  @Benchmark
  @Threads(2)
  public void twoThreadsOneEndpoint(Cursor cursor) {
    target.record(0, cursor.nextNanos());
  }

  /** Two threads, each cycling over 100 endpoints. */
  @Benchmark
  @Threads(2)
  public void twoThreads100Endpoints(Cursor cursor) {
    target.record(cursor.nextRoute(), cursor.nextNanos());
  }
}
