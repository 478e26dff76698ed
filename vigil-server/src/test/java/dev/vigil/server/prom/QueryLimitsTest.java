package dev.vigil.server.prom;

import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageStats;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query limits: samples per query on the real server; timeout and queueing with a held store. */
class QueryLimitsTest {

  @TempDir Path dir;

  @Test
  void aQueryLoadingTooManySamplesAnswers422AsPrometheus() throws Exception {
    long now = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
    try (TestServer s =
        TestServer.start(dir, new MutableClock(now), null, "VIGIL_QUERY_MAX_SAMPLES", "20")) {
      Appender a = s.server.storage().appender();
      for (int i = 0; i < 30; i++) {
        a.add(Labels.of("__name__", "m", "i", Integer.toString(i % 3)), now - i * 60_000L, i);
      }
      a.commit();
      String t = "&time=" + now / 1000;
      Http.Response small = s.http.getWith(VIEWER, "/api/v1/query?query=m" + t);
      assertThat(small.status()).as(small.body()).isEqualTo(200);
      Http.Response big = s.http.getWith(VIEWER, "/api/v1/query?query=m%5B40m%5D" + t);
      assertThat(big.status()).isEqualTo(422);
      assertThat(big.json().path("errorType").asText()).isEqualTo("execution");
      assertThat(big.json().path("error").asText())
          .isEqualTo("query processing would load too many samples into memory in query execution");
    }
  }

  /** A store whose selects wait until released, so that a query runs as long as a test wants. */
  static final class HeldStorage implements Storage {
    final Storage inner;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);

    HeldStorage(Storage inner) {
      this.inner = inner;
    }

    @Override
    public Appender appender() {
      return inner.appender();
    }

    @Override
    public Querier querier(long min, long max) {
      Querier q = inner.querier(min, max);
      return new Querier() {
        @Override
        public List<Series> select(Matcher... matchers) {
          entered.countDown();
          // Like a read stuck in I/O: an interrupt does not end the wait, only the release does.
          boolean interrupted = false;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (release.getCount() > 0 && System.nanoTime() < deadline) {
            try {
              release.await(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
          return q.select(matchers);
        }

        @Override
        public List<String> labelNames(Matcher... matchers) {
          return q.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name, Matcher... matchers) {
          return q.labelValues(name, matchers);
        }

        @Override
        public void close() {
          q.close();
        }
      };
    }

    @Override
    public StorageStats stats() {
      return inner.stats();
    }

    @Override
    public void close() {}
  }

  @Test
  void aSlowQueryTimesOutAndAQueuedOneGivesUpWithinItsTimeout() throws Exception {
    try (Tsdb tsdb = Tsdb.open(TsdbOptions.builder(dir.resolve("tsdb")).build())) {
      HeldStorage held = new HeldStorage(tsdb);
      QueryApi api =
          new QueryApi(
              held, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), new QueryApi.Limits(1, 300, 1000));
      Javalin app =
          Javalin.create(
              c -> {
                c.routes.get("/q", api::query);
                c.routes.exception(
                    dev.vigil.server.http.ApiException.class,
                    (e, ctx) ->
                        dev.vigil.server.http.Json.error(
                            ctx, e.status(), e.errorType(), e.getMessage()));
              });
      app.start("127.0.0.1", 0);
      try {
        Http http = new Http(app.port());
        Http.Response slow = http.get("/q?query=up", null);
        assertThat(slow.status()).isEqualTo(503);
        assertThat(slow.json().path("errorType").asText()).isEqualTo("timeout");
        assertThat(slow.json().path("error").asText())
            .isEqualTo("query timed out in expression evaluation");
        // The first query still holds the only slot: the next waits in the queue, then gives up.
        Http.Response queued = http.get("/q?query=up&timeout=0.2", null);
        assertThat(queued.status()).isEqualTo(503);
        assertThat(queued.json().path("error").asText())
            .isEqualTo("query timed out in query queue");
        held.release.countDown();
        // Once released, the slot comes back.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Http.Response ok;
        do {
          ok = http.get("/q?query=up", null);
        } while (ok.status() != 200 && System.nanoTime() < deadline);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      } finally {
        held.release.countDown();
        app.stop();
      }
    }
  }
}
