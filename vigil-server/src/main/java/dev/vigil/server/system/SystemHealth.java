package dev.vigil.server.system;

import dev.vigil.server.config.HealthThresholds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's health from the latest CPU, memory and disk percentages: {@code critical} if any is
 * above its critical threshold, else {@code warning} if any is above its warning threshold, else
 * {@code healthy}; {@code unknown} without a recent reading. Each level above healthy comes with
 * its reasons: the metric, its value, the threshold it passed and the level.
 *
 * @param status healthy, warning, critical or unknown
 * @param reasons one entry per metric past a threshold
 */
public record SystemHealth(String status, List<Map<String, Object>> reasons) {

  /** No recent reading. */
  public static SystemHealth unknown() {
    return new SystemHealth("unknown", List.of());
  }

  /** Assesses the percentages; a null value is not judged. */
  public static SystemHealth assess(
      Double cpuPercent, Double memoryPercent, Double diskPercent, HealthThresholds t) {
    if (cpuPercent == null && memoryPercent == null && diskPercent == null) {
      return unknown();
    }
    List<Map<String, Object>> reasons = new ArrayList<>();
    int worst = 0;
    worst = Math.max(worst, judge("cpu_percent", cpuPercent, t.cpu(), reasons));
    worst = Math.max(worst, judge("memory_percent", memoryPercent, t.memory(), reasons));
    worst = Math.max(worst, judge("disk_percent", diskPercent, t.disk(), reasons));
    String status = worst == 2 ? "critical" : worst == 1 ? "warning" : "healthy";
    return new SystemHealth(status, List.copyOf(reasons));
  }

  private static int judge(
      String metric, Double value, HealthThresholds.Level level, List<Map<String, Object>> out) {
    if (value == null) {
      return 0;
    }
    int result = value > level.critical() ? 2 : value > level.warning() ? 1 : 0;
    if (result > 0) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("metric", metric);
      r.put("value", value);
      r.put("threshold", result == 2 ? level.critical() : level.warning());
      r.put("level", result == 2 ? "critical" : "warning");
      out.add(r);
    }
    return result;
  }
}
