package dev.vigil.server.remote;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.BodyReader;
import dev.vigil.server.metrics.IngestCounters;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.SampleRejectedException;
import dev.vigil.tsdb.SeriesRef;
import dev.vigil.tsdb.Storage;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.xerial.snappy.Snappy;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 (snappy block format, protobuf {@code
 * WriteRequest}) into one all-or-nothing commit; thread-safe.
 *
 * <p>Answers as Prometheus' receiver does: 204 once the commit is in the fsynced log; 400 with a
 * plain-text reason for an undecodable body, invalid labels or histograms, samples outside the
 * out-of-order window or more than 10 minutes ahead, duplicate timestamps with another value and
 * series limits, so that a sender drops the request rather than retrying it; 500 when the store
 * fails, which senders retry (Vigil's commit is atomic, so a retry never doubles anything). Unlike
 * Prometheus, a request with one bad series stores nothing. Exemplars and metadata are skipped.
 */
public final class RemoteWriteReceiver {
  /** Media type of remote write requests. */
  public static final String CONTENT_TYPE = "application/x-protobuf";

  private static final long MAX_FUTURE_MILLIS = Duration.ofMinutes(10).toMillis();

  private final Storage storage;
  private final BodyReader bodies;
  private final Duration lateWindow;
  private final Clock clock;
  private final IngestCounters counters;
  private final long maxDecodedBytes;
  private final SeriesCache cache;
  private final ThreadLocal<Scratch> scratch;

  /**
   * A receiver writing into {@code storage}, accepting samples up to {@code lateWindow} old and
   * decompressed bodies up to {@code maxDecodedBytes}, caching the labels of up to twice {@code
   * cachedSeries} series.
   */
  public RemoteWriteReceiver(
      Storage storage,
      BodyReader bodies,
      Duration lateWindow,
      Clock clock,
      IngestCounters counters,
      long maxDecodedBytes,
      int cachedSeries) {
    this.storage = storage;
    this.bodies = bodies;
    this.lateWindow = lateWindow;
    this.clock = clock;
    this.counters = counters;
    this.maxDecodedBytes = maxDecodedBytes;
    this.cache = new SeriesCache(cachedSeries);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(cache));
  }

  /** Per-thread buffers, reused across requests. */
  private static final class Scratch {
    // Kept per request thread: a Prometheus request of 2,000 samples decodes to about 300 KB.
    static final int KEEP_BYTES = 1 << 20;
    final WriteRequestDecoder decoder;
    byte[] decoded = new byte[64 << 10];
    // Reused: a fresh appender's maps would grow from empty for every request (2% of the CPU).
    Appender appender;

    Scratch(SeriesCache cache) {
      this.decoder = new WriteRequestDecoder(cache);
    }
  }

  /** Series whose labels are cached. */
  public int cachedSeries() {
    return cache.size();
  }

  /** Javalin handler. */
  public void handle(Context ctx) throws IOException {
    checkHeaders(ctx);
    byte[] body = bodies.rawBytes(ctx);
    Scratch s = scratch.get();
    long accepted;
    try {
      accepted = write(s, decompress(body, s));
    } finally {
      if (s.decoded.length > Scratch.KEEP_BYTES) {
        s.decoded = new byte[64 << 10]; // a rare huge request must not pin its buffer
      }
    }
    counters.remoteWriteRequests.increment();
    counters.samples.add(accepted);
    counters.remoteWriteSamples.add(accepted);
    ctx.status(204);
  }

  private static void checkHeaders(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type != null && !type.isBlank()) {
      String[] parts = type.split(";");
      if (!parts[0].trim().equalsIgnoreCase(CONTENT_TYPE)) {
        throw new ApiException(
            415, "bad_data", "expected " + CONTENT_TYPE + " as the media type, got " + type);
      }
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.startsWith("proto=") && !p.equals("proto=prometheus.WriteRequest")) {
          throw new ApiException(
              415,
              "bad_data",
              p.substring(6)
                  + " protobuf message is not accepted; accepted prometheus.WriteRequest");
        }
      }
    }
    String encoding = ctx.header("Content-Encoding");
    if (encoding != null
        && !encoding.isBlank()
        && !encoding.trim().toLowerCase(Locale.ROOT).equals("snappy")) {
      throw new ApiException(
          415,
          "bad_data",
          encoding + " encoding (compression) is not accepted; only snappy is acceptable");
    }
  }

  private int decompress(byte[] body, Scratch s) {
    int length;
    try {
      length = Snappy.uncompressedLength(body, 0, body.length);
    } catch (IOException | RuntimeException e) {
      counters.reject("remote_write_snappy", 1);
      throw ApiException.badData("snappy: corrupt input: " + e.getMessage());
    }
    if (length > maxDecodedBytes || length < 0) {
      counters.reject("too_large", 1);
      throw new ApiException(
          413,
          "too_large",
          "decompressed request body of "
              + (length & 0xFFFFFFFFL)
              + " bytes exceeds the limit of "
              + maxDecodedBytes
              + " bytes");
    }
    if (s.decoded.length < length) {
      s.decoded = new byte[Math.max(length, s.decoded.length * 2)];
    }
    try {
      int n = Snappy.uncompress(body, 0, body.length, s.decoded, 0);
      if (n != length) {
        throw new IOException("decompressed " + n + " bytes, header said " + length);
      }
    } catch (IOException | RuntimeException e) {
      counters.reject("remote_write_snappy", 1);
      throw ApiException.badData("snappy: corrupt input: " + e.getMessage());
    }
    return length;
  }

  private long write(Scratch s, int length) {
    if (s.appender == null) {
      s.appender = storage.appender();
    }
    Appender appender = s.appender;
    Sink sink = new Sink(appender, clock.millis());
    try {
      s.decoder.decode(s.decoded, length, sink);
      appender.commit();
      return sink.samples;
    } catch (MalformedRequestException e) {
      counters.reject("remote_write_invalid", 1);
      throw ApiException.badData(e.getMessage());
    } catch (SampleRejectedException e) {
      counters.reject("storage_" + e.reason().name().toLowerCase(Locale.ROOT), 1);
      throw ApiException.badData(StorageRefusals.describe(e));
    } catch (IOException e) {
      counters.reject("storage_io", 1);
      throw new ApiException(500, "internal", "storage write failed: " + e.getMessage());
    } finally {
      appender.rollback(); // empty after a commit; discards everything after a refusal
    }
  }

  /** Checks each sample's time against the window, then buffers it. */
  private final class Sink implements WriteRequestDecoder.Sink {
    final Appender appender;
    final long oldest;
    final long newest;
    long samples;

    Sink(Appender appender, long now) {
      this.appender = appender;
      this.oldest = now - lateWindow.toMillis();
      this.newest = now + MAX_FUTURE_MILLIS;
    }

    @Override
    public void floats(SeriesCache.Entry series, long[] timestamps, double[] values, int count) {
      SeriesRef ref = series.ref;
      for (int i = 0; i < count; i++) {
        long t = timestamps[i];
        if (t < oldest || t > newest) {
          throw outOfBounds(series.labels, t);
        }
        ref = appender.add(ref, series.labels, t, values[i]);
      }
      if (ref != null && ref != series.ref) {
        series.ref = ref;
      }
      samples += count;
    }

    @Override
    public void histogram(SeriesCache.Entry series, long timestamp, Histogram histogram) {
      if (timestamp < oldest || timestamp > newest) {
        throw outOfBounds(series.labels, timestamp);
      }
      appender.addHistogram(series.labels, timestamp, histogram);
      samples++;
    }

    private ApiException outOfBounds(Labels labels, long t) {
      counters.reject("remote_write_out_of_bounds", 1);
      if (t < oldest) {
        return ApiException.badData(
            "too old sample: "
                + labels
                + " at "
                + time(t)
                + " is older than the out-of-order window (late_window) of "
                + lateWindow.toString().substring(2).toLowerCase(Locale.ROOT)
                + "; the oldest timestamp accepted now is "
                + time(oldest));
      }
      return ApiException.badData(
          "out of bounds: "
              + labels
              + " at "
              + time(t)
              + " is more than 10m in the future; the newest timestamp accepted now is "
              + time(newest));
    }
  }

  private static String time(long millis) {
    return millis + " (" + Instant.ofEpochMilli(millis) + ")";
  }
}
