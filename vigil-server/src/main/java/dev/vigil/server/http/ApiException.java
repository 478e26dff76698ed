package dev.vigil.server.http;

import dev.vigil.tsdb.StorageFullException;
import java.io.IOException;

/**
 * A request that cannot be answered, with the HTTP status and Prometheus' error type to report. It
 * is answered as {@code {"status":"error","errorType":...,"error":...}}; it carries no stack trace.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Seconds a client is told to wait before retrying after a full disk (Retry-After). */
  public static final int DISK_FULL_RETRY_AFTER_SECONDS = 30;

  /** Seconds a client is told to wait before retrying after another storage failure. */
  public static final int STORAGE_RETRY_AFTER_SECONDS = 5;

  private final int status;
  private final String errorType;
  private final int retryAfterSeconds;

  /** Creates an error answered with {@code status} and {@code errorType}. */
  public ApiException(int status, String errorType, String message) {
    this(status, errorType, message, 0);
  }

  /** Creates an error answered with a {@code Retry-After} header, unless it is 0. */
  public ApiException(int status, String errorType, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.errorType = errorType;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * The answer to a write that the store refused with {@code e}: 503 with a Retry-After, naming a
   * full disk as such. Every ingest endpoint maps storage failures through here; nothing of the
   * refused write was stored.
   */
  public static ApiException storageFailure(IOException e) {
    if (StorageFullException.isDiskFull(e)) {
      return diskFull(
          "nothing of this request was stored; retry once space is freed (" + e.getMessage() + ")");
    }
    return new ApiException(
        503, "unavailable", "storage write failed: " + e.getMessage(), STORAGE_RETRY_AFTER_SECONDS);
  }

  /** 400 bad_data. */
  public static ApiException badData(String message) {
    return new ApiException(400, "bad_data", message);
  }

  /** 404 not_found. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  /** HTTP status to answer with. */
  public int status() {
    return status;
  }

  /** 503 for a full data disk: the message starts "disk full: ", then {@code detail}. */
  public static ApiException diskFull(String detail) {
    return new ApiException(
        503,
        "unavailable",
        "disk full: the server's data disk has no space left; " + detail,
        DISK_FULL_RETRY_AFTER_SECONDS);
  }

  /** Seconds for the Retry-After header, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Prometheus-style error type, e.g. {@code bad_data}. */
  public String errorType() {
    return errorType;
  }
}
