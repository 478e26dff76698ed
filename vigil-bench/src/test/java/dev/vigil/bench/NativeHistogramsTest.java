package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Histogram;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import org.junit.jupiter.api.Test;

class NativeHistogramsTest {

  @Test
  void keepsClientJavaBucketIndexesCountsAndSum() {
    var histogram = PeerMeters.prometheusHistogram(false);
    var point = histogram.labelValues("GET", "/a", "200");
    for (int i = 0; i < 5; i++) {
      point.observe(1.0); // bucket 0 at any schema: its upper bound is 1, inclusive
      point.observe(2.0); // bucket 2^schema
    }
    HistogramDataPointSnapshot snapshot = histogram.collect().getDataPoints().get(0);

    Histogram converted = NativeHistograms.toVigil(snapshot);

    int schema = snapshot.getNativeSchema();
    assertThat(converted.schema()).isEqualTo(schema);
    assertThat(converted.count()).isEqualTo(10.0);
    assertThat(converted.sum()).isEqualTo(15.0);
    assertThat(converted.positiveBucketCount()).isEqualTo(2);
    assertThat(converted.positiveIndex(0)).isEqualTo(0);
    assertThat(converted.positiveCount(0)).isEqualTo(5.0);
    assertThat(converted.positiveIndex(1)).isEqualTo(1 << schema);
    assertThat(converted.positiveCount(1)).isEqualTo(5.0);
  }
}
