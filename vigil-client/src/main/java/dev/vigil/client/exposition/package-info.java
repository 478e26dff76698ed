/** Prometheus text 0.0.4 and OpenMetrics 1.0 exposition of a recorder and other metrics. */
package dev.vigil.client.exposition;
