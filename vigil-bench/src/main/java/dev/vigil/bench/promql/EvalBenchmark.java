package dev.vigil.bench.promql;

import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import dev.vigil.promql.Parser;
import dev.vigil.promql.eval.Engine;
import dev.vigil.promql.eval.Result;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PromQL evaluator's inner loops in nanoseconds per sample visited (issue 5's target: 10 or
 * less). 100 counter series of one day at 15 s (576,000 samples) in a store; each benchmark runs
 * one query whose windows together visit a known number of samples, and JMH divides by it through
 * {@link OperationsPerInvocation}:
 *
 * <ul>
 *   <li>{@code rateRange}: {@code sum(rate(x[5m]))} over the day at a 5-minute step: 288 steps x
 *       100 series x 20 samples = 576,000 visits (each sample once);
 *   <li>{@code sumOverTimeDay}: {@code sum_over_time(x[1d])} at the end: 576,000 visits;
 *   <li>{@code quantileOverTimeHour}: {@code quantile_over_time(0.9, x[1h])} at the end: 24,000
 *       visits (sorting included).
 * </ul>
 *
 * The store is read through its public querier, so decoding chunks is part of every figure; as in
 * production, the last hour is in the head's out-of-order tail and the rest in sealed chunks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class EvalBenchmark {
  static final int SERIES = 100;
  static final long STEP = 15_000;
  static final long DAY = 86_400_000;
  static final long START = 1_700_000_000_000L / DAY * DAY;
  static final long END = START + DAY - STEP;

  @Param({"100"})
  public int series;

  private Path dir;
  private Tsdb tsdb;
  private Engine engine;
  private Expr rate;
  private Expr sumOverTime;
  private Expr quantileOverTime;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("vigil-eval-bench");
    // The clock follows the writes, as in production: all but the last hour (the out-of-order
    // window) is sealed into chunks by the maintenance pass at the end.
    long[] now = {START};
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now[0]);
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    tsdb =
        Tsdb.open(
            TsdbOptions.builder(dir)
                .clock(clock)
                .outOfOrderWindow(Duration.ofHours(1))
                .retention(Duration.ofDays(30))
                .build());
    Random random = new Random(1);
    Labels[] labels = new Labels[series];
    double[] value = new double[series];
    for (int s = 0; s < series; s++) {
      labels[s] = Labels.of("__name__", "x", "instance", "host-" + s, "job", "node");
    }
    Appender a = tsdb.appender();
    int inBatch = 0;
    for (long t = START; t <= END; t += STEP) {
      now[0] = t;
      for (int s = 0; s < series; s++) {
        value[s] += random.nextInt(100);
        a.add(labels[s], t, value[s]);
      }
      if (++inBatch == 240) {
        a.commit();
        inBatch = 0;
      }
    }
    a.commit();
    now[0] = END + 1000;
    tsdb.maintain();
    engine = new Engine(tsdb);
    rate = Parser.parse("sum(rate(x[5m]))");
    sumOverTime = Parser.parse("sum(sum_over_time(x[1d]))");
    quantileOverTime = Parser.parse("sum(quantile_over_time(0.9, x[1h]))");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    tsdb.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** 288 steps of 20 samples for each of 100 series. */
  @Benchmark
  @OperationsPerInvocation(576_000)
  public Result rateRange() {
    return engine.range(rate, START + 300_000, END + STEP, 300_000);
  }

  /** One window of the whole day for each of 100 series. */
  @Benchmark
  @OperationsPerInvocation(576_000)
  public Result sumOverTimeDay() {
    return engine.instant(sumOverTime, END + 1);
  }

  /** One window of an hour (240 samples, sorted) for each of 100 series. */
  @Benchmark
  @OperationsPerInvocation(24_000)
  public Result quantileOverTimeHour() {
    return engine.instant(quantileOverTime, END + 1);
  }
}
