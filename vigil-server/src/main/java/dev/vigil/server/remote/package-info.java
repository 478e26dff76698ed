/**
 * Prometheus remote write 1.0 receiver: snappy-compressed protobuf {@code WriteRequest}s decoded
 * without generated code into one all-or-nothing tsdb commit.
 */
package dev.vigil.server.remote;
