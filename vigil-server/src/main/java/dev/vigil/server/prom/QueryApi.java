package dev.vigil.server.prom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import dev.vigil.promql.ParseException;
import dev.vigil.promql.Parser;
import dev.vigil.promql.eval.Engine;
import dev.vigil.promql.eval.EvalException;
import dev.vigil.promql.eval.Result;
import dev.vigil.promql.eval.Value;
import dev.vigil.server.http.ApiException;
import dev.vigil.tsdb.Storage;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range}, GET or form POST, with Prometheus'
 * parameters, answer shapes, number formats, error types and messages. At most {@code
 * maxConcurrent} queries run at once (others wait for a slot within their timeout); a query that
 * runs past its timeout (the {@code timeout} parameter, capped by the configured one) answers 503
 * {@code timeout}; one that loads more than {@code maxSamples} samples answers 422 {@code
 * execution} with Prometheus' "too many samples" message. Thread-safe.
 */
public final class QueryApi {

  /** Prometheus' limit on the points of one series in a range query. */
  static final long MAX_POINTS = 11_000;

  private static final JsonFactory JSON = new JsonFactory();

  /** Query limits: concurrent queries, the longest a query may run, samples it may load. */
  public record Limits(int maxConcurrent, long timeoutMillis, long maxSamples) {
    /** Prometheus' defaults: 20 concurrent queries, 2 minutes, 50,000,000 samples. */
    public static Limits defaults() {
      return new Limits(20, 120_000, Engine.DEFAULT_MAX_SAMPLES);
    }
  }

  private final Engine engine;
  private final Clock clock;
  private final Limits limits;
  private final Semaphore slots;
  private final ExecutorService runner;

  /** Queries over {@code storage}. */
  public QueryApi(Storage storage, Clock clock, Limits limits) {
    this.engine = new Engine(storage, Engine.DEFAULT_LOOKBACK_MILLIS, limits.maxSamples());
    this.clock = clock;
    this.limits = limits;
    this.slots = new Semaphore(limits.maxConcurrent(), true);
    AtomicInteger n = new AtomicInteger();
    this.runner =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "vigil-query-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** GET or POST /api/v1/query. */
  public void query(Context ctx) {
    Expr expr = parseQuery(ctx);
    long time = PrometheusApi.time(ctx, "time", clock.millis());
    long timeout = timeout(ctx);
    Result r = run(() -> engine.instant(expr, time), timeout);
    answer(ctx, r);
  }

  /** GET or POST /api/v1/query_range. */
  public void queryRange(Context ctx) {
    long start = requiredTime(ctx, "start");
    long end = requiredTime(ctx, "end");
    if (end < start) {
      throw ApiException.badData(
          "invalid parameter \"end\": end timestamp must not be before start time");
    }
    String stepText = PrometheusApi.param(ctx, "step");
    long step = duration("step", stepText == null ? "" : stepText);
    if (step <= 0) {
      throw ApiException.badData(
          "invalid parameter \"step\": zero or negative query resolution step widths are not"
              + " accepted. Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw ApiException.badData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    long timeout = timeout(ctx);
    Expr expr = parseQuery(ctx);
    if (expr.type() != dev.vigil.promql.ValueType.SCALAR
        && expr.type() != dev.vigil.promql.ValueType.VECTOR) {
      throw ApiException.badData(
          "invalid expression type \""
              + expr.type().documentedName()
              + "\" for range query, must be Scalar or instant Vector");
    }
    Result r = run(() -> engine.range(expr, start, end, step), timeout);
    answer(ctx, r);
  }

  private interface Query {
    Result run();
  }

  private Result run(Query q, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      if (!slots.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw timedOut("query timed out in query queue");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "canceled", "query was canceled");
    }
    // The slot is held until the evaluation stops, not until its caller gives up waiting: the task
    // releases it when it ends; if the caller gives up before the task started, the caller does.
    java.util.concurrent.atomic.AtomicBoolean claimed =
        new java.util.concurrent.atomic.AtomicBoolean();
    Future<Result> f;
    try {
      f =
          runner.submit(
              () -> {
                if (!claimed.compareAndSet(false, true)) {
                  return null;
                }
                try {
                  return q.run();
                } finally {
                  slots.release();
                }
              });
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    try {
      long left = Math.max(1, deadline - System.nanoTime());
      return f.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      giveUp(f, claimed);
      throw timedOut("query timed out in expression evaluation");
    } catch (InterruptedException e) {
      giveUp(f, claimed);
      Thread.currentThread().interrupt();
      throw new ApiException(503, "canceled", "query was canceled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof EvalException ee) {
        throw new ApiException(422, "execution", ee.getMessage());
      }
      if (cause instanceof ApiException ae) {
        throw ae;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }

  private void giveUp(Future<Result> f, java.util.concurrent.atomic.AtomicBoolean claimed) {
    f.cancel(true);
    if (claimed.compareAndSet(false, true)) {
      slots.release(); // the task never started and never will
    }
  }

  private static ApiException timedOut(String message) {
    return new ApiException(503, "timeout", message);
  }

  private long timeout(Context ctx) {
    String t = PrometheusApi.param(ctx, "timeout");
    if (t == null || t.isEmpty()) {
      return limits.timeoutMillis();
    }
    long asked = duration("timeout", t);
    return asked <= 0 ? limits.timeoutMillis() : Math.min(asked, limits.timeoutMillis());
  }

  private static Expr parseQuery(Context ctx) {
    String q = PrometheusApi.param(ctx, "query");
    try {
      return Parser.parse(q == null ? "" : q);
    } catch (ParseException e) {
      throw ApiException.badData("invalid parameter \"query\": " + e.getMessage());
    }
  }

  private static long requiredTime(Context ctx, String name) {
    String s = PrometheusApi.param(ctx, name);
    if (s == null || s.isEmpty()) {
      throw ApiException.badData(
          "invalid parameter \"" + name + "\": cannot parse \"\" to a valid timestamp");
    }
    return PrometheusApi.parseTime(name, s, false);
  }

  /** Prometheus' parseDuration: seconds as a float, or a duration such as 5m or 1h30m. */
  static long duration(String name, String s) {
    try {
      double seconds = Double.parseDouble(s);
      if (Double.isFinite(seconds) && !s.isBlank()) {
        BigDecimal ms = new BigDecimal(s.trim()).movePointRight(3);
        if (ms.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1_000_000)) > 0) {
          throw ApiException.badData(
              "invalid parameter \""
                  + name
                  + "\": cannot parse \""
                  + s
                  + "\" to a valid duration. It overflows int64");
        }
        return ms.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // not a number: a duration
    }
    try {
      return dev.vigil.promql.Durations.parseMillis(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.badData(
          "invalid parameter \"" + name + "\": cannot parse \"" + s + "\" to a valid duration");
    }
  }

  private static void answer(Context ctx, Result r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      write(g, r.value());
      g.writeEndObject();
      strings(g, "warnings", r.warnings());
      strings(g, "infos", r.infos());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.status(200).contentType("application/json").result(out.toByteArray());
  }

  private static void strings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void write(JsonGenerator g, Value v) throws IOException {
    if (v instanceof Value.Scalar s) {
      g.writeStringField("resultType", "scalar");
      g.writeFieldName("result");
      PromFormat.point(g, s.timestampMillis(), s.value());
    } else if (v instanceof Value.Str s) {
      g.writeStringField("resultType", "string");
      g.writeFieldName("result");
      g.writeStartArray();
      PromFormat.timestamp(g, s.timestampMillis());
      g.writeString(s.value());
      g.writeEndArray();
    } else if (v instanceof Value.Vector vec) {
      g.writeStringField("resultType", "vector");
      g.writeArrayFieldStart("result");
      for (Value.Sample s : vec.samples()) {
        g.writeStartObject();
        g.writeFieldName("metric");
        PromFormat.labels(g, s.labels());
        if (s.histogram() != null) {
          g.writeFieldName("histogram");
          PromFormat.histogramPoint(g, s.timestampMillis(), s.histogram());
        } else {
          g.writeFieldName("value");
          PromFormat.point(g, s.timestampMillis(), s.value());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (v instanceof Value.Matrix m) {
      g.writeStringField("resultType", "matrix");
      g.writeArrayFieldStart("result");
      for (Value.SeriesPoints s : m.series()) {
        series(g, s.labels(), s.points());
      }
      g.writeEndArray();
    }
  }

  private static void series(JsonGenerator g, Labels labels, List<Value.Point> points)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName("metric");
    PromFormat.labels(g, labels);
    boolean floats = false;
    boolean histograms = false;
    for (Value.Point p : points) {
      if (p.histogram() == null) {
        floats = true;
      } else {
        histograms = true;
      }
    }
    if (floats) {
      g.writeArrayFieldStart("values");
      for (Value.Point p : points) {
        if (p.histogram() == null) {
          PromFormat.point(g, p.timestampMillis(), p.value());
        }
      }
      g.writeEndArray();
    }
    if (histograms) {
      g.writeArrayFieldStart("histograms");
      for (Value.Point p : points) {
        if (p.histogram() != null) {
          PromFormat.histogramPoint(g, p.timestampMillis(), p.histogram());
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
