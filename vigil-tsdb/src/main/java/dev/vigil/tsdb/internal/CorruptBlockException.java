package dev.vigil.tsdb.internal;

import java.nio.file.Path;

/** A block file whose bytes fail a check: the file, the offset and what was wrong. */
final class CorruptBlockException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  CorruptBlockException(Path file, long offset, String reason) {
    super(file + " is corrupt at byte " + offset + ": " + reason);
    this.file = file;
    this.offset = offset;
  }

  /** The damaged file. */
  Path file() {
    return file;
  }

  /** Where the damage was found. */
  long offset() {
    return offset;
  }
}
