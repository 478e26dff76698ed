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
    double[] qs = {1, 0.999, 0.99, 0.95, 0.9, 0.75, 0.5};
    double[] upper = new double[qs.length];
    sum.upperQuantiles(qs, upper);
    for (int j = 0; j < qs.length; j++) {
      assertThat(upper[j]).as("one pass, q=" + qs[j]).isEqualTo(merged.quantile(qs[j]));
    }
    for (double t : new double[] {0.5, 0.1, 0.0123, 1.0 / 3, 2.0, 1e-6, 1e6}) {
      assertThat(sum.apdex(t)).as("t=" + t).isEqualTo(Apdex.score(merged, t));
    }
    Histogram h = sum.histogram();
    assertThat(h.zeroCount()).isEqualTo(merged.zeroCount());
    assertThat(h.positiveSpans()).isEqualTo(merged.positiveSpans());
    assertThat(h.positiveCountsInSpanOrder()).isEqualTo(merged.positiveCountsInSpanOrder());
  }

  @RepeatedTest(10)
  void denseAndSparseAdditionsIntoAReusedSumMatchTheModel(
      org.junit.jupiter.api.RepetitionInfo info) {
    Random r = new Random(100 + info.getCurrentRepetition());
    HistogramSum sum = new HistogramSum(7);
    for (int round = 0; round < 3; round++) { // the same sum, reset between rounds
      sum.reset();
      Histogram merged = null;
      for (int i = 0; i < 1 + r.nextInt(20); i++) {
        Histogram h =
            random(r, 1 + r.nextInt(40), 0.001 + r.nextDouble() * 3, 0.1 + r.nextDouble(), true);
        int n = h.positiveBucketCount();
        double[] c = new double[n + 3];
        int[] idx = new int[n + 5];
        for (int j = 0; j < n; j++) {
          c[j + 3] = h.positiveCount(j);
          idx[j + 5] = h.positiveIndex(j);
        }
        if (i % 2 == 0) {
          sum.addSparse(idx, 5, c, 3, n); // whole counts, as the sum assumes unless told
        } else if (n > 0) {
          int first = h.positiveIndex(0);
          double[] dense = new double[h.positiveIndex(n - 1) - first + 1];
          for (int j = 0; j < n; j++) {
            dense[h.positiveIndex(j) - first] = h.positiveCount(j);
          }
          sum.addDense(first, dense, 0, dense.length);
        }
        sum.addTotals(h.zeroCount(), h.count(), h.sum());
        merged = merged == null ? h : merged.merge(h);
      }
      assertThat(sum.count()).isEqualTo(merged.count());
      for (double q : new double[] {0.1, 0.5, 0.9, 0.99}) {
        assertThat(sum.quantile(q)).as("q=" + q).isEqualTo(merged.quantile(q));
      }
      assertThat(sum.apdex(0.05)).isEqualTo(Apdex.score(merged, 0.05));
      assertThat(sum.histogram().positiveSpans()).isEqualTo(merged.positiveSpans());
    }
  }

  static Histogram fractional(Random r) {
    HistogramBuilder b = Histogram.builder(7).zeroThreshold(0.0);
    int n = 1 + r.nextInt(30);
    double total = 0;
    for (int j = 0; j < n; j++) {
      double c = 0.25 + r.nextInt(1000) / 7.0;
      b.addPositive(-700 + r.nextInt(300), c);
      total += c;
    }
    return b.count(total).sum(1).build();
  }

  /** Fractional and negative counts (rates, differences) take the one-by-one scans. */
  @RepeatedTest(30)
  void fractionalAndNegativeCountsMatchTheModel(org.junit.jupiter.api.RepetitionInfo info) {
    Random r = new Random(200 + info.getCurrentRepetition());
    HistogramSum sum = new HistogramSum(7);
    Histogram merged = null;
    for (int i = 0; i < 2 + r.nextInt(10); i++) {
      Histogram h = fractional(r);
      if (r.nextInt(3) == 0) {
        h = h.subtract(fractional(r)); // a difference: some counts negative
      }
      sum.add(h);
      merged = merged == null ? h : merged.merge(h);
    }
    double[] qs = {0.999, 0.99, 0.95, 0.9, 0.5};
    double[] out = new double[qs.length];
    sum.upperQuantiles(qs, out);
    for (int j = 0; j < qs.length; j++) {
      assertThat(out[j]).as("q=" + qs[j]).isEqualTo(merged.quantile(qs[j]));
    }
    for (double q : new double[] {0, 0.1, 0.25, 0.49}) {
      assertThat(sum.quantile(q)).as("q=" + q).isEqualTo(merged.quantile(q));
    }
    assertThat(sum.apdex(0.01)).isEqualTo(Apdex.score(merged, 0.01));
  }

  @Test
  void apdexBucketRangesFollowTheBounds() {
    for (int schema : new int[] {0, 3, 7, 8}) {
      for (int k = -1000; k <= 1000; k += 7) {
        double bound = Histogram.upperBound(k, schema); // normal numbers at these schemas
        for (double t : new double[] {bound, Math.nextUp(bound), Math.nextDown(bound)}) {
          int last = Apdex.lastIndexAtMost(t, schema);
          assertThat(Histogram.upperBound(last, schema))
              .as(t + " " + schema)
              .isLessThanOrEqualTo(t);
          assertThat(Histogram.upperBound(last + 1, schema)).as(t + " " + schema).isGreaterThan(t);
        }
      }
    }
    assertThat(Apdex.lastIndexAtMost(0.5, 7)).isEqualTo(-128); // 2^-1 is a bound at schema 7
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
