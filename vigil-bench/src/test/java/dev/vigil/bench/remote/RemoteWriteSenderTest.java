package dev.vigil.bench.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against a real HTTP server on loopback that answers as told. */
class RemoteWriteSenderTest {
  @TempDir Path dir;

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private URI serve(int status, List<String> headers, AtomicInteger requests) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/write",
        exchange -> {
          requests.incrementAndGet();
          headers.add(
              exchange.getRequestHeaders().getFirst("Content-Encoding")
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          exchange.getRequestBody().readAllBytes();
          byte[] body = ("{\"error\":\"status " + status + "\"}").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write");
  }

  private Path stream() throws Exception {
    Path file = dir.resolve("stream");
    StreamGenerator.generate(
        new StreamGenerator.Options(
            500, 3, 15_000, 1_800_000_000_000L, 1, 100, 0, 1, NodeFleet.Histograms.CLASSIC),
        file);
    return file;
  }

  @Test
  void countsTheSamplesOfEveryAcceptedRequest() throws Exception {
    Path stream = stream();
    AtomicInteger requests = new AtomicInteger();
    List<String> headers = new CopyOnWriteArrayList<>();
    URI url = serve(204, headers, requests);

    RemoteWriteSender.Result r =
        new RemoteWriteSender(url, 2, "secret", Duration.ofMinutes(1)).send(stream);

    long samples = DecodedSample.decodeStream(stream).stream().mapToLong(List::size).sum();
    assertThat(r.acceptedSamples()).isEqualTo(samples);
    assertThat(r.requestsOk()).isEqualTo(requests.get());
    assertThat(r.rounds()).isEqualTo(3);
    assertThat(r.toLine()).contains("failed=0", "truncated=0", "statuses=-", "first_failure=-");
    assertThat(headers)
        .isNotEmpty()
        .allSatisfy(h -> assertThat(h).isEqualTo("snappy Bearer secret"));
  }

  @Test
  void stopsAfterTheFirstRoundWhenThePathIsMissing() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI url = serve(404, new CopyOnWriteArrayList<>(), requests);

    RemoteWriteSender.Result r =
        new RemoteWriteSender(url, 2, null, Duration.ofMinutes(1)).send(stream());

    assertThat(r.acceptedSamples()).isZero();
    assertThat(r.notFound()).isTrue();
    assertThat(r.rounds()).isEqualTo(1);
    assertThat(r.requestsFailed()).isEqualTo(requests.get());
    assertThat(r.toLine())
        .contains("not_found=1", "statuses=404:" + requests.get())
        .endsWith("first_failure=\"404 {'error':'status 404'}\"");
  }

  @Test
  void stopsAfterTheFirstRoundWhenRefused() throws Exception {
    URI url = serve(403, new CopyOnWriteArrayList<>(), new AtomicInteger());

    RemoteWriteSender.Result r =
        new RemoteWriteSender(url, 1, "wrong", Duration.ofMinutes(1)).send(stream());

    assertThat(r.rounds()).isEqualTo(1);
    assertThat(r.notFound()).isFalse();
    assertThat(r.failuresByStatus()).containsOnlyKeys(403);
  }

  @Test
  void aZeroDeadlineSendsNothingAndSaysSo() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI url = serve(204, new CopyOnWriteArrayList<>(), requests);

    RemoteWriteSender.Result r = new RemoteWriteSender(url, 1, null, Duration.ZERO).send(stream());

    assertThat(r.truncated()).isTrue();
    assertThat(r.rounds()).isZero();
    assertThat(requests.get()).isZero();
  }
}
