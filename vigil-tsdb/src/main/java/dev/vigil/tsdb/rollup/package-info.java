/**
 * Downsampled copies of a store at 5-minute and 1-hour resolution, kept longer than the raw data:
 * open {@link dev.vigil.tsdb.rollup.Rollups} beside a raw store and call {@link
 * dev.vigil.tsdb.rollup.Rollups#catchUp()} periodically.
 */
package dev.vigil.tsdb.rollup;
