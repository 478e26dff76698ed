package dev.vigil.client.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.client.MetricFamily;
import dev.vigil.client.MetricPoint;
import dev.vigil.model.Labels;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {

  private final Map<String, MetricFamily> families =
      JvmMetrics.collect().stream()
          .collect(Collectors.toMap(MetricFamily::name, Function.identity()));

  @Test
  void exposesClientJavaNames() {
    assertThat(families)
        .containsKeys(
            "jvm_memory_used_bytes",
            "jvm_memory_committed_bytes",
            "jvm_memory_max_bytes",
            "jvm_memory_pool_used_bytes",
            "jvm_gc_collection_seconds",
            "jvm_threads_current",
            "jvm_threads_daemon",
            "jvm_threads_peak",
            "jvm_threads_started",
            "jvm_threads_state",
            "jvm_classes_currently_loaded",
            "process_start_time_seconds");
    // OpenJDK on Linux always has com.sun.management with process CPU time.
    assertThat(families).containsKey("process_cpu_seconds");
  }

  @Test
  void namesAndLabelsAreValid() {
    Set<String> names = new HashSet<>();
    for (MetricFamily f : JvmMetrics.collect()) {
      assertThat(Labels.isValidMetricName(f.name())).as(f.name()).isTrue();
      assertThat(names.add(f.name())).as("unique " + f.name()).isTrue();
      assertThat(f.help()).as(f.name()).isNotBlank();
    }
  }

  @Test
  void memoryValuesArePlausible() {
    MetricFamily used = families.get("jvm_memory_used_bytes");
    assertThat(used.point(Labels.of("area", "heap")).value()).isPositive();
    assertThat(used.point(Labels.of("area", "nonheap")).value()).isPositive();
    MetricFamily committed = families.get("jvm_memory_committed_bytes");
    assertThat(committed.point(Labels.of("area", "heap")).value())
        .isGreaterThanOrEqualTo(used.point(Labels.of("area", "heap")).value() * 0.5);
    assertThat(families.get("jvm_memory_pool_used_bytes").points()).isNotEmpty();
  }

  @Test
  void garbageCollectionIsASummaryWithNonNegativeValues() {
    MetricFamily gc = families.get("jvm_gc_collection_seconds");
    assertThat(gc.type()).isEqualTo(MetricFamily.Type.SUMMARY);
    assertThat(gc.points()).isNotEmpty();
    for (MetricPoint p : gc.points()) {
      assertThat(p.labels().get("gc")).isNotBlank();
      assertThat(p.count()).isGreaterThanOrEqualTo(0);
      assertThat(p.value()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void threadValuesArePlausible() {
    double current = value("jvm_threads_current");
    assertThat(current).isGreaterThanOrEqualTo(1);
    assertThat(value("jvm_threads_peak")).isGreaterThanOrEqualTo(current);
    assertThat(value("jvm_threads_started")).isGreaterThanOrEqualTo(1);
    assertThat(families.get("jvm_threads_started").type()).isEqualTo(MetricFamily.Type.COUNTER);
    List<MetricPoint> states = families.get("jvm_threads_state").points();
    assertThat(states).hasSize(Thread.State.values().length);
    double runnable =
        families.get("jvm_threads_state").point(Labels.of("state", "RUNNABLE")).value();
    assertThat(runnable).isGreaterThanOrEqualTo(1); // this thread
  }

  @Test
  void processValuesArePlausible() {
    assertThat(value("jvm_classes_currently_loaded")).isGreaterThan(100);
    assertThat(value("process_cpu_seconds")).isPositive();
    double start = value("process_start_time_seconds");
    double now = System.currentTimeMillis() / 1000.0;
    assertThat(start).isBetween(now - 86_400, now);
  }

  private double value(String name) {
    return families.get(name).point(Labels.empty()).value();
  }
}
