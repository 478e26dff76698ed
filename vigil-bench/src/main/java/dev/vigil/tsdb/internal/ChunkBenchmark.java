package dev.vigil.tsdb.internal;

import dev.vigil.model.Histogram;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chunk encode and decode cost in ns per sample: one operation writes (or reads back) a whole chunk
 * of {@link #SAMPLES} samples, and {@link OperationsPerInvocation} divides by them.
 *
 * <p>Lives in vigil-tsdb's internal package (in the benchmarks module, on the class path) because
 * the chunk classes are package-private: measuring them directly keeps the write-ahead log, locks
 * and index out of the figure without widening vigil-tsdb's API.
 *
 * <p>Data, at 15 s scrape intervals with 0..4 ms of timestamp jitter as real scrapes have, 64
 * series per kind, seed 42:
 *
 * <ul>
 *   <li>{@code counter}: node_cpu_seconds_total-like, growing by a noisy share of 15 s in steps of
 *       0.01;
 *   <li>{@code gauge}: node_memory-like, a random walk in multiples of 4,096 bytes;
 *   <li>{@code noisy}: scrape_duration_seconds-like, a full-precision random float each sample;
 *   <li>{@code histogram}: a request-latency native histogram (schema 3, Prometheus' default),
 *       cumulative, about 20 requests per second with lognormal latencies (median 50 ms, sigma 1):
 *       about 90 populated buckets by the end, new ones appearing now and then.
 * </ul>
 *
 * Float chunks hold 120 samples (the chunk maximum); histogram chunks are cut at 1 KiB after 10
 * samples, so {@link #SAMPLES} histograms may span several chunks: the benchmark writes and reads
 * them as the head does, cutting when {@code isFullFor} says so.
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar ChunkBenchmark}. Indicative figures
 * are in docs/BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ChunkBenchmark {
  /** Samples per operation: one full float chunk. */
  public static final int SAMPLES = 120;

  /** Series per kind, cycled so that one series' branch pattern is not learnt. */
  static final int SERIES = 64;

  /** Which data. */
  @Param({"counter", "gauge", "noisy", "histogram"})
  public String kind;

  private long[][] timestamps;
  private double[][] values;
  private Histogram[][] histograms;
  private Chunk[][] chunks;
  private int next;

  /** Generates the samples and encodes them once for the decode benchmark. */
  @Setup(Level.Trial)
  public void setUp() {
    Samples s = Samples.generate(kind, SERIES, SAMPLES, 42);
    timestamps = s.timestamps;
    values = s.values;
    histograms = s.histograms;
    chunks = new Chunk[SERIES][];
    for (int i = 0; i < SERIES; i++) {
      chunks[i] = encode(i);
    }
  }

  /** Writes one series' samples into chunks; returns them. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public Chunk[] encode() {
    int i = next++ & (SERIES - 1);
    return encode(i);
  }

  /** Reads every sample of one series' chunks back (histograms decoded in full). */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public void decode(Blackhole bh) {
    Chunk[] series = chunks[next++ & (SERIES - 1)];
    for (Chunk c : series) {
      ChunkIterator it = c.iterator();
      if (c.encoding() == ChunkEncoding.FLOAT_XOR) {
        while (it.next()) {
          bh.consume(it.timestamp());
          bh.consume(it.value());
        }
      } else {
        while (it.next()) {
          bh.consume(it.timestamp());
          bh.consume(it.histogram());
        }
      }
    }
  }

  Chunk[] encode(int series) {
    ChunkEncoding encoding = histograms == null ? ChunkEncoding.FLOAT_XOR : ChunkEncoding.HISTOGRAM;
    Chunk[] out = new Chunk[4];
    int n = 0;
    ChunkWriter w = Chunk.newWriter(encoding);
    long[] ts = timestamps[series];
    for (int k = 0; k < ts.length; k++) {
      if (w.isFullFor(ts[k])) {
        if (n == out.length) {
          out = java.util.Arrays.copyOf(out, n * 2);
        }
        out[n++] = w.toChunk();
        w = Chunk.newWriter(encoding);
      }
      if (histograms == null) {
        w.append(ts[k], values[series][k], null);
      } else {
        w.append(ts[k], 0, histograms[series][k]);
      }
    }
    if (n == out.length) {
      out = java.util.Arrays.copyOf(out, n + 1);
    }
    out[n++] = w.toChunk();
    return java.util.Arrays.copyOf(out, n);
  }

  /** Realistic samples of one kind: timestamps plus float values or histograms. */
  static final class Samples {
    final long[][] timestamps;
    final double[][] values;
    final Histogram[][] histograms;

    private Samples(long[][] timestamps, double[][] values, Histogram[][] histograms) {
      this.timestamps = timestamps;
      this.values = values;
      this.histograms = histograms;
    }

    static Samples generate(String kind, int seriesCount, int samples, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      long[][] ts = new long[seriesCount][samples];
      for (int s = 0; s < seriesCount; s++) {
        long t = 1_795_000_000_000L + r.nextInt(15_000);
        for (int k = 0; k < samples; k++) {
          ts[s][k] = t + r.nextInt(5);
          t += 15_000;
        }
      }
      if (kind.equals("histogram")) {
        Histogram[][] h = new Histogram[seriesCount][samples];
        for (int s = 0; s < seriesCount; s++) {
          TreeMap<Integer, Double> buckets = new TreeMap<>();
          double sum = 0;
          for (int k = 0; k < samples; k++) {
            int requests = (int) Math.round(20 * 15 * (1 + 0.3 * r.nextGaussian()));
            for (int q = 0; q < requests; q++) {
              double latency = 0.05 * Math.exp(r.nextGaussian());
              buckets.merge(Histogram.bucketIndex(latency, 3), 1.0, Double::sum);
              sum += latency;
            }
            int[] indexes = buckets.keySet().stream().mapToInt(Integer::intValue).toArray();
            double[] counts = buckets.values().stream().mapToDouble(Double::doubleValue).toArray();
            h[s][k] =
                Histogram.ofSortedBuckets(
                    3, 1e-128, 0, sum, indexes, counts, new int[0], new double[0]);
          }
        }
        return new Samples(ts, null, h);
      }
      double[][] v = new double[seriesCount][samples];
      for (int s = 0; s < seriesCount; s++) {
        double x =
            switch (kind) {
              case "counter" -> Math.round(r.nextDouble() * 1e7) / 100.0;
              case "gauge" -> 4096.0 * r.nextInt(4_000_000);
              case "noisy" -> 0;
              default -> throw new IllegalArgumentException("unknown kind: " + kind);
            };
        for (int k = 0; k < samples; k++) {
          x =
              switch (kind) {
                case "counter" ->
                    Math.round((x + 15 * 0.7 * (1 + 0.3 * r.nextGaussian())) * 100) / 100.0;
                case "gauge" -> Math.max(0, x + 4096.0 * Math.round(200 * r.nextGaussian()));
                default -> 0.01 + 0.04 * r.nextDouble();
              };
          v[s][k] = x;
        }
      }
      return new Samples(ts, v, null);
    }
  }
}
