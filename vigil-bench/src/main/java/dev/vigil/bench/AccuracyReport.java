package dev.vigil.bench;

import dev.vigil.client.EndpointSnapshot;
import dev.vigil.client.Recorder;
import dev.vigil.model.Histogram;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Quantile accuracy of Vigil and its peers on the same seeded latencies: 1,000,000 from a lognormal
 * (median 100 ms, sigma 1) and 1,000,000 from a bimodal mixture (90% around 20 ms, 10% around 1.5
 * s). Exact quantiles come from the sorted sample ({@code sorted[ceil(q n) - 1]}).
 *
 * <p>Exits with status 1 if Vigil's error exceeds 1% at any quantile.
 *
 * <p>Run: {@code java -cp vigil-bench/target/benchmarks.jar dev.vigil.bench.AccuracyReport}.
 */
public final class AccuracyReport {

  static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

  private static final int SAMPLES = 1_000_000;
  private static final double MAX_VIGIL_ERROR_PERCENT = 1.0;
  private static final String ROUTE = "/api/accuracy/{id}";

  private AccuracyReport() {}

  /** Prints the tables; see the class comment for the exit status. */
  public static void main(String[] args) {
    Map<String, long[]> distributions = new LinkedHashMap<>();
    distributions.put(
        "lognormal", Latencies.lognormal(SAMPLES, Latencies.REALISTIC_MEDIAN_SECONDS, 1.0, 1));
    distributions.put("bimodal", Latencies.bimodal(SAMPLES, 2));

    List<String> names = null;
    TextTable values = null;
    TextTable errors = null;
    StringBuilder shapes = new StringBuilder();
    double worstVigil = 0;
    for (Map.Entry<String, long[]> d : distributions.entrySet()) {
      long[] nanos = d.getValue();
      Map<String, double[]> estimates = estimate(nanos, shapes, d.getKey());
      if (names == null) {
        names = List.copyOf(estimates.keySet());
        values = new TextTable(header("exact ms", names));
        errors = new TextTable(header("", names));
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      for (int k = 0; k < QUANTILES.length; k++) {
        double exact = exactQuantile(sorted, QUANTILES[k]) / 1e9;
        Object[] valueRow = new Object[names.size() + 3];
        Object[] errorRow = new Object[names.size() + 3];
        valueRow[0] = errorRow[0] = d.getKey();
        valueRow[1] = errorRow[1] = quantileLabel(QUANTILES[k]);
        valueRow[2] = millis(exact);
        errorRow[2] = "";
        for (int i = 0; i < names.size(); i++) {
          double estimate = estimates.get(names.get(i))[k];
          double error = 100 * (estimate - exact) / exact;
          valueRow[i + 3] = millis(estimate);
          errorRow[i + 3] = String.format(Locale.ROOT, "%+.2f%%", error);
          if (names.get(i).equals("vigil")) {
            worstVigil = Math.max(worstVigil, Math.abs(error));
          }
        }
        values.row(valueRow);
        errors.row(errorRow);
      }
    }
    System.out.printf(
        Locale.ROOT, "Quantile estimates, milliseconds (%,d samples each)%n%n", SAMPLES);
    System.out.print(values);
    System.out.printf("%nRelative error, (estimate - exact) / exact%n%n");
    System.out.print(errors);
    System.out.printf("%nBuckets held after the run%n%s", shapes);
    System.out.printf(
        Locale.ROOT,
        "%nColumns: vigil = Recorder snapshot, native-histogram quantile (schema 7);"
            + "%n  mm-pct = Micrometer publishPercentiles, client-side (percentile precision %d);"
            + "%n  mm-hist = histogram_quantile over Micrometer's publishPercentileHistogram buckets"
            + " as scraped;%n  prom-classic = histogram_quantile over client_java's default classic"
            + " buckets;%n  prom-native = client_java nativeOnly() defaults, read with Prometheus'"
            + " native histogram_quantile;%n  hdr-2, hdr-3 = HdrHistogram getValueAtPercentile"
            + " with 2 and 3 significant digits.%n",
        DistributionStatisticConfig.DEFAULT.getPercentilePrecision());
    boolean pass = worstVigil <= MAX_VIGIL_ERROR_PERCENT;
    System.out.printf(
        Locale.ROOT,
        "%nVigil's largest error: %.3f%% (limit %.1f%%): %s%n",
        worstVigil,
        MAX_VIGIL_ERROR_PERCENT,
        pass ? "PASS" : "FAIL");
    if (!pass) {
      System.exit(1);
    }
  }

  /** {@code sorted[ceil(q n) - 1]}, with q n rounded first so that 0.999 * 10^6 is 999000. */
  static long exactQuantile(long[] sorted, double q) {
    double position = q * sorted.length;
    long rank = (long) Math.ceil(position - Math.ulp(position) * 4);
    return sorted[(int) Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static Map<String, double[]> estimate(long[] nanos, StringBuilder shapes, String name) {
    Map<String, double[]> estimates = new LinkedHashMap<>();

    Recorder recorder = Recorder.create();
    for (long n : nanos) {
      recorder.record(RecordTarget.METHOD, ROUTE, RecordTarget.STATUS, n, null);
    }
    EndpointSnapshot endpoint = recorder.snapshot().endpoint(RecordTarget.METHOD, ROUTE);
    estimates.put("vigil", each(endpoint::quantileSeconds));

    // A clock that never moves keeps every sample in Micrometer's decaying percentile window.
    PrometheusMeterRegistry registry = PeerMeters.micrometerRegistry(new MockClock());
    Timer percentiles =
        Timer.builder("accuracy.percentiles").publishPercentiles(QUANTILES).register(registry);
    Timer histogram = PeerMeters.micrometerTimer(registry, "GET", ROUTE, "200");
    for (long n : nanos) {
      percentiles.record(n, TimeUnit.NANOSECONDS);
      histogram.record(n, TimeUnit.NANOSECONDS);
    }
    ValueAtPercentile[] published = percentiles.takeSnapshot().percentileValues();
    estimates.put("mm-pct", each(q -> micrometerPercentile(published, q)));
    HistogramDataPointSnapshot scraped = scrapedHistogram(registry);
    estimates.put("mm-hist", each(q -> ClassicQuantile.quantile(q, scraped.getClassicBuckets())));

    HistogramDataPointSnapshot classic = observe(PeerMeters.prometheusHistogram(true), nanos);
    estimates.put(
        "prom-classic", each(q -> ClassicQuantile.quantile(q, classic.getClassicBuckets())));
    HistogramDataPointSnapshot nativePoint = observe(PeerMeters.prometheusHistogram(false), nanos);
    Histogram nativeHistogram = NativeHistograms.toVigil(nativePoint);
    estimates.put("prom-native", each(nativeHistogram::quantile));

    for (int digits = 2; digits <= 3; digits++) {
      org.HdrHistogram.Recorder hdr = PeerMeters.hdrRecorder(digits);
      for (long n : nanos) {
        hdr.recordValue(n);
      }
      org.HdrHistogram.Histogram h = hdr.getIntervalHistogram();
      estimates.put("hdr-" + digits, each(q -> h.getValueAtPercentile(q * 100) / 1e9));
    }

    shapes.append(
        String.format(
            Locale.ROOT,
            "  %s: vigil schema %d, %d buckets; micrometer %d classic buckets; client_java classic"
                + " %d buckets; client_java native schema %d, %d buckets%n",
            name,
            endpoint.latency().schema(),
            endpoint.latency().positiveBucketCount(),
            scraped.getClassicBuckets().size(),
            classic.getClassicBuckets().size(),
            nativeHistogram.schema(),
            nativeHistogram.positiveBucketCount()));
    return estimates;
  }

  private static HistogramDataPointSnapshot observe(
      io.prometheus.metrics.core.metrics.Histogram histogram, long[] nanos) {
    DistributionDataPoint point = histogram.labelValues("GET", ROUTE, "200");
    for (long n : nanos) {
      point.observe(n / 1e9);
    }
    return histogram.collect().getDataPoints().get(0);
  }

  private static HistogramDataPointSnapshot scrapedHistogram(PrometheusMeterRegistry registry) {
    for (MetricSnapshot snapshot : registry.getPrometheusRegistry().scrape()) {
      if (snapshot instanceof HistogramSnapshot) {
        HistogramSnapshot histogram = (HistogramSnapshot) snapshot;
        for (HistogramDataPointSnapshot point : histogram.getDataPoints()) {
          if (point.getLabels().get("route") != null) {
            return point;
          }
        }
      }
    }
    throw new IllegalStateException("no percentile histogram in Micrometer's scrape");
  }

  private static double micrometerPercentile(ValueAtPercentile[] published, double q) {
    for (ValueAtPercentile v : published) {
      if (v.percentile() == q) {
        return v.value(TimeUnit.SECONDS);
      }
    }
    throw new IllegalStateException("Micrometer published no percentile " + q);
  }

  private interface Quantile {
    double at(double q);
  }

  private static double[] each(Quantile quantile) {
    double[] out = new double[QUANTILES.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = quantile.at(QUANTILES[k]);
    }
    return out;
  }

  private static String[] header(String third, List<String> names) {
    String[] header = new String[names.size() + 3];
    header[0] = "distribution";
    header[1] = "q";
    header[2] = third;
    for (int i = 0; i < names.size(); i++) {
      header[i + 3] = names.get(i);
    }
    return header;
  }

  private static String quantileLabel(double q) {
    return "P"
        + java.math.BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString();
  }

  private static String millis(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds * 1e3);
  }
}
