package dev.vigil.tsdb.internal;

/** Where one chunk of a block's series lies, and the time range it covers (both inclusive). */
record ChunkMeta(long minTimeMillis, long maxTimeMillis, long ref) {}
