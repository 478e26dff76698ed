package dev.vigil.tsdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark's queries select what its comment says, by every route it measures. */
class PostingsBenchmarkTest {

  @ParameterizedTest
  @CsvSource({"cpuIdle, 3200", "oneHostCpu, 64", "apiErrors, 4800"})
  void queriesSelectTheDocumentedSeries(String query, int expected) {
    PostingsBenchmark b = new PostingsBenchmark();
    b.query = query;
    b.setUp();

    long[] selected = b.select();

    assertThat(selected).hasSize(expected).isSorted();
    assertThat(b.intersectAll()).isEqualTo(selected);
    if (query.equals("apiErrors")) {
      assertThat(b.intersectTwo()).hasSize(38_400);
    } else {
      assertThat(b.intersectTwo()).isEqualTo(selected);
    }
  }
}
