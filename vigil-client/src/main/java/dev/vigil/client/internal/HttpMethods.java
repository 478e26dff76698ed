package dev.vigil.client.internal;

/**
 * Maps request methods to small codes. Unknown methods share one code, so that a client sending
 * made-up methods cannot create endpoints without bound (OpenTelemetry's {@code _OTHER}).
 */
public final class HttpMethods {

  /** Code of methods outside the standard set. */
  public static final int OTHER = 9;

  private static final String[] NAMES = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "_OTHER"
  };

  private HttpMethods() {}

  /** Returns the code of a method, matching case-insensitively; never fails. */
  public static int code(String method) {
    switch (method) {
      case "GET":
        return 0;
      case "POST":
        return 1;
      case "PUT":
        return 2;
      case "DELETE":
        return 3;
      case "PATCH":
        return 4;
      case "HEAD":
        return 5;
      case "OPTIONS":
        return 6;
      case "TRACE":
        return 7;
      case "CONNECT":
        return 8;
      default:
        for (int i = 0; i < OTHER; i++) {
          if (NAMES[i].equalsIgnoreCase(method)) {
            return i;
          }
        }
        return OTHER;
    }
  }

  /** Returns the canonical name of a method code. */
  public static String name(int code) {
    return NAMES[code];
  }
}
