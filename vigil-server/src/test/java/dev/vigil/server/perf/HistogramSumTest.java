package dev.vigil.server.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import dev.vigil.model.HistogramBuilder;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class HistogramSumTest {

  static Histogram random(Random r, int n, double median, double sigma, boolean zeros) {
    HistogramBuilder b = Histogram.builder(7).zeroThreshold(0.0);
    for (int i = 0; i < n; i++) {
      b.observe(zeros && r.nextInt(10) == 0 ? 0.0 : median * Math.exp(sigma * r.nextGaussian()));
    }
    return b.build();
  }

  @RepeatedTest(20)
  void matchesTheModelsQuantileApdexAndBounds(org.junit.jupiter.api.RepetitionInfo info) {
    Random r = new Random(info.getCurrentRepetition());
    HistogramSum sum = new HistogramSum(7);
    HistogramSum other = new HistogramSum(7);
    Histogram merged = null;
    for (int i = 0; i < 1 + r.nextInt(30); i++) {
      Histogram h =
          random(r, 1 + r.nextInt(50), 0.01 + r.nextDouble(), 0.2 + r.nextDouble(), i % 7 == 3);
      (i % 2 == 0 ? sum : other).add(h);
      merged = merged == null ? h : merged.merge(h);
    }
    other.compact();
    sum.add(other);
    assertThat(sum.count()).isEqualTo(merged.count());
    assertThat(sum.sum()).isCloseTo(merged.sum(), org.assertj.core.api.Assertions.within(1e-9));
    for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1}) {
      assertThat(sum.quantile(q)).as("q=" + q).isEqualTo(merged.quantile(q));
    }
    assertThat(sum.apdex(0.5)).isEqualTo(Apdex.score(merged, 0.5));
    Histogram h = sum.histogram();
    assertThat(h.zeroCount()).isEqualTo(merged.zeroCount());
    assertThat(h.positiveSpans()).isEqualTo(merged.positiveSpans());
    assertThat(h.positiveCountsInSpanOrder()).isEqualTo(merged.positiveCountsInSpanOrder());
  }

  @Test
  void emptySumHasNoQuantile() {
    HistogramSum s = new HistogramSum(7);
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.quantile(0.5)).isNaN();
    assertThat(s.apdex(0.5)).isEqualTo(1.0);
  }

  @Test
  void otherSchemasAreMergedAside() {
    HistogramSum s = new HistogramSum(7);
    Histogram coarse = Histogram.builder(3).observe(1.0).observe(2.0).build();
    s.add(coarse);
    s.add(random(new Random(1), 10, 0.5, 0.3, false));
    assertThat(s.count()).isEqualTo(12);
    assertThat(s.histogram().schema()).isEqualTo(3);
  }
}
