package dev.vigil.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Endpoints by (method, route template), capped, with one overflow endpoint past the cap.
 *
 * <p>Assumptions and guarantees: lookups are lock-free and allocation-free; they probe a fixed
 * open-addressing array sized at construction for the cap, so it never resizes. Insertion (the
 * first request of an endpoint) takes the table's monitor, re-probes, and publishes the new entry
 * with a release store; a reader that races and sees an empty slot falls into the same locked path,
 * so an endpoint is never created twice. Entries are never removed.
 */
public final class EndpointTable {

  /** Method reported for requests that went past the cap. */
  public static final String OVERFLOW_METHOD = "_OTHER";

  /** Route reported for requests that went past the cap. */
  public static final String OVERFLOW_ROUTE = "_overflow";

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(EndpointStats[].class);

  private final EndpointStats[] slots;

  /**
   * Keys of the slots, apart from the mutable statistics: hash in the high half, method code in the
   * low half; and the route. Written once, before the slot is published, and never again, so a
   * lookup reads only cache lines that no recording thread writes. With the key read from the
   * endpoint's own object, the lookup shared lines with whatever the first recording thread
   * allocated next to it.
   */
  private final long[] keys;

  private final String[] routes;

  private final int mask;
  private final int maxEndpoints;
  private final EndpointStats overflow;

  /** Endpoints in creation order, for snapshots; guarded by {@code this}. */
  private final List<EndpointStats> all = new ArrayList<>();

  /** Number of endpoints created, excluding the overflow endpoint; written under {@code this}. */
  private volatile int size;

  /** Creates a table that holds at most {@code maxEndpoints} distinct endpoints. */
  public EndpointTable(int maxEndpoints) {
    if (maxEndpoints < 1 || maxEndpoints > 1 << 20) {
      throw new IllegalArgumentException("maxEndpoints out of range [1, 1048576]: " + maxEndpoints);
    }
    this.maxEndpoints = maxEndpoints;
    // Load factor at most 0.5 keeps probe sequences short without ever resizing.
    int capacity = Integer.highestOneBit(maxEndpoints * 2 - 1) << 1;
    this.slots = new EndpointStats[Math.max(capacity, 16)];
    this.keys = new long[slots.length];
    this.routes = new String[slots.length];
    this.mask = slots.length - 1;
    this.overflow = new EndpointStats(OVERFLOW_METHOD, OVERFLOW_ROUTE, -1, 0);
  }

  /**
   * Returns the endpoint for a method (by its {@link HttpMethods} code and canonical name) and
   * route, creating it if the cap allows, or the overflow endpoint otherwise.
   */
  public EndpointStats get(int methodCode, String method, String route) {
    int hash = route.hashCode() * 31 + methodCode;
    long key = key(hash, methodCode);
    int i = spread(hash) & mask;
    while (true) {
      EndpointStats e = (EndpointStats) SLOTS.getAcquire(slots, i);
      if (e == null) {
        return insert(methodCode, method, route, hash);
      }
      // keys[i] and routes[i] were written before the release store that published e.
      if (keys[i] == key) {
        String r = routes[i];
        if (r == route || r.equals(route)) {
          return e;
        }
      }
      i = (i + 1) & mask;
    }
  }

  /** True when {@code e} is the overflow endpoint. */
  public boolean isOverflow(EndpointStats e) {
    return e == overflow;
  }

  private synchronized EndpointStats insert(int methodCode, String method, String route, int hash) {
    int i = spread(hash) & mask;
    while (true) {
      EndpointStats e = slots[i];
      if (e == null) {
        break;
      }
      if (keys[i] == key(hash, methodCode) && routes[i].equals(route)) {
        return e;
      }
      i = (i + 1) & mask;
    }
    if (size >= maxEndpoints) {
      return overflow;
    }
    EndpointStats created = new EndpointStats(method, route, methodCode, hash);
    all.add(created);
    keys[i] = key(hash, methodCode);
    routes[i] = route;
    SLOTS.setRelease(slots, i, created);
    size = size + 1;
    return created;
  }

  /** Number of distinct endpoints, not counting the overflow endpoint. */
  public int size() {
    return size;
  }

  /** The endpoints created so far, then the overflow endpoint. */
  public synchronized List<EndpointStats> endpoints() {
    List<EndpointStats> copy = new ArrayList<>(all.size() + 1);
    copy.addAll(all);
    copy.add(overflow);
    return copy;
  }

  private static long key(int hash, int methodCode) {
    return ((long) hash << 32) | (methodCode & 0xFFFFFFFFL);
  }

  /** Murmur3's finaliser: route hashes of similar templates differ in few low bits. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }
}
