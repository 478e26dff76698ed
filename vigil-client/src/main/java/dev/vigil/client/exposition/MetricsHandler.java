package dev.vigil.client.exposition;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.client.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Serves a {@link Scrape} over the JDK's {@code com.sun.net.httpserver}, e.g. at {@code /metrics}:
 * OpenMetrics when the client accepts {@code application/openmetrics-text} (as Prometheus does),
 * the text format 0.0.4 otherwise, gzipped when the client accepts gzip.
 *
 * <p>The body is rendered into memory before the status line is sent, so a failure yields a clean
 * 500 instead of a truncated 200; a scrape of a few hundred endpoints is tens of kilobytes.
 */
public final class MetricsHandler implements HttpHandler {

  private final Supplier<Scrape> scrapes;
  private final TextFormat text;
  private final OpenMetricsFormat openMetrics;

  /** Serves {@code recorder}'s metrics and the JVM metrics, with the default buckets. */
  public MetricsHandler(Recorder recorder) {
    this(() -> Scrape.of(recorder), ClassicBuckets.DEFAULT);
    Objects.requireNonNull(recorder, "recorder");
  }

  /** Serves what {@code scrapes} supplies at each request, with these classic buckets. */
  public MetricsHandler(Supplier<Scrape> scrapes, ClassicBuckets buckets) {
    this.scrapes = Objects.requireNonNull(scrapes, "scrapes");
    this.text = new TextFormat(buckets);
    this.openMetrics = new OpenMetricsFormat(buckets);
  }

  /** Answers GET and HEAD; other methods get 405. */
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      Headers request = exchange.getRequestHeaders();
      boolean useOpenMetrics = accepts(request.getFirst("Accept"), "application/openmetrics-text");
      boolean gzip = accepts(request.getFirst("Accept-Encoding"), "gzip");
      byte[] body;
      try {
        body = render(scrapes.get(), useOpenMetrics, gzip);
      } catch (RuntimeException e) {
        byte[] message = ("failed to collect metrics: " + e).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(500, message.length);
        exchange.getResponseBody().write(message);
        return;
      }
      Headers response = exchange.getResponseHeaders();
      response.set(
          "Content-Type",
          useOpenMetrics ? OpenMetricsFormat.CONTENT_TYPE : TextFormat.CONTENT_TYPE);
      response.set("Vary", "Accept, Accept-Encoding");
      if (gzip) {
        response.set("Content-Encoding", "gzip");
      }
      if (head) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private byte[] render(Scrape scrape, boolean useOpenMetrics, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
    if (useOpenMetrics) {
      openMetrics.write(out, scrape);
    } else {
      text.write(out, scrape);
    }
    out.close();
    return bytes.toByteArray();
  }

  /**
   * Whether a header such as {@code Accept} or {@code Accept-Encoding} lists {@code token} (a media
   * type or coding, parameters ignored) with a quality above zero.
   */
  static boolean accepts(String header, String token) {
    if (header == null) {
      return false;
    }
    for (String range : header.split(",")) {
      String[] parts = range.split(";");
      if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(token)) {
        continue;
      }
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip().toLowerCase(Locale.ROOT);
        if (p.startsWith("q=")) {
          try {
            refused = Double.parseDouble(p.substring(2)) <= 0;
          } catch (NumberFormatException e) {
            refused = false; // a malformed weight counts as the default, 1
          }
        }
      }
      if (!refused) {
        return true;
      }
    }
    return false;
  }
}
