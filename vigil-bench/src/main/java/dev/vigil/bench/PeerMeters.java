package dev.vigil.bench;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.HdrHistogram.Recorder;

/**
 * The peers' instruments, configured once so that the benchmark and both reports measure the same
 * thing: names, label names and settings an application would use for HTTP server latency.
 */
final class PeerMeters {

  /** Micrometer's conventional name for server request timers. */
  static final String MICROMETER_NAME = "http.server.requests";

  /** OpenTelemetry's semantic-convention name, as Prometheus users spell it. */
  static final String PROMETHEUS_NAME = "http_server_request_duration_seconds";

  /** HdrHistogram's trackable range: 1 ns to {@link Latencies#MAX_NANOS}. */
  static final long HDR_HIGHEST_NANOS = Latencies.MAX_NANOS;

  private PeerMeters() {}

  /** A Prometheus-backed Micrometer registry with the given clock. */
  static PrometheusMeterRegistry micrometerRegistry(Clock clock) {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
  }

  /**
   * Registers (or finds) the timer of one endpoint, with the percentile histogram Prometheus users
   * turn on for histogram_quantile. Re-registering on every request is Micrometer's idiom for tags
   * known only at request time: the registry returns the existing meter (micrometer-metrics/
   * micrometer#535), and Spring Boot's server observation handler does exactly this.
   */
  static Timer micrometerTimer(
      PrometheusMeterRegistry registry, String method, String route, String status) {
    return Timer.builder(MICROMETER_NAME)
        .tags("method", method, "route", route, "status", status)
        .publishPercentileHistogram()
        .register(registry);
  }

  /**
   * A client_java histogram labelled by method, route and status: classic buckets only (the default
   * bucket bounds) or native buckets only (the default schema and bucket limit).
   *
   * <p>Exemplars are off. With the tracer initializer absent (it is excluded from this module's
   * dependencies because 1.7.0 publishes no jar for it) client_java's default exemplar sampler
   * fails with NoClassDefFoundError on the first observation; none of the other contestants keeps
   * exemplars either.
   */
  static Histogram prometheusHistogram(boolean classic) {
    Histogram.Builder builder =
        Histogram.builder()
            .name(PROMETHEUS_NAME)
            .help("HTTP server request duration")
            .labelNames("method", "route", "status")
            .withoutExemplars();
    return (classic ? builder.classicOnly() : builder.nativeOnly())
        .register(new PrometheusRegistry());
  }

  /** An HdrHistogram recorder over 1 ns .. 1 h with the given significant digits. */
  static Recorder hdrRecorder(int significantDigits) {
    return new Recorder(1, HDR_HIGHEST_NANOS, significantDigits);
  }
}
