package dev.vigil.server;

import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.client.Recorder;
import dev.vigil.client.push.PushBatch;
import dev.vigil.client.push.PushCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 under load: writers post request events and push client snapshots from several threads,
 * each counting exactly what the server answered 2xx; the server process is killed mid-load and
 * restarted on the same directory, and every acknowledged request must be counted, with nothing
 * beyond what was in flight.
 */
class CrashTest {
  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
  static final long MIN = 60_000;
  static final int MAX_STEPS = 5_000;
  static final int STEPS_BEFORE_KILL = 30;

  /** The test server's rate limiter never refills (its ticker stands still): lift it. */
  static final String[] UNLIMITED = {"VIGIL_RATE_LIMIT_BURST", "1000000"};

  @TempDir Path dir;

  /**
   * One source of load, run by one thread: each step sends one request. What the server must hold
   * for {@link #route()} after a crash lies in [acknowledged, attempted].
   */
  interface Writer {
    /** Method and route under which the performance API counts this writer's requests. */
    String route();

    /** Sends one request; false if the server did not answer 2xx. */
    boolean step(Http http);

    /** Requests the server acknowledged (its answers were 2xx). */
    long acknowledged();

    /** Requests sent, acknowledged or not. */
    long attempted();

    /** The last answer that was not 2xx. */
    String lastError();
  }

  /** Posts batches of JSON request events to /api/v1/requests. */
  static final class JsonWriter implements Writer {
    private final String path;
    private final Random random;
    private long acknowledged;
    private String lastError;

    @Override
    public String lastError() {
      return lastError;
    }

    private long attempted;

    JsonWriter(int k) {
      this.path = "/load/json-" + k;
      this.random = new Random(k);
    }

    @Override
    public String route() {
      return "GET " + path;
    }

    @Override
    public boolean step(Http http) {
      int n = 50 + random.nextInt(100);
      List<String> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long t = NOW - 50 * MIN + random.nextInt((int) (50 * MIN));
        items.add(
            "{\"timestamp\":"
                + t
                + ",\"endpoint\":\""
                + path
                + "\",\"method\":\"GET\",\"response_time\":"
                + (0.001 + random.nextDouble() * 0.5)
                + ",\"status_code\":200,\"service\":\"web\"}");
      }
      attempted += n;
      Http.Response r =
          http.postJson(INGEST, "/api/v1/requests", "[" + String.join(",", items) + "]");
      if (r.status() != 200) {
        lastError = r.status() + " " + r.body();
        return false;
      }
      assertThat(r.json().path("data").path("accepted").asLong()).isEqualTo(n);
      acknowledged += n;
      return true;
    }

    @Override
    public long acknowledged() {
      return acknowledged;
    }

    @Override
    public long attempted() {
      return attempted;
    }
  }

  /** Records requests in a vigil-client Recorder and pushes its cumulative snapshots. */
  static final class PushWriter implements Writer {
    private final String route;
    private final String instance;
    private final MutableClock clock = new MutableClock(NOW - 5 * MIN);
    private final Recorder recorder = Recorder.builder().clock(clock).build();
    private final Random random;
    private long recorded;
    private long acknowledged;
    private String lastError;

    @Override
    public String lastError() {
      return lastError;
    }

    PushWriter(int k) {
      this.instance = "i-" + k;
      this.route = "/load/push-" + k;
      this.random = new Random(100 + k);
    }

    @Override
    public String route() {
      return "POST " + route;
    }

    @Override
    public boolean step(Http http) {
      int n = 20 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        recorder.record("POST", route, 201, 1_000_000L + random.nextInt(50_000_000), null);
      }
      recorded += n;
      clock.advanceMillis(100);
      byte[] body =
          PushCodec.encode(new PushBatch("shop", instance, recorder.snapshot(0, 50), List.of()));
      Http.Response r =
          http.post(INGEST, "/api/v1/push", body, "Content-Type", PushCodec.MEDIA_TYPE);
      if (r.status() != 200) {
        lastError = r.status() + " " + r.body();
        return false;
      }
      acknowledged = recorded; // snapshots are cumulative: a 2xx acknowledges all recorded so far
      return true;
    }

    @Override
    public long acknowledged() {
      return acknowledged;
    }

    @Override
    public long attempted() {
      return recorded;
    }
  }

  @Test
  void killNineUnderLoadLosesNoAcknowledgedRequest() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    List<Writer> writers = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      writers.add(new JsonWriter(k));
    }
    for (int k = 0; k < 2; k++) {
      writers.add(new PushWriter(k));
    }
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ServerProcess first = ServerProcess.start(data, NOW, log, UNLIMITED)) {
      Http http = new Http(first.port);
      AtomicBoolean killed = new AtomicBoolean();
      CountDownLatch warmedUp = new CountDownLatch(writers.size());
      List<Thread> threads = new ArrayList<>();
      for (Writer w : writers) {
        Thread t =
            new Thread(
                () -> {
                  int step = 0;
                  for (; step < MAX_STEPS; step++) {
                    if (step == STEPS_BEFORE_KILL) {
                      warmedUp.countDown();
                    }
                    try {
                      if (!w.step(http) && !killed.get()) {
                        failures.add(
                            w.route() + ": a non-2xx answer before the kill: " + w.lastError());
                      }
                    } catch (AssertionError e) { // the connection broke: the server is gone
                      if (!killed.get()) {
                        failures.add(w.route() + ": " + e.getMessage());
                      }
                      break;
                    }
                  }
                  if (step < STEPS_BEFORE_KILL) {
                    warmedUp.countDown(); // stopped early: the failure is reported
                  }
                },
                "writer " + w.route());
        threads.add(t);
        t.start();
      }
      assertThat(warmedUp.await(120, TimeUnit.SECONDS)).as("writers warmed up").isTrue();
      killed.set(true);
      first.kill(); // SIGKILL, mid-load
      for (Thread t : threads) {
        t.join(60_000);
        assertThat(t.isAlive()).as(t.getName() + " stopped").isFalse();
      }
    }
    assertThat(failures).isEmpty();

    try (ServerProcess second = ServerProcess.start(data, NOW, log, UNLIMITED)) {
      Http http = new Http(second.port);
      JsonNode endpoints =
          http.getWith(
                  VIEWER,
                  "/api/performance/endpoints?start="
                      + (NOW - 60 * MIN) / 1000
                      + "&end="
                      + Instant.ofEpochMilli(NOW))
              .json();
      for (Writer w : writers) {
        long stored = endpoints.path(w.route()).path("count").asLong();
        System.out.printf(
            "%s: acknowledged %d, stored %d, attempted %d%n",
            w.route(), w.acknowledged(), stored, w.attempted());
        assertThat(w.acknowledged()).as(w.route() + " acknowledged").isGreaterThan(0);
        assertThat(stored)
            .as(w.route() + ": every acknowledged request, and nothing never sent")
            .isBetween(w.acknowledged(), w.attempted());
      }
      second.kill();
    }
  }
}
