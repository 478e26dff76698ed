package dev.vigil.tsdb.internal;

import java.io.IOException;
import java.nio.file.Path;

/** A log file that is damaged at a known offset: torn by a crash, or corrupted on disk. */
final class WalCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;
  private final String reason;

  WalCorruptionException(Path file, long offset, String reason) {
    super(file + " is corrupt at byte " + offset + ": " + reason);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }

  Path file() {
    return file;
  }

  long offset() {
    return offset;
  }

  String reason() {
    return reason;
  }
}
