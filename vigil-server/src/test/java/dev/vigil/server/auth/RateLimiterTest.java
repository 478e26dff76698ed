package dev.vigil.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void allowsTheBurstThenRefillsAtTheRate() {
    AtomicLong nanos = new AtomicLong();
    RateLimiter limiter = new RateLimiter(2, 3, nanos::get);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(1);
    assertThat(limiter.acquire("b")).as("buckets are per token").isZero();
    nanos.addAndGet(500_000_000L); // half a second: one request at 2/s
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(1);
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    AtomicLong nanos = new AtomicLong();
    RateLimiter limiter = new RateLimiter(0.25, 1, nanos::get);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(4);
  }

  @Test
  void tokenMatchingComparesHashes() {
    TokenRegistry r =
        new TokenRegistry(
            java.util.List.of(new Token("x", Role.VIEWER, Token.hash("secret-token-1234"))));
    assertThat(r.find("secret-token-1234")).isNotNull();
    assertThat(r.find("secret-token-1235")).isNull();
    assertThat(r.find("secret-token-1234").toString()).doesNotContain("secret");
  }
}
