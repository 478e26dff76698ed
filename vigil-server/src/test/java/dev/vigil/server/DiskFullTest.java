package dev.vigil.server;

import static dev.vigil.server.TestServer.INGEST;
import static dev.vigil.server.TestServer.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.client.Recorder;
import dev.vigil.client.push.PushBatch;
import dev.vigil.client.push.PushCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's data directory on a real 8 MiB tmpfs that fills up: ingest answers 503 naming the
 * full disk, stores nothing of the refused requests, and resumes once space is freed; a restart
 * shows exactly what was answered 200.
 */
class DiskFullTest {
  static final long NOW = Instant.parse("2025-07-19T02:00:00Z").toEpochMilli();
  static final long MIN = 60_000;

  @TempDir Path mountPoint;
  private SmallDisk disk;
  private final Random random = new Random(3);

  @BeforeEach
  void mount() {
    disk = SmallDisk.mount(mountPoint, 8);
  }

  @AfterEach
  void unmount() {
    disk.close();
  }

  /** A batch of fast events without users (they touch only the time series store). */
  private String events(int n) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = NOW - 50 * MIN + random.nextInt((int) (50 * MIN));
      items.add(
          "{\"timestamp\":"
              + t
              + ",\"endpoint\":\"/api/items/"
              + random.nextInt(20)
              + "\",\"method\":\"GET\",\"response_time\":"
              + (0.001 + random.nextDouble() * 0.1)
              + ",\"status_code\":200,\"service\":\"web\"}");
    }
    return "[" + String.join(",", items) + "]";
  }

  private static long total(Http http) {
    return http.getWith(
            VIEWER,
            "/api/performance/summary?start="
                + (NOW - 60 * MIN) / 1000
                + "&end="
                + Instant.ofEpochMilli(NOW))
        .json()
        .path("total_requests")
        .asLong();
  }

  private static void fill(Path filler, long headroomBytes) throws IOException {
    byte[] block = new byte[64 << 10];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("No space left on device");
    }
    try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
      f.setLength(Math.max(0, f.length() - headroomBytes));
    }
  }

  private static void assertDiskFull(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.json().path("errorType").asText()).isEqualTo("unavailable");
    assertThat(r.json().path("error").asText()).startsWith("disk full: ");
    assertThat(r.header("Retry-After")).isEqualTo("30");
  }

  @Test
  void aFullDiskAnswers503StoresNothingAndIngestResumesWhenSpaceReturns() throws Exception {
    Path data = mountPoint.resolve("data");
    Path filler = mountPoint.resolve("filler");
    long acknowledged = 0;
    MutableClock clientClock = new MutableClock(NOW - MIN);
    Recorder recorder = Recorder.builder().clock(clientClock).build();
    try (TestServer s = TestServer.start(data, new MutableClock(NOW), null)) {
      for (int b = 0; b < 3; b++) {
        Http.Response r = s.http.postJson(INGEST, "/api/v1/requests", events(200));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        acknowledged += r.json().path("data").path("accepted").asLong();
      }
      fill(filler, 32 << 10);
      int refused = 0;
      for (int attempt = 0; refused < 5 && attempt < 500; attempt++) {
        Http.Response r = s.http.postJson(INGEST, "/api/v1/requests", events(200));
        if (r.status() == 200) {
          acknowledged += r.json().path("data").path("accepted").asLong();
        } else {
          assertDiskFull(r);
          assertThat(r.json().path("error").asText()).contains("nothing of this request");
          refused++;
          assertThat(total(s.http))
              .as("nothing of a refused request is stored")
              .isEqualTo(acknowledged);
        }
      }
      assertThat(refused).isEqualTo(5);

      for (int i = 0; i < 50; i++) {
        recorder.record("POST", "/api/orders", 201, 5_000_000L + i, null);
      }
      byte[] push =
          PushCodec.encode(new PushBatch("shop", "i-1", recorder.snapshot(0, 50), List.of()));
      // A push on the full disk: 503 either way. Its series may fit in the log's last page
      // while the events database cannot record its users; then the retry adds the rest, and the
      // series nothing twice (the push baseline makes pushes idempotent).
      assertDiskFull(
          s.http.post(INGEST, "/api/v1/push", push, "Content-Type", PushCodec.MEDIA_TYPE));
      assertThat(total(s.http)).isIn(acknowledged, acknowledged + 50);
      assertThat(s.http.getWith(TestServer.ADMIN, "/metrics").body())
          .contains("reason=\"storage_full\"");

      Files.delete(filler); // space returns
      Http.Response pushed =
          s.http.post(INGEST, "/api/v1/push", push, "Content-Type", PushCodec.MEDIA_TYPE);
      assertThat(pushed.status()).as(pushed.body()).isEqualTo(200);
      acknowledged += 50;
      assertThat(total(s.http)).isEqualTo(acknowledged);
      for (int b = 0; b < 3; b++) {
        Http.Response r = s.http.postJson(INGEST, "/api/v1/requests", events(200));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        acknowledged += r.json().path("data").path("accepted").asLong();
      }
      assertThat(total(s.http)).isEqualTo(acknowledged);
    }
    try (TestServer again = TestServer.start(data, new MutableClock(NOW), null)) {
      assertThat(total(again.http)).as("after a restart").isEqualTo(acknowledged);
    }
    assertThat(acknowledged).isGreaterThanOrEqualTo(1250);
  }
}
