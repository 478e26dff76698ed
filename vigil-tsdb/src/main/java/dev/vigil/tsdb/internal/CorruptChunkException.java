package dev.vigil.tsdb.internal;

/** Chunk bytes that do not decode; only damaged storage produces them. */
final class CorruptChunkException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  CorruptChunkException(String message) {
    super(message);
  }
}
