package dev.vigil.server;

import dev.vigil.server.config.ServerConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * The pseudonymisation key: the configured one, else {@code pseudonym.key} in the data directory,
 * created on first start (32 random bytes, written to a temporary file, fsynced, renamed), so that
 * a user's pseudonym stays the same across restarts.
 */
final class KeyFile {

  private final ServerConfig config;

  KeyFile(ServerConfig config) {
    this.config = config;
  }

  byte[] key() throws IOException {
    if (config.pseudonymisationKey() != null) {
      return config.pseudonymisationKey().getBytes(StandardCharsets.UTF_8);
    }
    Path file = config.dataDir().resolve("pseudonym.key");
    if (Files.exists(file)) {
      byte[] key = Files.readAllBytes(file);
      if (key.length >= 16) {
        return key;
      }
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path tmp = file.resolveSibling("pseudonym.key.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(key));
      ch.force(true);
    }
    try {
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps its default permissions.
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return key;
  }
}
