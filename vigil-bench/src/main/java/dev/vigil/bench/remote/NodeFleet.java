package dev.vigil.bench.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated fleet of hosts, each scraped for node_exporter-like gauges and counters and for an
 * API's request-latency classic histograms, advanced one scrape round at a time; deterministic for
 * a seed.
 *
 * <p>Per host: {@code node_cpu_seconds_total} for 8 modes on 4, 8 or 16 CPUs (cycling by host);
 * memory, filesystem (4 mounts), network (3 devices), disk (2 devices), load, process and scrape
 * series; and {@code http_request_duration_seconds} for 4 handler/method pairs x 2 status codes,
 * each with Prometheus' 12 default buckets plus {@code _sum} and {@code _count}. That is 162 to 258
 * series per host. Hosts are added until the fleet has at least the requested number of series.
 *
 * <p>Values behave as real ones do: counters only grow, by a per-series rate with noise (CPU
 * seconds in steps of 0.01 as node_exporter reports them, bytes and packets in whole numbers);
 * gauges random-walk within bounds (memory in pages of 4,096 bytes, load with 2 decimals); some
 * values are constant ({@code MemTotal}, filesystem sizes) and some are noisy full-precision floats
 * ({@code scrape_duration_seconds}, {@code node_time_seconds}); histogram buckets grow by a
 * per-interval request count spread over a lognormal latency distribution.
 *
 * <p>Churn: every {@code churnEveryRounds} rounds, a fraction of the hosts is replaced by new ones
 * (a new {@code instance}, counters starting from zero), as a redeploy or an autoscaler does. The
 * number of active series stays the same; the number of series ever created grows.
 *
 * <p>Not thread-safe.
 */
final class NodeFleet {
  private static final String[] CPU_MODES = {
    "idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"
  };
  private static final double[] CPU_MODE_SHARE = {
    0.70, 0.03, 0.005, 0.002, 0.01, 0.003, 0.06, 0.19
  };
  private static final int[] CPU_COUNTS = {4, 8, 16};
  private static final String[][] FILESYSTEMS = {
    {"/dev/nvme0n1p2", "ext4", "/"},
    {"/dev/nvme0n1p1", "vfat", "/boot/efi"},
    {"/dev/nvme1n1", "xfs", "/var/lib/data"},
    {"tmpfs", "tmpfs", "/run"}
  };
  private static final String[] NET_DEVICES = {"eth0", "eth1", "lo"};
  private static final String[] DISKS = {"nvme0n1", "nvme1n1"};
  private static final String[][] HANDLERS = {
    {"/api/v1/orders", "GET"},
    {"/api/v1/orders", "POST"},
    {"/api/v1/users", "GET"},
    {"/healthz", "GET"}
  };
  private static final double[] BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY
  };
  private static final String[] BUCKET_LABELS = {
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"
  };

  /** Which request-latency histograms the API series are. */
  enum Histograms {
    /**
     * {@code _bucket{le}}, {@code _sum} and {@code _count} float series: every receiver takes them.
     */
    CLASSIC,
    /** One native histogram series (schema 3) per handler, method and code instead. */
    NATIVE,
    /** Both. */
    BOTH
  }

  /** Schema of the native histograms: Prometheus' default, 8 buckets per power of two. */
  static final int NATIVE_SCHEMA = 3;

  /** Zero bucket width of the native histograms: client_golang's default, 2^-128. */
  static final double NATIVE_ZERO_THRESHOLD = Math.scalb(1.0, -128);

  private final SplittableRandom random;
  private final Histograms histograms;
  private final long startMillis;
  private long timestampMillis;
  private final double intervalSeconds;
  private final double churnFraction;
  private final int churnEveryRounds;
  private final List<Host> hosts = new ArrayList<>();
  private final int size;
  private int nextHostId;
  private int churnCursor;
  private int round;
  private long totalSeriesCreated;

  /**
   * A fleet of at least {@code targetSeries} series.
   *
   * @param startMillis time of the first round, for boot times
   * @param intervalMillis simulated scrape interval: counters grow by rate x interval per round
   * @param churnFraction share of hosts replaced at each churn (0 for none)
   * @param churnEveryRounds rounds between churns
   * @param histograms classic, native or both kinds of latency histograms
   */
  NodeFleet(
      int targetSeries,
      long seed,
      long startMillis,
      long intervalMillis,
      double churnFraction,
      int churnEveryRounds,
      Histograms histograms) {
    if (targetSeries < 1) {
      throw new IllegalArgumentException("target series must be positive: " + targetSeries);
    }
    if (churnFraction < 0 || churnFraction > 1) {
      throw new IllegalArgumentException("churn fraction must be in 0..1: " + churnFraction);
    }
    if (churnEveryRounds < 1) {
      throw new IllegalArgumentException("churn interval must be positive: " + churnEveryRounds);
    }
    this.random = new SplittableRandom(seed);
    this.histograms = java.util.Objects.requireNonNull(histograms, "histograms");
    this.startMillis = startMillis;
    this.timestampMillis = startMillis;
    this.intervalSeconds = intervalMillis / 1000.0;
    this.churnFraction = churnFraction;
    this.churnEveryRounds = churnEveryRounds;
    int n = 0;
    while (n < targetSeries) {
      Host h = new Host(hosts.size(), nextHostId++);
      hosts.add(h);
      n += h.series.size();
    }
    this.size = n;
  }

  /** Active series. */
  int size() {
    return size;
  }

  /** Series created so far, churned ones included. */
  long totalSeriesCreated() {
    return totalSeriesCreated;
  }

  int hostCount() {
    return hosts.size();
  }

  /**
   * Advances every series to the round at {@code timestampMillis}, one interval after the last
   * (replacing hosts first when a churn is due) and hands each series' labels and new value to
   * {@code sink}, in a fixed order.
   */
  void advance(long timestampMillis, SampleSink sink) {
    this.timestampMillis = timestampMillis;
    if (round > 0 && churnFraction > 0 && round % churnEveryRounds == 0) {
      int replace = (int) Math.ceil(hosts.size() * churnFraction);
      for (int k = 0; k < replace; k++) {
        int slot = churnCursor++ % hosts.size();
        hosts.set(slot, new Host(hosts.get(slot).cpuCycle, nextHostId++));
      }
    }
    round++;
    for (Host h : hosts) {
      for (Series s : h.series) {
        if (s instanceof NativeSeries n) {
          n.group.advance();
          sink.acceptHistogram(
              n.labels,
              NATIVE_SCHEMA,
              NATIVE_ZERO_THRESHOLD,
              0,
              n.group.sum,
              n.group.firstNonEmpty(),
              n.group.nonEmptyRange());
        } else {
          sink.accept(s.labels, s.next());
        }
      }
    }
  }

  /** A PromQL selector for the first series of the last host, e.g. for a restart check. */
  String probeSelector() {
    return hosts.get(hosts.size() - 1).series.get(0).selector;
  }

  /** The current value of the series {@link #probeSelector} names. */
  double probeValue() {
    return hosts.get(hosts.size() - 1).series.get(0).value;
  }

  /** Receives one series' sample of a round. */
  interface SampleSink {
    /** A float sample. */
    void accept(byte[] labels, double value);

    /**
     * An integer native histogram with positive buckets {@code firstIndex ..} of the given counts
     * (zeros allowed inside).
     */
    void acceptHistogram(
        byte[] labels,
        int schema,
        double zeroThreshold,
        long zeroCount,
        double sum,
        int firstIndex,
        long[] bucketCounts);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private double noise(double spread) {
    return Math.max(0, 1 + spread * random.nextGaussian());
  }

  private double lognormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  /** How one series' value moves from round to round. */
  private abstract static class Series {
    byte[] labels;
    String selector;
    double value;

    abstract double next();
  }

  /** A host and its series; replaced whole at a churn. */
  private final class Host {
    final int cpuCycle;
    final List<Series> series = new ArrayList<>();
    final String instance;
    final String apiInstance;
    final String dc;

    Host(int cpuCycle, int id) {
      this.cpuCycle = cpuCycle;
      String address = "10." + ((id >> 16) & 255) + "." + ((id >> 8) & 255) + "." + (id & 255);
      this.instance = address + ":9100";
      this.apiInstance = address + ":8080";
      this.dc = "dc" + (1 + id % 3);
      int cpus = CPU_COUNTS[cpuCycle % CPU_COUNTS.length];
      double bootSecondsAgo = 3600 * (1 + random.nextInt(24 * 30));
      for (int c = 0; c < cpus; c++) {
        for (int m = 0; m < CPU_MODES.length; m++) {
          double share = CPU_MODE_SHARE[m] * noise(0.3);
          add(
              counter(round2(bootSecondsAgo * share), share, 0.3, 0.01),
              "node_cpu_seconds_total",
              "cpu",
              Integer.toString(c),
              "mode",
              CPU_MODES[m]);
        }
      }
      double memTotal = (16L << 30) * (1 << random.nextInt(3));
      add(constant(memTotal), "node_memory_MemTotal_bytes");
      add(walk(memTotal * 0.2, memTotal * 0.002, 0, memTotal, 4096), "node_memory_MemFree_bytes");
      add(
          walk(memTotal * 0.5, memTotal * 0.002, 0, memTotal, 4096),
          "node_memory_MemAvailable_bytes");
      add(walk(memTotal * 0.02, memTotal * 0.0001, 0, memTotal, 4096), "node_memory_Buffers_bytes");
      add(walk(memTotal * 0.3, memTotal * 0.001, 0, memTotal, 4096), "node_memory_Cached_bytes");
      add(walk(memTotal * 0.4, memTotal * 0.001, 0, memTotal, 4096), "node_memory_Active_bytes");
      add(walk(memTotal * 0.2, memTotal * 0.001, 0, memTotal, 4096), "node_memory_Inactive_bytes");
      add(walk(1 << 20, 1 << 18, 0, 1 << 26, 4096), "node_memory_Dirty_bytes");
      add(constant(0), "node_memory_SwapTotal_bytes");
      add(constant(0), "node_memory_SwapFree_bytes");
      for (String[] fs : FILESYSTEMS) {
        double fsSize = 4096.0 * (1L << (22 + random.nextInt(6)));
        boolean busy = fs[2].equals("/") || fs[2].startsWith("/var");
        double step = busy ? fsSize * 1e-5 : 0;
        String[] l = {"device", fs[0], "fstype", fs[1], "mountpoint", fs[2]};
        add(constant(fsSize), "node_filesystem_size_bytes", l);
        add(walk(fsSize * 0.6, step, 0, fsSize, 4096), "node_filesystem_avail_bytes", l);
        add(walk(fsSize * 0.65, step, 0, fsSize, 4096), "node_filesystem_free_bytes", l);
        add(constant(fsSize / 16384), "node_filesystem_files", l);
        add(
            walk(fsSize / 20000, busy ? 3 : 0, 0, fsSize / 16384, 1),
            "node_filesystem_files_free",
            l);
      }
      for (String dev : NET_DEVICES) {
        double rate = lognormal(dev.equals("lo") ? 2e4 : 2e6, 1);
        for (String dir : new String[] {"receive", "transmit"}) {
          add(counter(0, rate, 0.4, 1), "node_network_" + dir + "_bytes_total", "device", dev);
          add(
              counter(0, rate / 900, 0.4, 1),
              "node_network_" + dir + "_packets_total",
              "device",
              dev);
          add(counter(0, 0.001, 3, 1), "node_network_" + dir + "_errs_total", "device", dev);
          add(counter(0, 0.01, 3, 1), "node_network_" + dir + "_drop_total", "device", dev);
        }
      }
      for (String disk : DISKS) {
        double rate = lognormal(5e6, 1);
        add(counter(0, rate * 0.3, 0.5, 512), "node_disk_read_bytes_total", "device", disk);
        add(counter(0, rate, 0.5, 512), "node_disk_written_bytes_total", "device", disk);
        add(counter(0, 0.05, 0.5, 0.001), "node_disk_io_time_seconds_total", "device", disk);
        add(counter(0, rate / 16384, 0.5, 1), "node_disk_reads_completed_total", "device", disk);
        add(counter(0, rate / 8192, 0.5, 1), "node_disk_writes_completed_total", "device", disk);
      }
      Walk load1 = walk(cpus * 0.3, cpus * 0.05, 0, cpus * 4, 0.01);
      add(load1, "node_load1");
      add(smoothed(load1, 5), "node_load5");
      add(smoothed(load1, 15), "node_load15");
      add(counter(0, lognormal(8000, 0.5) * cpus, 0.2, 1), "node_context_switches_total");
      add(counter(0, lognormal(4000, 0.5) * cpus, 0.2, 1), "node_intr_total");
      add(counter(0, 5, 0.5, 1), "node_forks_total");
      add(walk(2, 1, 1, cpus * 2, 1), "node_procs_running");
      add(walk(0, 0.3, 0, 4, 1), "node_procs_blocked");
      add(constant(Math.floor(startMillis / 1000.0 - bootSecondsAgo)), "node_boot_time_seconds");
      add(
          new Series() {
            @Override
            double next() {
              value = timestampMillis / 1000.0 + random.nextDouble() * 1e-3;
              return value;
            }
          },
          "node_time_seconds");
      add(constant(256), "node_entropy_available_bits");
      add(constant(1), "up");
      add(
          new Series() {
            @Override
            double next() {
              value = 0.01 + 0.04 * random.nextDouble();
              return value;
            }
          },
          "scrape_duration_seconds");
      add(constant(850 + cpus * 8), "scrape_samples_scraped");
      for (String[] hm : HANDLERS) {
        double median = hm[0].equals("/healthz") ? 0.002 : lognormal(0.05, 0.7);
        double rate = hm[0].equals("/healthz") ? 0.2 : lognormal(20, 1);
        if (histograms != Histograms.NATIVE) {
          addHistogram(hm[0], hm[1], "200", median, rate);
          addHistogram(hm[0], hm[1], "500", median * 3, rate * 0.01);
        }
        if (histograms != Histograms.CLASSIC) {
          add(
              new NativeSeries(new NativeGroup(median, rate)),
              "http_request_duration_seconds",
              apiLabels(hm[0], hm[1], "200"));
          add(
              new NativeSeries(new NativeGroup(median * 3, rate * 0.01)),
              "http_request_duration_seconds",
              apiLabels(hm[0], hm[1], "500"));
        }
      }
    }

    private void addHistogram(
        String handler, String method, String code, double median, double rate) {
      HistogramGroup g = new HistogramGroup(median, rate);
      for (int b = 0; b < BUCKETS.length; b++) {
        int bucket = b;
        add(
            new Series() {
              @Override
              double next() {
                if (bucket == 0) {
                  g.advance();
                }
                value = g.cumulative[bucket];
                return value;
              }
            },
            "http_request_duration_seconds_bucket",
            apiLabels(handler, method, code, "le", BUCKET_LABELS[b]));
      }
      add(
          new Series() {
            @Override
            double next() {
              value = g.sum;
              return value;
            }
          },
          "http_request_duration_seconds_sum",
          apiLabels(handler, method, code));
      add(
          new Series() {
            @Override
            double next() {
              value = g.cumulative[BUCKETS.length - 1];
              return value;
            }
          },
          "http_request_duration_seconds_count",
          apiLabels(handler, method, code));
    }

    private String[] apiLabels(String handler, String method, String code, String... more) {
      String[] l = new String[8 + more.length];
      l[0] = "code";
      l[1] = code;
      l[2] = "handler";
      l[3] = handler;
      l[4] = "method";
      l[5] = method;
      l[6] = "job";
      l[7] = "api";
      System.arraycopy(more, 0, l, 8, more.length);
      return l;
    }

    private void add(Series s, String name, String... labels) {
      TreeMap<String, String> sorted = new TreeMap<>();
      boolean api = false;
      for (int i = 0; i < labels.length; i += 2) {
        sorted.put(labels[i], labels[i + 1]);
        api |= labels[i].equals("job");
      }
      sorted.put("__name__", name);
      sorted.put("dc", dc);
      sorted.put("instance", api ? apiInstance : instance);
      sorted.putIfAbsent("job", "node");
      String[] pairs = new String[sorted.size() * 2];
      StringBuilder selector = new StringBuilder(name).append('{');
      int i = 0;
      for (var e : sorted.entrySet()) {
        pairs[i++] = e.getKey();
        pairs[i++] = e.getValue();
        if (!e.getKey().equals("__name__")) {
          if (selector.charAt(selector.length() - 1) != '{') {
            selector.append(',');
          }
          selector.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
        }
      }
      s.labels = WriteRequestEncoder.encodeLabels(pairs);
      s.selector = selector.append('}').toString();
      series.add(s);
      totalSeriesCreated++;
    }
  }

  /** A counter growing by {@code rate} per second with noise, in steps of {@code quantum}. */
  private Series counter(double start, double rate, double spread, double quantum) {
    double perUnit = Math.rint(1 / quantum);
    return new Series() {
      {
        value = start;
      }

      @Override
      double next() {
        double next = value + rate * intervalSeconds * noise(spread);
        // Dividing by a whole number keeps decimals short (0.3, not 0.30000000000000004).
        value =
            quantum < 1
                ? Math.round(next * perUnit) / perUnit
                : Math.round(next / quantum) * quantum;
        return value;
      }
    };
  }

  private Series constant(double v) {
    return new Series() {
      {
        value = v;
      }

      @Override
      double next() {
        return value;
      }
    };
  }

  private Walk walk(double start, double step, double min, double max, double quantum) {
    return new Walk(start, step, min, max, quantum);
  }

  /** A gauge that moves by a normal step, clamped to [min, max], in multiples of quantum. */
  private final class Walk extends Series {
    private final double step;
    private final double min;
    private final double max;
    private final double quantum;
    private double exact;

    Walk(double start, double step, double min, double max, double quantum) {
      this.exact = start;
      this.step = step;
      this.min = min;
      this.max = max;
      this.quantum = quantum;
    }

    @Override
    double next() {
      exact = Math.min(max, Math.max(min, exact + step * random.nextGaussian()));
      value = quantum >= 1 ? Math.round(exact / quantum) * quantum : round2(exact);
      return value;
    }
  }

  /** An exponentially smoothed copy of a walk (load5, load15), read after the walk moved. */
  private Series smoothed(Walk source, int minutes) {
    double alpha = 1 - Math.exp(-intervalSeconds / (60.0 * minutes));
    return new Series() {
      private double exact = Double.NaN;

      @Override
      double next() {
        exact = Double.isNaN(exact) ? source.value : exact + alpha * (source.value - exact);
        value = round2(exact);
        return value;
      }
    };
  }

  /** The state of one classic histogram: cumulative bucket counts and the sum. */
  private final class HistogramGroup {
    final double[] probability = new double[BUCKETS.length];
    final double[] midpoint = new double[BUCKETS.length];
    final double[] cumulative = new double[BUCKETS.length];
    final double rate;
    double sum;

    HistogramGroup(double median, double rate) {
      this.rate = rate;
      double sigma = 0.9;
      double previous = 0;
      double lower = 0;
      for (int b = 0; b < BUCKETS.length; b++) {
        double cdf = Double.isInfinite(BUCKETS[b]) ? 1 : lognormalCdf(BUCKETS[b], median, sigma);
        probability[b] = cdf - previous;
        previous = cdf;
        midpoint[b] = Double.isInfinite(BUCKETS[b]) ? lower * 1.5 : (lower + BUCKETS[b]) / 2;
        lower = BUCKETS[b];
      }
    }

    void advance() {
      double requests = rate * intervalSeconds * noise(0.3);
      double running = 0;
      for (int b = 0; b < BUCKETS.length; b++) {
        // Stochastic rounding keeps counts whole and their expectation exact.
        double inBucket = Math.floor(requests * probability[b] + random.nextDouble());
        running += inBucket;
        sum += inBucket * midpoint[b] * noise(0.1);
        cumulative[b] += running;
      }
    }
  }

  /** A native histogram series; its values go through {@link SampleSink#acceptHistogram}. */
  private static final class NativeSeries extends Series {
    final NativeGroup group;

    NativeSeries(NativeGroup group) {
      this.group = group;
    }

    @Override
    double next() {
      throw new UnsupportedOperationException("a native histogram has no float value");
    }
  }

  /** The state of one native histogram: cumulative counts per bucket index and the sum. */
  private final class NativeGroup {
    final int lowestIndex;
    final double[] probability;
    final double[] midpoint;
    final long[] counts;
    final double rate;
    double sum;

    NativeGroup(double median, double rate) {
      this.rate = rate;
      double sigma = 0.9;
      lowestIndex =
          dev.vigil.model.Histogram.bucketIndex(median * Math.exp(-5 * sigma), NATIVE_SCHEMA);
      int highest =
          dev.vigil.model.Histogram.bucketIndex(median * Math.exp(5 * sigma), NATIVE_SCHEMA);
      int n = highest - lowestIndex + 1;
      probability = new double[n];
      midpoint = new double[n];
      counts = new long[n];
      for (int i = 0; i < n; i++) {
        double lower = dev.vigil.model.Histogram.lowerBound(lowestIndex + i, NATIVE_SCHEMA);
        double upper = dev.vigil.model.Histogram.upperBound(lowestIndex + i, NATIVE_SCHEMA);
        probability[i] = lognormalCdf(upper, median, sigma) - lognormalCdf(lower, median, sigma);
        midpoint[i] = (lower + upper) / 2;
      }
    }

    void advance() {
      double requests = rate * intervalSeconds * noise(0.3);
      for (int i = 0; i < counts.length; i++) {
        long inBucket = (long) Math.floor(requests * probability[i] + random.nextDouble());
        counts[i] += inBucket;
        sum += inBucket * midpoint[i];
      }
    }

    int firstNonEmpty() {
      int i = 0;
      while (i < counts.length && counts[i] == 0) {
        i++;
      }
      return lowestIndex + (i == counts.length ? 0 : i);
    }

    long[] nonEmptyRange() {
      int lo = 0;
      while (lo < counts.length && counts[lo] == 0) {
        lo++;
      }
      int hi = counts.length;
      while (hi > lo && counts[hi - 1] == 0) {
        hi--;
      }
      return java.util.Arrays.copyOfRange(counts, lo, hi);
    }
  }

  private static double lognormalCdf(double x, double median, double sigma) {
    return 0.5 * erfc(-(Math.log(x / median)) / (sigma * Math.sqrt(2)));
  }

  /** Complementary error function, Numerical Recipes' erfcc (relative error below 1.2e-7). */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
