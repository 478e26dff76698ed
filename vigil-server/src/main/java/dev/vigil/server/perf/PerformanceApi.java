package dev.vigil.server.perf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.events.EventsDb;
import dev.vigil.server.events.SlowRequestRecord;
import dev.vigil.server.events.SlowRequestStore;
import dev.vigil.server.events.UserStatsStore;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.TimeRange;
import dev.vigil.server.system.SystemHealth;
import dev.vigil.server.system.SystemMetricsReader;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The performance API under {@code /api/performance}: summary, endpoints, one endpoint, slow
 * requests, users and system metrics, with the seed's field names. Every read takes {@code
 * ?window=} or {@code ?start=&end=} (see {@link TimeRange}) and {@code ?service=} to narrow to one
 * service.
 */
public final class PerformanceApi {

  private static final List<String> SORTS = List.of("count", "p95", "error_rate", "avg_time");

  private final RequestStatsReader requests;
  private final SlowRequestStore slowRequests;
  private final SlowRequestCounts slowCounts;
  private final UserStatsStore users;
  private final SystemMetricsReader system;
  private final ServerConfig config;
  private final Clock clock;

  /** The API over these readers and the events in {@code events}. */
  public PerformanceApi(
      RequestStatsReader requests,
      EventsDb events,
      SystemMetricsReader system,
      ServerConfig config,
      Clock clock) {
    this.requests = requests;
    this.slowRequests = new SlowRequestStore(events);
    this.slowCounts = new SlowRequestCounts(events);
    this.users = new UserStatsStore(events);
    this.system = system;
    this.config = config;
    this.clock = clock;
  }

  private TimeRange range(Context ctx) {
    return TimeRange.parse(
        ctx.queryParam("window"),
        ctx.queryParam("start"),
        ctx.queryParam("end"),
        clock.millis(),
        config.retention());
  }

  private static Map<String, Object> window(TimeRange r) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("start", Instant.ofEpochMilli(r.startMillis()).toString());
    w.put("end", Instant.ofEpochMilli(r.endMillis()).toString());
    w.put("seconds", r.seconds());
    return w;
  }

  /**
   * Writes numbers with Jackson's Schubfach writer: JDK 17's Double.toString took 12% of an
   * endpoints answer (2,600 numbers for 200 endpoints). Both give a decimal that reads back as the
   * same double; Schubfach's is the shortest such, where JDK 17 sometimes adds a digit.
   */
  private static final JsonFactory JSON =
      new ObjectMapper(
              JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build())
          .getFactory();

  /** Writes a JSON body; the performance answers are streamed, not built as maps. */
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static void stream(Context ctx, int sizeHint, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
    ctx.status(200).contentType("application/json").result(out.toByteArray());
  }

  private static void writeWindow(JsonGenerator g, TimeRange r) throws IOException {
    g.writeObjectFieldStart("window");
    g.writeStringField("start", Instant.ofEpochMilli(r.startMillis()).toString());
    g.writeStringField("end", Instant.ofEpochMilli(r.endMillis()).toString());
    g.writeNumberField("seconds", r.seconds());
    g.writeEndObject();
  }

  /** GET /api/performance/summary. */
  public void summary(Context ctx) throws SQLException {
    TimeRange r = range(ctx);
    double apdexSeconds = config.apdexThresholdSeconds();
    RequestStatsReader.WindowStats window =
        requests.read(r, ctx.queryParam("service"), apdexSeconds, true);
    List<EndpointStats> stats = new ArrayList<>(window.endpoints());
    EndpointStats total = window.total();
    long count = 0;
    long errors = 0;
    long statusTotal = 0;
    for (EndpointStats e : stats) {
      count += e.count();
      errors += e.errors();
      statusTotal += e.statusTotal();
    }
    stats.sort(
        Comparator.comparingLong(EndpointStats::count)
            .reversed()
            .thenComparing(EndpointStats::key));
    long slow = slowCounts.count(r.startMillis(), r.endMillis());
    SystemHealth health = currentHealth();
    long requestCount = count;
    double errorRate = statusTotal == 0 ? 0.0 : 100.0 * errors / statusTotal;
    stream(
        ctx,
        4096,
        g -> {
          g.writeStartObject();
          g.writeNumberField("total_requests", requestCount);
          g.writeNumberField("avg_response_time", total.averageSeconds());
          g.writeNumberField("slow_requests", slow);
          g.writeNumberField("error_rate", errorRate);
          g.writeArrayFieldStart("top_endpoints");
          for (EndpointStats e : stats.subList(0, Math.min(10, stats.size()))) {
            g.writeStartObject();
            g.writeStringField("endpoint", e.key());
            g.writeNumberField("count", e.count());
            g.writeNumberField("avg_time", e.averageSeconds());
            g.writeNumberField("error_rate", e.errorRatePercent());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeStringField("system_health", health.status());
          g.writeObjectField("health_reasons", health.reasons());
          g.writeNumberField("requests_per_second", requestCount / r.seconds());
          g.writeNumberField("p50", total.p50());
          g.writeNumberField("p90", total.p90());
          g.writeNumberField("p95", total.p95());
          g.writeNumberField("p99", total.p99());
          g.writeNumberField("performance_score", total.apdex());
          g.writeNumberField("apdex_threshold", apdexSeconds);
          g.writeNumberField("endpoints", stats.size());
          writeWindow(g, r);
          g.writeEndObject();
        });
  }

  /** GET /api/performance/endpoints. */
  public void endpoints(Context ctx) {
    TimeRange r = range(ctx);
    String sort = ctx.queryParam("sort") == null ? "count" : ctx.queryParam("sort");
    if (!SORTS.contains(sort)) {
      throw ApiException.badData(
          "sort: must be one of p95, count, error_rate, avg_time, got \"" + sort + "\"");
    }
    int limit = TimeRange.intParam("limit", ctx.queryParam("limit"), 1000, 1, 100_000);
    List<EndpointStats> stats =
        new ArrayList<>(
            requests
                .read(r, ctx.queryParam("service"), config.apdexThresholdSeconds(), false)
                .endpoints());
    Comparator<EndpointStats> order =
        switch (sort) {
          case "p95" -> Comparator.comparingDouble(EndpointStats::p95);
          case "error_rate" -> Comparator.comparingDouble(EndpointStats::errorRatePercent);
          case "avg_time" -> Comparator.comparingDouble(EndpointStats::averageSeconds);
          default -> Comparator.comparingLong(EndpointStats::count);
        };
    stats.sort(order.reversed().thenComparing(EndpointStats::key));
    List<EndpointStats> shown = stats.subList(0, Math.min(limit, stats.size()));
    stream(
        ctx,
        512 * shown.size() + 16,
        g -> {
          g.writeStartObject();
          for (EndpointStats e : shown) {
            g.writeObjectFieldStart(e.key());
            e.writeFields(g, r.seconds());
            g.writeEndObject();
          }
          g.writeEndObject();
        });
  }

  /** GET /api/performance/endpoints/{endpoint}, e.g. {@code POST%20/api/auth/login}. */
  public void endpoint(Context ctx) {
    String key = ctx.pathParam("endpoint");
    int space = key.indexOf(' ');
    if (space <= 0 || space == key.length() - 1) {
      throw ApiException.badData(
          "endpoint: expected \"METHOD route\" such as \"POST /api/auth/login\", got \""
              + key
              + "\"");
    }
    TimeRange r = range(ctx);
    RequestStatsReader.WindowStats window =
        requests.read(r, ctx.queryParam("service"), config.apdexThresholdSeconds(), false);
    for (EndpointStats e : window.endpoints()) {
      if (e.key().equals(key)) {
        stream(
            ctx,
            1024,
            g -> {
              g.writeStartObject();
              e.writeFields(g, r.seconds());
              writeWindow(g, r);
              g.writeEndObject();
            });
        return;
      }
    }
    throw ApiException.notFound("no requests for endpoint \"" + key + "\" in the window");
  }

  /** GET /api/performance/slow-requests?limit=20: newest first. */
  public void slowRequests(Context ctx) throws SQLException {
    TimeRange r = range(ctx);
    int limit = TimeRange.intParam("limit", ctx.queryParam("limit"), 20, 1, 1000);
    List<Map<String, Object>> out = new ArrayList<>();
    for (SlowRequestRecord s : slowRequests.recent(r.startMillis(), r.endMillis(), limit)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("timestamp", Instant.ofEpochMilli(s.timestampMillis()).toString());
      m.put("endpoint", s.method() + " " + s.route());
      m.put("method", s.method());
      m.put("route", s.route());
      m.put("status_code", s.status());
      m.put("response_time", s.durationSeconds());
      m.put("user", s.user());
      m.put("service", s.service());
      m.put("instance", s.instance());
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("threshold_seconds", config.slowThreshold().toNanos() * 1e-9);
    body.put("slow_requests", out);
    body.put("window", window(r));
    Json.plain(ctx, body);
  }

  /** GET /api/performance/users?limit=20: heaviest pseudonymous users by count and by time. */
  public void users(Context ctx) throws SQLException {
    TimeRange r = range(ctx);
    int limit = TimeRange.intParam("limit", ctx.queryParam("limit"), 20, 1, 1000);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("by_count", userRows(users.top(r.startMillis(), r.endMillis(), limit, false)));
    body.put("by_total_time", userRows(users.top(r.startMillis(), r.endMillis(), limit, true)));
    body.put("window", window(r));
    Json.plain(ctx, body);
  }

  private static List<Map<String, Object>> userRows(List<UserStatsStore.UserRow> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (UserStatsStore.UserRow u : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("user", u.user());
      m.put("count", u.count());
      m.put("total_time", u.totalSeconds());
      m.put("avg_time", u.count() == 0 ? 0 : u.totalSeconds() / u.count());
      out.add(m);
    }
    return out;
  }

  /** GET /api/performance/system-metrics?hours=24. */
  public void systemMetrics(Context ctx) {
    TimeRange r;
    String hours = ctx.queryParam("hours");
    if (hours != null) {
      if (ctx.queryParam("window") != null || ctx.queryParam("start") != null) {
        throw ApiException.badData("hours: give either hours or window/start/end, not both");
      }
      double h;
      try {
        h = Double.parseDouble(hours);
      } catch (NumberFormatException e) {
        throw ApiException.badData("hours: expected a number, got \"" + hours + "\"");
      }
      double max = config.retention().toMillis() / 3_600_000.0;
      if (!(h > 0 && h <= max)) {
        throw ApiException.badData("hours: must be above 0 and at most " + max + ", got " + hours);
      }
      long now = clock.millis();
      r = new TimeRange(now - (long) (h * 3_600_000), now);
    } else {
      r =
          ctx.queryParam("window") == null && ctx.queryParam("start") == null
              ? new TimeRange(clock.millis() - 86_400_000L, clock.millis())
              : range(ctx);
    }
    int points = TimeRange.intParam("points", ctx.queryParam("points"), 720, 2, 100_000);
    List<Map<String, Object>> samples = system.samples(r.startMillis(), r.endMillis(), points);
    SystemHealth health = currentHealth();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("current", samples.isEmpty() ? null : samples.get(samples.size() - 1));
    body.put("system_health", health.status());
    body.put("health_reasons", health.reasons());
    body.put("samples", samples);
    body.put("window", window(r));
    Json.plain(ctx, body);
  }

  /** Health from the latest readings of the last few collection intervals. */
  public SystemHealth currentHealth() {
    long now = clock.millis();
    long lookback = Math.max(60_000, 3 * config.systemInterval().toMillis());
    List<Map<String, Object>> recent = system.samples(now - lookback, now, 100_000);
    if (recent.isEmpty()) {
      return SystemHealth.unknown();
    }
    Map<String, Object> last = recent.get(recent.size() - 1);
    return SystemHealth.assess(
        (Double) last.get("cpu_percent"),
        (Double) last.get("memory_percent"),
        (Double) last.get("disk_percent"),
        config.health());
  }
}
