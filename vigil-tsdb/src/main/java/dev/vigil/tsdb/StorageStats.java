package dev.vigil.tsdb;

import java.util.OptionalLong;

/**
 * A snapshot of a store's counters (since it was opened) and gauges, for its own metrics.
 *
 * @param series series in memory
 * @param samplesAppended samples and merges committed since open (replayed ones excluded)
 * @param samplesRejected samples refused with {@link SampleRejectedException} since open
 * @param walFsyncs fsyncs of write-ahead log segments since open; with group commit, fewer than
 *     commits
 * @param walFsyncNanosTotal total time spent in those fsyncs
 * @param walFsyncNanosMax the longest of them
 * @param walBytes bytes in the write-ahead log directory (segments and checkpoint)
 * @param walRepairs torn or corrupt log tails truncated while opening
 * @param headBytesEstimate estimated heap bytes held by series, chunks and recent samples
 * @param oldestTimestampMillis timestamp of the oldest sample queriers can see (for data in blocks,
 *     the start of the oldest block's range, or the retention cutoff if later), empty when there is
 *     none
 * @param newestTimestampMillis timestamp of the newest sample, empty when there is none
 * @param blocks on-disk blocks in use
 * @param blockBytes bytes of those blocks' files
 * @param corruptBlocks blocks found corrupt and moved to {@code corrupted/} since open
 */
public record StorageStats(
    long series,
    long samplesAppended,
    long samplesRejected,
    long walFsyncs,
    long walFsyncNanosTotal,
    long walFsyncNanosMax,
    long walBytes,
    long walRepairs,
    long headBytesEstimate,
    OptionalLong oldestTimestampMillis,
    OptionalLong newestTimestampMillis,
    long blocks,
    long blockBytes,
    long corruptBlocks) {}
