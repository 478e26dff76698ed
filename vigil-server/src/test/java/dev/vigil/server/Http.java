package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests against a real server. */
public final class Http {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /** A client of the server at {@code http://127.0.0.1:port}. */
  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A response: status, headers and body. */
  public record Response(int status, HttpResponse<String> raw) {
    /** The body. */
    public String body() {
      return raw.body();
    }

    /** The body as JSON. */
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw.body(), e);
      }
    }

    /** A header or null. */
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  /** GET with an optional Authorization header value. */
  public Response get(String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b);
  }

  /** GET with a bearer token. */
  public Response getWith(String token, String path) {
    return get(path, token == null ? null : "Bearer " + token);
  }

  /** POST bytes with a bearer token and extra headers (name, value, ...). */
  public Response post(String token, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** POST a JSON string. */
  public Response postJson(String token, String path, String json) {
    return post(
        token,
        path,
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "Content-Type",
        "application/json");
  }

  /** Any method without a body. */
  public Response method(String token, String method, String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b);
  }

  private Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r =
          client.send(
              b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r);
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
