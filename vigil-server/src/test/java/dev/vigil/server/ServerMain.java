package dev.vigil.server;

import java.nio.file.Path;

/**
 * A test server in its own JVM, so that tests can kill it with {@code destroyForcibly()} (SIGKILL)
 * and restart it on the same data directory. Arguments: data directory, clock epoch milliseconds.
 * Prints {@code VIGIL_PORT=<port>} when ready.
 */
public final class ServerMain {
  private ServerMain() {}

  /** Starts the server and waits to be killed. */
  public static void main(String[] args) throws Exception {
    TestServer s =
        TestServer.start(Path.of(args[0]), new MutableClock(Long.parseLong(args[1])), null);
    System.out.println("VIGIL_PORT=" + s.server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
