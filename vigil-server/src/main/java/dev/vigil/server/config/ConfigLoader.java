package dev.vigil.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ServerConfig} from defaults, one YAML file, {@code VIGIL_*} environment variables
 * and command-line flags, in increasing precedence, and validates it whole: every problem is
 * reported with its key path, e.g. {@code health.cpu.warning: must be between 0 and 100, got 120}.
 *
 * <p>Environment mapping: {@code VIGIL_} plus the key path upper-cased with dots as underscores
 * ({@code health.cpu.warning} is {@code VIGIL_HEALTH_CPU_WARNING}); see {@link #ENV_KEYS}. Tokens
 * come from {@code VIGIL_ADMIN_TOKEN}, {@code VIGIL_VIEWER_TOKEN} and {@code VIGIL_INGEST_TOKEN}.
 */
public final class ConfigLoader {

  /** Key paths that an environment variable can set. */
  public static final List<String> ENV_KEYS =
      List.of(
          "port",
          "data_dir",
          "retention",
          "retention_size",
          "rollup_retention",
          "late_window",
          "body_limit",
          "slow_threshold",
          "apdex_threshold",
          "system.enabled",
          "system.interval",
          "health.cpu.warning",
          "health.cpu.critical",
          "health.memory.warning",
          "health.memory.critical",
          "health.disk.warning",
          "health.disk.critical",
          "rate_limit.requests_per_second",
          "rate_limit.burst",
          "pseudonymisation_key",
          "access_log.queue_size",
          "limits.max_series",
          "limits.max_series_per_metric",
          "limits.max_head_bytes",
          "query.max_concurrent",
          "query.timeout",
          "query.max_samples");

  private static final List<String> ROLES = List.of("admin", "viewer", "ingest");

  private ConfigLoader() {}

  /** The environment variable that sets a key path. */
  public static String envName(String keyPath) {
    return "VIGIL_" + keyPath.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * Loads and validates the configuration.
   *
   * @param file YAML file, or null for none
   * @param env environment variables (System.getenv() in production)
   * @param portFlag --port, or null
   * @param dataFlag --data, or null
   * @param defaultDataDir data directory when neither file, environment nor flag sets one
   */
  public static ServerConfig load(
      Path file, Map<String, String> env, Integer portFlag, Path dataFlag, Path defaultDataDir)
      throws ConfigException {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (file != null) {
      root = readFile(file);
    }
    Map<String, String> origins = new HashMap<>();
    for (String key : ENV_KEYS) {
      String value = env.get(envName(key));
      if (value != null) {
        set(root, key, value);
        origins.put(key, envName(key));
      }
    }
    if (portFlag != null) {
      set(root, "port", portFlag.toString());
      origins.put("port", "--port");
    }
    if (dataFlag != null) {
      set(root, "data_dir", dataFlag.toString());
      origins.put("data_dir", "--data");
    }
    Section top = new Section(root, "", origins, new ArrayList<>());
    ServerConfig d = ServerConfig.defaults(defaultDataDir);
    int port = (int) top.number("port", d.port(), 0, 65_535, true);
    Path dataDir = Path.of(top.text("data_dir", d.dataDir().toString()));
    Duration retention = top.duration("retention", d.retention(), Duration.ofHours(1));
    long retentionBytes = top.bytes("retention_size", d.retentionBytes(), 0, Long.MAX_VALUE);
    Duration rollupRetention =
        top.duration("rollup_retention", d.rollupRetention(), Duration.ofHours(2));
    Duration late = top.duration("late_window", d.lateWindow(), Duration.ZERO);
    if (late.compareTo(retention) > 0) {
      top.error("late_window", "must not exceed retention (" + retention + "), got " + late);
    }
    long bodyLimit = top.bytes("body_limit", d.bodyLimitBytes(), 1024, 1L << 30);
    Duration slow = top.duration("slow_threshold", d.slowThreshold(), Duration.ofMillis(1));
    Duration apdex =
        top.duration(
            "apdex_threshold",
            Duration.ofMillis(Math.round(d.apdexThresholdSeconds() * 1000)),
            Duration.ofMillis(1));
    Section system = top.section("system");
    boolean systemEnabled = system.bool("enabled", true);
    Duration systemInterval =
        system.duration("interval", d.systemInterval(), Duration.ofSeconds(1));
    Section health = top.section("health");
    HealthThresholds defaults = d.health();
    HealthThresholds thresholds =
        new HealthThresholds(
            health.section("cpu").level(defaults.cpu()),
            health.section("memory").level(defaults.memory()),
            health.section("disk").level(defaults.disk()));
    Section rate = top.section("rate_limit");
    double perSecond =
        rate.number("requests_per_second", d.rateLimitPerSecond(), 0.001, 1e9, false);
    int burst = (int) rate.number("burst", d.rateLimitBurst(), 1, 1_000_000, true);
    List<TokenConfig> tokens = top.tokens("tokens");
    for (String role : ROLES) {
      String value = env.get("VIGIL_" + role.toUpperCase(Locale.ROOT) + "_TOKEN");
      if (value != null) {
        String name = "VIGIL_" + role.toUpperCase(Locale.ROOT) + "_TOKEN";
        checkToken(top, name, value);
        tokens.add(new TokenConfig("env-" + role, role, value, null));
      }
    }
    String key = top.textOrNull("pseudonymisation_key");
    if (key != null && key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
      top.error("pseudonymisation_key", "must be at least 16 bytes long");
    }
    int queue = (int) top.section("access_log").number("queue_size", 10_000, 16, 10_000_000, true);
    Section limitsSection = top.section("limits");
    StorageLimits dl = d.limits();
    StorageLimits limits =
        new StorageLimits(
            (int) limitsSection.number("max_series", dl.maxSeries(), 1, Integer.MAX_VALUE, true),
            (int)
                limitsSection.number(
                    "max_series_per_metric", dl.maxSeriesPerMetric(), 0, Integer.MAX_VALUE, true),
            limitsSection.bytes("max_head_bytes", dl.maxHeadBytes(), 1 << 20, Long.MAX_VALUE));
    Section querySection = top.section("query");
    QueryLimits dq = d.query();
    QueryLimits query =
        new QueryLimits(
            (int) querySection.number("max_concurrent", dq.maxConcurrent(), 1, 10_000, true),
            querySection.duration("timeout", dq.timeout(), Duration.ofMillis(1)),
            (long) querySection.number("max_samples", dq.maxSamples(), 1, 1e15, true));
    top.rejectUnknown();
    if (!top.errors.isEmpty()) {
      throw new ConfigException(top.errors);
    }
    return new ServerConfig(
        port,
        dataDir,
        retention,
        late,
        bodyLimit,
        slow,
        apdex.toMillis() / 1000.0,
        systemEnabled,
        systemInterval,
        thresholds,
        perSecond,
        burst,
        tokens,
        key,
        queue,
        limits,
        retentionBytes,
        rollupRetention,
        query);
  }

  private static void checkToken(Section top, String where, String token) {
    if (token.length() < 16) {
      top.errors.add(where + ": a token must be at least 16 characters long");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        top.errors.add(where + ": a token must be printable ASCII without spaces");
        return;
      }
    }
  }

  private static ObjectNode readFile(Path file) throws ConfigException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(List.of("config file not found: " + file));
    }
    JsonNode node;
    try {
      node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw new ConfigException(List.of(file + ": not valid YAML: " + msg));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(List.of(file + ": the top level must be a mapping of keys"));
    }
    return (ObjectNode) node;
  }

  private static void set(ObjectNode root, String path, String value) {
    String[] parts = path.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (child == null || !child.isObject()) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    node.put(parts[parts.length - 1], value);
  }

  /** One mapping of the YAML tree, read key by key, remembering which keys were used. */
  private static final class Section {
    private final ObjectNode node;
    private final String prefix;
    private final Map<String, String> origins;
    private final List<String> errors;
    private final Set<String> used = new java.util.HashSet<>();
    private final List<Section> children = new ArrayList<>();

    Section(ObjectNode node, String prefix, Map<String, String> origins, List<String> errors) {
      this.node = node;
      this.prefix = prefix;
      this.origins = origins;
      this.errors = errors;
    }

    String path(String key) {
      return prefix + key;
    }

    void error(String key, String message) {
      String origin = origins.get(path(key));
      errors.add(path(key) + (origin == null ? "" : " (from " + origin + ")") + ": " + message);
    }

    JsonNode get(String key) {
      used.add(key);
      JsonNode v = node.get(key);
      return v == null || v.isNull() ? null : v;
    }

    Section section(String key) {
      JsonNode v = get(key);
      ObjectNode child = JsonNodeFactory.instance.objectNode();
      if (v != null && v.isObject()) {
        child = (ObjectNode) v;
      } else if (v != null) {
        error(
            key,
            "must be a mapping of keys, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      Section s = new Section(child, path(key) + ".", origins, errors);
      children.add(s);
      return s;
    }

    String textOrNull(String key) {
      JsonNode v = get(key);
      if (v == null) {
        return null;
      }
      if (!v.isValueNode()) {
        error(key, "must be a single value");
        return null;
      }
      return v.asText();
    }

    String text(String key, String def) {
      String v = textOrNull(key);
      if (v != null && v.isBlank()) {
        error(key, "must not be empty");
      }
      return v == null || v.isBlank() ? def : v;
    }

    boolean bool(String key, boolean def) {
      String v = textOrNull(key);
      if (v == null) {
        return def;
      }
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        error(key, "must be true or false, got \"" + v + "\"");
        return def;
      }
      return Boolean.parseBoolean(v);
    }

    double number(String key, double def, double min, double max, boolean integer) {
      String v = textOrNull(key);
      if (v == null) {
        return def;
      }
      double n;
      try {
        n = Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        error(key, "must be a number, got \"" + v + "\"");
        return def;
      }
      if (integer && n != Math.rint(n)) {
        error(key, "must be a whole number, got " + v);
        return def;
      }
      if (!(n >= min && n <= max)) {
        error(key, "must be between " + fmt(min) + " and " + fmt(max) + ", got " + v.trim());
        return def;
      }
      return n;
    }

    Duration duration(String key, Duration def, Duration min) {
      String v = textOrNull(key);
      if (v == null) {
        return def;
      }
      try {
        Duration d = Quantities.duration(v);
        if (d.compareTo(min) < 0) {
          error(key, "must be at least " + min + ", got " + v);
          return def;
        }
        return d;
      } catch (IllegalArgumentException e) {
        error(key, e.getMessage());
        return def;
      }
    }

    long bytes(String key, long def, long min, long max) {
      String v = textOrNull(key);
      if (v == null) {
        return def;
      }
      try {
        long n = Quantities.bytes(v);
        if (n < min || n > max) {
          error(key, "must be between " + min + " and " + max + " bytes, got " + v);
          return def;
        }
        return n;
      } catch (IllegalArgumentException e) {
        error(key, e.getMessage());
        return def;
      }
    }

    HealthThresholds.Level level(HealthThresholds.Level def) {
      double warning = number("warning", def.warning(), 0, 100, false);
      double critical = number("critical", def.critical(), 0, 100, false);
      if (warning > critical) {
        error("warning", "must not exceed critical (" + fmt(critical) + "), got " + fmt(warning));
      }
      return new HealthThresholds.Level(warning, critical);
    }

    List<TokenConfig> tokens(String key) {
      List<TokenConfig> out = new ArrayList<>();
      JsonNode v = get(key);
      if (v == null) {
        return out;
      }
      if (!v.isArray()) {
        error(key, "must be a list of {name, role, token or sha256}");
        return out;
      }
      Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < v.size(); i++) {
        String where = path(key) + "[" + i + "]";
        JsonNode t = v.get(i);
        if (!t.isObject()) {
          errors.add(where + ": must be a mapping with name, role and token or sha256");
          continue;
        }
        Section s = new Section((ObjectNode) t, where + ".", origins, errors);
        String name = s.textOrNull("name");
        String role = s.textOrNull("role");
        String token = s.textOrNull("token");
        String sha = s.textOrNull("sha256");
        s.rejectUnknown();
        if (name == null || name.isBlank()) {
          errors.add(where + ".name: required");
        } else if (!names.add(name)) {
          errors.add(where + ".name: duplicate token name \"" + name + "\"");
        }
        if (role == null || !ROLES.contains(role)) {
          errors.add(where + ".role: must be one of admin, viewer, ingest, got " + role);
        }
        if ((token == null) == (sha == null)) {
          errors.add(where + ": give exactly one of token and sha256");
        } else if (token != null) {
          checkToken(this, where + ".token", token);
        } else if (!sha.matches("[0-9a-fA-F]{64}")) {
          errors.add(where + ".sha256: must be 64 hex digits");
        }
        out.add(
            new TokenConfig(name, role, token, sha == null ? null : sha.toLowerCase(Locale.ROOT)));
      }
      return out;
    }

    void rejectUnknown() {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!used.contains(name)) {
          errors.add(path(name) + ": unknown key");
        }
      }
      for (Section child : children) {
        child.rejectUnknown();
      }
    }

    private static String fmt(double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
  }
}
