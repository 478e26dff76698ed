package dev.vigil.client.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsHandlerTest {

  private static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
          + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer server;
  private URI uri;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void servesTextFormatByDefault() throws Exception {
    start(new MetricsHandler(Fixtures.recorder()));
    HttpResponse<String> r = get(null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains(TextFormat.CONTENT_TYPE);
    assertThat(r.body()).contains("# TYPE http_server_requests_total counter\n");
    assertThat(r.body()).contains("jvm_threads_current ");
    assertThat(r.body()).doesNotContain("# EOF");
  }

  @Test
  void servesOpenMetricsToPrometheus() throws Exception {
    start(new MetricsHandler(Fixtures.recorder()));
    HttpResponse<String> r = get(PROMETHEUS_ACCEPT, null);
    assertThat(r.headers().firstValue("Content-Type")).contains(OpenMetricsFormat.CONTENT_TYPE);
    assertThat(r.body()).endsWith("# EOF\n");
    assertThat(OpenMetricsChecker.check(r.body())).isEmpty();
  }

  @Test
  void refusedOpenMetricsGetsText() throws Exception {
    start(new MetricsHandler(Fixtures.recorder()));
    HttpResponse<String> r = get("application/openmetrics-text;q=0, text/plain", null);
    assertThat(r.headers().firstValue("Content-Type")).contains(TextFormat.CONTENT_TYPE);
  }

  @Test
  void gzipsWhenAccepted() throws Exception {
    start(new MetricsHandler(Fixtures::scrape, ClassicBuckets.DEFAULT));
    HttpRequest request =
        HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip, deflate").build();
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
    String body;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).isEqualTo(Fixtures.text(Fixtures.scrape()));
  }

  @Test
  void answersHeadWithoutBodyAndRefusesPost() throws Exception {
    start(new MetricsHandler(Fixtures.recorder()));
    HttpResponse<String> head =
        client.send(
            HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  @Test
  void failingCollectionGives500() throws Exception {
    Supplier<Scrape> broken =
        () -> {
          throw new IllegalStateException("collector broke");
        };
    start(new MetricsHandler(broken, ClassicBuckets.DEFAULT));
    HttpResponse<String> r = get(null, null);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("collector broke");
  }

  @Test
  void parsesAcceptHeaders() {
    assertThat(MetricsHandler.accepts(PROMETHEUS_ACCEPT, "application/openmetrics-text")).isTrue();
    assertThat(MetricsHandler.accepts("text/plain", "application/openmetrics-text")).isFalse();
    assertThat(MetricsHandler.accepts("gzip;q=0.0, br", "gzip")).isFalse();
    assertThat(MetricsHandler.accepts(" GZIP ;q=0.5", "gzip")).isTrue();
    assertThat(MetricsHandler.accepts(null, "gzip")).isFalse();
  }

  private void start(MetricsHandler handler) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", handler);
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  private HttpResponse<String> get(String accept, String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (encoding != null) {
      b.header("Accept-Encoding", encoding);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
