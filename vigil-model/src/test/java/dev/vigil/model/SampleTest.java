package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleTest {
  @Test
  void histogramSampleRejectsNullHistogram() {
    assertThatThrownBy(() -> new HistogramSample(1L, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("histogram");
  }

  @Test
  void samplesAreValues() {
    Histogram h = Histogram.builder(0).observe(1).build();

    assertThat(new HistogramSample(5, h)).isEqualTo(new HistogramSample(5, h));
    assertThat(new FloatSample(5, Double.NaN)).isEqualTo(new FloatSample(5, Double.NaN));
    assertThat(new FloatSample(5, 1.5).timestampMillis()).isEqualTo(5);
  }
}
