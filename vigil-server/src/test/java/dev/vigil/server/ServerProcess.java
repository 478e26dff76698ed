package dev.vigil.server;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ServerMain} child JVM started with the test class path. */
public final class ServerProcess implements AutoCloseable {

  private final Process process;

  /** Its port. */
  public final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The class path of this test JVM, whichever runner started it. */
  static String classPath() {
    for (String key :
        List.of("vigil.test.classpath", "surefire.test.class.path", "java.class.path")) {
      String cp = System.getProperty(key);
      if (cp != null && !cp.isBlank()) {
        return cp;
      }
    }
    throw new IllegalStateException("no class path");
  }

  /**
   * Starts a server on {@code dataDir} with its clock at {@code clockMillis} and configuration
   * overrides {@code env} (name, value, ...; see {@link TestServer#start}).
   */
  public static ServerProcess start(Path dataDir, long clockMillis, Path log, String... env)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            java,
            "-cp",
            classPath(),
            ServerMain.class.getName(),
            dataDir.toString(),
            Long.toString(clockMillis)));
    command.addAll(List.of(env));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("VIGIL_PORT=")) {
        int port = Integer.parseInt(line.substring("VIGIL_PORT=".length()));
        Thread drain = new Thread(() -> drain(out), "drain-" + port);
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(p, port);
      }
    }
    p.destroyForcibly();
    throw new IOException(
        "server process exited before listening; see " + new File(log.toString()));
  }

  private static void drain(BufferedReader r) {
    try {
      while (r.readLine() != null) {
        // Discard: only the port line matters.
      }
    } catch (IOException e) {
      // The process died; nothing to drain.
    }
  }

  /** Kills the process the way kill -9 does and waits for it to end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
