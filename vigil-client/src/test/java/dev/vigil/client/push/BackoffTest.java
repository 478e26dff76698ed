package dev.vigil.client.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
  private final Backoff high =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.999999);

  @Test
  void doublesUpToTheCapWithHalfOfItJittered() {
    assertThat(low.delayMillis(1, -1)).isEqualTo(500);
    assertThat(high.delayMillis(1, -1)).isEqualTo(1000);
    assertThat(low.delayMillis(2, -1)).isEqualTo(1000);
    assertThat(high.delayMillis(3, -1)).isEqualTo(4000);
    assertThat(high.delayMillis(6, -1)).isEqualTo(30_000);
    assertThat(high.delayMillis(1000, -1)).isEqualTo(30_000);
    assertThat(low.delayMillis(1000, -1)).isEqualTo(15_000);
  }

  @Test
  void neverRetriesBeforeRetryAfter() {
    assertThat(low.delayMillis(1, 7000)).isEqualTo(7000);
    assertThat(high.delayMillis(6, 7000)).isEqualTo(30_000);
    assertThat(low.delayMillis(1, Long.MAX_VALUE)).isEqualTo(Backoff.MAX_RETRY_AFTER_MILLIS);
  }

  @Test
  void parsesRetryAfterSecondsAndDates() {
    long now = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();
    assertThat(Backoff.parseRetryAfter("3", now)).isEqualTo(3000);
    assertThat(Backoff.parseRetryAfter(" 0 ", now)).isEqualTo(0);
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.parse("2025-01-02T03:04:25Z").atZone(ZoneOffset.UTC));
    assertThat(Backoff.parseRetryAfter(date, now)).isEqualTo(20_000);
    assertThat(Backoff.parseRetryAfter("Thu, 01 Jan 2015 00:00:00 GMT", now)).isEqualTo(0);
    assertThat(Backoff.parseRetryAfter("soon", now)).isEqualTo(-1);
    assertThat(Backoff.parseRetryAfter("-5", now)).isEqualTo(-1);
    assertThat(Backoff.parseRetryAfter(null, now)).isEqualTo(-1);
    assertThat(Backoff.parseRetryAfter("999999999999", now))
        .isEqualTo(Backoff.MAX_RETRY_AFTER_MILLIS);
  }
}
