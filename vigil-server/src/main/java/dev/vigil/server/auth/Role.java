package dev.vigil.server.auth;

import java.util.Locale;

/** What a token may do: admin everything, viewer read, ingest write. */
public enum Role {
  /** Everything. */
  ADMIN,
  /** Reads: GET APIs, the page's data, /metrics. */
  VIEWER,
  /** Writes: the POST ingest paths only. */
  INGEST;

  /** The role's name as written in configuration, e.g. "viewer". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code id}, e.g. "viewer". */
  public static Role of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }

  /** Whether this role may perform an access of this kind. */
  public boolean allows(Access access) {
    return switch (this) {
      case ADMIN -> true;
      case VIEWER -> access == Access.READ;
      case INGEST -> access == Access.WRITE;
    };
  }

  /** Kinds of access a request needs. */
  public enum Access {
    /** GET and HEAD. */
    READ,
    /** POST to an ingest path ({@code /api/v1/requests}, {@code /push}, {@code /write}). */
    WRITE,
    /** Anything else. */
    ADMIN
  }
}
