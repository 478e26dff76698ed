package dev.vigil.client.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.client.Recorder;
import dev.vigil.client.SlowRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the reporter against a real JDK HTTP server on a random port. */
class PushReporterTest {

  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String TOKEN = "s3cr3t-T0KEN-value";
  private static final List<MetricFamily> JVM =
      List.of(MetricFamily.gauge("jvm_threads_current", "Threads.", List.of(MetricPoint.of(12))));

  private final Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
  private final Recorder recorder =
      Recorder.builder().clock(clock).slowThreshold(Duration.ofSeconds(2)).build();

  /** Requests the server received, in order. */
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  /** Statuses the server answers with, in order; 200 once empty. */
  private final ConcurrentLinkedDeque<Integer> script = new ConcurrentLinkedDeque<>();

  private HttpServer server;
  private URI uri;
  private final List<PushReporter> reporters = new ArrayList<>();

  @AfterEach
  void stop() {
    reporters.forEach(PushReporter::close);
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void serverReceivesGzipBatchesThatDecodeToWhatWasRecorded() throws Exception {
    startServer();
    recorder.record("GET", "/api/users/{id}", 200, 3_000_000, "alice");
    recorder.record("POST", "/api/orders", 503, 2_500_000_000L, "bob");
    PushReporter reporter = reporter().start();
    reporter.report();
    Received r = next();
    assertThat(r.method).isEqualTo("POST");
    assertThat(r.path).isEqualTo("/api/v1/push");
    assertThat(r.headers.get("Content-type")).containsExactly(PushCodec.MEDIA_TYPE);
    assertThat(r.headers.get("Content-encoding")).containsExactly("gzip");
    assertThat(r.headers.get("Authorization")).containsExactly("Bearer " + TOKEN);
    PushBatch batch = PushCodec.decode(r.body);
    assertThat(batch).isEqualTo(new PushBatch("checkout", "i-1", recorder.snapshot(0, 50), JVM));
    assertThat(batch.snapshot().slowRequests())
        .extracting(SlowRequest::route)
        .containsExactly("/api/orders");
    await(() -> reporter.stats().ackedSlowSequence() == 1);
    assertThat(reporter.stats().sent()).isEqualTo(1);
    // Acknowledged slow requests are not sent again.
    reporter.report();
    assertThat(PushCodec.decode(next().body).snapshot().slowRequests()).isEmpty();
  }

  @Test
  void retriesAfter503AndDeliversTheSameBatchOnce() throws Exception {
    script.add(503);
    startServer();
    recorder.record("GET", "/a", 200, 1000, null);
    PushReporter reporter = reporter().start();
    reporter.report();
    Received first = next();
    Received second = next();
    assertThat(second.body).isEqualTo(first.body);
    await(() -> reporter.stats().sent() == 1);
    PushStats s = reporter.stats();
    assertThat(s.retries()).isEqualTo(1);
    assertThat(s.droppedTotal()).isZero();
    assertThat(s.lastError()).contains("HTTP 503");
    assertThat(received).isEmpty();
  }

  @Test
  void dropsBatchOn400WithoutRetrying() throws Exception {
    script.add(400);
    startServer();
    PushReporter reporter = reporter().start();
    reporter.report();
    next();
    await(() -> reporter.stats().dropped(DropCause.REJECTED) == 1);
    assertThat(reporter.stats().retries()).isZero();
    assertThat(reporter.stats().sent()).isZero();
    assertThat(reporter.stats().lastError()).contains("HTTP 400").doesNotContain(TOKEN);
    assertThat(received).isEmpty();
  }

  @Test
  void slowRequestsOfALostBatchRideWithTheNext() throws Exception {
    script.add(400);
    startServer();
    recorder.record("GET", "/slow", 200, 3_000_000_000L, null);
    PushReporter reporter = reporter().start();
    reporter.report();
    next();
    await(() -> reporter.stats().dropped(DropCause.REJECTED) == 1);
    recorder.record("GET", "/slow", 200, 4_000_000_000L, null);
    reporter.report();
    assertThat(PushCodec.decode(next().body).snapshot().slowRequests())
        .extracting(SlowRequest::sequence)
        .containsExactly(1L, 2L);
    await(() -> reporter.stats().ackedSlowSequence() == 2);
  }

  @Test
  void queueStaysBoundedWhileTheServerIsDown() throws Exception {
    URI down;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      down = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    PushReporter reporter =
        track(
            PushReporter.builder(recorder, down)
                .token(TOKEN)
                .interval(Duration.ofHours(1))
                .maxAttempts(1000)
                .backoff(Duration.ofHours(1), Duration.ofHours(1))
                .closeTimeout(Duration.ofSeconds(5))
                .jvmMetrics(() -> JVM)
                .build()
                .start());
    reporter.report();
    // The sender takes the first batch, fails, and waits an hour before its next attempt.
    await(() -> reporter.stats().retries() == 1);
    for (int i = 0; i < 10; i++) {
      reporter.report();
    }
    PushStats s = reporter.stats();
    assertThat(s.queued()).isEqualTo(6);
    assertThat(s.dropped(DropCause.QUEUE_FULL)).isEqualTo(4);
    assertThat(s.lastError()).contains("I/O error").doesNotContain(TOKEN);
    reporter.close();
    // The batch in backoff, the six queued ones and the final flush that could not connect.
    assertThat(reporter.stats().dropped(DropCause.CLOSED)).isEqualTo(8);
    assertThat(reporter.stats().queued()).isZero();
  }

  @Test
  void tokenNeverAppearsInDescriptionsOrErrors() throws Exception {
    script.add(401);
    startServer();
    PushReporter reporter = reporter().start();
    reporter.report();
    next();
    await(() -> reporter.stats().lastError() != null);
    assertThat(reporter.toString()).doesNotContain(TOKEN).contains("checkout");
    assertThat(reporter.stats().toString()).doesNotContain(TOKEN);
    assertThat(reporter.stats().lastError()).doesNotContain(TOKEN);
    assertThatThrownBy(() -> PushReporter.builder(recorder, uri).token(TOKEN + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
  }

  @Test
  void closeFlushesOneFinalSnapshot() throws Exception {
    startServer();
    PushReporter reporter = reporter().start();
    recorder.record("GET", "/last", 200, 1000, null);
    reporter.close();
    PushBatch batch = PushCodec.decode(next().body);
    assertThat(batch.snapshot().endpoint("GET", "/last").count()).isEqualTo(1);
    assertThat(reporter.stats().sent()).isEqualTo(1);
    reporter.report(); // ignored once closed
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void collectsOnTheInjectedSchedulerAndLeavesItRunning() throws Exception {
    startServer();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      PushReporter reporter =
          track(
              PushReporter.builder(recorder, uri)
                  .token(TOKEN)
                  .interval(Duration.ofMillis(20))
                  .scheduler(scheduler)
                  .jvmMetrics(() -> JVM)
                  .build()
                  .start());
      next();
      next();
      reporter.close();
      assertThat(scheduler.isShutdown()).isFalse();
    } finally {
      scheduler.shutdownNow();
    }
  }

  // --- fixture ---

  private PushReporter.Builder builder() {
    return PushReporter.builder(recorder, uri)
        .token(TOKEN)
        .service("checkout")
        .instance("i-1")
        .interval(Duration.ofHours(1))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .clock(clock)
        .jvmMetrics(() -> JVM);
  }

  private PushReporter reporter() {
    return track(builder().build());
  }

  private PushReporter track(PushReporter r) {
    reporters.add(r);
    return r;
  }

  private void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] raw = exchange.getRequestBody().readAllBytes();
          byte[] body = raw;
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
              body = in.readAllBytes();
            }
          }
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          Integer status = script.poll();
          exchange.sendResponseHeaders(status == null ? 200 : status, -1);
          exchange.close();
        });
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private Received next() throws InterruptedException {
    Received r = received.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(r).as("a request within " + AWAIT).isNotNull();
    return r;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + AWAIT);
      }
      Thread.sleep(5);
    }
  }

  /** One request as the server saw it, body gunzipped. */
  private static final class Received {
    final String method;
    final String path;
    final Map<String, List<String>> headers;
    final byte[] body;

    Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }
  }
}
