package dev.vigil.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The server's validated configuration. Built by {@link ConfigLoader} from defaults, a YAML file,
 * {@code VIGIL_*} environment variables and command-line flags, in increasing precedence.
 *
 * @param port HTTP port, 0 for a random free one
 * @param dataDir data directory (time series, events database, keys)
 * @param retention how long data is kept
 * @param lateWindow how late an event may arrive and still be counted in its own window
 * @param bodyLimitBytes largest request body accepted
 * @param slowThreshold duration from which a request is slow
 * @param apdexThresholdSeconds Apdex T: satisfied up to T, tolerating up to 4T
 * @param systemEnabled whether the system collector runs
 * @param systemInterval time between system samples
 * @param health health thresholds in percent
 * @param rateLimitPerSecond requests per second allowed to each token
 * @param rateLimitBurst requests a token may make at once
 * @param tokens tokens from the configuration and environment
 * @param pseudonymisationKey key for user pseudonyms, or null to use the data directory's own
 * @param accessLogQueueSize access-log entries buffered before new ones are dropped
 * @param limits caps on series and head memory
 * @param retentionBytes most bytes the store keeps on disk (blocks and log), oldest blocks dropped
 *     first; 0 for no limit
 * @param rollupRetention how long the 5-minute and 1-hour rollups are kept
 * @param query limits on PromQL queries
 */
public record ServerConfig(
    int port,
    Path dataDir,
    Duration retention,
    Duration lateWindow,
    long bodyLimitBytes,
    Duration slowThreshold,
    double apdexThresholdSeconds,
    boolean systemEnabled,
    Duration systemInterval,
    HealthThresholds health,
    double rateLimitPerSecond,
    int rateLimitBurst,
    List<TokenConfig> tokens,
    String pseudonymisationKey,
    int accessLogQueueSize,
    StorageLimits limits,
    long retentionBytes,
    Duration rollupRetention,
    QueryLimits query) {

  /** Default port. */
  public static final int DEFAULT_PORT = 9753;

  /** Copies the token list. */
  public ServerConfig {
    tokens = List.copyOf(tokens);
  }

  /** The defaults, with data in {@code dataDir}. */
  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(
        DEFAULT_PORT,
        dataDir,
        Duration.ofDays(30),
        Duration.ofHours(1),
        10L * 1024 * 1024,
        Duration.ofSeconds(2),
        0.5,
        true,
        Duration.ofSeconds(10),
        HealthThresholds.defaults(),
        50,
        100,
        List.of(),
        null,
        10_000,
        StorageLimits.defaults(),
        0,
        Duration.ofDays(365),
        QueryLimits.defaults());
  }

  /** A copy with another port. */
  public ServerConfig withPort(int newPort) {
    return copy(newPort, dataDir, tokens);
  }

  /** A copy with other tokens. */
  public ServerConfig withTokens(List<TokenConfig> newTokens) {
    return copy(port, dataDir, newTokens);
  }

  /** A copy with another data directory. */
  public ServerConfig withDataDir(Path newDataDir) {
    return copy(port, newDataDir, tokens);
  }

  private ServerConfig copy(int newPort, Path newDataDir, List<TokenConfig> newTokens) {
    return new ServerConfig(
        newPort,
        newDataDir,
        retention,
        lateWindow,
        bodyLimitBytes,
        slowThreshold,
        apdexThresholdSeconds,
        systemEnabled,
        systemInterval,
        health,
        rateLimitPerSecond,
        rateLimitBurst,
        newTokens,
        pseudonymisationKey,
        accessLogQueueSize,
        limits,
        retentionBytes,
        rollupRetention,
        query);
  }

  /** Never shows tokens or the key. */
  @Override
  public String toString() {
    return "ServerConfig{port="
        + port
        + ", dataDir="
        + dataDir
        + ", retention="
        + retention
        + ", lateWindow="
        + lateWindow
        + ", tokens="
        + tokens
        + "}";
  }
}
