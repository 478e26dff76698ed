/**
 * Vigil's time series storage: open a {@link dev.vigil.tsdb.Tsdb}, write through an {@link
 * dev.vigil.tsdb.Appender}, read through a {@link dev.vigil.tsdb.Querier}.
 */
package dev.vigil.tsdb;
