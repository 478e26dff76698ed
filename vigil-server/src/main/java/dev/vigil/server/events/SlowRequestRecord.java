package dev.vigil.server.events;

/**
 * A slow request with its context, as kept in the events store.
 *
 * @param timestampMillis when it happened
 * @param service service name
 * @param instance instance name
 * @param method request method
 * @param route route template
 * @param status response status
 * @param durationSeconds its duration
 * @param user pseudonym of the user, or null
 * @param startMillis for pushed requests the client recorder's start, else null
 * @param sequence for pushed requests the client's sequence number, else null
 */
public record SlowRequestRecord(
    long timestampMillis,
    String service,
    String instance,
    String method,
    String route,
    int status,
    double durationSeconds,
    String user,
    Long startMillis,
    Long sequence) {}
