package dev.vigil.client.push;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.Recorder;
import dev.vigil.client.jvm.JvmMetrics;
import dev.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes a {@link Recorder}'s snapshots and the JVM metrics to a Vigil server at a fixed interval,
 * as specified in {@code docs/format/push.md}.
 *
 * <p>Assumptions and guarantees: request threads never touch the reporter; they only record into
 * the recorder. A collector (the scheduler) snapshots, encodes and gzips a batch into a bounded
 * queue, dropping the oldest batch when full; one daemon sender thread posts batches in order,
 * retrying 429, 5xx and I/O errors with jittered exponential backoff. Counters are cumulative, so a
 * dropped batch costs time resolution, not counts; slow requests are sent from the last
 * acknowledged sequence, so those of a dropped batch ride with the next one. Nothing here throws
 * into the application or logs; failures are counted in {@link #stats()}. The bearer token never
 * appears in a message, exception or {@link #toString()}.
 */
public final class PushReporter implements AutoCloseable {

  /** Path appended to the server URI. */
  public static final String PUSH_PATH = "/api/v1/push";

  private final Recorder recorder;
  private final URI pushUri;
  private final String service;
  private final String instance;
  private final Duration interval;
  private final Duration requestTimeout;
  private final Duration closeTimeout;
  private final int userLimit;
  private final Supplier<List<MetricFamily>> jvmMetrics;
  private final PushSender sender;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;

  /** Gzipped batches waiting for the sender thread; bounded, oldest dropped first. */
  private final LinkedBlockingDeque<Pending> queue;

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Set once by {@link #start()}, which {@link #started} guards. */
  private volatile Thread senderThread;

  private volatile ScheduledFuture<?> task;

  private PushReporter(Builder b) {
    this.recorder = b.recorder;
    this.pushUri = pushUri(b.server);
    this.service = b.service;
    this.instance =
        b.instance != null ? b.instance : ManagementFactory.getRuntimeMXBean().getName();
    this.interval = b.interval;
    this.requestTimeout = b.requestTimeout;
    this.closeTimeout = b.closeTimeout;
    this.userLimit = b.userLimit;
    this.jvmMetrics = b.jvmMetrics;
    this.queue = new LinkedBlockingDeque<>(b.queueCapacity);
    Backoff backoff =
        new Backoff(b.initialBackoff, b.maxBackoff, () -> ThreadLocalRandom.current().nextDouble());
    this.sender =
        new PushSender(pushUri, b.token, b.requestTimeout, backoff, b.maxAttempts, b.clock);
    this.ownsScheduler = b.scheduler == null;
    this.scheduler =
        b.scheduler != null
            ? b.scheduler
            : Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "vigil-push-collector"));
  }

  /**
   * Starts building a reporter of {@code recorder}'s data to the Vigil server at {@code server}.
   */
  public static Builder builder(Recorder recorder, URI server) {
    return new Builder(recorder, server);
  }

  private static URI pushUri(URI server) {
    String s = server.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s + PUSH_PATH);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts the sender thread and the periodic collection; returns this. Idempotent. */
  public PushReporter start() {
    if (closed.get() || !started.compareAndSet(false, true)) {
      return this;
    }
    Thread t = daemon(this::sendLoop, "vigil-push-sender");
    senderThread = t;
    t.start();
    long millis = interval.toMillis();
    task = scheduler.scheduleWithFixedDelay(this::report, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Takes a snapshot now and queues it for sending; never throws. */
  public void report() {
    if (closed.get()) {
      return;
    }
    Pending p = collect();
    if (p == null) {
      return;
    }
    while (!queue.offerLast(p)) {
      if (queue.pollFirst() != null) {
        sender.count(DropCause.QUEUE_FULL);
      }
    }
  }

  private Pending collect() {
    try {
      PushBatch batch =
          new PushBatch(
              service,
              instance,
              recorder.snapshot(sender.ackedSlowSequence(), userLimit),
              jvmMetrics.get());
      return new Pending(gzip(PushCodec.encode(batch)), batch.highestSlowSequence());
    } catch (IOException | RuntimeException e) {
      sender.fail("could not build batch: " + e);
      sender.count(DropCause.ENCODING_FAILED);
      return null;
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    // Route strings and metric names repeat, so batches shrink several times.
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private void sendLoop() {
    while (!closed.get()) {
      Pending p;
      try {
        p = queue.takeFirst();
      } catch (InterruptedException e) {
        continue; // close() interrupts; the loop condition ends the thread
      }
      sender.deliver(p.gzipped, p.highestSlowSequence, requestTimeout);
    }
  }

  /** The reporter's counters now. */
  public PushStats stats() {
    return sender.stats(queue.size());
  }

  /** The counters as metric families, to expose beside the recorder's. */
  public List<MetricFamily> metricFamilies() {
    PushStats s = stats();
    List<MetricPoint> dropped = new ArrayList<>();
    for (DropCause c : DropCause.values()) {
      dropped.add(
          MetricPoint.of(Labels.of("cause", c.name().toLowerCase(Locale.ROOT)), s.dropped(c)));
    }
    return List.of(
        MetricFamily.counter(
            "vigil_client_push_batches_sent",
            "Batches the Vigil server accepted.",
            List.of(MetricPoint.of(s.sent()))),
        MetricFamily.counter(
            "vigil_client_push_retries",
            "Push attempts repeated after a 429, 5xx or I/O error.",
            List.of(MetricPoint.of(s.retries()))),
        MetricFamily.counter(
            "vigil_client_push_dropped_batches", "Batches given up, by cause.", dropped),
        MetricFamily.gauge(
            "vigil_client_push_queued_batches",
            "Batches waiting to be sent.",
            List.of(MetricPoint.of(s.queued()))));
  }

  /**
   * Stops collecting and sending, then sends one final snapshot with a single attempt bounded by
   * the close timeout. Batches still queued are superseded by it (counters are cumulative) and
   * counted as closed. Never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    Thread s = senderThread;
    if (s != null) {
      s.interrupt();
      try {
        s.join(closeTimeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    while (queue.pollFirst() != null) {
      sender.count(DropCause.CLOSED);
    }
    Pending last = collect();
    if (last != null) {
      sender.deliverOnce(last.gzipped, last.highestSlowSequence, closeTimeout);
    }
  }

  /** Describes the reporter, never with its token. */
  @Override
  public String toString() {
    PushStats s = stats();
    return "PushReporter{uri="
        + sender.redact(withoutUserInfo(pushUri))
        + ", service="
        + service
        + ", instance="
        + instance
        + ", interval="
        + interval
        + ", sent="
        + s.sent()
        + ", dropped="
        + s.droppedTotal()
        + ", queued="
        + s.queued()
        + "}";
  }

  private static String withoutUserInfo(URI uri) {
    String userInfo = uri.getRawUserInfo();
    return userInfo == null ? uri.toString() : uri.toString().replace(userInfo + "@", "");
  }

  /** A gzipped batch and the highest slow-request sequence it carries. */
  private static final class Pending {
    final byte[] gzipped;
    final long highestSlowSequence;

    Pending(byte[] gzipped, long highestSlowSequence) {
      this.gzipped = gzipped;
      this.highestSlowSequence = highestSlowSequence;
    }
  }

  /** Builder of {@link PushReporter}. */
  public static final class Builder {
    private final Recorder recorder;
    private final URI server;
    private String token;
    private String service = "app";
    private String instance;
    private Duration interval = Duration.ofSeconds(10);
    private int queueCapacity = 6;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(2);
    private int userLimit = 50;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private Supplier<List<MetricFamily>> jvmMetrics = JvmMetrics::collect;

    private Builder(Recorder recorder, URI server) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      Objects.requireNonNull(server, "server");
      String scheme = server.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("server URI must be http or https: " + scheme);
      }
      this.server = server;
    }

    /**
     * Bearer token with the {@code ingest} role; printable ASCII without spaces. It is never shown
     * in messages: an invalid one is refused without echoing it.
     */
    public Builder token(String token) {
      Objects.requireNonNull(token, "token");
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c <= 0x20 || c >= 0x7F) {
          throw new IllegalArgumentException(
              "token has a character outside printable ASCII at index " + i);
        }
      }
      this.token = token.isEmpty() ? null : token;
      return this;
    }

    /** Name of the service (default "app"). */
    public Builder service(String service) {
      this.service = requireText(service, "service");
      return this;
    }

    /** Name of this instance (default the JVM's {@code pid@host}). */
    public Builder instance(String instance) {
      this.instance = requireText(instance, "instance");
      return this;
    }

    /** Time between snapshots (default 10 s). */
    public Builder interval(Duration interval) {
      this.interval = requirePositive(interval, "interval");
      return this;
    }

    /** Batches kept while the server is unreachable, oldest dropped first (default 6). */
    public Builder queueCapacity(int batches) {
      if (batches < 1) {
        throw new IllegalArgumentException("queue capacity must be >= 1: " + batches);
      }
      this.queueCapacity = batches;
      return this;
    }

    /** Attempts per batch, the first included, before it is dropped (default 5). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("max attempts must be >= 1: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Delay before the first retry, doubled for each further one up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = requirePositive(initial, "initial backoff");
      this.maxBackoff = requirePositive(max, "max backoff");
      return this;
    }

    /** Timeout of each request and of connecting (default 10 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = requirePositive(timeout, "request timeout");
      return this;
    }

    /** Bound on the final send in {@link PushReporter#close()} (default 2 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = requirePositive(timeout, "close timeout");
      return this;
    }

    /** Heaviest users sent in each ranking (default 50). */
    public Builder userLimit(int users) {
      if (users < 0) {
        throw new IllegalArgumentException("user limit must be >= 0: " + users);
      }
      this.userLimit = users;
      return this;
    }

    /** Clock for Retry-After dates and the stats' timestamps (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Scheduler for collection (default: an own daemon thread, shut down by close). */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Source of the JVM metric families (default {@link JvmMetrics#collect()}). */
    public Builder jvmMetrics(Supplier<List<MetricFamily>> jvmMetrics) {
      this.jvmMetrics = Objects.requireNonNull(jvmMetrics, "jvmMetrics");
      return this;
    }

    /** Builds the reporter; {@link PushReporter#start()} starts it. */
    public PushReporter build() {
      return new PushReporter(this);
    }

    private static String requireText(String s, String what) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return s;
    }

    private static Duration requirePositive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
