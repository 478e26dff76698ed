package dev.vigil.client;

/**
 * Turns raw request paths into route templates by collapsing segments that are identifiers into
 * {@code {id}}: {@code /api/users/42/orders/5f3a...} becomes {@code /api/users/{id}/orders/{id}}.
 *
 * <p>Used when the web framework does not expose its route template. A raw path must never reach
 * the {@link Recorder}: one endpoint per user id would exhaust the endpoint cap in minutes.
 *
 * <p>A segment is an identifier when it is
 *
 * <ul>
 *   <li>all ASCII digits ({@code 42});
 *   <li>a UUID in its 8-4-4-4-12 hex form, any case;
 *   <li>16 or more hex digits (a 24-digit MongoDB ObjectId, a SHA-1, a 32-digit UUID without
 *       dashes, a 64-bit id in hex);
 *   <li>an opaque token: 16 or more characters of the URL-safe base64 alphabet ({@code
 *       [A-Za-z0-9_-]}) with at least {@value #OPAQUE_MIN_DIGITS} digits and a letter, as ULIDs,
 *       nanoids, base64 ids and Stripe-style {@code cus_9s6XKzkNRiz8i3} are. Requiring digits keeps
 *       long English segments such as {@code password-reset-confirmation} intact.
 * </ul>
 *
 * <p>Before that the query string and fragment are dropped, and matrix parameters ({@code
 * ;jsessionid=...}) are removed from every segment. The result always starts with {@code /}, and
 * templating is idempotent: a template is its own template. Thread-safe and stateless.
 */
public final class RouteTemplates {

  /** What an identifier segment becomes. */
  public static final String ID = "{id}";

  private static final int HEX_MIN_LENGTH = 16;
  private static final int OPAQUE_MIN_LENGTH = 16;
  private static final int OPAQUE_MIN_DIGITS = 3;

  private RouteTemplates() {}

  /**
   * The template of a request path within the application: a raw path with an optional query
   * string, fragment and matrix parameters.
   */
  public static String template(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    int end = path.length();
    int query = path.indexOf('?');
    if (query >= 0) {
      end = query;
    }
    int fragment = path.indexOf('#');
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    StringBuilder out = new StringBuilder(end + 8);
    int start = 0;
    if (end > 0 && path.charAt(0) == '/') {
      start = 1;
    }
    out.append('/');
    boolean first = true;
    while (start <= end) {
      int slash = path.indexOf('/', start);
      if (slash < 0 || slash > end) {
        slash = end;
      }
      if (!first) {
        out.append('/');
      }
      appendSegment(out, path, start, slash);
      first = false;
      start = slash + 1;
    }
    return out.toString();
  }

  /**
   * The template of a request URI as the servlet API gives it ({@code getRequestURI()}, raw and
   * with the context path), relative to the context path: {@code ("/shop", "/shop/items/7")} gives
   * {@code /items/{id}}. The context path is removed only as whole segments, so {@code
   * /shopping/cart} under context {@code /shop} keeps its first segment.
   */
  public static String template(String contextPath, String requestUri) {
    if (requestUri == null) {
      return "/";
    }
    String path = stripMatrixParameters(requestUri);
    if (contextPath != null && !contextPath.isEmpty() && !contextPath.equals("/")) {
      String context = stripMatrixParameters(contextPath);
      if (path.startsWith(context)
          && (path.length() == context.length()
              || path.charAt(context.length()) == '/'
              || path.charAt(context.length()) == '?'
              || path.charAt(context.length()) == '#')) {
        path = path.substring(context.length());
      }
    }
    return template(path);
  }

  /** Whether a path segment (without matrix parameters) is an identifier. */
  public static boolean isIdentifier(String segment) {
    return isIdentifier(segment, 0, segment.length());
  }

  private static void appendSegment(StringBuilder out, String path, int from, int to) {
    int semicolon = path.indexOf(';', from);
    if (semicolon >= 0 && semicolon < to) {
      to = semicolon; // matrix parameters: ;jsessionid=..., ;v=2
    }
    if (isIdentifier(path, from, to)) {
      out.append(ID);
    } else {
      out.append(path, from, to);
    }
  }

  private static boolean isIdentifier(String s, int from, int to) {
    int length = to - from;
    if (length == 0) {
      return false;
    }
    int digits = 0;
    int hexLetters = 0;
    int otherLetters = 0;
    int dashes = 0;
    int underscores = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        hexLetters++;
      } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
        otherLetters++;
      } else if (c == '-') {
        dashes++;
      } else if (c == '_') {
        underscores++;
      } else {
        return false; // {id}, dots, percent escapes and the like are never identifiers
      }
    }
    if (digits == length) {
      return true;
    }
    if (dashes == 4 && length == 36 && otherLetters == 0 && underscores == 0 && isUuid(s, from)) {
      return true;
    }
    if (digits + hexLetters == length && length >= HEX_MIN_LENGTH) {
      return true;
    }
    return length >= OPAQUE_MIN_LENGTH
        && digits >= OPAQUE_MIN_DIGITS
        && hexLetters + otherLetters > 0;
  }

  private static boolean isUuid(String s, int from) {
    return s.charAt(from + 8) == '-'
        && s.charAt(from + 13) == '-'
        && s.charAt(from + 18) == '-'
        && s.charAt(from + 23) == '-';
  }

  private static String stripMatrixParameters(String uri) {
    if (uri.indexOf(';') < 0) {
      return uri;
    }
    StringBuilder out = new StringBuilder(uri.length());
    int i = 0;
    while (i < uri.length()) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        out.append(uri, i, uri.length());
        break;
      }
      if (c == ';') {
        while (i < uri.length() && "/?#".indexOf(uri.charAt(i)) < 0) {
          i++;
        }
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }
}
