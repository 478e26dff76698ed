package dev.vigil.server.cli;

import dev.vigil.client.Recorder;
import dev.vigil.client.push.PushReporter;
import dev.vigil.server.VigilServer;
import dev.vigil.server.auth.Token;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.TokenConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo}: the server plus a built-in demo service whose requests are recorded with
 * vigil-client's Recorder and pushed by its PushReporter, as a real Java service would.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs the server plus a demo service producing realistic traffic, until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: a free one).")
  int port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (default: temporary).")
  Path data;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "Demo requests per second (default 50).")
  double rate = 50;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Stop after this many seconds (default: run until Ctrl-C).")
  long durationSeconds;

  @Override
  public Integer call() throws Exception {
    if (!(rate > 0 && rate <= 100_000)) {
      System.err.println("vigil: --rate must be between 0 and 100000, got " + rate);
      return 2;
    }
    Path dir = data != null ? data : Files.createTempDirectory("vigil-demo-");
    SecureRandom random = new SecureRandom();
    String admin = Token.generate(random);
    String ingest = Token.generate(random);
    ServerConfig cfg;
    try {
      ServerConfig base = ConfigLoader.load(null, System.getenv(), port, dir, dir);
      List<TokenConfig> tokens = new ArrayList<>(base.tokens());
      tokens.add(new TokenConfig("demo-admin", "admin", admin, null));
      tokens.add(new TokenConfig("demo-service", "ingest", ingest, null));
      cfg = base.withTokens(tokens);
    } catch (ConfigException e) {
      System.err.println("vigil: invalid configuration:");
      e.problems().forEach(p -> System.err.println("  " + p));
      return 2;
    }
    VigilServer server = VigilServer.start(cfg);
    String url = "http://localhost:" + server.port() + "/";
    Recorder recorder = Recorder.create();
    PushReporter reporter =
        PushReporter.builder(recorder, URI.create("http://127.0.0.1:" + server.port()))
            .token(ingest)
            .service("demo-shop")
            .instance("demo-1")
            .interval(Duration.ofSeconds(2))
            .build()
            .start();
    DemoTraffic traffic = new DemoTraffic(recorder, random.nextLong());
    System.out.println();
    System.out.println("Vigil demo is running.");
    System.out.println("  Open:        " + url + "#token=" + admin);
    System.out.println("  Admin token: " + admin);
    System.out.println("  Data:        " + dir.toAbsolutePath());
    System.out.println(
        "  Try:         curl -H 'Authorization: Bearer "
            + admin
            + "' "
            + url
            + "api/performance/summary");
    System.out.println(
        "  Monitor:     ./vigil monitor --url " + url + " --token " + admin + " --interval 5");
    System.out.println("Press Ctrl-C to stop.");
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              stop.countDown();
              reporter.close();
              server.close();
            },
            "vigil-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    long periodNanos = (long) (1e9 / rate);
    long deadline =
        durationSeconds > 0 ? System.nanoTime() + durationSeconds * 1_000_000_000L : Long.MAX_VALUE;
    long next = System.nanoTime();
    while (stop.getCount() > 0 && System.nanoTime() < deadline) {
      traffic.next();
      next += periodNanos;
      long wait = next - System.nanoTime();
      if (wait > 0 && stop.await(wait, TimeUnit.NANOSECONDS)) {
        break;
      }
    }
    if (stop.getCount() > 0) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      reporter.close();
      server.close();
    }
    return 0;
  }
}
