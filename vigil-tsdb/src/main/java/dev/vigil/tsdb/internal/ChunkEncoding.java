package dev.vigil.tsdb.internal;

/** The encodings of a chunk's bytes, with the code that names them on disk. */
enum ChunkEncoding {
  /** Floats: delta-of-delta timestamps, Gorilla XOR values. */
  FLOAT_XOR(1),
  /** Histograms: delta-of-delta timestamps, shared bucket layouts, varbit or XOR count deltas. */
  HISTOGRAM(2);

  private final int code;

  ChunkEncoding(int code) {
    this.code = code;
  }

  /** The byte that names this encoding in the write-ahead log and in chunk files. */
  int code() {
    return code;
  }

  /** The encoding named {@code code}, or null for an unknown code. */
  static ChunkEncoding ofCode(int code) {
    for (ChunkEncoding e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return null;
  }
}
