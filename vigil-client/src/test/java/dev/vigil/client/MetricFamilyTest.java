package dev.vigil.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricFamilyTest {

  @Test
  void rejectsInvalidName() {
    assertThatThrownBy(() -> MetricFamily.gauge("1bad", "h", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1bad");
  }

  @Test
  void rejectsCounterNamedWithTotal() {
    assertThatThrownBy(() -> MetricFamily.counter("requests_total", "h", List.of()))
        .hasMessageContaining("requests_total");
  }

  @Test
  void rejectsDuplicateLabelSets() {
    Labels a = Labels.of("a", "1");
    assertThatThrownBy(
            () -> MetricFamily.gauge("g", "h", List.of(MetricPoint.of(a, 1), MetricPoint.of(a, 2))))
        .hasMessageContaining("duplicate labels");
  }

  @Test
  void rejectsReservedLabels() {
    assertThatThrownBy(
            () -> MetricFamily.gauge("g", "h", List.of(MetricPoint.of(Labels.of("le", "1"), 1))))
        .hasMessageContaining("reserved");
  }

  @Test
  void rejectsCountOnGauge() {
    assertThatThrownBy(
            () ->
                MetricFamily.gauge("g", "h", List.of(MetricPoint.summary(Labels.empty(), 3, 1.5))))
        .hasMessageContaining("count set");
  }

  @Test
  void findsPointByLabels() {
    MetricFamily f =
        MetricFamily.summary(
            "s", "h", List.of(MetricPoint.summary(Labels.of("gc", "young"), 3, 0.25)));
    assertThat(f.point(Labels.of("gc", "young")).count()).isEqualTo(3);
    assertThat(f.point(Labels.of("gc", "old"))).isNull();
  }
}
