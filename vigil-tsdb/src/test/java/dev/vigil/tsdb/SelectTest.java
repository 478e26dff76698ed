package dev.vigil.tsdb;

import static dev.vigil.tsdb.TestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matchers through the querier, with Prometheus' semantics. */
class SelectTest {
  private static final Labels API_PROD = Labels.of("__name__", "http", "job", "api", "env", "prod");
  private static final Labels API_DEV = Labels.of("__name__", "http", "job", "api", "env", "dev");
  private static final Labels WEB = Labels.of("__name__", "http", "job", "web");
  private static final Labels CPU = Labels.of("__name__", "cpu", "job", "api", "env", "prod");
  private static final Labels NEWLINE =
      Labels.of("__name__", "http", "job", "api2", "env", "prod", "path", "a\nb");
  private static final Labels OLD = Labels.of("__name__", "http", "job", "old");

  @TempDir Path dir;
  private Tsdb tsdb;
  private Querier querier;

  @BeforeEach
  void write() throws IOException {
    tsdb = Tsdb.open(TsdbOptions.builder(dir).clock(new MutableClock(T0)).build());
    Appender a = tsdb.appender();
    for (Labels l : List.of(API_PROD, API_DEV, WEB, CPU, NEWLINE)) {
      a.add(l, T0, 1);
    }
    a.add(OLD, T0 - 600_000, 1);
    a.commit();
    querier = tsdb.querier(T0 - 1000, T0 + 1000);
  }

  @AfterEach
  void close() throws IOException {
    querier.close();
    tsdb.close();
  }

  private List<Labels> select(Matcher... matchers) {
    return querier.select(matchers).stream().map(Series::labels).toList();
  }

  @Test
  void equalAndNotEqual() {
    assertThat(select(Matcher.equal("job", "api"))).containsExactly(CPU, API_DEV, API_PROD);
    assertThat(select(Matcher.equal("__name__", "http"), Matcher.notEqual("job", "api")))
        .containsExactly(NEWLINE, WEB);
  }

  @Test
  void notEqualMatchesSeriesWithoutTheLabel() {
    assertThat(select(Matcher.notEqual("env", "prod"))).containsExactly(API_DEV, WEB);
  }

  @Test
  void equalToEmptyMatchesOnlySeriesWithoutTheLabel() {
    assertThat(select(Matcher.equal("env", ""))).containsExactly(WEB);
    assertThat(select(Matcher.equal("nosuchlabel", ""))).hasSize(5);
    assertThat(select(Matcher.notEqual("env", "")))
        .containsExactly(CPU, API_DEV, API_PROD, NEWLINE);
  }

  @Test
  void regexesAreFullyAnchored() {
    assertThat(select(Matcher.regex("env", "pro"))).isEmpty();
    assertThat(select(Matcher.regex("env", "pro.*"))).containsExactly(CPU, API_PROD, NEWLINE);
    assertThat(select(Matcher.regex("job", "api|web")))
        .containsExactly(CPU, API_DEV, API_PROD, WEB);
  }

  @Test
  void regexesThatMatchEmptyAlsoMatchAbsentLabels() {
    assertThat(select(Matcher.regex("env", "dev|"))).containsExactly(API_DEV, WEB);
    assertThat(select(Matcher.regex("env", ".*"))).hasSize(5);
    assertThat(select(Matcher.regex("env", ".+"))).hasSize(4);
  }

  @Test
  void negativeRegexes() {
    assertThat(select(Matcher.notRegex("env", "p.*"))).containsExactly(API_DEV, WEB);
    assertThat(select(Matcher.notRegex("env", ".*"))).isEmpty();
    assertThat(select(Matcher.notRegex("env", "")))
        .containsExactly(CPU, API_DEV, API_PROD, NEWLINE);
  }

  @Test
  void dotMatchesNewlines() {
    assertThat(select(Matcher.regex("path", "a.b"))).containsExactly(NEWLINE);
  }

  @Test
  void noMatchersSelectsEverySeriesInRangeSortedByLabels() {
    assertThat(select()).containsExactly(CPU, API_DEV, API_PROD, NEWLINE, WEB);
  }

  @Test
  void seriesWithoutSamplesInRangeAreLeftOut() {
    assertThat(select(Matcher.equal("job", "old"))).isEmpty();
    try (Querier wide = tsdb.querier(T0 - 600_000, T0 - 600_000)) {
      assertThat(wide.select()).extracting(Series::labels).containsExactly(OLD);
    }
  }

  @Test
  void labelNamesAndValues() {
    assertThat(querier.labelNames()).containsExactly("__name__", "env", "job", "path");
    assertThat(querier.labelNames(Matcher.equal("job", "web"))).containsExactly("__name__", "job");
    assertThat(querier.labelValues("env")).containsExactly("dev", "prod");
    assertThat(querier.labelValues("job")).containsExactly("api", "api2", "web");
    assertThat(querier.labelValues("env", Matcher.equal("__name__", "cpu")))
        .containsExactly("prod");
    assertThat(querier.labelValues("nosuchlabel")).isEmpty();
  }

  @Test
  void matcherValues() {
    assertThat(Matcher.equal("a", "").matches(null)).isTrue();
    assertThat(Matcher.notEqual("a", "x").matches(null)).isTrue();
    assertThat(Matcher.regex("a", "x|").matches(null)).isTrue();
    assertThat(Matcher.notRegex("a", "x").matches("xx")).isTrue();
    assertThat(Matcher.regex("a", "x+").matches("xx")).isTrue();
    assertThat(Matcher.regex("a", "b\"c").toString()).isEqualTo("a=~\"b\\\"c\"");
    assertThat(Matcher.of(Matcher.Type.NOT_EQUAL, "a", "b")).isEqualTo(Matcher.notEqual("a", "b"));
    assertThatThrownBy(() -> Matcher.regex("a", "(")).isInstanceOf(PatternSyntaxException.class);
  }

  @Test
  void aClosedQuerierRefusesToRead() {
    querier.close();
    assertThatThrownBy(() -> querier.select()).isInstanceOf(IllegalStateException.class);
  }
}
