package dev.vigil.server.prom;

import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.Json;
import dev.vigil.tsdb.StorageFullException;
import dev.vigil.tsdb.Tsdb;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus' admin snapshot, {@code POST /api/v1/admin/tsdb/snapshot[?skip_head=BOOL]} (role
 * admin): writes the store's blocks (hard links) and, unless {@code skip_head} is true, the head as
 * one more block into {@code <data>/tsdb/snapshots/<name>/}, and answers {@code
 * {"status":"success","data":{"name":"<name>"}}} with Prometheus' name form {@code
 * 20060102T150405Z-<16 hex digits>}. The snapshot directory opens as a store (its blocks under
 * {@code blocks/}); see {@link Tsdb#snapshot}.
 */
public final class SnapshotApi {
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  private final Tsdb tsdb;
  private final Path snapshotsDir;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Snapshots of {@code tsdb} go to {@code snapshotsDir} (created when first needed). */
  public SnapshotApi(Tsdb tsdb, Path snapshotsDir, Clock clock) {
    this.tsdb = tsdb;
    this.snapshotsDir = snapshotsDir;
    this.clock = clock;
  }

  /** The route's handler. */
  public void snapshot(Context ctx) {
    boolean skipHead = parseBool(param(ctx, "skip_head"));
    String name =
        NAME_TIME.format(clock.instant())
            + "-"
            + String.format("%016x", random.nextLong() & Long.MAX_VALUE);
    try {
      Files.createDirectories(snapshotsDir);
      tsdb.snapshot(snapshotsDir.resolve(name), !skipHead);
    } catch (IOException e) {
      if (StorageFullException.isDiskFull(e)) {
        throw ApiException.diskFull("no snapshot was written (" + e.getMessage() + ")");
      }
      throw new ApiException(500, "internal", "create snapshot: " + e.getMessage());
    }
    Json.success(ctx, Map.of("name", name));
  }

  private static String param(Context ctx, String key) {
    String v = ctx.queryParam(key);
    if (v == null) {
      String type = ctx.contentType();
      if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
        v = ctx.formParam(key);
      }
    }
    return v;
  }

  /** Go's strconv.ParseBool, as Prometheus reads the argument; absent or empty is false. */
  static boolean parseBool(String v) {
    if (v == null || v.isEmpty() || FALSE.contains(v)) {
      return false;
    }
    if (TRUE.contains(v)) {
      return true;
    }
    throw ApiException.badData(
        "unable to parse boolean 'skip_head' argument: invalid syntax: " + v);
  }
}
