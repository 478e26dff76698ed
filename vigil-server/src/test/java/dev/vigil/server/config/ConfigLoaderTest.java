package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private ServerConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = null;
    if (yaml != null) {
      f = dir.resolve("vigil.yml");
      Files.writeString(f, yaml);
    }
    return ConfigLoader.load(f, env, null, null, dir.resolve("data"));
  }

  private ConfigException problems(String yaml, Map<String, String> env) {
    try {
      load(yaml, env);
    } catch (ConfigException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void defaultsMatchTheDesign() throws Exception {
    ServerConfig c = load(null, Map.of());
    assertThat(c.port()).isEqualTo(9753);
    assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(c.lateWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(c.bodyLimitBytes()).isEqualTo(10L << 20);
    assertThat(c.slowThreshold()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.apdexThresholdSeconds()).isEqualTo(0.5);
    assertThat(c.health()).isEqualTo(HealthThresholds.defaults());
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.retentionBytes()).isZero();
    assertThat(c.rollupRetention()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void readsEveryKeyFromYaml() throws Exception {
    ServerConfig c =
        load(
            """
            port: 8080
            data_dir: /var/lib/vigil
            retention: 7d
            retention_size: 50GB
            rollup_retention: 90d
            late_window: 30m
            body_limit: 1MiB
            slow_threshold: 1500ms
            apdex_threshold: 0.3s
            system: {enabled: false, interval: 5s}
            health:
              cpu: {warning: 60, critical: 80}
              disk: {warning: 85, critical: 99}
            rate_limit: {requests_per_second: 10, burst: 20}
            pseudonymisation_key: a-key-of-sixteen-bytes
            tokens:
              - {name: ci, role: ingest, token: abcdefghijklmnop}
              - {name: grafana, role: viewer, sha256: %s}
            """
                .formatted("ab".repeat(32)),
            Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/vigil"));
    assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(c.retentionBytes()).isPositive();
    assertThat(c.rollupRetention()).isEqualTo(Duration.ofDays(90));
    assertThat(c.lateWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.bodyLimitBytes()).isEqualTo(1 << 20);
    assertThat(c.slowThreshold()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.apdexThresholdSeconds()).isEqualTo(0.3);
    assertThat(c.systemEnabled()).isFalse();
    assertThat(c.systemInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.health().cpu()).isEqualTo(new HealthThresholds.Level(60, 80));
    assertThat(c.health().memory()).isEqualTo(new HealthThresholds.Level(70, 90));
    assertThat(c.health().disk()).isEqualTo(new HealthThresholds.Level(85, 99));
    assertThat(c.rateLimitPerSecond()).isEqualTo(10);
    assertThat(c.rateLimitBurst()).isEqualTo(20);
    assertThat(c.tokens()).extracting(TokenConfig::name).containsExactly("ci", "grafana");
    assertThat(c.toString()).doesNotContain("abcdefghijklmnop");
  }

  @Test
  void environmentOverridesFileAndFlagsOverrideEnvironment() throws Exception {
    Path f = dir.resolve("vigil.yml");
    Files.writeString(f, "port: 8080\nhealth: {cpu: {warning: 50}}\n");
    ServerConfig c =
        ConfigLoader.load(
            f,
            Map.of(
                "VIGIL_PORT", "8081",
                "VIGIL_HEALTH_CPU_WARNING", "65",
                "VIGIL_ADMIN_TOKEN", "env-admin-token-123456"),
            9000,
            null,
            dir);
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.health().cpu().warning()).isEqualTo(65);
    assertThat(c.tokens()).extracting(TokenConfig::role).containsExactly("admin");
    assertThat(ConfigLoader.envName("rate_limit.requests_per_second"))
        .isEqualTo("VIGIL_RATE_LIMIT_REQUESTS_PER_SECOND");
  }

  @Test
  void errorsNameTheKeyPath() {
    ConfigException e =
        problems(
            """
            port: 70000
            retention: soon
            health:
              cpu: {warning: 120}
              memory: {warning: 95, critical: 90}
            rate_limit: {burst: 0}
            colour: blue
            """,
            Map.of());
    assertThat(e.problems())
        .contains(
            "port: must be between 0 and 65535, got 70000",
            "health.cpu.warning: must be between 0 and 100, got 120",
            "health.memory.warning: must not exceed critical (90), got 95",
            "rate_limit.burst: must be between 1 and 1000000, got 0",
            "colour: unknown key")
        .anyMatch(p -> p.startsWith("retention: expected a duration"));
  }

  @Test
  void environmentErrorsNameTheVariable() {
    ConfigException e = problems(null, Map.of("VIGIL_HEALTH_DISK_CRITICAL", "abc"));
    assertThat(e.problems())
        .containsExactly(
            "health.disk.critical (from VIGIL_HEALTH_DISK_CRITICAL): must be a number, got \"abc\"");
  }

  @Test
  void rejectsBadTokens() {
    ConfigException e =
        problems(
            """
            tokens:
              - {name: a, role: root, token: abcdefghijklmnop}
              - {name: b, role: admin, token: short}
              - {name: c, role: viewer}
              - {name: c, role: viewer, sha256: xyz}
            """,
            Map.of());
    assertThat(e.problems())
        .contains(
            "tokens[0].role: must be one of admin, viewer, ingest, got root",
            "tokens[1].token: a token must be at least 16 characters long",
            "tokens[2]: give exactly one of token and sha256",
            "tokens[3].name: duplicate token name \"c\"",
            "tokens[3].sha256: must be 64 hex digits");
    assertThat(e.getMessage()).doesNotContain("abcdefghijklmnop");
  }

  @Test
  void rejectsInvalidYamlAndMissingFile() {
    assertThat(problems("port: [1, 2\n", Map.of()).problems().get(0)).contains("not valid YAML");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yml"), Map.of(), null, null, dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config file not found");
  }

  @Test
  void limitsAreReadValidatedAndDefaulted() throws Exception {
    ServerConfig d = load(null, Map.of());
    assertThat(d.limits()).isEqualTo(new StorageLimits(2_000_000, 0, 0));
    assertThat(d.limits().effectiveMaxHeadBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 2);
    ServerConfig c =
        load(
            """
            limits:
              max_series: 500000
              max_series_per_metric: 10000
              max_head_bytes: 4GiB
            """,
            Map.of("VIGIL_LIMITS_MAX_SERIES", "600000"));
    assertThat(c.limits()).isEqualTo(new StorageLimits(600_000, 10_000, 4L << 30));
    ConfigException e =
        problems(
            """
            limits:
              max_series: 0
              max_series_per_metric: -1
              max_head_bytes: 10KiB
              max_samples: 3
            """,
            Map.of());
    assertThat(e.problems())
        .anyMatch(p -> p.startsWith("limits.max_series: must be between 1 and"))
        .anyMatch(p -> p.startsWith("limits.max_series_per_metric: must be between 0 and"))
        .anyMatch(p -> p.startsWith("limits.max_head_bytes: must be between 1048576 and"))
        .anyMatch(p -> p.equals("limits.max_samples: unknown key"));
  }
}
