package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations, numbers and strings read and written as Prometheus does. */
class LiteralsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0s, 0",
    "1ms, 1",
    "1m30s, 90000",
    "1h, 3600000",
    "90d, 7776000000",
    "2w, 1209600000",
    "1y, 31536000000",
    "366d, 31622400000",
    "10s53ms, 10053"
  })
  void formatsDurationsAsPrometheus(String text, long millis) {
    assertThat(Durations.format(millis)).isEqualTo(text);
    assertThat(Durations.parseMillis(text)).isEqualTo(millis);
  }

  @Test
  void yearsAndWeeksPrintOnlyWhenExact() {
    assertThat(Durations.parseMillis("1y1d")).isEqualTo(Durations.parseMillis("366d"));
    assertThat(Durations.format(Durations.parseMillis("1w1d"))).isEqualTo("8d");
  }

  @Test
  void rejectsBadDurations() {
    assertThatThrownBy(() -> Durations.parseMillis("1m1h"))
        .hasMessage("not a valid duration string: \"1m1h\"");
    assertThatThrownBy(() -> Durations.parseMillis("1.5m"))
        .hasMessage("not a valid duration string: \"1.5m\"");
    assertThatThrownBy(() -> Durations.parseMillis("300y")).hasMessage("duration out of range");
    assertThatThrownBy(() -> Durations.format(-1)).hasMessage("negative duration: -1 ms");
  }

  @Property
  void durationsRoundTrip(@ForAll @LongRange(min = 0, max = Durations.MAX_MILLIS) long millis) {
    assertThat(Durations.parseMillis(Durations.format(millis))).isEqualTo(millis);
  }

  @Property
  void stringsRoundTrip(@ForAll String s) {
    // Lone surrogates cannot be written in UTF-8 and never come out of the lexer.
    String valid = s.chars().anyMatch(c -> Character.isSurrogate((char) c)) ? "x" : s;
    String quoted = GoStrings.quote(valid);
    assertThat(Lexer.tokenize(quoted).get(0).type()).isEqualTo(TokenType.STRING);
    assertThat(GoStrings.unquote(quoted)).isEqualTo(valid);
  }

  @Property
  void numbersRoundTrip(@ForAll double d) {
    assertThat(GoNumbers.parse(Printer.formatNumber(Math.abs(d)))).isEqualTo(Math.abs(d));
  }

  @Test
  void readsNumbersAsGoParseIntThenParseFloat() {
    assertThat(GoNumbers.parse("0755")).isEqualTo(493);
    assertThat(GoNumbers.parse("089")).isEqualTo(89);
    assertThat(GoNumbers.parse("0x_1F")).isEqualTo(31);
    assertThat(GoNumbers.parse("1_000.5")).isEqualTo(1000.5);
    assertThat(GoNumbers.parse("Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(GoNumbers.parse("1e-400")).isEqualTo(0.0);
    assertThatThrownBy(() -> GoNumbers.parse("1__0"))
        .hasMessage("strconv.ParseFloat: parsing \"1__0\": invalid syntax");
    assertThatThrownBy(() -> GoNumbers.parse("0xffffffffffffffffff"))
        .hasMessage("strconv.ParseFloat: parsing \"0xffffffffffffffffff\": invalid syntax");
  }

  @Test
  void unquotesGoEscapes() {
    assertThat(GoStrings.unquote("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\""))
        .isEqualTo("\u0007\b\f\n\r\t\u000b\\\"");
    assertThat(GoStrings.unquote("'\\''")).isEqualTo("'");
    assertThat(GoStrings.unquote("\"\\303\\244\\xc3\\xa4\\u00e4\\U000000e4\"")).isEqualTo("ääää");
    assertThat(GoStrings.quote("ä\u0001\u007f\u00ad")).isEqualTo("\"ä\\x01\\x7f\\u00ad\"");
  }
}
