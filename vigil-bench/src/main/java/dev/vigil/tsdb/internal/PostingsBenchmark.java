package dev.vigil.tsdb.internal;

import dev.vigil.model.Labels;
import dev.vigil.tsdb.Matcher;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Postings intersection, in microseconds per query, over the index of a realistic fleet: 400 hosts
 * of 8 CPUs with node_exporter-like series and API latency histograms, 102,400 series in all (the
 * shape of bench/compare-storage.sh's stream), ids assigned host by host as a head assigns them.
 *
 * <p>{@code intersect*} call {@link Postings#intersect} on lists copied out of the index once, so
 * only the merge is measured; {@code select} runs {@link MemPostings#select}, which also looks the
 * lists up and copies them under the read lock, as a query does. Queries ({@link #query}):
 *
 * <ul>
 *   <li>{@code cpuIdle}: {@code node_cpu_seconds_total{mode="idle"}}: 25,600 and 3,200 ids give
 *       3,200;
 *   <li>{@code oneHostCpu}: {@code node_cpu_seconds_total{instance="..."}}: 25,600 and 256 ids give
 *       64 (a large and a small list);
 *   <li>{@code apiErrors}: {@code http_request_duration_seconds_bucket{job="api",
 *       handler="/orders", code="500"}}: four lists (38,400, 44,800, 11,200 and 22,400 ids) give
 *       4,800.
 * </ul>
 *
 * <p>Run: {@code java -jar vigil-bench/target/benchmarks.jar PostingsBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PostingsBenchmark {
  static final int HOSTS = 400;
  static final int CPUS = 8;
  static final String[] MODES = {
    "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"
  };
  static final String[] HANDLERS = {"/orders", "/users", "/login", "/healthz"};
  static final String[] CODES = {"200", "500"};
  static final String[] LE = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
  };

  /** Which query. */
  @Param({"cpuIdle", "oneHostCpu", "apiErrors"})
  public String query;

  private MemPostings index;
  private Matcher[] matchers;
  private long[][] lists;

  /** Builds the index and copies out the query's lists. */
  @Setup(Level.Trial)
  public void setUp() {
    index = fleetIndex();
    matchers = matchers(query);
    lists = new long[matchers.length][];
    for (int i = 0; i < matchers.length; i++) {
      lists[i] = index.select(matchers[i]);
    }
  }

  /** The first two lists of the query. */
  @Benchmark
  public long[] intersectTwo() {
    return Postings.intersect(lists[0], lists[1]);
  }

  /** Every list of the query, folded left to right as {@link MemPostings#select} does. */
  @Benchmark
  public long[] intersectAll() {
    long[] result = lists[0];
    for (int i = 1; i < lists.length; i++) {
      result = Postings.intersect(result, lists[i]);
    }
    return result;
  }

  /** The whole index lookup. */
  @Benchmark
  public long[] select() {
    return index.select(matchers);
  }

  static Matcher[] matchers(String query) {
    return switch (query) {
      case "cpuIdle" ->
          new Matcher[] {
            Matcher.equal(Labels.METRIC_NAME, "node_cpu_seconds_total"),
            Matcher.equal("mode", "idle")
          };
      case "oneHostCpu" ->
          new Matcher[] {
            Matcher.equal(Labels.METRIC_NAME, "node_cpu_seconds_total"),
            Matcher.equal("instance", instance(HOSTS / 2))
          };
      case "apiErrors" ->
          new Matcher[] {
            Matcher.equal(Labels.METRIC_NAME, "http_request_duration_seconds_bucket"),
            Matcher.equal("job", "api"),
            Matcher.equal("handler", "/orders"),
            Matcher.equal("code", "500")
          };
      default -> throw new IllegalArgumentException("unknown query: " + query);
    };
  }

  static String instance(int host) {
    return "10.0." + host / 256 + "." + host % 256 + ":9100";
  }

  /** The fleet's index: per host 64 CPU series, 64 other node series, 4 x 2 x 12 buckets + 64. */
  static MemPostings fleetIndex() {
    MemPostings p = new MemPostings();
    long id = 0;
    for (int h = 0; h < HOSTS; h++) {
      String instance = instance(h);
      for (int c = 0; c < CPUS; c++) {
        for (String mode : MODES) {
          p.add(
              id++,
              Labels.of(
                  Labels.METRIC_NAME,
                  "node_cpu_seconds_total",
                  "cpu",
                  Integer.toString(c),
                  "instance",
                  instance,
                  "job",
                  "node",
                  "mode",
                  mode));
        }
      }
      for (int m = 0; m < 64; m++) {
        p.add(
            id++,
            Labels.of(Labels.METRIC_NAME, "node_metric_" + m, "instance", instance, "job", "node"));
      }
      for (String handler : HANDLERS) {
        for (String code : CODES) {
          for (String le : LE) {
            p.add(
                id++,
                Labels.of(
                    Labels.METRIC_NAME,
                    "http_request_duration_seconds_bucket",
                    "code",
                    code,
                    "handler",
                    handler,
                    "instance",
                    instance,
                    "job",
                    "api",
                    "le",
                    le));
          }
          for (String suffix : new String[] {"_sum", "_count"}) {
            p.add(
                id++,
                Labels.of(
                    Labels.METRIC_NAME,
                    "http_request_duration_seconds" + suffix,
                    "code",
                    code,
                    "handler",
                    handler,
                    "instance",
                    instance,
                    "job",
                    "api"));
          }
        }
      }
      // Pad each host to 256 series with a few more gauges.
      while (id % 256 != 0) {
        p.add(
            id,
            Labels.of(
                Labels.METRIC_NAME, "node_extra_" + id % 256, "instance", instance, "job", "node"));
        id++;
      }
    }
    return p;
  }
}
