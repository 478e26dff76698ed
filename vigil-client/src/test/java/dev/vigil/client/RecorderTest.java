package dev.vigil.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RecorderTest {

  private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  private Recorder recorder() {
    return Recorder.builder().clock(clock).userKey(KEY).build();
  }

  @Test
  void countsErrorsSumMinMaxExactlyPerEndpoint() {
    Recorder r = recorder();
    r.record("POST", "/api/auth/login", 200, 120_000_000L, null);
    r.record("POST", "/api/auth/login", 401, 30_000_000L, null);
    r.record("POST", "/api/auth/login", 503, 900_000_000L, null);
    r.record("POST", "/api/auth/login", 302, 1_000L, null);
    r.record("GET", "/api/users/{id}", 200, 5_000_000L, null);

    RecorderSnapshot s = r.snapshot();
    EndpointSnapshot login = s.endpoint("POST", "/api/auth/login");
    assertThat(login.count()).isEqualTo(4);
    assertThat(login.success()).isEqualTo(1);
    assertThat(login.redirects()).isEqualTo(1);
    assertThat(login.clientErrors()).isEqualTo(1);
    assertThat(login.serverErrors()).isEqualTo(1);
    assertThat(login.errors()).isEqualTo(2);
    assertThat(login.errorRatePercent()).isEqualTo(50.0);
    assertThat(login.sumNanos()).isEqualTo(1_050_001_000L);
    assertThat(login.minNanos()).isEqualTo(1_000L);
    assertThat(login.maxNanos()).isEqualTo(900_000_000L);
    assertThat(login.latency().count()).isEqualTo(4.0);
    assertThat(login.latency().sum()).isCloseTo(1.050001, within(1e-12));
    assertThat(s.endpoint("GET", "/api/users/{id}").count()).isEqualTo(1);
    assertThat(s.endpoints()).hasSize(2);
  }

  @Test
  void quantilesStayWithinOnePercentOfExact() {
    Recorder r = recorder();
    Random random = new Random(42);
    int n = 200_000;
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      // Lognormal around 80 ms, sigma 0.9.
      nanos[i] = (long) (Math.exp(Math.log(0.08) + 0.9 * random.nextGaussian()) * 1e9);
      r.record("GET", "/items", 200, nanos[i], null);
    }
    Arrays.sort(nanos);
    EndpointSnapshot e = r.snapshot().endpoint("GET", "/items");
    for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
      double exact = nanos[(int) Math.ceil(q * n) - 1] * 1e-9;
      assertThat(e.quantileSeconds(q)).as("q=%s", q).isCloseTo(exact, within(exact * 0.01));
    }
  }

  @Test
  void rejectsBadInputWithoutTouchingStatistics() {
    Recorder r = recorder();
    r.record(null, "/a", 200, 1, null);
    r.record(" ", "/a", 200, 1, null);
    r.record("GET", null, 200, 1, null);
    r.record("GET", "", 200, 1, null);
    r.record("GET", "x".repeat(Recorder.MAX_ROUTE_LENGTH + 1), 200, 1, null);
    r.record("GET", "/a", 99, 1, null);
    r.record("GET", "/a", 600, 1, null);
    r.record("GET", "/a", 200, -1, null);
    r.record("GET", "/a", 200, Duration.ofHours(25).toNanos(), null);
    r.record("GET", "/a", 200, Long.MAX_VALUE, null);
    r.record("GET", "/a", 200, (Duration) null, null);
    r.record("GET", "/a", 200, Duration.ofDays(400_000_000L), null);

    RecorderSnapshot s = r.snapshot();
    assertThat(s.endpoints()).isEmpty();
    assertThat(s.rejected())
        .containsEntry(RejectReason.INVALID_METHOD, 2L)
        .containsEntry(RejectReason.INVALID_ROUTE, 3L)
        .containsEntry(RejectReason.INVALID_STATUS, 2L)
        .containsEntry(RejectReason.NEGATIVE_DURATION, 2L)
        .containsEntry(RejectReason.ABSURD_DURATION, 3L);
    assertThat(s.rejectedTotal()).isEqualTo(12);
  }

  @Test
  void acceptsZeroDurationAndTheMaximum() {
    Recorder r = recorder();
    r.record("GET", "/a", 200, 0, null);
    r.record("GET", "/a", 200, Duration.ofHours(24).toNanos(), null);
    EndpointSnapshot e = r.snapshot().endpoint("GET", "/a");
    assertThat(e.count()).isEqualTo(2);
    assertThat(e.minNanos()).isZero();
    assertThat(e.latency().zeroCount()).isEqualTo(1.0);
  }

  @Test
  void countsRequestsPastTheEndpointCapUnderOverflow() {
    Recorder r = Recorder.builder().maxEndpoints(3).clock(clock).build();
    for (int i = 0; i < 10; i++) {
      r.record("GET", "/route/" + i, 200, 1_000_000, null);
    }
    r.record("GET", "/route/0", 200, 1_000_000, null);
    RecorderSnapshot s = r.snapshot();
    assertThat(r.endpointCount()).isEqualTo(3);
    assertThat(s.overflowedRequests()).isEqualTo(7);
    EndpointSnapshot overflow = s.endpoint("_OTHER", "_overflow");
    assertThat(overflow.count()).isEqualTo(7);
    assertThat(s.endpoint("GET", "/route/0").count()).isEqualTo(2);
  }

  @Test
  void normalisesMethodsAndFoldsUnknownOnesIntoOther() {
    Recorder r = recorder();
    r.record("get", "/a", 200, 1, null);
    r.record("GET", "/a", 200, 1, null);
    r.record("BREW", "/a", 200, 1, null);
    r.record("PROPFIND", "/a", 200, 1, null);
    RecorderSnapshot s = r.snapshot();
    assertThat(s.endpoint("GET", "/a").count()).isEqualTo(2);
    assertThat(s.endpoint("_OTHER", "/a").count()).isEqualTo(2);
  }

  @Test
  void keepsSlowRequestsWithContextAndPseudonymousUser() {
    Recorder r =
        Recorder.builder()
            .clock(clock)
            .userKey(KEY)
            .slowThreshold(Duration.ofSeconds(2))
            .slowRequestCapacity(4)
            .build();
    r.record("GET", "/fast", 200, 1_999_999_999L, "alice@example.com");
    for (int i = 0; i < 6; i++) {
      r.record("GET", "/report/{id}", 504, 2_000_000_000L + i, "alice@example.com");
    }
    RecorderSnapshot s = r.snapshot();
    assertThat(r.slowRequestTotal()).isEqualTo(6);
    List<SlowRequest> slow = s.slowRequests();
    assertThat(slow).hasSize(4);
    assertThat(slow).extracting(SlowRequest::sequence).containsExactly(3L, 4L, 5L, 6L);
    SlowRequest last = slow.get(3);
    assertThat(last.route()).isEqualTo("/report/{id}");
    assertThat(last.statusCode()).isEqualTo(504);
    assertThat(last.durationNanos()).isEqualTo(2_000_000_005L);
    assertThat(last.timestampMillis()).isEqualTo(clock.millis());
    assertThat(last.user()).isEqualTo(Pseudonymizer.withKey(KEY).pseudonym("alice@example.com"));
    assertThat(last.user()).doesNotContain("alice");
    assertThat(r.snapshot(5, 10).slowRequests())
        .extracting(SlowRequest::sequence)
        .containsExactly(6L);
  }

  @Test
  void ranksHeaviestUsersByCountAndByTimeUnderPseudonyms() {
    Recorder r = recorder();
    for (int i = 0; i < 100; i++) {
      r.record("GET", "/a", 200, 1_000_000, "many@example.com");
    }
    r.record("GET", "/a", 200, 1_500_000_000, "slow@example.com");
    for (int i = 0; i < 500; i++) {
      r.record("GET", "/a", 200, 1_000_000, "user" + i + "@example.com");
    }
    RecorderSnapshot s = r.snapshot(0, 2);
    Pseudonymizer p = Pseudonymizer.withKey(KEY);
    assertThat(s.usersByCount()).hasSize(2);
    assertThat(s.usersByCount().get(0).user()).isEqualTo(p.pseudonym("many@example.com"));
    assertThat(s.usersByCount().get(0).count()).isEqualTo(100);
    assertThat(s.usersByCount().get(0).totalNanos()).isEqualTo(100_000_000L);
    assertThat(s.usersByTime().get(0).user()).isEqualTo(p.pseudonym("slow@example.com"));
    assertThat(s.usersByTime().get(0).totalNanos()).isEqualTo(1_500_000_000L);
    assertThat(s.usersByCount().toString()).doesNotContain("@");
    assertThat(s.droppedUserEvents()).isZero();
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    Recorder r = recorder();
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  int status = i % 10 == 0 ? 500 : 200;
                  r.record("GET", "/e" + (i % 7), status, 1_000 + i, "u" + (i % 13) + "-" + id);
                }
              });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    RecorderSnapshot s = r.snapshot(0, 1000);
    long count = s.endpoints().stream().mapToLong(EndpointSnapshot::count).sum();
    long errors = s.endpoints().stream().mapToLong(EndpointSnapshot::serverErrors).sum();
    long histogramCount = s.endpoints().stream().mapToLong(e -> (long) e.latency().count()).sum();
    long expectedSum = 0;
    for (int i = 0; i < perThread; i++) {
      expectedSum += 1_000 + i;
    }
    assertThat(count).isEqualTo((long) threads * perThread);
    assertThat(histogramCount).isEqualTo(count);
    assertThat(errors).isEqualTo((long) threads * (perThread / 10));
    assertThat(s.endpoints().stream().mapToLong(EndpointSnapshot::sumNanos).sum())
        .isEqualTo(threads * expectedSum);
    long userEvents = s.usersByCount().stream().mapToLong(UserStats::count).sum();
    assertThat(userEvents + s.droppedUserEvents()).isEqualTo((long) threads * perThread);
  }
}
