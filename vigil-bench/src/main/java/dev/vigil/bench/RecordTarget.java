package dev.vigil.bench;

import dev.vigil.client.Endpoint;
import dev.vigil.client.Recorder;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One library recording a request in one way: with a label lookup on every call ({@code lookup}) or
 * through a handle resolved up front ({@code bound}). Every request is a GET with status 200.
 *
 * <p>The benchmark calls through this interface so that the hot path holds no switch on the
 * library. JMH forks a JVM per parameter combination and each fork creates exactly one
 * implementation, so the call site is monomorphic and inlined behind one class check: the same
 * small cost for every library.
 */
interface RecordTarget {

  /** The library names accepted by {@link #create}. */
  String[] LIBRARIES = {"vigil", "micrometer", "promClassic", "promNative", "hdr"};

  /** Method of every request. */
  String METHOD = "GET";

  /** Status of every request, as an int for Vigil. */
  int STATUS = 200;

  /** Status of every request, as the string label the peers take. */
  String STATUS_LABEL = "200";

  /**
   * Significant digits of the benchmark's HdrHistogram: 2 (1% resolution), the setting closest to
   * Vigil's 0.55% without being finer. recordValue runs the same code at any setting; only the
   * counts array, and so its cache footprint, is larger at 3.
   */
  int HDR_DIGITS = 2;

  /** Records one request to route {@code route} (an index into the routes) of {@code nanos}. */
  void record(int route, long nanos);

  /** Route templates {@code /api/r{i}/{id}} for i in [0, count), built once. */
  static String[] routes(int count) {
    String[] routes = new String[count];
    for (int i = 0; i < count; i++) {
      routes[i] = "/api/r" + i + "/{id}";
    }
    return routes;
  }

  /**
   * Creates the target for one library and mode over the given routes.
   *
   * @param library one of {@link #LIBRARIES}
   * @param mode {@code lookup} or {@code bound}
   */
  static RecordTarget create(String library, String mode, String[] routes) {
    boolean bound;
    if (mode.equals("bound")) {
      bound = true;
    } else if (mode.equals("lookup")) {
      bound = false;
    } else {
      throw new IllegalArgumentException("unknown mode: " + mode);
    }
    switch (library) {
      case "vigil":
        Recorder recorder = Recorder.create();
        return bound ? new VigilBound(recorder, routes) : new VigilLookup(recorder, routes);
      case "micrometer":
        // The system clock, as in production: Micrometer reads it on each record for its max.
        PrometheusMeterRegistry registry = PeerMeters.micrometerRegistry(Clock.SYSTEM);
        return bound
            ? new MicrometerBound(registry, routes)
            : new MicrometerLookup(registry, routes);
      case "promClassic":
      case "promNative":
        Histogram histogram = PeerMeters.prometheusHistogram(library.equals("promClassic"));
        return bound
            ? new PrometheusBound(histogram, routes)
            : new PrometheusLookup(histogram, routes);
      case "hdr":
        return bound ? new HdrBound(routes) : new HdrLookup(routes);
      default:
        throw new IllegalArgumentException("unknown library: " + library);
    }
  }

  /** Vigil, resolving method and route on every call. */
  final class VigilLookup implements RecordTarget {
    private final Recorder recorder;
    private final String[] routes;

    VigilLookup(Recorder recorder, String[] routes) {
      this.recorder = recorder;
      this.routes = routes;
    }

    @Override
    public void record(int route, long nanos) {
      recorder.record(METHOD, routes[route], STATUS, nanos, null);
    }
  }

  /** Vigil through pre-bound endpoint handles. */
  final class VigilBound implements RecordTarget {
    private final Endpoint[] endpoints;

    VigilBound(Recorder recorder, String[] routes) {
      endpoints = new Endpoint[routes.length];
      for (int i = 0; i < routes.length; i++) {
        endpoints[i] = recorder.endpoint(METHOD, routes[i]);
      }
    }

    @Override
    public void record(int route, long nanos) {
      endpoints[route].record(STATUS, nanos, null);
    }
  }

  /** Micrometer, building and registering the timer on every call. */
  final class MicrometerLookup implements RecordTarget {
    private final PrometheusMeterRegistry registry;
    private final String[] routes;

    MicrometerLookup(PrometheusMeterRegistry registry, String[] routes) {
      this.registry = registry;
      this.routes = routes;
    }

    @Override
    public void record(int route, long nanos) {
      PeerMeters.micrometerTimer(registry, METHOD, routes[route], STATUS_LABEL)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Micrometer through timers registered up front. */
  final class MicrometerBound implements RecordTarget {
    private final Timer[] timers;

    MicrometerBound(PrometheusMeterRegistry registry, String[] routes) {
      timers = new Timer[routes.length];
      for (int i = 0; i < routes.length; i++) {
        timers[i] = PeerMeters.micrometerTimer(registry, METHOD, routes[i], STATUS_LABEL);
      }
    }

    @Override
    public void record(int route, long nanos) {
      timers[route].record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** client_java, resolving the label values on every call; observes seconds. */
  final class PrometheusLookup implements RecordTarget {
    private final Histogram histogram;
    private final String[] routes;

    PrometheusLookup(Histogram histogram, String[] routes) {
      this.histogram = histogram;
      this.routes = routes;
    }

    @Override
    public void record(int route, long nanos) {
      histogram.labelValues(METHOD, routes[route], STATUS_LABEL).observe(nanos / 1e9);
    }
  }

  /** client_java through data points resolved up front. */
  final class PrometheusBound implements RecordTarget {
    private final DistributionDataPoint[] points;

    PrometheusBound(Histogram histogram, String[] routes) {
      points = new DistributionDataPoint[routes.length];
      for (int i = 0; i < routes.length; i++) {
        points[i] = histogram.labelValues(METHOD, routes[i], STATUS_LABEL);
      }
    }

    @Override
    public void record(int route, long nanos) {
      points[route].observe(nanos / 1e9);
    }
  }

  /**
   * HdrHistogram, one {@link org.HdrHistogram.Recorder} per label set found through nested
   * concurrent maps method -> route -> status: three lookups and no allocation, where a composite
   * key object would allocate on every call.
   */
  final class HdrLookup implements RecordTarget {
    private final ConcurrentHashMap<
            String, ConcurrentHashMap<String, ConcurrentHashMap<String, org.HdrHistogram.Recorder>>>
        byMethod = new ConcurrentHashMap<>();
    private final String[] routes;

    HdrLookup(String[] routes) {
      this.routes = routes;
    }

    @Override
    public void record(int route, long nanos) {
      recorder(METHOD, routes[route], STATUS_LABEL).recordValue(nanos);
    }

    private org.HdrHistogram.Recorder recorder(String method, String route, String status) {
      var byRoute = byMethod.get(method);
      if (byRoute == null) {
        byRoute = byMethod.computeIfAbsent(method, k -> new ConcurrentHashMap<>());
      }
      var byStatus = byRoute.get(route);
      if (byStatus == null) {
        byStatus = byRoute.computeIfAbsent(route, k -> new ConcurrentHashMap<>());
      }
      org.HdrHistogram.Recorder recorder = byStatus.get(status);
      if (recorder == null) {
        recorder = byStatus.computeIfAbsent(status, k -> PeerMeters.hdrRecorder(HDR_DIGITS));
      }
      return recorder;
    }
  }

  /** HdrHistogram through recorders created up front. */
  final class HdrBound implements RecordTarget {
    private final org.HdrHistogram.Recorder[] recorders;

    HdrBound(String[] routes) {
      recorders = new org.HdrHistogram.Recorder[routes.length];
      for (int i = 0; i < routes.length; i++) {
        recorders[i] = PeerMeters.hdrRecorder(HDR_DIGITS);
      }
    }

    @Override
    public void record(int route, long nanos) {
      recorders[route].recordValue(nanos);
    }
  }
}
