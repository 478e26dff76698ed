package dev.vigil.client;

import dev.vigil.client.internal.EndpointStats;
import dev.vigil.client.internal.EndpointTable;
import dev.vigil.client.internal.HttpMethods;
import dev.vigil.client.internal.SlowRequestRing;
import dev.vigil.client.internal.UserEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records every request of a service: per endpoint counts, errors, latency histogram, slow requests
 * with context, and the heaviest pseudonymous users.
 *
 * <p>Thread-safe. {@link #record(String, String, int, long, String)} never throws and never blocks:
 * it is lock-free and, after warm-up, allocation-free (a slow request allocates its record; user
 * events are pseudonymised in batches off the common path). Bad input is counted by {@link
 * RejectReason} and leaves the statistics untouched.
 */
public final class Recorder {

  /** Routes longer than this are refused: a raw path with a payload is not a template. */
  public static final int MAX_ROUTE_LENGTH = 1024;

  private static final RejectReason[] REASONS = RejectReason.values();

  private final EndpointTable endpoints;
  private final SlowRequestRing slowRequests;
  private final UserEvents users;
  private final Pseudonymizer pseudonymizer;
  private final long slowThresholdNanos;
  private final long maxDurationNanos;
  private final Clock clock;
  private final long startMillis;
  private final AtomicLong overflowed = new AtomicLong();
  private final AtomicLongArray rejected = new AtomicLongArray(REASONS.length);

  private Recorder(Builder b) {
    this.endpoints = new EndpointTable(b.maxEndpoints);
    this.slowRequests = new SlowRequestRing(b.slowRequestCapacity);
    this.pseudonymizer = b.pseudonymizer != null ? b.pseudonymizer : Pseudonymizer.withRandomKey();
    this.users = new UserEvents(b.userQueueSize, b.userCapacity, pseudonymizer);
    this.slowThresholdNanos = b.slowThreshold.toNanos();
    this.maxDurationNanos = b.maxDuration.toNanos();
    this.clock = b.clock;
    this.startMillis = clock.millis();
  }

  /** A recorder with the defaults: 1,000 endpoints, slow from 2 s, random pseudonym key. */
  public static Recorder create() {
    return builder().build();
  }

  /** Starts building a recorder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records one request.
   *
   * @param method request method, e.g. "GET"; non-standard methods are counted as "_OTHER"
   * @param route route template, e.g. "/api/users/{id}", never a raw path
   * @param statusCode response status, 100..599
   * @param durationNanos duration in nanoseconds, 0 to the maximum (24 hours by default)
   * @param user user identifier, or null; pseudonymised before it is kept
   */
  public void record(String method, String route, int statusCode, long durationNanos, String user) {
    RejectReason reason = check(method, route, statusCode, durationNanos);
    if (reason != null) {
      rejected.incrementAndGet(reason.ordinal());
      return;
    }
    int methodCode = HttpMethods.code(method);
    recordResolved(
        endpoints.get(methodCode, HttpMethods.name(methodCode), route),
        statusCode,
        durationNanos,
        user);
  }

  /** Records a validated request into a resolved endpoint. */
  void recordResolved(EndpointStats stats, int statusCode, long durationNanos, String user) {
    // Slow request and user event first, counters last: once a reader sees a request counted,
    // its slow-request record and user event are visible too.
    if (endpoints.isOverflow(stats)) {
      overflowed.incrementAndGet();
    }
    if (durationNanos >= slowThresholdNanos) {
      slowRequests.add(
          clock.millis(),
          stats.method(),
          stats.route(),
          statusCode,
          durationNanos,
          user == null || user.isEmpty() ? null : pseudonymizer.pseudonym(user));
    }
    if (user != null && !user.isEmpty()) {
      users.offer(user, durationNanos);
    }
    stats.record(statusCode, durationNanos);
  }

  /**
   * Returns a handle bound to one endpoint, for callers that know their route up front: it skips
   * the lookup on every request. The handle counts toward the endpoint cap like any request.
   *
   * @throws IllegalArgumentException if the method or route is invalid
   */
  public Endpoint endpoint(String method, String route) {
    RejectReason reason = check(method, route, 200, 0);
    if (reason != null) {
      throw new IllegalArgumentException(
          reason == RejectReason.INVALID_METHOD
              ? "invalid method: " + method
              : "invalid route: " + route);
    }
    int methodCode = HttpMethods.code(method);
    return new Endpoint(this, endpoints.get(methodCode, HttpMethods.name(methodCode), route));
  }

  /** Counts a rejected request; returns true when status and duration are valid. */
  boolean accept(int statusCode, long durationNanos) {
    RejectReason reason = checkValues(statusCode, durationNanos);
    if (reason != null) {
      rejected.incrementAndGet(reason.ordinal());
      return false;
    }
    return true;
  }

  /** Records one request with its duration as a {@link Duration}; see the main overload. */
  public void record(String method, String route, int statusCode, Duration duration, String user) {
    long nanos;
    if (duration == null) {
      rejected.incrementAndGet(RejectReason.NEGATIVE_DURATION.ordinal());
      return;
    }
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    record(method, route, statusCode, nanos, user);
  }

  private RejectReason check(String method, String route, int statusCode, long durationNanos) {
    if (method == null || method.isBlank()) {
      return RejectReason.INVALID_METHOD;
    }
    if (route == null || route.length() > MAX_ROUTE_LENGTH || route.isBlank()) {
      return RejectReason.INVALID_ROUTE;
    }
    return checkValues(statusCode, durationNanos);
  }

  private RejectReason checkValues(int statusCode, long durationNanos) {
    if (statusCode < 100 || statusCode > 599) {
      return RejectReason.INVALID_STATUS;
    }
    if (durationNanos < 0) {
      return RejectReason.NEGATIVE_DURATION;
    }
    if (durationNanos > maxDurationNanos) {
      return RejectReason.ABSURD_DURATION;
    }
    return null;
  }

  /** Takes a snapshot with every retained slow request and the top 20 users. */
  public RecorderSnapshot snapshot() {
    return snapshot(0, 20);
  }

  /**
   * Takes a snapshot.
   *
   * @param slowAfterSequence include slow requests with a sequence above this one
   * @param userLimit how many of the heaviest users to include in each ranking
   */
  public RecorderSnapshot snapshot(long slowAfterSequence, int userLimit) {
    List<EndpointSnapshot> list = new ArrayList<>();
    for (EndpointStats e : endpoints.endpoints()) {
      EndpointStats.Snapshot s = e.snapshot();
      if (s.count() == 0) {
        continue;
      }
      long[] c = s.countsByStatusClass();
      list.add(
          new EndpointSnapshot(
              e.method(),
              e.route(),
              s.count(),
              c[0],
              c[1],
              c[2],
              c[3],
              c[4],
              s.sumNanos(),
              s.minNanos(),
              s.maxNanos(),
              s.histogram()));
    }
    Map<RejectReason, Long> rejectedByReason = new EnumMap<>(RejectReason.class);
    for (RejectReason r : REASONS) {
      rejectedByReason.put(r, rejected.get(r.ordinal()));
    }
    return new RecorderSnapshot(
        clock.millis(),
        startMillis,
        list,
        slowRequests.since(slowAfterSequence),
        users.topByCount(userLimit),
        users.topByTime(userLimit),
        overflowed.get(),
        rejectedByReason,
        users.dropped());
  }

  /** Number of distinct endpoints recorded, not counting overflow. */
  public int endpointCount() {
    return endpoints.size();
  }

  /** The pseudonymizer this recorder applies to user identifiers. */
  public Pseudonymizer pseudonymizer() {
    return pseudonymizer;
  }

  /** Total slow requests seen since start (the ring keeps only the most recent). */
  public long slowRequestTotal() {
    return slowRequests.total();
  }

  /** Builder of {@link Recorder}. */
  public static final class Builder {
    private int maxEndpoints = 1000;
    private Duration slowThreshold = Duration.ofSeconds(2);
    private int slowRequestCapacity = 256;
    private Pseudonymizer pseudonymizer;
    private int userCapacity = 1000;
    private int userQueueSize = 4096;
    private Duration maxDuration = Duration.ofHours(24);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Distinct endpoints kept before requests go to the overflow endpoint (default 1,000). */
    public Builder maxEndpoints(int maxEndpoints) {
      this.maxEndpoints = maxEndpoints;
      return this;
    }

    /** Duration from which a request is slow and kept with its context (default 2 s). */
    public Builder slowThreshold(Duration slowThreshold) {
      if (slowThreshold == null || slowThreshold.isNegative()) {
        throw new IllegalArgumentException("slow threshold must be >= 0: " + slowThreshold);
      }
      this.slowThreshold = slowThreshold;
      return this;
    }

    /** How many of the most recent slow requests to keep (default 256). */
    public Builder slowRequestCapacity(int capacity) {
      this.slowRequestCapacity = capacity;
      return this;
    }

    /** Secret key for pseudonymising users, at least 16 bytes (default: random per process). */
    public Builder userKey(byte[] key) {
      this.pseudonymizer = Pseudonymizer.withKey(key);
      return this;
    }

    /** Users tracked by each heavy-hitters summary (default 1,000). */
    public Builder userCapacity(int capacity) {
      this.userCapacity = capacity;
      return this;
    }

    /** Size of the queue in front of the user summaries, a power of two (default 4,096). */
    public Builder userQueueSize(int size) {
      this.userQueueSize = size;
      return this;
    }

    /** Longest duration accepted; longer ones are refused as absurd (default 24 h). */
    public Builder maxDuration(Duration maxDuration) {
      if (maxDuration == null
          || maxDuration.isNegative()
          || maxDuration.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("max duration must be within 0..24 h: " + maxDuration);
      }
      this.maxDuration = maxDuration;
      return this;
    }

    /** Clock for timestamps (default UTC system clock); tests inject a fixed one. */
    public Builder clock(Clock clock) {
      this.clock = java.util.Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the recorder. */
    public Recorder build() {
      return new Recorder(this);
    }
  }
}
