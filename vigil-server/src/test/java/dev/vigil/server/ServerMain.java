package dev.vigil.server;

import java.nio.file.Path;

/**
 * A test server in its own JVM, so that tests can kill it with {@code destroyForcibly()} (SIGKILL)
 * and restart it on the same data directory. Arguments: data directory, clock epoch milliseconds,
 * then optional configuration overrides as environment-style name and value pairs. Prints {@code
 * VIGIL_PORT=<port>} when ready.
 */
public final class ServerMain {
  private ServerMain() {}

  /** Starts the server and waits to be killed. */
  public static void main(String[] args) throws Exception {
    String[] env = java.util.Arrays.copyOfRange(args, 2, args.length);
    TestServer s =
        TestServer.start(Path.of(args[0]), new MutableClock(Long.parseLong(args[1])), null, env);
    System.out.println("VIGIL_PORT=" + s.server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
