/**
 * The storage engine behind {@link dev.vigil.tsdb.Tsdb}: head (series, postings, chunks, recent
 * samples), write-ahead log, checkpoints and retention. Not an API: anything here may change.
 */
package dev.vigil.tsdb.internal;
