package dev.vigil.server.remote;

import static dev.vigil.server.TestServer.ADMIN;
import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import dev.vigil.model.Labels;
import dev.vigil.server.Http;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.server.remote.WriteRequestBuilder.NativeHistogram;
import dev.vigil.tsdb.Matcher;
import dev.vigil.tsdb.Querier;
import dev.vigil.tsdb.SampleCursor;
import dev.vigil.tsdb.Series;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteApiTest {
  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
  static final String PATH = "/api/v1/write";

  @TempDir static Path dir;
  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            dir,
            new MutableClock(NOW),
            null,
            "VIGIL_BODY_LIMIT",
            "4096",
            "VIGIL_RATE_LIMIT_BURST",
            "10000");
    http = server.http;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Http.Response send(String token, byte[] body) {
    return http.post(
        token,
        PATH,
        body,
        "Content-Type",
        "application/x-protobuf",
        "Content-Encoding",
        "snappy",
        "X-Prometheus-Remote-Write-Version",
        "0.1.0");
  }

  static String[] labels(String... pairs) {
    return pairs;
  }

  /** Every sample of the series named {@code name}, as "labels@t=value" strings, sorted. */
  static List<String> read(String name) {
    List<String> out = new ArrayList<>();
    try (Querier q = server.server.storage().querier(0, Long.MAX_VALUE)) {
      for (Series s : q.select(Matcher.equal(Labels.METRIC_NAME, name))) {
        SampleCursor c = s.cursor();
        while (c.next()) {
          out.add(
              s.labels()
                  + "@"
                  + (c.timestampMillis() - NOW)
                  + "="
                  + (c.isHistogram() ? c.histogram().toString() : Double.toString(c.value())));
        }
      }
    }
    return out;
  }

  static void assertText(Http.Response r, int status, String... parts) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.body()).contains(parts).endsWith("\n").doesNotContain("Exception");
  }

  @Test
  void floatsRoundTripIncludingOutOfOrderSamplesWithinTheWindow() {
    byte[] body =
        new WriteRequestBuilder()
            .series(
                labels("__name__", "rt_float", "job", "a", "instance", "x:1"),
                new long[] {NOW - 1000, NOW},
                new double[] {1.5, 2.5})
            .series(labels("job", "b", "__name__", "rt_float"), new long[] {NOW}, new double[] {7})
            .snappy();
    Http.Response r = send(INGEST, body);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    // 30 minutes late, within the 1 h window: merged into place.
    Http.Response late =
        send(
            ADMIN,
            new WriteRequestBuilder()
                .series(
                    labels("__name__", "rt_float", "job", "a", "instance", "x:1"),
                    new long[] {NOW - 1_800_000},
                    new double[] {0.5})
                .snappy());
    assertThat(late.status()).as(late.body()).isEqualTo(204);
    assertThat(read("rt_float"))
        .containsExactly(
            "{__name__=\"rt_float\", instance=\"x:1\", job=\"a\"}@-1800000=0.5",
            "{__name__=\"rt_float\", instance=\"x:1\", job=\"a\"}@-1000=1.5",
            "{__name__=\"rt_float\", instance=\"x:1\", job=\"a\"}@0=2.5",
            "{__name__=\"rt_float\", job=\"b\"}@0=7.0");
    // A retry of the same request is accepted and changes nothing.
    assertThat(send(INGEST, body).status()).isEqualTo(204);
    assertThat(read("rt_float")).hasSize(4);
  }

  @Test
  void nativeHistogramsRoundTripAsIntegerAndFloatHistograms() {
    NativeHistogram integer =
        new NativeHistogram(
            NOW - 5000,
            false,
            10,
            12.5,
            3,
            0.001,
            2,
            new int[] {2, 2, 1, 1},
            new double[] {1, 3, 2},
            new int[] {-1, 1},
            new double[] {2});
    NativeHistogram floating =
        new NativeHistogram(
            NOW,
            true,
            4.5,
            3.25,
            0,
            0,
            0.5,
            new int[] {1, 2},
            new double[] {1.5, 2.5},
            new int[0],
            new double[0]);
    Http.Response r =
        send(
            INGEST,
            new WriteRequestBuilder()
                .series(
                    labels("__name__", "rt_hist", "job", "h"),
                    new long[0],
                    new double[0],
                    List.of(integer, floating))
                .snappy());
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    Histogram first =
        Histogram.builder(3)
            .zeroThreshold(0.001)
            .zeroCount(2)
            .sum(12.5)
            .count(10)
            .addPositive(2, 1)
            .addPositive(3, 3)
            .addPositive(5, 2)
            .addNegative(-1, 2)
            .build();
    Histogram second =
        Histogram.builder(0)
            .zeroCount(0.5)
            .sum(3.25)
            .count(4.5)
            .addPositive(1, 1.5)
            .addPositive(2, 2.5)
            .build();
    assertThat(read("rt_hist"))
        .containsExactly(
            "{__name__=\"rt_hist\", job=\"h\"}@-5000=" + first,
            "{__name__=\"rt_hist\", job=\"h\"}@0=" + second);
  }

  @Test
  void undecodableBodiesAreRefusedWithPlainText() {
    assertText(send(INGEST, new byte[] {1, 2, 3, 4, 5}), 400, "snappy: corrupt input");
    byte[] notProtobuf = snappy(new byte[] {0x0A, 0x7F, 0x01}); // field 1, length 127, 1 byte
    assertText(send(INGEST, notProtobuf), 400, "invalid protobuf");
    byte[] wrongType = snappy(new byte[] {0x08, 0x01}); // field 1 as a varint
    assertText(send(INGEST, wrongType), 400, "field 1 (timeseries) has wire type 0");
    Http.Response gzip = http.post(INGEST, PATH, new byte[] {1}, "Content-Encoding", "gzip");
    assertText(gzip, 415, "gzip encoding (compression) is not accepted");
  }

  @Test
  void invalidLabelsAreRefusedAndNothingOfTheRequestIsStored() {
    String[][] bad = {
      labels("__name__", "bad_1", "1job", "x"),
      labels("__name__", "bad_1", "job", "x", "job", "y"),
      labels("job", "x"),
      labels("__name__", "", "job", "x"),
      labels("__name__", "bad-name"),
    };
    String[] expected = {
      "invalid label name \"1job\"",
      "duplicate label name \"job\"",
      "no metric name (label __name__)",
      "no metric name (label __name__)",
      "invalid metric name \"bad-name\"",
    };
    for (int i = 0; i < bad.length; i++) {
      Http.Response r =
          send(
              INGEST,
              new WriteRequestBuilder()
                  .series(labels("__name__", "good_1"), new long[] {NOW}, new double[] {1})
                  .series(bad[i], new long[] {NOW}, new double[] {1})
                  .snappy());
      assertText(r, 400, "invalid labels for series", expected[i]);
    }
    assertThat(read("good_1")).isEmpty();
    assertThat(read("bad_1")).isEmpty();
  }

  @Test
  void samplesOutsideTheWindowOrConflictingAreRefusedWithAReason() {
    Http.Response old =
        send(
            INGEST,
            new WriteRequestBuilder()
                .series(labels("__name__", "ooo_1"), new long[] {NOW}, new double[] {1})
                .series(labels("__name__", "ooo_2"), new long[] {NOW - 3_600_001}, new double[] {1})
                .snappy());
    assertText(old, 400, "too old sample", "ooo_2", "out-of-order window (late_window) of 1h");
    Http.Response future =
        send(
            INGEST,
            new WriteRequestBuilder()
                .series(labels("__name__", "ooo_3"), new long[] {NOW + 600_001}, new double[] {1})
                .snappy());
    assertText(future, 400, "out of bounds", "10m in the future");
    assertThat(read("ooo_1")).isEmpty();

    assertThat(
            send(
                    INGEST,
                    new WriteRequestBuilder()
                        .series(labels("__name__", "dup_1"), new long[] {NOW}, new double[] {1})
                        .snappy())
                .status())
        .isEqualTo(204);
    Http.Response dup =
        send(
            INGEST,
            new WriteRequestBuilder()
                .series(labels("__name__", "dup_1"), new long[] {NOW}, new double[] {2})
                .snappy());
    assertText(dup, 400, "DUPLICATE_TIMESTAMP", "dup_1");
  }

  @Test
  void authenticationAndBodyLimitApply() {
    byte[] body =
        new WriteRequestBuilder()
            .series(labels("__name__", "auth_1"), new long[] {NOW}, new double[] {1})
            .snappy();
    assertText(send(null, body), 401, "missing Authorization");
    assertText(send("not-a-known-token-at-all", body), 401, "unknown token");
    assertText(send(VIEWER, body), 403, "role viewer may not POST /api/v1/write");
    assertThat(read("auth_1")).isEmpty();
    assertText(http.getWith(ADMIN, PATH), 405, "method GET not allowed on /api/v1/write");
    assertText(send(INGEST, new byte[5000]), 413, "exceeds the limit of 4096 bytes");
    // A small body that claims to decompress past 8 x the body limit.
    byte[] bomb = snappy(new byte[40_000]);
    assertThat(bomb.length).isLessThan(4096);
    assertText(send(INGEST, bomb), 413, "decompressed request body of 40000 bytes");
  }

  static byte[] snappy(byte[] raw) {
    try {
      return org.xerial.snappy.Snappy.compress(raw);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
