package dev.vigil.server;

import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.TokenConfig;
import dev.vigil.server.system.SystemSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A real server on a random port with a temporary data directory and known tokens, for tests. */
public final class TestServer implements AutoCloseable {

  /** Admin token of test servers. */
  public static final String ADMIN = "admin-token-0123456789";

  /** Viewer token of test servers. */
  public static final String VIEWER = "viewer-token-0123456789";

  /** Ingest token of test servers. */
  public static final String INGEST = "ingest-token-0123456789";

  /** Pseudonymisation key of test servers. */
  public static final String KEY = "test-pseudonym-key-0123456789";

  /** The server. */
  public final VigilServer server;

  /** Its clock. */
  public final MutableClock clock;

  /** The rate limiter's ticker, in nanoseconds. */
  public final AtomicLong ticker;

  /** A client of it. */
  public final Http http;

  /** Its data directory. */
  public final Path dataDir;

  /** What it printed. */
  public final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private TestServer(
      ServerConfig config, MutableClock clock, AtomicLong ticker, SystemSource source)
      throws IOException {
    this.clock = clock;
    this.ticker = ticker;
    this.dataDir = config.dataDir();
    VigilServer.Options o =
        new VigilServer.Options()
            .clock(clock)
            .nanoTicker(ticker::get)
            .host("127.0.0.1")
            .out(new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    if (source != null) {
      o.systemSource(source);
    }
    this.server = VigilServer.start(config, o);
    this.http = new Http(server.port());
  }

  /**
   * Starts a server with the test tokens, the system collector off, and extra configuration as
   * environment-style overrides, e.g. {@code "VIGIL_BODY_LIMIT", "2048"}.
   */
  public static TestServer start(
      Path dataDir, MutableClock clock, SystemSource source, String... env) throws IOException {
    Map<String, String> vars = new HashMap<>();
    vars.put("VIGIL_SYSTEM_ENABLED", "false");
    vars.put("VIGIL_PSEUDONYMISATION_KEY", KEY);
    for (int i = 0; i < env.length; i += 2) {
      vars.put(env[i], env[i + 1]);
    }
    ServerConfig c;
    try {
      c = ConfigLoader.load(null, vars, 0, dataDir, dataDir);
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    List<TokenConfig> tokens = new ArrayList<>(c.tokens());
    tokens.add(new TokenConfig("admin", "admin", ADMIN, null));
    tokens.add(new TokenConfig("viewer", "viewer", VIEWER, null));
    tokens.add(new TokenConfig("ingest", "ingest", INGEST, null));
    ServerConfig withTokens = c.withTokens(tokens);
    Files.createDirectories(dataDir);
    return new TestServer(withTokens, clock, new AtomicLong(), source);
  }

  @Override
  public void close() {
    server.close();
  }
}
