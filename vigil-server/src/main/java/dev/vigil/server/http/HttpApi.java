package dev.vigil.server.http;

import dev.vigil.client.Recorder;
import dev.vigil.client.exposition.TextFormat;
import dev.vigil.server.auth.Authenticator;
import dev.vigil.server.auth.Token;
import dev.vigil.server.events.AccessLog;
import dev.vigil.server.ingest.PushIngest;
import dev.vigil.server.ingest.RequestIngest;
import dev.vigil.server.metrics.SelfMetrics;
import dev.vigil.server.perf.PerformanceApi;
import dev.vigil.server.prom.PrometheusApi;
import dev.vigil.server.prom.QueryApi;
import dev.vigil.server.prom.SnapshotApi;
import dev.vigil.server.remote.RemoteWriteReceiver;
import dev.vigil.tsdb.StorageFullException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface on Javalin: routes, authentication before every route, errors in Prometheus'
 * JSON shape (never a stack trace; 404 and 405 included), the access log and the server's own
 * request metrics after every request.
 */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final String START = "vigil.startNanos";

  private HttpApi() {}

  /** Everything the routes call. */
  public record Handlers(
      Authenticator auth,
      RequestIngest requests,
      PushIngest push,
      RemoteWriteReceiver remoteWrite,
      PerformanceApi performance,
      SelfMetrics metrics,
      AccessLog accessLog,
      Recorder httpRecorder,
      BodyReader bodies,
      BooleanSupplier ready,
      Clock clock,
      PrometheusApi prometheus,
      QueryApi query,
      SnapshotApi snapshots) {}

  /** Creates the (unstarted) application. */
  public static Javalin create(Handlers h) {
    return Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.startup.showOldJavalinVersionWarning = false;
          config.http.prefer405over404 = true;
          config.http.maxRequestSize = Long.MAX_VALUE; // BodyReader enforces the limit
          var r = config.routes;
          r.before(ctx -> ctx.attribute(START, System.nanoTime()));
          r.before(h.auth()::check);
          r.get("/-/healthy", ctx -> ctx.contentType("text/plain").result("Vigil is Healthy.\n"));
          r.get(
              "/-/ready",
              ctx -> {
                if (h.ready().getAsBoolean()) {
                  ctx.contentType("text/plain").result("Vigil is Ready.\n");
                } else {
                  ctx.status(503).contentType("text/plain").result("Vigil is not ready.\n");
                }
              });
          r.post(
              "/api/v1/requests",
              ctx -> {
                // Read whole, then parsed from the array: Jackson reading 8 KB at a time through
                // the servlet stream cost more than the one copy.
                int accepted = h.requests().ingest(h.bodies().bytes(ctx));
                Json.success(ctx, Map.of("accepted", accepted));
              });
          r.post(
              "/api/v1/push",
              ctx -> {
                long accepted = h.push().ingest(h.bodies().bytes(ctx));
                Json.success(ctx, Map.of("accepted", accepted));
              });
          r.post("/api/v1/write", h.remoteWrite()::handle);
          PerformanceApi p = h.performance();
          r.get("/api/performance/summary", p::summary);
          r.get("/api/performance/endpoints", p::endpoints);
          r.get("/api/performance/endpoints/<endpoint>", p::endpoint);
          r.get("/api/performance/slow-requests", p::slowRequests);
          r.get("/api/performance/users", p::users);
          r.get("/api/performance/system-metrics", p::systemMetrics);
          PrometheusApi prom = h.prometheus();
          QueryApi query = h.query();
          r.get("/api/v1/query", query::query);
          r.post("/api/v1/query", query::query);
          r.get("/api/v1/query_range", query::queryRange);
          r.post("/api/v1/query_range", query::queryRange);
          r.get("/api/v1/series", prom::series);
          r.post("/api/v1/series", prom::series);
          r.get("/api/v1/labels", prom::labels);
          r.post("/api/v1/labels", prom::labels);
          r.get("/api/v1/label/<name>/values", ctx -> prom.labelValues(ctx, ctx.pathParam("name")));
          r.get("/api/v1/metadata", prom::metadata);
          r.get("/api/v1/status/buildinfo", prom::buildInfo);
          r.get("/api/v1/status/runtimeinfo", prom::runtimeInfo);
          r.get("/api/v1/status/tsdb", prom::tsdbStatus);
          r.get("/api/v1/format_query", prom::formatQuery);
          r.post("/api/v1/format_query", prom::formatQuery);
          r.post("/api/v1/admin/tsdb/snapshot", h.snapshots()::snapshot);
          r.put("/api/v1/admin/tsdb/snapshot", h.snapshots()::snapshot);
          r.get(
              "/metrics",
              ctx -> ctx.contentType(TextFormat.CONTENT_TYPE).result(h.metrics().scrape()));
          r.get("/", ctx -> asset(ctx, "index.html"));
          r.get("/index.html", ctx -> asset(ctx, "index.html"));
          r.get("/ui/<file>", ctx -> asset(ctx, ctx.pathParam("file")));
          r.exception(ApiException.class, HttpApi::apiError);
          // A route that let a full disk through unmapped still answers as the ingest routes do.
          r.exception(
              StorageFullException.class,
              (e, ctx) -> apiError(ApiException.storageFailure(e), ctx));
          r.exception(
              HttpResponseException.class,
              (e, ctx) -> error(ctx, e.getStatus(), errorType(e.getStatus()), message(e, ctx)));
          r.exception(
              Exception.class,
              (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal", "internal error: " + e.getClass().getSimpleName());
              });
          r.error(
              404,
              ctx -> {
                if (ctx.result() == null) {
                  Json.error(
                      ctx, 404, "not_found", "no such path: " + ctx.method() + " " + ctx.path());
                }
              });
          r.error(
              405,
              ctx -> {
                if (ctx.result() == null || !ctx.result().startsWith("{")) {
                  error(
                      ctx,
                      405,
                      "method_not_allowed",
                      "method " + ctx.method() + " not allowed on " + ctx.path());
                }
              });
          r.after(ctx -> after(ctx, h));
        });
  }

  private static void apiError(ApiException e, Context ctx) {
    if (e.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
    }
    error(ctx, e.status(), e.errorType(), e.getMessage());
  }

  /**
   * Answers an error: as Prometheus' JSON, except on {@code /api/v1/write}, which answers in plain
   * text as Prometheus' remote write receiver does (senders log the body as it is).
   */
  private static void error(Context ctx, int status, String type, String message) {
    if (ctx.path().equals("/api/v1/write")) {
      ctx.status(status)
          .contentType("text/plain; charset=utf-8")
          .header("X-Content-Type-Options", "nosniff")
          .result(message + "\n");
    } else {
      Json.error(ctx, status, type, message);
    }
  }

  private static String message(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> "no such path: " + ctx.method() + " " + ctx.path();
      case 405 -> "method " + ctx.method() + " not allowed on " + ctx.path();
      default -> e.getMessage();
    };
  }

  private static String errorType(int status) {
    return switch (status) {
      case 400 -> "bad_data";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "bad_data";
    };
  }

  private static void after(Context ctx, Handlers h) {
    Long start = ctx.attribute(START);
    long nanos = start == null ? 0 : System.nanoTime() - start;
    int status = ctx.statusCode();
    Token token = ctx.attribute(Authenticator.TOKEN_ATTRIBUTE);
    Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    String route = endpoint == null ? "_unmatched" : endpoint.path;
    h.httpRecorder().record(ctx.method().name(), route, status, nanos, null);
    if (ctx.path().startsWith("/-/")) {
      return; // probes every few seconds would drown the access log
    }
    h.accessLog()
        .log(
            new AccessLog.Entry(
                h.clock().millis(),
                token == null ? null : token.name(),
                token == null ? null : token.role().id(),
                ctx.method().name(),
                ctx.path(),
                status,
                nanos / 1e6,
                ctx.ip()));
  }

  private static void asset(Context ctx, String file) throws IOException {
    if (!file.matches("[a-zA-Z0-9_-]+\\.(html|js|css|svg)")) {
      throw ApiException.notFound("no such asset: " + file);
    }
    try (InputStream in = HttpApi.class.getResourceAsStream("/web/" + file)) {
      if (in == null) {
        throw ApiException.notFound("no such asset: " + file);
      }
      String type =
          file.endsWith(".html")
              ? "text/html; charset=utf-8"
              : file.endsWith(".js")
                  ? "text/javascript; charset=utf-8"
                  : file.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
      ctx.contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
    }
  }
}
