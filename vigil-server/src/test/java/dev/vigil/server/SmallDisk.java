package dev.vigil.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real size-limited filesystem: a tmpfs mounted on a directory for the length of a test. The
 * tests run as root (as CI does); when the mount fails the test fails, naming why, instead of
 * skipping.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code megabytes} on the existing, empty directory {@code mountPoint}. */
  public static SmallDisk mount(Path mountPoint, int megabytes) {
    String output =
        run(
            List.of(
                "mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", abs(mountPoint)));
    if (output != null) {
      throw new AssertionError(
          "cannot mount a "
              + megabytes
              + " MiB tmpfs on "
              + mountPoint
              + " for the full-disk test (it needs root, as in CI): "
              + output);
    }
    return new SmallDisk(mountPoint);
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().toString();
  }

  /** Runs a command; null if it exited 0, else its exit code and output. */
  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return command + " did not finish";
      }
      return p.exitValue() == 0 ? null : command + " exited " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return command + " could not run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return command + " interrupted";
    }
  }

  @Override
  public void close() {
    String output = run(List.of("umount", abs(mountPoint)));
    if (output != null) {
      String lazy = run(List.of("umount", "-l", abs(mountPoint)));
      if (lazy != null) {
        throw new AssertionError("cannot unmount " + mountPoint + ": " + output + "; " + lazy);
      }
    }
  }
}
