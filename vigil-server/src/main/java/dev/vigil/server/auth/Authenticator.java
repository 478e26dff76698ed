package dev.vigil.server.auth;

import dev.vigil.server.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Checks every request's bearer token, role and rate limit before it is routed. Open: {@code
 * /-/healthy}, {@code /-/ready}, and the page's static shell ({@code /} and {@code /ui/*}), which
 * holds no data: the page asks for the token and sends it with every API call.
 *
 * <p>401 means no usable token (missing, malformed or unknown; with {@code WWW-Authenticate:
 * Bearer}), 403 a known token whose role may not do this, 429 a token over its rate limit (with
 * {@code Retry-After} in seconds). The token is never logged or echoed.
 */
public final class Authenticator {

  /** Attribute under which the authenticated {@link Token} is left on the context. */
  public static final String TOKEN_ATTRIBUTE = "vigil.token";

  private final TokenRegistry tokens;
  private final RateLimiter limiter;

  /** An authenticator over these tokens and this limiter. */
  public Authenticator(TokenRegistry tokens, RateLimiter limiter) {
    this.tokens = tokens;
    this.limiter = limiter;
  }

  /** Whether a path is open to all. */
  public static boolean isOpen(HandlerType method, String path) {
    if (path.equals("/-/healthy") || path.equals("/-/ready")) {
      return true;
    }
    boolean read = method == HandlerType.GET || method == HandlerType.HEAD;
    return read && (path.equals("/") || path.equals("/index.html") || path.startsWith("/ui/"));
  }

  /** The access a request needs. */
  public static Role.Access access(HandlerType method, String path) {
    if (method == HandlerType.GET || method == HandlerType.HEAD) {
      return Role.Access.READ;
    }
    if (method == HandlerType.POST
        && (path.equals("/api/v1/requests")
            || path.equals("/api/v1/push")
            || path.equals("/api/v1/write"))) {
      return Role.Access.WRITE;
    }
    if (method == HandlerType.POST && FORM_READS.contains(path)) {
      return Role.Access.READ; // Prometheus' API takes long queries as form POSTs
    }
    return Role.Access.ADMIN;
  }

  private static final java.util.Set<String> FORM_READS =
      java.util.Set.of(
          "/api/v1/query",
          "/api/v1/query_range",
          "/api/v1/series",
          "/api/v1/labels",
          "/api/v1/format_query");

  /** Javalin before-handler: throws {@link ApiException} to refuse. */
  public void check(Context ctx) {
    HandlerType method = ctx.method();
    String path = ctx.path();
    if (isOpen(method, path)) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isEmpty()) {
      throw unauthorized(ctx, "missing Authorization: Bearer <token> header");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw unauthorized(ctx, "malformed Authorization header: expected \"Bearer <token>\"");
    }
    String presented = header.substring(7).trim();
    Token token = presented.isEmpty() ? null : tokens.find(presented);
    if (token == null) {
      throw unauthorized(ctx, "unknown token");
    }
    ctx.attribute(TOKEN_ATTRIBUTE, token);
    Role.Access access = access(method, path);
    if (!token.role().allows(access)) {
      throw new ApiException(
          403, "forbidden", "role " + token.role().id() + " may not " + method + " " + path);
    }
    long retryAfter = limiter.acquire(token.name());
    if (retryAfter > 0) {
      ctx.header("Retry-After", Long.toString(retryAfter));
      throw new ApiException(
          429, "rate_limited", "rate limit exceeded for token " + token.name() + ", retry later");
    }
  }

  private static ApiException unauthorized(Context ctx, String message) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"vigil\"");
    return new ApiException(401, "unauthorized", message);
  }
}
