package dev.vigil.bench;

import dev.vigil.client.Endpoint;
import dev.vigil.client.Recorder;
import dev.vigil.client.internal.EndpointStats;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import java.lang.reflect.Field;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Memory retained per endpoint by Vigil and its peers after 100,000 requests, measured with JOL.
 *
 * <p>Two figures per library. <b>Marginal</b>: the JOL graph size of the library's whole state
 * (Vigil's {@link Recorder}, Micrometer's registry, client_java's histogram metric, HdrHistogram's
 * map of recorders) holding endpoints A and B, less the same state holding only A. Taking the
 * second endpoint rather than the first leaves out what a library allocates once per metric name
 * (collectors, first map tables). Before the requests, every container receives 256 requests of 3 s
 * on A, so that Vigil's slow-request ring (global, bounded at 256) is full in both states and
 * counts for neither. The peers label by exact status, so for them an endpoint with 200, 404 and
 * 500 responses is three series. <b>Object</b>: the JOL graph of the per-series object alone:
 * Vigil's internal {@code EndpointStats} (reached through the {@link Endpoint} handle by
 * reflection), Micrometer's Timer (its graph includes the shared clock), HdrHistogram's Recorder
 * for status 200; client_java's data point has none, since it references its parent metric.
 *
 * <p>Cases: realistic (lognormal, median 100 ms, sigma 1; 95% 200, 4% 404, 1% 500) and wide (spread
 * evenly over the logarithm of 1 µs .. 60 s, same statuses). Exits with status 1 if Vigil's {@code
 * EndpointStats} exceeds 16 KiB in the realistic case.
 *
 * <p>Run: {@code java -Djdk.attach.allowAttachSelf=true -cp vigil-bench/target/benchmarks.jar
 * dev.vigil.bench.MemoryReport}.
 */
public final class MemoryReport {

  private static final int REQUESTS = 100_000;
  private static final long LIMIT_BYTES = 16 * 1024;
  private static final String ROUTE_A = "/api/users/{id}";
  private static final String ROUTE_B = "/api/orders/{id}";
  private static final String METHOD = "GET";

  private MemoryReport() {}

  /** A library's whole recording state. */
  private interface Subject {
    /** The root of everything the library keeps. */
    Object root();

    void record(String route, int status, long nanos);

    /** The per-series object for (route, 200), or null where it has none of its own. */
    Object series(String route);
  }

  /** Prints the table; see the class comment for the exit status. */
  public static void main(String[] args) throws ReflectiveOperationException {
    System.out.println(VM.current().details());
    long[] realistic = Latencies.realistic(REQUESTS, 7);
    long[] wide = Latencies.logUniform(REQUESTS, 1e-6, 60, 8);
    int[] statuses = Latencies.statuses(REQUESTS, 9);

    TextTable table = new TextTable("library", "case", "series", "marginal bytes", "object bytes");
    long vigilRealistic = -1;
    String[] names = {"vigil", "micrometer", "promClassic", "promNative", "hdr-2", "hdr-3"};
    for (String name : names) {
      Supplier<Subject> factory = factory(name);
      for (int c = 0; c < 2; c++) {
        long[] nanos = c == 0 ? realistic : wide;
        Subject one = factory.get();
        fill(one, ROUTE_A, nanos, statuses);
        Subject two = factory.get();
        fill(two, ROUTE_A, nanos, statuses);
        record(two, ROUTE_B, nanos, statuses);
        long marginal = size(two.root()) - size(one.root());
        Object series = two.series(ROUTE_B);
        long object = series == null ? -1 : size(series);
        if (name.equals("vigil") && c == 0) {
          vigilRealistic = object;
        }
        table.row(
            name,
            c == 0 ? "realistic" : "wide 1us..60s",
            name.equals("vigil") ? 1 : 3,
            String.format(Locale.ROOT, "%,d", marginal),
            object < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", object));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Retained memory per endpoint after %,d requests (JOL graph sizes)%n%n",
        REQUESTS);
    System.out.print(table);
    boolean pass = vigilRealistic >= 0 && vigilRealistic <= LIMIT_BYTES;
    System.out.printf(
        Locale.ROOT,
        "%nVigil EndpointStats, realistic case: %,d bytes (limit %,d): %s%n",
        vigilRealistic,
        LIMIT_BYTES,
        pass ? "PASS" : "FAIL");
    if (!pass) {
      System.exit(1);
    }
  }

  private static long size(Object root) {
    return GraphLayout.parseInstance(root).totalSize();
  }

  /** 256 slow requests on the route, then the workload. */
  private static void fill(Subject subject, String route, long[] nanos, int[] statuses) {
    long slow = TimeUnit.SECONDS.toNanos(3);
    for (int i = 0; i < 256; i++) {
      subject.record(route, 200, slow);
    }
    record(subject, route, nanos, statuses);
  }

  private static void record(Subject subject, String route, long[] nanos, int[] statuses) {
    for (int i = 0; i < nanos.length; i++) {
      subject.record(route, statuses[i], nanos[i]);
    }
  }

  private static String label(int status) {
    switch (status) {
      case 200:
        return "200";
      case 404:
        return "404";
      case 500:
        return "500";
      default:
        return Integer.toString(status);
    }
  }

  private static Supplier<Subject> factory(String name) throws ReflectiveOperationException {
    switch (name) {
      case "vigil":
        Field stats = Endpoint.class.getDeclaredField("stats");
        stats.setAccessible(true);
        return () -> vigil(stats);
      case "micrometer":
        return MemoryReport::micrometer;
      case "promClassic":
        return () -> prometheus(true);
      case "promNative":
        return () -> prometheus(false);
      case "hdr-2":
        return () -> hdr(2);
      case "hdr-3":
        return () -> hdr(3);
      default:
        throw new IllegalArgumentException("unknown library: " + name);
    }
  }

  private static Subject vigil(Field stats) {
    Recorder recorder = Recorder.create();
    return new Subject() {
      @Override
      public Object root() {
        return recorder;
      }

      @Override
      public void record(String route, int status, long nanos) {
        recorder.record(METHOD, route, status, nanos, null);
      }

      @Override
      public Object series(String route) {
        try {
          return (EndpointStats) stats.get(recorder.endpoint(METHOD, route));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private static Subject micrometer() {
    PrometheusMeterRegistry registry = PeerMeters.micrometerRegistry(Clock.SYSTEM);
    return new Subject() {
      @Override
      public Object root() {
        return registry;
      }

      @Override
      public void record(String route, int status, long nanos) {
        PeerMeters.micrometerTimer(registry, METHOD, route, label(status))
            .record(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public Object series(String route) {
        return PeerMeters.micrometerTimer(registry, METHOD, route, "200");
      }
    };
  }

  private static Subject prometheus(boolean classic) {
    Histogram histogram = PeerMeters.prometheusHistogram(classic);
    return new Subject() {
      @Override
      public Object root() {
        return histogram;
      }

      @Override
      public void record(String route, int status, long nanos) {
        histogram.labelValues(METHOD, route, label(status)).observe(nanos / 1e9);
      }

      @Override
      public Object series(String route) {
        return null;
      }
    };
  }

  private static Subject hdr(int digits) {
    ConcurrentHashMap<String, ConcurrentHashMap<String, org.HdrHistogram.Recorder>> byRoute =
        new ConcurrentHashMap<>();
    return new Subject() {
      @Override
      public Object root() {
        return byRoute;
      }

      @Override
      public void record(String route, int status, long nanos) {
        recorder(route, label(status)).recordValue(nanos);
      }

      @Override
      public Object series(String route) {
        return recorder(route, "200");
      }

      private org.HdrHistogram.Recorder recorder(String route, String status) {
        return byRoute
            .computeIfAbsent(route, k -> new ConcurrentHashMap<>())
            .computeIfAbsent(status, k -> PeerMeters.hdrRecorder(digits));
      }
    };
  }
}
