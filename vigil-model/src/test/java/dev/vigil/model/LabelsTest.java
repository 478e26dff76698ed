package dev.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsPairsByName() {
    Labels labels = Labels.of("zone", "eu", "job", "api", "__name__", "http_requests_total");

    assertThat(labels.size()).isEqualTo(3);
    assertThat(labels.name(0)).isEqualTo("__name__");
    assertThat(labels.name(1)).isEqualTo("job");
    assertThat(labels.name(2)).isEqualTo("zone");
    assertThat(labels.value(2)).isEqualTo("eu");
  }

  @Test
  void getsValuesByNameAndNullWhenAbsent() {
    Labels labels = Labels.of("job", "api", "env", "prod");

    assertThat(labels.get("env")).isEqualTo("prod");
    assertThat(labels.get("job")).isEqualTo("api");
    assertThat(labels.get("zone")).isNull();
  }

  @Test
  void dropsLabelsWithEmptyValues() {
    assertThat(Labels.of("job", "api", "env", "")).isEqualTo(Labels.of("job", "api"));
    assertThat(Labels.of("env", "")).isSameAs(Labels.empty());
    assertThat(Labels.builder().put("a", "1").put("b", "").build()).isEqualTo(Labels.of("a", "1"));
  }

  @Test
  void builderReplacesAndRemovesByEmptyValue() {
    Labels labels = Labels.builder().put("b", "2").put("a", "1").put("b", "3").build();
    assertThat(labels).isEqualTo(Labels.of("a", "1", "b", "3"));

    Labels removed = Labels.builder().put("a", "1").put("a", "").build();
    assertThat(removed).isEqualTo(Labels.empty());
  }

  @Test
  void withReplacesInsertsAndRemoves() {
    Labels labels = Labels.of("b", "2", "d", "4");

    assertThat(labels.with("c", "3")).isEqualTo(Labels.of("b", "2", "c", "3", "d", "4"));
    assertThat(labels.with("a", "1").name(0)).isEqualTo("a");
    assertThat(labels.with("e", "5").name(2)).isEqualTo("e");
    assertThat(labels.with("b", "9")).isEqualTo(Labels.of("b", "9", "d", "4"));
    assertThat(labels.with("b", "2")).isSameAs(labels);
    assertThat(labels.with("b", "")).isEqualTo(Labels.of("d", "4"));
    assertThat(labels.without("d")).isEqualTo(Labels.of("b", "2"));
    assertThat(labels.without("x")).isSameAs(labels);
    assertThat(labels).isEqualTo(Labels.of("b", "2", "d", "4"));
  }

  @Test
  void rejectsInvalidLabelNameWithTheNameInTheMessage() {
    assertThatThrownBy(() -> Labels.of("1abc", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid label name: \"1abc\"");
    assertThatThrownBy(() -> Labels.builder().put("a-b", "x"))
        .hasMessage("invalid label name: \"a-b\"");
    assertThatThrownBy(() -> Labels.of("", "x")).hasMessage("invalid label name: \"\"");
    assertThatThrownBy(() -> Labels.empty().with("a:b", "x"))
        .hasMessage("invalid label name: \"a:b\"");
  }

  @Test
  void rejectsInvalidMetricNameValue() {
    assertThatThrownBy(() -> Labels.of("__name__", "1xx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid metric name: \"1xx\"");
    assertThat(Labels.of("__name__", "job:http_requests:rate5m").get("__name__"))
        .isEqualTo("job:http_requests:rate5m");
  }

  @Test
  void rejectsDuplicateNamesAndOddArgumentCount() {
    assertThatThrownBy(() -> Labels.of("a", "1", "a", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate label name: \"a\"");
    assertThatThrownBy(() -> Labels.of("a", "1", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3");
  }

  @Test
  void rejectsNullNamesAndValues() {
    assertThatThrownBy(() -> Labels.of("a", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Labels.of(null, "1")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void validatesNamesByPrometheusRules() {
    assertThat(Labels.isValidLabelName("_a9")).isTrue();
    assertThat(Labels.isValidLabelName("__name__")).isTrue();
    assertThat(Labels.isValidLabelName("9a")).isFalse();
    assertThat(Labels.isValidLabelName("a:b")).isFalse();
    assertThat(Labels.isValidLabelName("é")).isFalse();
    assertThat(Labels.isValidLabelName(null)).isFalse();
    assertThat(Labels.isValidMetricName(":a:b_9")).isTrue();
    assertThat(Labels.isValidMetricName("a.b")).isFalse();
    assertThat(Labels.isValidMetricName("")).isFalse();
  }

  @Test
  void equalLabelsAreEqualWhateverTheInputOrder() {
    Labels a = Labels.of("a", "1", "b", "2");
    Labels b = Labels.builder().put("b", "2").put("a", "1").build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Labels.of("a", "1", "b", "3"));
    assertThat(a).isNotEqualTo(Labels.of("a", "1"));
  }

  @Test
  void ordersByPairsThenByLength() {
    List<Labels> sorted =
        new ArrayList<>(
            List.of(
                Labels.of("b", "1"),
                Labels.of("a", "2"),
                Labels.of("a", "1", "b", "1"),
                Labels.of("a", "1"),
                Labels.empty()));
    sorted.sort(null);

    assertThat(sorted)
        .containsExactly(
            Labels.empty(),
            Labels.of("a", "1"),
            Labels.of("a", "1", "b", "1"),
            Labels.of("a", "2"),
            Labels.of("b", "1"));
    assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "1"))).isZero();
  }

  @Test
  void ordersValuesByCodePointLikePrometheusUtf8Bytes() {
    // U+1F600 is encoded with surrogates (0xD83D...), which String.compareTo puts below U+FF5E.
    Labels emoji = Labels.of("a", "\uD83D\uDE00");
    Labels fullwidth = Labels.of("a", "\uFF5E");

    assertThat(emoji.compareTo(fullwidth)).isPositive();
    assertThat(fullwidth.compareTo(emoji)).isNegative();
  }

  @Test
  void printsInPrometheusStyleWithEscapes() {
    assertThat(Labels.of("b", "2", "a", "1")).hasToString("{a=\"1\", b=\"2\"}");
    assertThat(Labels.of("a", "x\"y\\z\nw")).hasToString("{a=\"x\\\"y\\\\z\\nw\"}");
    assertThat(Labels.empty()).hasToString("{}");
  }

  @Test
  void forEachVisitsPairsInNameOrder() {
    StringBuilder sb = new StringBuilder();
    Labels.of("b", "2", "a", "1").forEach((n, v) -> sb.append(n).append(v));

    assertThat(sb).hasToString("a1b2");
  }

  @Test
  void labelSetsBuiltSeparatelyShareTheirStrings() {
    // Built from distinct String instances, as a decoder builds each series' labels.
    Labels a = Labels.of(new String("job"), new String("api"), new String("instance"), "h1");
    Labels b =
        Labels.builder().put(new String("job"), new String("api")).put("instance", "h2").build();
    Labels c = b.with(new String("mode"), new String("idle"));
    Labels d = Labels.of("mode", "idle");

    assertThat(a.name(1)).isSameAs(b.name(1)).isSameAs(c.name(1));
    assertThat(a.value(1)).isSameAs(b.value(1)).isSameAs(c.value(1));
    assertThat(c.name(2)).isSameAs(d.name(0));
    assertThat(c.value(2)).isSameAs(d.value(0));
    assertThat(a).isEqualTo(Labels.of("instance", "h1", "job", "api"));
  }
}
