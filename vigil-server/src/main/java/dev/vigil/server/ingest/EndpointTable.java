package dev.vigil.server.ingest;

import dev.vigil.model.Labels;
import dev.vigil.server.series.RequestSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Numbers endpoints (service, instance, method, route) given as numbers of name dictionaries, and
 * keeps each one's names and, once asked for, its series labels. The Jackson path uses one per
 * batch; the scanner keeps one per thread across batches ({@link ScannerNames}), so that an
 * endpoint's labels are found by number instead of through {@code RequestSeries}' map, whose
 * lookups with a batch's fresh strings cost 5% of ingest CPU. Not thread-safe.
 */
final class EndpointTable {
  private final KeyNumbering serviceInstances = new KeyNumbering(4);
  private final KeyNumbering numbers = new KeyNumbering(256);
  private final List<String[]> names = new ArrayList<>(); // service, instance, method, route
  private Labels[][] labels = new Labels[64][];
  // By route and method (route number * 8 + method number mod 8): the (service, instance, method)
  // numbers packed + 1 and the endpoint they last made. A route and method mostly come with the
  // same service and instance, so this answers most events with two array reads instead of two
  // hash lookups.
  private long[] lastKeyOfRoute = new long[64];
  private int[] lastEndpointOfRoute = new int[64];

  /** Number of endpoints. */
  int size() {
    return names.size();
  }

  /**
   * The number of the endpoint with these dictionary numbers, numbering it (with its names) if it
   * is new.
   */
  int number(
      int serviceNumber,
      int instanceNumber,
      int methodNumber,
      int routeNumber,
      String service,
      String instance,
      String method,
      String route) {
    boolean cacheable =
        routeNumber < (1 << 16) && (serviceNumber | instanceNumber | methodNumber) < (1 << 20);
    long key = (((long) serviceNumber << 40) | ((long) instanceNumber << 20) | methodNumber) + 1;
    int c = (routeNumber << 3) | (methodNumber & 7);
    if (cacheable && c < lastKeyOfRoute.length && lastKeyOfRoute[c] == key) {
      return lastEndpointOfRoute[c];
    }
    int si = serviceInstances.number(serviceNumber, instanceNumber);
    int before = numbers.size();
    int e = numbers.number(si, ((long) methodNumber << 32) | (routeNumber & 0xFFFFFFFFL));
    if (numbers.size() > before) {
      names.add(new String[] {service, instance, method, route});
    }
    if (cacheable) {
      if (c >= lastKeyOfRoute.length) {
        int capacity = Math.max(c + 1, lastKeyOfRoute.length * 2);
        lastKeyOfRoute = Arrays.copyOf(lastKeyOfRoute, capacity);
        lastEndpointOfRoute = Arrays.copyOf(lastEndpointOfRoute, capacity);
      }
      lastKeyOfRoute[c] = key;
      lastEndpointOfRoute[c] = e;
    }
    return e;
  }

  String service(int endpoint) {
    return names.get(endpoint)[0];
  }

  String instance(int endpoint) {
    return names.get(endpoint)[1];
  }

  String method(int endpoint) {
    return names.get(endpoint)[2];
  }

  String route(int endpoint) {
    return names.get(endpoint)[3];
  }

  /** The delta series' labels of an endpoint, as {@link RequestSeries#deltaLabels}. */
  Labels[] labels(int endpoint) {
    if (endpoint >= labels.length) {
      labels = Arrays.copyOf(labels, Math.max(endpoint + 1, labels.length * 2));
    }
    Labels[] l = labels[endpoint];
    if (l == null) {
      l =
          RequestSeries.deltaLabels(
              service(endpoint), instance(endpoint), method(endpoint), route(endpoint));
      labels[endpoint] = l;
    }
    return l;
  }
}
