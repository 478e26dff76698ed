package dev.vigil.model;

/**
 * One float value of a series at a point in time.
 *
 * @param timestampMillis epoch milliseconds
 * @param value the value; NaN and infinities are allowed, as in Prometheus
 */
public record FloatSample(long timestampMillis, double value) {}
