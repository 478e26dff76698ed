package dev.vigil.server.cli;

import dev.vigil.server.VigilServer;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil server}: runs the server until it is stopped. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Vigil server.",
      "Configuration: --config FILE (YAML), then VIGIL_* environment variables (VIGIL_PORT,",
      "VIGIL_DATA_DIR, VIGIL_HEALTH_CPU_WARNING, ...: the key path upper-cased, dots as",
      "underscores), then these flags."
    })
final class ServerCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path config;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default 9753).")
  Integer port;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default ./data).")
  Path data;

  @Option(
      names = "--retention-size",
      paramLabel = "SIZE",
      description =
          "Most bytes kept on disk by the store, e.g. 50GB; oldest blocks go first (default: no"
              + " limit). Same as retention_size in the configuration.")
  String retentionSize;

  @Override
  public Integer call() throws Exception {
    ServerConfig cfg;
    try {
      java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
      if (retentionSize != null) {
        env.put("VIGIL_RETENTION_SIZE", retentionSize); // a flag wins over file and environment
      }
      cfg = ConfigLoader.load(config, env, port, data, Path.of("data"));
    } catch (ConfigException e) {
      System.err.println("vigil: invalid configuration:");
      for (String p : e.problems()) {
        System.err.println("  " + p);
      }
      return 2;
    }
    VigilServer server;
    try {
      server = VigilServer.start(cfg);
    } catch (java.io.IOException e) {
      System.err.println("vigil: cannot start: " + e.getMessage());
      return 1;
    }
    System.out.println("Vigil is running at http://localhost:" + server.port() + "/");
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "vigil-shutdown"));
    stopped.await();
    return 0;
  }
}
