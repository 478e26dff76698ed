package dev.vigil.client.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.StringWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextSyntaxTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "-3, -3",
    "1000000, 1000000",
    "9007199254740992, 9007199254740992",
    "0.5, 0.5",
    "0.005, 0.005",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "1.5e-7, 1.5e-07",
    "123456.5, 123456.5",
    "1234567.5, 1.2345675e+06",
    "1e20, 1e+20",
    "-0.25, -0.25",
    "13.870000000000001, 13.870000000000001",
  })
  void numbersLookLikePrometheus(double value, String expected) {
    assertThat(TextSyntax.number(value)).isEqualTo(expected);
  }

  @Test
  void specialValues() {
    assertThat(TextSyntax.number(Double.NaN)).isEqualTo("NaN");
    assertThat(TextSyntax.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(TextSyntax.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @ParameterizedTest
  @CsvSource({
    "0.005, 0.005, 0.005",
    "1, 1, 1.0",
    "10, 10, 10.0",
    "2.5, 2.5, 2.5",
    "100000, 100000, 100000.0",
    "1000000, 1e+06, 1e+06",
    "0.0001, 0.0001, 0.0001",
    "0.00001, 1e-05, 1e-05",
    "1e-10, 1e-10, 1e-10",
  })
  void bucketBoundsFollowGoAndOpenMetricsCanonicalForm(double v, String go, String canonical) {
    assertThat(TextSyntax.goFloat(v)).isEqualTo(go);
    assertThat(TextSyntax.canonicalFloat(v)).isEqualTo(canonical);
  }

  @Property
  void goFloatReadsBackExactly(@ForAll double v) {
    String s = TextSyntax.goFloat(v);
    double back =
        s.equals("+Inf")
            ? Double.POSITIVE_INFINITY
            : s.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
    assertThat(back).isEqualTo(v);
  }

  @Test
  void escapesLabelValues() throws IOException {
    StringWriter out = new StringWriter();
    TextSyntax.writeLabels(
        out, Labels.of("a", "back\\slash \"quoted\"\nline", "b", "plain"), "le", "1");
    assertThat(out).hasToString("{a=\"back\\\\slash \\\"quoted\\\"\\nline\",b=\"plain\",le=\"1\"}");
  }

  @Test
  void helpEscapesQuotesOnlyWhenAsked() throws IOException {
    StringWriter text = new StringWriter();
    TextSyntax.writeEscaped(text, "a \"b\" \\ c\nd", false);
    assertThat(text).hasToString("a \"b\" \\\\ c\\nd");
    StringWriter om = new StringWriter();
    TextSyntax.writeEscaped(om, "a \"b\" \\ c\nd", true);
    assertThat(om).hasToString("a \\\"b\\\" \\\\ c\\nd");
  }

  @Test
  void writesNoBracesWithoutLabels() throws IOException {
    StringWriter out = new StringWriter();
    TextSyntax.writeSample(out, "up", Labels.empty(), null, null, 1);
    assertThat(out).hasToString("up 1\n");
  }
}
