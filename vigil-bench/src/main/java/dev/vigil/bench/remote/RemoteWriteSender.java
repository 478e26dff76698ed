package dev.vigil.bench.remote;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts a recorded stream to one remote-write endpoint over a few HTTP/1.1 connections, round by
 * round: every request of a round is answered before the next round starts, so each series' samples
 * arrive in timestamp order however the requests of a round are spread over connections. Counts the
 * samples of 2xx answers only.
 */
final class RemoteWriteSender {
  private final URI url;
  private final int connections;
  private final String bearerToken;
  private final Duration maxDuration;

  /**
   * @param bearerToken sent as {@code Authorization: Bearer}, or null
   * @param maxDuration sending stops after the round in progress at this point (the result says it
   *     was truncated)
   */
  RemoteWriteSender(URI url, int connections, String bearerToken, Duration maxDuration) {
    if (connections < 1 || connections > 64) {
      throw new IllegalArgumentException("connections must be in 1..64: " + connections);
    }
    this.url = url;
    this.connections = connections;
    this.bearerToken = bearerToken;
    this.maxDuration = maxDuration;
  }

  /** What one run achieved. */
  record Result(
      long acceptedSamples,
      long requestsOk,
      long requestsFailed,
      int rounds,
      double seconds,
      boolean truncated,
      boolean notFound,
      Map<Integer, Long> failuresByStatus,
      String firstFailure) {

    double samplesPerSecond() {
      return seconds > 0 ? acceptedSamples / seconds : 0;
    }

    /**
     * One line of {@code key=value} pairs for scripts; {@code statuses} lists failed requests by
     * HTTP status ({@code -1}: no answer), e.g. {@code 403:50,-1:1}; the first failure is last and
     * quoted.
     */
    String toLine() {
      return String.format(
          java.util.Locale.ROOT,
          "RESULT accepted=%d ok=%d failed=%d rounds=%d seconds=%.3f samples_per_second=%.0f"
              + " truncated=%d not_found=%d statuses=%s first_failure=%s",
          acceptedSamples,
          requestsOk,
          requestsFailed,
          rounds,
          seconds,
          samplesPerSecond(),
          truncated ? 1 : 0,
          notFound ? 1 : 0,
          failuresByStatus.isEmpty()
              ? "-"
              : failuresByStatus.entrySet().stream()
                  .map(e -> e.getKey() + ":" + e.getValue())
                  .collect(java.util.stream.Collectors.joining(",")),
          firstFailure == null ? "-" : '"' + firstFailure.replace('"', '\'') + '"');
    }
  }

  Result send(Path stream) throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    AtomicLong accepted = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean notFound = new AtomicBoolean();
    Map<Integer, Long> statuses = new TreeMap<>();
    String[] firstFailure = {null};
    int rounds = 0;
    boolean truncated = false;
    long start = System.nanoTime();
    long deadline = start + maxDuration.toNanos();
    try (StreamFile.Reader reader = new StreamFile.Reader(stream)) {
      List<StreamFile.Request> round;
      while (!(round = reader.nextRound()).isEmpty()) {
        if (System.nanoTime() >= deadline) {
          truncated = true;
          break;
        }
        List<Future<?>> pending = new ArrayList<>(round.size());
        for (StreamFile.Request r : round) {
          pending.add(
              pool.submit(
                  () -> {
                    int status;
                    String body;
                    try {
                      HttpResponse<String> response =
                          client.send(request(r.body()), HttpResponse.BodyHandlers.ofString());
                      status = response.statusCode();
                      body = response.body();
                    } catch (IOException e) {
                      status = -1;
                      body = e.toString();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    if (status >= 200 && status < 300) {
                      ok.incrementAndGet();
                      accepted.addAndGet(r.samples());
                      return;
                    }
                    failed.incrementAndGet();
                    synchronized (statuses) {
                      statuses.merge(status, 1L, Long::sum);
                      if (firstFailure[0] == null) {
                        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
                        firstFailure[0] =
                            status + " " + (text.length() > 300 ? text.substring(0, 300) : text);
                      }
                    }
                    if (status == 404 || status == -1) {
                      notFound.compareAndSet(false, status == 404);
                    }
                  }));
        }
        for (Future<?> f : pending) {
          try {
            f.get();
          } catch (ExecutionException e) {
            throw new IllegalStateException("sender task failed", e.getCause());
          }
        }
        rounds++;
        // A missing endpoint, a refused token or a dead server fails every later request the
        // same way: stop rather than repeat it thousands of times.
        synchronized (statuses) {
          if (statuses.keySet().stream()
              .anyMatch(s -> s == -1 || s == 401 || s == 403 || s == 404)) {
            break;
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    synchronized (statuses) {
      return new Result(
          accepted.get(),
          ok.get(),
          failed.get(),
          rounds,
          seconds,
          truncated,
          notFound.get(),
          new TreeMap<>(statuses),
          firstFailure[0]);
    }
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("User-Agent", "vigil-bench-remote-write/1")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (bearerToken != null) {
      b.header("Authorization", "Bearer " + bearerToken);
    }
    return b.build();
  }
}
