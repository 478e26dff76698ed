package dev.vigil.server.http;

/**
 * A request that cannot be answered, with the HTTP status and Prometheus' error type to report. It
 * is answered as {@code {"status":"error","errorType":...,"error":...}}; it carries no stack trace.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorType;

  /** Creates an error answered with {@code status} and {@code errorType}. */
  public ApiException(int status, String errorType, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorType = errorType;
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

  /** Prometheus-style error type, e.g. {@code bad_data}. */
  public String errorType() {
    return errorType;
  }
}
