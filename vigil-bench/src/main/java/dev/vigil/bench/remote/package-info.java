/**
 * Remote-write load for the side-by-side storage comparison: a simulated node_exporter and API
 * fleet ({@code NodeFleet}) recorded as Prometheus remote-write requests ({@code StreamGenerator})
 * and replayed to Vigil, Prometheus and VictoriaMetrics ({@code RemoteWriteSender}).
 */
package dev.vigil.bench.remote;
