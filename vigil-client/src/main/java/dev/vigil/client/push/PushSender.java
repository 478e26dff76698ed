package dev.vigil.client.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Posts gzipped batches to the server with retries, and keeps the reporter's counters.
 *
 * <p>Assumptions and guarantees: {@link #deliver} runs on one thread at a time (the reporter's
 * sender thread, or the closing thread once the sender has stopped), so acknowledgements arrive in
 * batch order and the slow-request cursor only moves forward. Counters are atomics, readable from
 * any thread. The token is only ever placed in the Authorization header; every message kept is
 * passed through {@link #redact}.
 */
final class PushSender {

  private static final DropCause[] CAUSES = DropCause.values();

  private final HttpClient client;
  private final URI pushUri;
  private final String token;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Clock clock;

  private final AtomicLong ackedSlowSequence = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLongArray dropped = new AtomicLongArray(CAUSES.length);

  /** Written by whichever thread failed last. */
  private volatile String lastError;

  private volatile long lastErrorMillis;
  private volatile long lastSuccessMillis;

  PushSender(
      URI pushUri,
      String token,
      Duration connectTimeout,
      Backoff backoff,
      int maxAttempts,
      Clock clock) {
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.pushUri = pushUri;
    this.token = token;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.clock = clock;
  }

  /** Highest slow-request sequence the server acknowledged. */
  long ackedSlowSequence() {
    return ackedSlowSequence.get();
  }

  /**
   * Sends one batch, retrying 429, 5xx and I/O errors up to the maximum attempts; counts the
   * outcome. Returns early, counting the batch as closed, when the thread is interrupted.
   */
  void deliver(byte[] gzipped, long highestSlowSequence, Duration timeout) {
    for (int attempt = 1; ; attempt++) {
      Outcome outcome = post(gzipped, highestSlowSequence, timeout);
      if (outcome == Outcome.SENT || outcome == Outcome.REJECTED) {
        return;
      }
      if (outcome == Outcome.INTERRUPTED) {
        count(DropCause.CLOSED);
        return;
      }
      if (attempt >= maxAttempts) {
        count(DropCause.RETRIES_EXHAUSTED);
        return;
      }
      retries.incrementAndGet();
      try {
        Thread.sleep(backoff.delayMillis(attempt, outcome.retryAfterMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        count(DropCause.CLOSED);
        return;
      }
    }
  }

  /** Sends one batch once; a failure that could be retried counts it as closed. */
  void deliverOnce(byte[] gzipped, long highestSlowSequence, Duration timeout) {
    Outcome outcome = post(gzipped, highestSlowSequence, timeout);
    if (outcome != Outcome.SENT && outcome != Outcome.REJECTED) {
      count(DropCause.CLOSED);
    }
  }

  private Outcome post(byte[] gzipped, long highestSlowSequence, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(pushUri)
            .timeout(timeout)
            .header("Content-Type", PushCodec.MEDIA_TYPE)
            .header("Content-Encoding", "gzip")
            .header("User-Agent", "vigil-client")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      fail("I/O error posting to " + pushUri + ": " + e);
      return Outcome.retry(-1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.INTERRUPTED;
    } catch (RuntimeException e) {
      // E.g. the client refusing the request: resending would fail the same way.
      fail("could not post to " + pushUri + ": " + e);
      count(DropCause.REJECTED);
      return Outcome.REJECTED;
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      sent.incrementAndGet();
      ackedSlowSequence.accumulateAndGet(highestSlowSequence, Math::max);
      lastSuccessMillis = clock.millis();
      return Outcome.SENT;
    }
    fail("HTTP " + status + " from " + pushUri);
    if (status == 429 || status >= 500) {
      String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
      return Outcome.retry(Backoff.parseRetryAfter(retryAfter, clock.millis()));
    }
    count(DropCause.REJECTED);
    return Outcome.REJECTED;
  }

  /** Records a failure message, without the token. */
  void fail(String message) {
    lastError = redact(message);
    lastErrorMillis = clock.millis();
  }

  /** Belt and braces: no message kept may carry the token, whatever put it there. */
  String redact(String message) {
    if (token == null || message == null) {
      return message;
    }
    return message.replace(token, "<redacted>");
  }

  void count(DropCause cause) {
    dropped.incrementAndGet(cause.ordinal());
  }

  PushStats stats(int queued) {
    Map<DropCause, Long> byCause = new EnumMap<>(DropCause.class);
    for (DropCause c : CAUSES) {
      byCause.put(c, dropped.get(c.ordinal()));
    }
    return new PushStats(
        sent.get(),
        retries.get(),
        byCause,
        queued,
        ackedSlowSequence.get(),
        lastError,
        lastErrorMillis,
        lastSuccessMillis);
  }

  /** Result of one POST. */
  private static final class Outcome {
    static final Outcome SENT = new Outcome(-1);
    static final Outcome REJECTED = new Outcome(-1);
    static final Outcome INTERRUPTED = new Outcome(-1);

    final long retryAfterMillis;

    private Outcome(long retryAfterMillis) {
      this.retryAfterMillis = retryAfterMillis;
    }

    static Outcome retry(long retryAfterMillis) {
      return new Outcome(retryAfterMillis);
    }
  }
}
