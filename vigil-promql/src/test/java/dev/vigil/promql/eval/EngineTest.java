package dev.vigil.promql.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.promql.Parser;
import dev.vigil.tsdb.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's API over a real store: instant and range queries, errors. */
class EngineTest {
  private static final long NOW = 1_700_000_000_000L;

  @TempDir Path dir;
  private Tsdb tsdb;
  private Engine engine;

  @BeforeEach
  void open() throws Exception {
    tsdb =
        Tsdb.open(
            TsdbOptions.builder(dir)
                .clock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
                .outOfOrderWindow(Duration.ofHours(2))
                .build());
    engine = new Engine(tsdb);
    Appender app = tsdb.appender();
    // A counter rising by 10 every 15 s over the last hour, reset once at the middle.
    for (int i = 0; i < 240; i++) {
      long t = NOW - 3_600_000 + i * 15_000L;
      double v = i < 120 ? 10.0 * i : 10.0 * (i - 119);
      app.add(Labels.of("__name__", "req_total", "job", "a"), t, v);
      app.add(Labels.of("__name__", "req_total", "job", "b"), t, 2 * v);
    }
    app.commit();
  }

  @AfterEach
  void close() throws Exception {
    tsdb.close();
  }

  @Test
  void rateOverARangeIsTheSlopeAtEveryStepResetIncluded() throws Exception {
    Result r =
        engine.range(
            Parser.parse("sum by (job) (rate(req_total[1m]))"),
            NOW - 1_800_000,
            NOW - 60_000,
            60_000);
    Value.Matrix m = (Value.Matrix) r.value();
    assertThat(m.series()).hasSize(2);
    assertThat(m.series().get(0).labels()).isEqualTo(Labels.of("job", "a"));
    assertThat(m.series().get(0).points()).hasSize(30);
    for (Value.Point p : m.series().get(0).points()) {
      assertThat(p.value()).isCloseTo(10.0 / 15, org.assertj.core.data.Offset.offset(1e-9));
    }
    for (Value.Point p : m.series().get(1).points()) {
      assertThat(p.value()).isCloseTo(20.0 / 15, org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void instantQueryUsesTheLookbackAndKeepsTheName() throws Exception {
    Result r = engine.instant(Parser.parse("req_total{job=\"a\"}"), NOW + 284_000);
    Value.Vector v = (Value.Vector) r.value();
    assertThat(v.samples()).hasSize(1);
    assertThat(v.samples().get(0).labels().get("__name__")).isEqualTo("req_total");
    assertThat(v.samples().get(0).value()).isEqualTo(1200.0);
    // 5 minutes after the last sample it is gone (the lookback is left-open).
    long last = NOW - 3_600_000 + 239 * 15_000L;
    assertThat(
            ((Value.Vector) engine.instant(Parser.parse("req_total"), last + 300_000).value())
                .samples())
        .isEmpty();
  }

  @Test
  void sameLabelsAfterDroppingTheNameIsAnError() throws Exception {
    Appender app = tsdb.appender();
    app.add(Labels.of("__name__", "other_total", "job", "a"), NOW - 10_000, 1);
    app.commit();
    assertThatThrownBy(() -> engine.instant(Parser.parse("{job=\"a\"} * 2"), NOW))
        .isInstanceOf(EvalException.class)
        .hasMessage("vector cannot contain metrics with the same labelset");
  }

  @Test
  void rangeQueryOfARangeVectorIsRejected() {
    assertThatThrownBy(() -> engine.range(Parser.parse("req_total[5m]"), NOW - 60_000, NOW, 10_000))
        .isInstanceOf(EvalException.class)
        .hasMessageContaining("for range query, must be Scalar or instant Vector");
  }

  @Test
  void rateOfAGaugeNameGivesAnInfo() throws Exception {
    Appender app = tsdb.appender();
    app.add(Labels.of("__name__", "temperature"), NOW - 20_000, 1);
    app.add(Labels.of("__name__", "temperature"), NOW - 10_000, 2);
    app.commit();
    Result r = engine.instant(Parser.parse("rate(temperature[1m])"), NOW);
    assertThat(r.infos()).singleElement().asString().contains("might not be a counter");
    assertThat(List.of(r.value())).isNotEmpty();
  }
}
