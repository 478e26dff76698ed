package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Token streams as Prometheus' lexer produces them (cases after its lex_test.go). */
class LexerTest {

  private static String tokens(String query) {
    List<Token> tokens = Lexer.tokenize(query);
    return tokens.stream()
        .map(t -> t.type() + (t.type().text == null ? "(" + t.text() + ")" : ""))
        .collect(Collectors.joining(" "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          1_000 0x_1F .5 5. 5e-3 Inf nan  | NUMBER(1_000) NUMBER(0x_1F) NUMBER(.5) NUMBER(5.) NUMBER(5e-3) NUMBER(Inf) NUMBER(nan) EOF()
          5m 1h30m 10s53ms 2y               | DURATION(5m) DURATION(1h30m) DURATION(10s53ms) DURATION(2y) EOF()
          foo:bar sum BY Offset bool        | METRIC_IDENTIFIER(foo:bar) AGGREGATOR(sum) BY OFFSET BOOL EOF()
          fill(x) + fill                    | FILL LEFT_PAREN IDENTIFIER(x) RIGHT_PAREN ADD IDENTIFIER(fill) EOF()
          a{by="x",on!~'y'}                 | IDENTIFIER(a) LEFT_BRACE IDENTIFIER(by) EQL STRING("x") COMMA IDENTIFIER(on) NEQ_REGEX STRING('y') RIGHT_BRACE EOF()
          x[5m:1m] @ start()                | IDENTIFIER(x) LEFT_BRACKET DURATION(5m) COLON DURATION(1m) RIGHT_BRACKET AT START LEFT_PAREN RIGHT_PAREN EOF()
          x[ 300 ]                          | IDENTIFIER(x) LEFT_BRACKET NUMBER(300) RIGHT_BRACKET EOF()
          == != <= < >= > </ >/ ^ % atan2   | EQLC NEQ LTE LSS GTE GTR TRIM_UPPER TRIM_LOWER POW MOD ATAN2 EOF()
          a # comment ) ] }                 | IDENTIFIER(a) EOF()
          `raw \\q`                          | STRING(`raw \\q`) EOF()
          foo)                              | IDENTIFIER(foo) ERROR(unexpected right parenthesis ')')
          """)
  void tokenizesLikePrometheus(String query, String expected) {
    assertThat(tokens(query.replace("\\\\", "\\"))).isEqualTo(expected.replace("\\\\", "\\"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          foo        | identifier "foo"
          foo:bar    | metric identifier "foo:bar"
          1.5        | number "1.5"
          12345678901 | number "1234567890"...
          5m         | duration "5m"
          "ab"       | string "\\"ab\\""
          +          | <op:+>
          and        | <op:and>
          SUM        | <aggr:SUM>
          by         | <by>
          (          | "("
          start      | "start"
          """)
  void describesTokensInPrometheusWords(String query, String description) {
    Token t = Lexer.tokenize(query).get(0);
    assertThat(t.describe()).isEqualTo(description.replace("\\\\", "\\"));
  }
}
