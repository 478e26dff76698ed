package dev.vigil.server.ingest;

/**
 * One validated request event from {@code POST /api/v1/requests}.
 *
 * @param timestampMillis when the request happened
 * @param service service name
 * @param instance instance name
 * @param method request method, upper case, non-standard ones as {@code _OTHER}
 * @param route route template
 * @param durationSeconds response time
 * @param statusCode response status, 100..599
 * @param user raw user identifier (pseudonymised before anything is kept), or null
 */
public record RequestEvent(
    long timestampMillis,
    String service,
    String instance,
    String method,
    String route,
    double durationSeconds,
    int statusCode,
    String user) {}
