package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhSummaryTest {

  private static final List<String> CSV =
      List.of(
          "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
              + "\"Unit\",\"Param: library\",\"Param: mode\"",
          "\"dev.vigil.bench.RecordBenchmark.oneThreadOneEndpoint\",\"avgt\",1,3,20.000000,"
              + "1.500000,\"ns/op\",vigil,bound",
          "\"dev.vigil.bench.RecordBenchmark.oneThreadOneEndpoint:gc.alloc.rate.norm\",\"avgt\","
              + "1,3,0.000010,0.000001,\"B/op\",vigil,bound",
          "\"dev.vigil.bench.RecordBenchmark.oneThreadOneEndpoint\",\"avgt\",1,3,50.000000,"
              + "NaN,\"ns/op\",hdr,bound",
          "\"dev.vigil.bench.RecordBenchmark.oneThreadOneEndpoint:gc.alloc.rate.norm\",\"avgt\","
              + "1,3,24.000000,NaN,\"B/op\",hdr,bound");

  @Test
  void parsesPrimaryAndSecondaryRows() {
    List<JmhSummary.Row> rows = JmhSummary.parse(CSV);

    assertThat(rows).hasSize(4);
    assertThat(rows.get(0))
        .isEqualTo(
            new JmhSummary.Row(
                "oneThreadOneEndpoint", null, 1, "vigil", "bound", 20.0, 1.5, "ns/op"));
    assertThat(rows.get(1).metric()).isEqualTo("gc.alloc.rate.norm");
    assertThat(rows.get(2).error()).isNaN();
  }

  @Test
  void tabulatesRatioToVigilInTheSameMode() {
    String table = JmhSummary.summarise(JmhSummary.parse(CSV));

    assertThat(table).contains("oneThreadOneEndpoint (1 thread)");
    assertThat(table).containsPattern("hdr\\s+bound\\s+50\\.0\\s+NaN\\s+24\\.0\\s+2\\.50");
    assertThat(table).containsPattern("vigil\\s+bound\\s+20\\.0\\s+1\\.50\\s+0\\.00\\s+1\\.00");
  }

  @Test
  void splitsQuotedFields() {
    assertThat(JmhSummary.fields("\"a,b\",1,\"say \"\"hi\"\"\""))
        .containsExactly("a,b", "1", "say \"hi\"");
  }
}
