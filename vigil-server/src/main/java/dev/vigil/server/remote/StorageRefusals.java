package dev.vigil.server.remote;

import dev.vigil.tsdb.SampleRejectedException;

/** Words a store refusal for a client, naming the configuration key of a limit that was hit. */
public final class StorageRefusals {
  private StorageRefusals() {}

  /** The configuration key of the limit behind {@code reason}, or null if it is not a limit. */
  public static String limitKey(SampleRejectedException.Reason reason) {
    return switch (reason) {
      case TOO_MANY_SERIES -> "limits.max_series";
      case TOO_MANY_SERIES_PER_METRIC -> "limits.max_series_per_metric";
      case HEAD_MEMORY_LIMIT -> "limits.max_head_bytes";
      default -> null;
    };
  }

  /** The store's message, prefixed with the configuration key if a limit was hit. */
  public static String withKey(SampleRejectedException e) {
    String key = limitKey(e.reason());
    return key == null ? e.getMessage() : "limit " + key + " exceeded: " + e.getMessage();
  }

  /**
   * A one-line reason: for a limit, {@code "limit exceeded (limits.max_series): ..."}, else the
   * reason and the store's message, such as {@code "DUPLICATE_TIMESTAMP: sample of ..."}.
   */
  public static String describe(SampleRejectedException e) {
    String key = limitKey(e.reason());
    if (key != null) {
      return "limit exceeded (" + key + "): " + e.getMessage();
    }
    return e.reason() + ": " + e.getMessage();
  }
}
