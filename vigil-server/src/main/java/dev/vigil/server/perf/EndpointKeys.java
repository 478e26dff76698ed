package dev.vigil.server.perf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Small integer ids for the (service, method, route) keys of the request series and for their
 * endpoints (method, route) and services, so that cached blocks and window sums are arrays indexed
 * by id instead of maps keyed by records (hashing three strings per block entry cost 10% of a
 * 24-hour read for 200 endpoints).
 *
 * <p>Assumptions and guarantees: ids only grow (a key keeps its id for the life of the reader;
 * there is one key per endpoint and service, as many as there are latency series). Registration is
 * guarded by this object's monitor; readers take a {@link #snapshot()} without locking: it is an
 * immutable view published through a volatile field, whose arrays are written only beyond its size
 * and replaced, never written, once full.
 */
final class EndpointKeys {

  /** An immutable view of the first {@code size} keys. */
  static final class Snapshot {
    final int size;
    final int[] endpointOfKey;
    final int[] serviceOfKey;
    final int endpoints;
    final String[] methods; // by endpoint id
    final String[] routes; // by endpoint id

    Snapshot(
        int size,
        int[] endpointOfKey,
        int[] serviceOfKey,
        int endpoints,
        String[] methods,
        String[] routes) {
      this.size = size;
      this.endpointOfKey = endpointOfKey;
      this.serviceOfKey = serviceOfKey;
      this.endpoints = endpoints;
      this.methods = methods;
      this.routes = routes;
    }
  }

  private record Key(String service, String method, String route) {}

  private record Endpoint(String method, String route) {}

  // Guarded by this.
  private final Map<Key, Integer> keys = new HashMap<>();
  private final Map<Endpoint, Integer> endpoints = new HashMap<>();
  private final Map<String, Integer> services = new HashMap<>();
  private int[] endpointOfKey = new int[64];
  private int[] serviceOfKey = new int[64];
  private String[] methods = new String[64];
  private String[] routes = new String[64];

  private volatile Snapshot snapshot =
      new Snapshot(0, endpointOfKey, serviceOfKey, 0, methods, routes);

  /** The id of a key, registered on first sight. */
  synchronized int key(String service, String method, String route) {
    Key k = new Key(service, method, route);
    Integer id = keys.get(k);
    if (id != null) {
      return id;
    }
    int endpoint =
        endpoints.computeIfAbsent(
            new Endpoint(method, route),
            e -> {
              int n = endpoints.size();
              if (n == methods.length) {
                methods = Arrays.copyOf(methods, 2 * n);
                routes = Arrays.copyOf(routes, 2 * n);
              }
              methods[n] = method;
              routes[n] = route;
              return n;
            });
    int service0 = services.computeIfAbsent(service, s -> services.size());
    int n = keys.size();
    if (n == endpointOfKey.length) {
      endpointOfKey = Arrays.copyOf(endpointOfKey, 2 * n);
      serviceOfKey = Arrays.copyOf(serviceOfKey, 2 * n);
    }
    endpointOfKey[n] = endpoint;
    serviceOfKey[n] = service0;
    keys.put(k, n);
    snapshot = new Snapshot(n + 1, endpointOfKey, serviceOfKey, endpoints.size(), methods, routes);
    return n;
  }

  /** The id of a service, or -1 if no key of it was seen. */
  synchronized int service(String service) {
    Integer id = services.get(service);
    return id == null ? -1 : id;
  }

  /** The keys registered so far. */
  Snapshot snapshot() {
    return snapshot;
  }
}
