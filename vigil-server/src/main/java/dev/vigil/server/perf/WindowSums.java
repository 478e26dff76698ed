package dev.vigil.server.perf;

import dev.vigil.model.Histogram;
import dev.vigil.server.series.RequestSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sums of one window read, per endpoint: a latency {@link HistogramSum} and the requests per
 * status class, indexed by endpoint id. Reused from read to read (see {@link RequestStatsReader}):
 * after warm-up a read allocates no bucket arrays, only the figures it returns.
 *
 * <p>Confined to one thread from {@link #begin} to {@link #reset}.
 */
final class WindowSums {

  private EndpointKeys keys;
  private EndpointKeys.Snapshot snapshot;
  private HistogramSum[] latency = new HistogramSum[0];
  private double[] count = new double[0]; // without buckets: see addCount
  private double[] sum = new double[0];
  private boolean[] hasOther = new boolean[0];
  private long[] status = new long[0];
  private int[] touched = new int[16];
  private int touchedCount;
  private boolean[] isTouched = new boolean[0];
  private final HistogramSum total = new HistogramSum(RequestSeries.SCHEMA);

  /** Starts a read over the keys known to {@code keys}. */
  void begin(EndpointKeys keys) {
    this.keys = keys;
    refresh();
  }

  private void refresh() {
    snapshot = keys.snapshot();
    int n = snapshot.endpoints;
    if (n > latency.length) {
      latency = Arrays.copyOf(latency, Math.max(n, 2 * latency.length));
      count = Arrays.copyOf(count, latency.length);
      sum = Arrays.copyOf(sum, latency.length);
      hasOther = Arrays.copyOf(hasOther, latency.length);
      status = Arrays.copyOf(status, latency.length * BlockSums.STATUS);
      isTouched = Arrays.copyOf(isTouched, latency.length);
    }
  }

  /** The service id of key {@code key}. */
  int serviceOf(int key) {
    if (key >= snapshot.size) {
      refresh(); // registered by a block loaded during this read
    }
    return snapshot.serviceOfKey[key];
  }

  /** The endpoint id of key {@code key}. */
  int endpointOf(int key) {
    if (key >= snapshot.size) {
      refresh();
    }
    return snapshot.endpointOfKey[key];
  }

  private void touch(int endpoint) {
    if (!isTouched[endpoint]) {
      isTouched[endpoint] = true;
      if (touchedCount == touched.length) {
        touched = Arrays.copyOf(touched, 2 * touchedCount);
      }
      touched[touchedCount++] = endpoint;
    }
  }

  /** The latency sum of an endpoint, to add to. */
  HistogramSum latency(int endpoint) {
    touch(endpoint);
    HistogramSum h = latency[endpoint];
    if (h == null) {
      h = latency[endpoint] = new HistogramSum(RequestSeries.SCHEMA);
    }
    return h;
  }

  /**
   * Adds requests and their total time to an endpoint without their buckets (a summary needs only
   * these per endpoint), with those of {@code other} (a histogram kept aside), if not null.
   */
  void addCount(int endpoint, double requests, double seconds, Histogram other) {
    touch(endpoint);
    count[endpoint] += requests;
    sum[endpoint] += seconds;
    if (other != null) {
      count[endpoint] += other.count();
      sum[endpoint] += other.sum();
      hasOther[endpoint] = true;
    }
  }

  /** The latency sum of all endpoints, for reads that add to it directly. */
  HistogramSum total() {
    return total;
  }

  /** Requests per status class: {@code STATUS} per endpoint id, to add to. */
  long[] status() {
    return status;
  }

  /**
   * The figures of every endpoint with requests, and of all of them together when {@code withTotal}
   * (else {@code total} is null). With the total, the endpoints' own latency distributions are not
   * computed (the summary shows only their counts and averages; quantiles of every endpoint were
   * half of a summary's cost). With {@code counted}, the endpoints were added with {@link
   * #addCount} and the total to {@link #total()}, else to {@link #latency}.
   */
  RequestStatsReader.WindowStats stats(double apdexSeconds, boolean withTotal, boolean counted) {
    List<EndpointStats> out = new ArrayList<>(touchedCount);
    if (!counted) {
      total.reset();
    }
    for (int i = 0; i < touchedCount; i++) {
      int e = touched[i];
      long[] st = Arrays.copyOfRange(status, e * BlockSums.STATUS, (e + 1) * BlockSums.STATUS);
      String method = snapshot.methods[e];
      String route = snapshot.routes[e];
      if (counted) {
        if (count[e] != 0 || hasOther[e]) {
          out.add(EndpointStats.counts(method, route, count[e], sum[e], st));
        }
        continue;
      }
      HistogramSum h = latency[e];
      if (h.isEmpty()) {
        continue;
      }
      out.add(EndpointStats.of(method, route, h, st, apdexSeconds, !withTotal));
      if (withTotal) {
        total.add(h);
      }
    }
    EndpointStats all =
        withTotal
            ? EndpointStats.of("*", "*", total, new long[BlockSums.STATUS], apdexSeconds)
            : null;
    return new RequestStatsReader.WindowStats(out, all);
  }

  /** Clears the sums for the next read, keeping their arrays. */
  void reset() {
    for (int i = 0; i < touchedCount; i++) {
      int e = touched[i];
      if (latency[e] != null) {
        latency[e].reset();
      }
      count[e] = 0;
      sum[e] = 0;
      hasOther[e] = false;
      isTouched[e] = false;
      Arrays.fill(status, e * BlockSums.STATUS, (e + 1) * BlockSums.STATUS, 0);
    }
    touchedCount = 0;
    total.reset();
    keys = null;
    snapshot = null;
  }
}
