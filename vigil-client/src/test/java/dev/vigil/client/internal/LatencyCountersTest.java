package dev.vigil.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LatencyCountersTest {

  @Property(tries = 5000)
  void bucketIndexAgreesWithTheModel(
      @ForAll @LongRange(min = 1, max = 86_400_000_000_000L) long nanos) {
    double seconds = nanos * 1e-9;
    assertThat(LatencyCounters.bucketIndex(seconds))
        .isEqualTo(Histogram.bucketIndex(seconds, LatencyCounters.SCHEMA));
  }

  @Test
  void bucketIndexAgreesWithTheModelOnEveryBoundAndItsNeighbours() {
    for (int index = -3839; index <= 2176; index++) {
      double bound = Histogram.upperBound(index, LatencyCounters.SCHEMA);
      for (double v : new double[] {bound, Math.nextUp(bound), Math.nextDown(bound)}) {
        assertThat(LatencyCounters.bucketIndex(v))
            .as("value %s near bound of %d", v, index)
            .isEqualTo(Histogram.bucketIndex(v, LatencyCounters.SCHEMA));
      }
    }
  }

  @Test
  void pagesAreAllocatedOnlyForTheRangeSeen() {
    LatencyCounters c = new LatencyCounters();
    assertThat(c.pageCount()).isZero();
    c.record(1_000_000);
    c.record(1_000_001);
    assertThat(c.pageCount()).isEqualTo(1);
    Histogram h = c.toHistogram(0.002000001);
    assertThat(h.count()).isEqualTo(2.0);
    assertThat(h.schema()).isEqualTo(LatencyCounters.SCHEMA);
  }
}
