package dev.vigil.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.server.MutableClock;
import dev.vigil.server.TestServer;
import dev.vigil.server.system.SystemReading.FileSystem;
import dev.vigil.server.system.SystemReading.Network;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemMetricsApiTest {

  @TempDir Path dir;

  static SystemReading reading(double busy0, double idle0, double busy1, double idle1, double rx) {
    return new SystemReading(
        Map.of(
            "0", Map.of("user", busy0, "system", 0.0, "idle", idle0, "iowait", 0.0),
            "1", Map.of("user", busy1, "system", 0.0, "idle", idle1, "iowait", 0.0)),
        16e9,
        4e9,
        List.of(
            new FileSystem("/", "ext4", "/dev/sda1", 100e9, 3e9),
            new FileSystem("/boot", "vfat", "/dev/sda2", 1e9, 0.9e9)),
        1.5,
        1.0,
        0.5,
        List.of(new Network("eth0", rx, 2 * rx), new Network("lo", 1e12, 1e12)));
  }

  @Test
  void storesNodeExporterSeriesAndDerivesTheSeedsFieldsAndHealth() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-07-19T02:00:00Z").toEpochMilli());
    Deque<SystemReading> readings = new ArrayDeque<>();
    readings.add(reading(100, 900, 200, 800, 10_000));
    // 10 s later: cpu0 +6 busy +4 idle, cpu1 +2 busy +8 idle: 8 of 20 s busy = 40%.
    readings.add(reading(106, 904, 202, 808, 20_000));
    try (TestServer s = TestServer.start(dir, clock, readings::poll)) {
      JsonNode unknown = s.http.getWith(TestServer.VIEWER, "/api/performance/summary").json();
      assertThat(unknown.path("system_health").asText()).isEqualTo("unknown");
      s.server.systemCollector().collectOnce();
      clock.advanceMillis(10_000);
      s.server.systemCollector().collectOnce();
      JsonNode body =
          s.http.getWith(TestServer.VIEWER, "/api/performance/system-metrics?hours=1").json();
      JsonNode cur = body.path("current");
      assertThat(cur.path("cpu_percent").asDouble()).isCloseTo(40.0, within(1e-9));
      assertThat(cur.path("memory_percent").asDouble()).isCloseTo(75.0, within(1e-9));
      assertThat(cur.path("memory_available").asDouble()).isEqualTo(4e9);
      assertThat(cur.path("disk_percent").asDouble()).isCloseTo(97.0, within(1e-9));
      assertThat(cur.path("disk_free").asDouble()).isEqualTo(3e9);
      assertThat(cur.path("load1").asDouble()).isEqualTo(1.5);
      assertThat(cur.path("network_receive_bytes_per_second").asDouble())
          .isCloseTo(1000.0, within(1e-9));
      assertThat(cur.path("network_transmit_bytes_per_second").asDouble())
          .isCloseTo(2000.0, within(1e-9));
      assertThat(body.path("samples")).hasSize(2);
      assertThat(body.path("system_health").asText()).isEqualTo("critical");
      assertThat(body.path("health_reasons").toString())
          .isEqualTo(
              "[{\"metric\":\"memory_percent\",\"value\":75.0,\"threshold\":70.0,\"level\":\"warning\"},"
                  + "{\"metric\":\"disk_percent\",\"value\":97.0,\"threshold\":95.0,\"level\":\"critical\"}]");
      JsonNode summary = s.http.getWith(TestServer.VIEWER, "/api/performance/summary").json();
      assertThat(summary.path("system_health").asText()).isEqualTo("critical");
      assertThat(s.http.getWith(TestServer.VIEWER, "/metrics").body())
          .contains("vigil_system_samples_total 42");
      assertThat(
              s.http
                  .getWith(TestServer.VIEWER, "/api/performance/system-metrics?hours=abc")
                  .json()
                  .path("error")
                  .asText())
          .isEqualTo("hours: expected a number, got \"abc\"");
    }
  }

  @Test
  void healthLevels() {
    var t = dev.vigil.server.config.HealthThresholds.defaults();
    assertThat(SystemHealth.assess(10.0, 20.0, 30.0, t).status()).isEqualTo("healthy");
    assertThat(SystemHealth.assess(71.0, 20.0, 30.0, t).status()).isEqualTo("warning");
    assertThat(SystemHealth.assess(95.0, 20.0, 81.0, t).reasons()).hasSize(2);
    assertThat(SystemHealth.assess(null, null, null, t).status()).isEqualTo("unknown");
    assertThat(SystemHealth.assess(70.0, 70.0, 80.0, t).status())
        .as("at the threshold is not above it")
        .isEqualTo("healthy");
  }
}
