package dev.vigil.tsdb;

import dev.vigil.tsdb.internal.Engine;
import java.io.IOException;

/**
 * Vigil's storage engine: an in-memory head of compressed chunks behind a write-ahead log.
 *
 * <p><b>Design.</b> Each series keeps its recent samples, those within the out-of-order window of
 * the clock, in a small sorted array where late samples are inserted and merges applied; when a
 * sample leaves the window it is appended to a compressed chunk (delta-of-delta timestamps, XOR
 * floats, layout-sharing histograms; docs/format/chunks.md) and never changes again. An inverted
 * index (label name, value, sorted series ids) answers the four matcher types. Every commit is
 * validated whole, framed into checksummed records, appended to the current log segment and applied
 * to the head under one lock, then made durable by a group fsync shared with every commit waiting
 * (docs/format/wal.md). On open, the last checkpoint and the segments after it are replayed; a torn
 * or corrupt tail is truncated with a log line. A maintenance thread cuts aged samples into chunks,
 * drops data past retention and, once the log has grown past the last checkpoint's size, rewrites
 * the head into a new checkpoint and deletes the segments it covers. Once the head spans more than
 * 1.5 block ranges, its oldest whole range is written as an immutable on-disk block (chunk files,
 * an inverted index, meta.json; docs/format/block.md) and truncated from the head; blocks are
 * compacted into longer ranges, dropped whole by retention, and set aside in {@code corrupted/}
 * when a checksum fails. Reads copy a series' tail and its chunk references under the series' lock
 * and decode afterwards, and merge the head with the overlapping blocks, so queries never hold up
 * appends.
 *
 * <p>Thread-safe; see {@link Storage}.
 */
public final class Tsdb implements Storage {
  private final Engine engine;

  private Tsdb(Engine engine) {
    this.engine = engine;
  }

  /**
   * Opens the store in {@code options.directory()}, creating it or replaying its log; only one
   * store may have a directory open at a time.
   *
   * @throws IOException if the directory cannot be used or is held by another store
   */
  public static Tsdb open(TsdbOptions options) throws IOException {
    return new Tsdb(Engine.open(options));
  }

  @Override
  public Appender appender() {
    return engine.appender();
  }

  @Override
  public Querier querier(long minTimeMillis, long maxTimeMillis) {
    return engine.querier(minTimeMillis, maxTimeMillis);
  }

  @Override
  public StorageStats stats() {
    return engine.stats();
  }

  /**
   * Drops samples older than the retention as of the clock now, removes series left empty, and
   * drops whole blocks past the retention time or the size limit; returns how many series and
   * blocks were removed. The maintenance thread does this every minute.
   */
  public int applyRetention() {
    return engine.applyRetention();
  }

  /**
   * Rewrites the live head into a checkpoint and deletes the log segments it covers. The
   * maintenance thread does this when the log has grown past the last checkpoint's size.
   */
  public void checkpoint() throws IOException {
    engine.checkpoint();
  }

  /**
   * Runs one maintenance pass now: cuts samples that left the out-of-order window into chunks,
   * applies retention, verifies blocks not yet checked, writes old head ranges into blocks,
   * compacts blocks, and checkpoints if the log has grown enough.
   */
  public void maintain() throws IOException {
    engine.maintain();
  }

  /**
   * Deletes the samples with timestamps in [minTimeMillis, maxTimeMillis] of the series matching
   * every matcher (at least one): blocks get tombstones (applied for good by their next
   * compaction), the head drops the samples and is checkpointed. Durable when it returns; samples
   * committed afterwards in the range are kept. Returns how many series were affected, counting a
   * series once per block and once in the head.
   *
   * @throws IllegalArgumentException without matchers or for an empty range
   */
  public int delete(long minTimeMillis, long maxTimeMillis, Matcher... matchers)
      throws IOException {
    return engine.delete(minTimeMillis, maxTimeMillis, matchers);
  }

  /**
   * Writes a snapshot of the store into {@code target} (which must not exist; its parent must):
   * {@code target/blocks/} holds hard links to every block's files and, when {@code withHead}, the
   * whole head, recent samples included, written as one more block (docs/format/block.md), so that
   * {@code target} opens as a store ({@link TsdbOptions#directory()}) with the same data. Like
   * Prometheus' admin snapshot; appends go on meanwhile. Written under a temporary name and renamed
   * when whole. Returns the number of blocks in the snapshot.
   *
   * @throws IOException if {@code target} exists or the files cannot be written
   */
  public int snapshot(java.nio.file.Path target, boolean withHead) throws IOException {
    return engine.snapshot(target, withHead);
  }

  @Override
  public void close() throws IOException {
    engine.close();
  }
}
