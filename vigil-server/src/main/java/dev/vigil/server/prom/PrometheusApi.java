package dev.vigil.server.prom;

import dev.vigil.model.Labels;
import dev.vigil.promql.Expr;
import dev.vigil.promql.LabelMatcher;
import dev.vigil.promql.ParseException;
import dev.vigil.promql.Parser;
import dev.vigil.promql.Printer;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.Series;
import dev.vigil.tsdb.Storage;
import dev.vigil.tsdb.StorageStats;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metadata half of Prometheus' HTTP API: {@code /api/v1/series}, {@code /api/v1/labels}, {@code
 * /api/v1/label/<name>/values}, {@code /api/v1/metadata}, {@code /api/v1/status/*} and {@code
 * /api/v1/format_query}, with Prometheus' parameters, JSON shapes, error types and messages, so
 * that Grafana's Prometheus data source and Prometheus' clients work unchanged.
 *
 * <p>Parameters come from the query string and, for POST, from a form body, as in Prometheus. Times
 * are Unix seconds with up to millisecond decimals or RFC 3339; a missing {@code start} or {@code
 * end} means the beginning or the end of time. Thread-safe.
 */
public final class PrometheusApi {

  /** Vigil's version as reported by buildinfo. */
  public static final String VERSION = "0.1.0";

  private static final long MIN_TIME = Long.MIN_VALUE / 2;
  private static final long MAX_TIME = Long.MAX_VALUE / 2;
  private static final String MATCH = "match[]";

  private final Storage storage;
  private final Clock clock;
  private final Instant started;
  private final Duration retention;
  private final MetricMetadata metadata;

  /** An API over {@code storage}; {@code retention} is reported by runtimeinfo. */
  public PrometheusApi(Storage storage, Clock clock, Duration retention, MetricMetadata metadata) {
    this.storage = storage;
    this.clock = clock;
    this.started = clock.instant();
    this.retention = retention;
    this.metadata = metadata;
  }

  /** GET or POST /api/v1/series. */
  public void series(Context ctx) {
    List<String> selectors = params(ctx, MATCH);
    if (selectors.isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    List<Matcher[]> sets = matcherSets(selectors, true);
    long start = time(ctx, "start", MIN_TIME);
    long end = time(ctx, "end", MAX_TIME);
    int limit = limit(ctx);
    TreeMap<Labels, Boolean> found = new TreeMap<>();
    try (Querier q = storage.querier(start, end)) {
      for (Matcher[] set : sets) {
        for (Series s : q.select(set)) {
          found.put(s.labels(), Boolean.TRUE);
        }
      }
    }
    List<Map<String, String>> out = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Labels l : found.keySet()) {
      if (limit > 0 && out.size() == limit) {
        warnings.add("results truncated due to limit");
        break;
      }
      Map<String, String> m = new LinkedHashMap<>();
      l.forEach(m::put);
      out.add(m);
    }
    success(ctx, out, warnings);
  }

  /** GET or POST /api/v1/labels. */
  public void labels(Context ctx) {
    List<Matcher[]> sets = matcherSets(params(ctx, MATCH), false);
    long start = time(ctx, "start", MIN_TIME);
    long end = time(ctx, "end", MAX_TIME);
    TreeSet<String> names = new TreeSet<>();
    try (Querier q = storage.querier(start, end)) {
      if (sets.isEmpty()) {
        names.addAll(q.labelNames());
      }
      for (Matcher[] set : sets) {
        names.addAll(q.labelNames(set));
      }
    }
    limited(ctx, new ArrayList<>(names));
  }

  /** GET /api/v1/label/{name}/values. */
  public void labelValues(Context ctx, String name) {
    if (name.isEmpty() || !name.codePoints().allMatch(Character::isDefined)) {
      throw ApiException.badData("invalid label name: \"" + name + "\"");
    }
    List<Matcher[]> sets = matcherSets(params(ctx, MATCH), false);
    long start = time(ctx, "start", MIN_TIME);
    long end = time(ctx, "end", MAX_TIME);
    TreeSet<String> values = new TreeSet<>();
    try (Querier q = storage.querier(start, end)) {
      if (sets.isEmpty()) {
        values.addAll(q.labelValues(name));
      }
      for (Matcher[] set : sets) {
        values.addAll(q.labelValues(name, set));
      }
    }
    values.remove("");
    limited(ctx, new ArrayList<>(values));
  }

  /** GET /api/v1/metadata. */
  public void metadata(Context ctx) {
    int limit = optionalInt(ctx, "limit", -1);
    int perMetric = optionalInt(ctx, "limit_per_metric", -1);
    String metric = ctx.queryParam("metric");
    Map<String, List<MetricMetadata.Entry>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<MetricMetadata.Entry>> e : metadata.all().entrySet()) {
      if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) {
        continue;
      }
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      List<MetricMetadata.Entry> entries = e.getValue();
      if (perMetric >= 0 && entries.size() > perMetric) {
        entries = entries.subList(0, perMetric);
      }
      out.put(e.getKey(), entries);
    }
    Json.success(ctx, out);
  }

  /** GET /api/v1/status/buildinfo. */
  public void buildInfo(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", VERSION);
    m.put("revision", "unknown");
    m.put("branch", "main");
    m.put("buildUser", "");
    m.put("buildDate", "");
    m.put("goVersion", "java" + Runtime.version());
    Json.success(ctx, m);
  }

  /** GET /api/v1/status/runtimeinfo. */
  public void runtimeInfo(Context ctx) {
    StorageStats stats = storage.stats();
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("startTime", started.toString());
    m.put("CWD", System.getProperty("user.dir"));
    m.put("reloadConfigSuccess", true);
    m.put("lastConfigTime", started.toString());
    m.put("corruptionCount", stats.corruptBlocks());
    m.put("goroutineCount", Thread.activeCount());
    m.put("GOMAXPROCS", rt.availableProcessors());
    m.put("GOMEMLIMIT", rt.maxMemory());
    m.put("GOGC", "");
    m.put("GODEBUG", "");
    m.put("storageRetention", promDuration(retention));
    Json.success(ctx, m);
  }

  /** GET /api/v1/status/tsdb: head statistics and the top label cardinalities. */
  public void tsdbStatus(Context ctx) {
    int limit = optionalInt(ctx, "limit", 10);
    if (limit <= 0) {
      throw ApiException.badData("limit must be a positive number");
    }
    StorageStats stats = storage.stats();
    Map<String, Long> byName = new HashMap<>();
    Map<String, TreeSet<String>> valuesByLabel = new HashMap<>();
    Map<String, Long> bytesByLabel = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    long pairs = 0;
    long series = 0;
    long now = clock.millis();
    try (Querier q = storage.querier(now - retention.toMillis(), MAX_TIME)) {
      for (Series s : q.select()) {
        series++;
        Labels l = s.labels();
        for (int i = 0; i < l.size(); i++) {
          String n = l.name(i);
          String v = l.value(i);
          if (n.equals(Labels.METRIC_NAME)) {
            byName.merge(v, 1L, Long::sum);
          }
          if (valuesByLabel.computeIfAbsent(n, k -> new TreeSet<>()).add(v)) {
            bytesByLabel.merge(n, (long) v.length(), Long::sum);
          }
          if (byPair.merge(n + "=" + v, 1L, Long::sum) == 1L) {
            pairs++;
          }
        }
      }
    }
    Map<String, Long> valueCounts = new HashMap<>();
    valuesByLabel.forEach((k, v) -> valueCounts.put(k, (long) v.size()));
    Map<String, Object> head = new LinkedHashMap<>();
    head.put("numSeries", series);
    head.put("numLabelPairs", pairs);
    head.put("chunkCount", 0);
    head.put("minTime", stats.oldestTimestampMillis().orElse(now));
    head.put("maxTime", stats.newestTimestampMillis().orElse(now));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("headStats", head);
    m.put("seriesCountByMetricName", top(byName, limit));
    m.put("labelValueCountByLabelName", top(valueCounts, limit));
    m.put("memoryInBytesByLabelName", top(bytesByLabel, limit));
    m.put("seriesCountByLabelValuePair", top(byPair, limit));
    Json.success(ctx, m);
  }

  /** GET or POST /api/v1/format_query. */
  public void formatQuery(Context ctx) {
    String query = param(ctx, "query");
    if (query == null) {
      throw ApiException.badData("invalid parameter \"query\": query is empty");
    }
    try {
      Json.success(ctx, Printer.print(Parser.parse(query)));
    } catch (ParseException e) {
      throw ApiException.badData("invalid parameter \"query\": " + e.getMessage());
    }
  }

  private static List<Map<String, Object>> top(Map<String, Long> counts, int limit) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry.comparingByKey()));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : entries.subList(0, Math.min(limit, entries.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.getKey());
      m.put("value", e.getValue());
      out.add(m);
    }
    return out;
  }

  /** Prometheus' model.Duration text: "30d", "2w", "1h30m"; years and weeks only when exact. */
  static String promDuration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long[] units = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (i < 2 && ms % units[i] != 0) {
        continue; // years and weeks only when exact: "90d" reads better than "12w6d"
      }
      if (ms >= units[i]) {
        b.append(ms / units[i]).append(names[i]);
        ms %= units[i];
      }
    }
    return b.toString();
  }

  private void limited(Context ctx, List<String> values) {
    int limit = limit(ctx);
    List<String> warnings = new ArrayList<>();
    if (limit > 0 && values.size() > limit) {
      values = values.subList(0, limit);
      warnings.add("results truncated due to limit");
    }
    success(ctx, values, warnings);
  }

  private static void success(Context ctx, Object data, List<String> warnings) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "success");
    body.put("data", data);
    if (!warnings.isEmpty()) {
      body.put("warnings", warnings);
    }
    ctx.status(200).contentType("application/json").result(Json.write(body));
  }

  private static int limit(Context ctx) {
    int limit = optionalInt(ctx, "limit", 0);
    if (limit < 0) {
      throw ApiException.badData("limit must be non-negative");
    }
    return limit;
  }

  private static int optionalInt(Context ctx, String name, int absent) {
    String s = param(ctx, name);
    if (s == null || s.isEmpty()) {
      return absent;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw ApiException.badData("invalid parameter \"" + name + "\": cannot parse \"" + s + "\"");
    }
  }

  /** Every value of a parameter: the query string's, then the form body's on POST. */
  static List<String> params(Context ctx, String name) {
    List<String> out = new ArrayList<>(ctx.queryParams(name));
    if (ctx.method() == HandlerType.POST && isForm(ctx)) {
      out.addAll(ctx.formParams(name));
    }
    return out;
  }

  /** The first value of a parameter, or null. */
  static String param(Context ctx, String name) {
    List<String> all = params(ctx, name);
    return all.isEmpty() ? null : all.get(0);
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.startsWith("application/x-www-form-urlencoded");
  }

  /** A time parameter in milliseconds, {@code absent} if not given. */
  static long time(Context ctx, String name, long absent) {
    String s = param(ctx, name);
    if (s == null || s.isEmpty()) {
      return absent;
    }
    return parseTime(name, s, true);
  }

  /**
   * Prometheus' parseTime: Unix seconds (millisecond decimals kept) or RFC 3339. {@code verbose}:
   * the message of Prometheus' parseTimeParam ("Invalid time value for ..."), else parseTime's.
   */
  static long parseTime(String name, String s, boolean verbose) {
    try {
      double seconds = Double.parseDouble(s);
      if (Double.isFinite(seconds) && !s.isBlank()) {
        if (Math.abs(seconds) > MAX_TIME / 1000.0) {
          return seconds < 0 ? MIN_TIME : MAX_TIME;
        }
        return new BigDecimal(s.trim())
            .movePointRight(3)
            .setScale(0, java.math.RoundingMode.HALF_EVEN)
            .longValueExact();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // not a number: try RFC 3339
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.badData(
          "invalid parameter \""
              + name
              + "\": "
              + (verbose ? "Invalid time value for '" + name + "': " : "")
              + "cannot parse \""
              + s
              + "\" to a valid timestamp");
    }
  }

  /**
   * Each match[] selector as tsdb matchers, in Prometheus' words when one does not parse: series
   * prefixes the parse error with the parameter's name, labels and label values do not.
   */
  static List<Matcher[]> matcherSets(List<String> selectors, boolean named) {
    String prefix = named ? "invalid parameter \"match[]\": " : "";
    List<Matcher[]> sets = new ArrayList<>();
    for (String s : selectors) {
      Expr e;
      try {
        e = Parser.parse(s);
      } catch (ParseException ex) {
        throw ApiException.badData(prefix + ex.getMessage());
      }
      if (!(e instanceof Expr.VectorSelector v)) {
        throw ApiException.badData(
            prefix
                + "expected a series selector, got a "
                + e.type().toString().toLowerCase(java.util.Locale.ROOT)
                + " expression");
      }
      List<LabelMatcher> all = v.allMatchers();
      Matcher[] set = new Matcher[all.size()];
      for (int i = 0; i < set.length; i++) {
        set[i] = toTsdb(all.get(i));
      }
      sets.add(set);
    }
    return sets;
  }

  static Matcher toTsdb(LabelMatcher m) {
    return switch (m.type()) {
      case EQUAL -> Matcher.equal(m.name(), m.value());
      case NOT_EQUAL -> Matcher.notEqual(m.name(), m.value());
      case REGEX -> Matcher.regex(m.name(), m.value());
      case NOT_REGEX -> Matcher.notRegex(m.name(), m.value());
    };
  }
}
