package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parse errors carry Prometheus' position and wording. Cases written after Prometheus' {@code
 * promql/parser/parse_test.go}; the query and the full expected message are separated by {@code |},
 * and {@code \n} in a query is a newline.
 */
class ParserErrorTest {

  private static ParseException parseError(String query, Parser.Options options) {
    ParseException e =
        catchThrowableOfType(ParseException.class, () -> Parser.parse(query, options));
    assertThat(e).as("parse error for %s", query).isNotNull();
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          # just a comment\\n\\n     | 1:1: parse error: no expression found in input
          1+                       | 1:3: parse error: unexpected end of input
          .                        | 1:1: parse error: unexpected character: '.'
          2.5.                     | 1:1: parse error: bad number or duration syntax: "2.5."
          100..4                   | 1:1: parse error: bad number or duration syntax: "100.."
          0deadbeef                | 1:1: parse error: bad number or duration syntax: "0de"
          1 /                      | 1:4: parse error: unexpected end of input
          *1                       | 1:1: parse error: unexpected <op:*>
          (1))                     | 1:5: parse error: unexpected right parenthesis ')'
          ((1)                     | 1:5: parse error: unclosed left parenthesis
          (                        | 1:2: parse error: unclosed left parenthesis
          1 and 1                  | 1:1: parse error: set operator "and" not allowed in binary scalar expression
          1 == 1                   | 1:3: parse error: comparisons between scalars must use BOOL modifier
          1 or 1                   | 1:1: parse error: set operator "or" not allowed in binary scalar expression
          1 unless 1               | 1:1: parse error: set operator "unless" not allowed in binary scalar expression
          1 !~ 1                   | 1:3: parse error: unexpected character after '!': '~'
          1 =~ 1                   | 1:3: parse error: unexpected character after '=': '~'
          -"string"                | 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"
          -test[5m]                | 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"
          *test                    | 1:1: parse error: unexpected <op:*>
          1 offset 1d              | 1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery
          foo offset 1s offset 2s  | 1:1: parse error: offset may not be set multiple times
          a - on(b) ignoring(c) d  | 1:11: parse error: unexpected <ignoring>
          foo offset 5m[5m]        | 1:14: parse error: no offset modifiers allowed before range
          foo @ 10 [5m]            | 1:10: parse error: no @ modifiers allowed before range
          foo[5m] @ 100 @ 200      | 1:1: parse error: @ <timestamp> may not be set multiple times
          foo @ start              | 1:12: parse error: unexpected end of input in @, expected timestamp
          foo @ +Inf               | 1:1: parse error: timestamp out of bounds for @ modifier: +Inf
          foo @ NaN                | 1:1: parse error: timestamp out of bounds for @ modifier: NaN
          foo @ 1e20               | 1:1: parse error: timestamp out of bounds for @ modifier: 100000000000000000000.000000
          sum(foo) @ 1             | 1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
          foo{a="b"                | 1:10: parse error: unexpected end of input inside braces
          foo{a!}                  | 1:6: parse error: unexpected character after '!' inside braces: '}'
          foo{a=b}                 | 1:7: parse error: unexpected identifier "b" in label matching, expected string
          foo{a}                   | 1:6: parse error: unexpected "}" in label matching, expected label matching operator
          foo{=}                   | 1:5: parse error: unexpected "=" in label matching, expected identifier or "}"
          foo{a="b" c="d"}         | 1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}"
          foo{a:b="c"}             | 1:6: parse error: unexpected character inside braces: ':'
          foo{{                    | 1:5: parse error: unexpected left brace '{'
          {}                       | 1:1: parse error: vector selector must contain at least one non-empty matcher
          {x=""}                   | 1:1: parse error: vector selector must contain at least one non-empty matcher
          {x=~".*"}                | 1:1: parse error: vector selector must contain at least one non-empty matcher
          {x!~".+"}                | 1:1: parse error: vector selector must contain at least one non-empty matcher
          {x!="a"}                 | 1:1: parse error: vector selector must contain at least one non-empty matcher
          foo{__name__="bar"}      | 1:1: parse error: metric name must not be set twice: "foo" or "bar"
          foo{__name__="bar"}[5m]  | 1:1: parse error: metric name must not be set twice: "foo" or "bar"
          foo{a=~"x(?=y)"}         | 1:5: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`
          foo{a=~"(x)\\\\1"}        | 1:5: parse error: error parsing regexp: invalid escape sequence: `\\1`
          foo{a=~"x*+"}            | 1:5: parse error: error parsing regexp: invalid nested repetition operator: `*+`
          sum by (foo) (x) by (b)  | 1:18: parse error: unexpected <by>
          sum by a (x)             | 1:8: parse error: unexpected identifier "a" in grouping opts, expected "("
          sum by (a b) (x)         | 1:11: parse error: unexpected identifier "b" in grouping opts, expected "," or ")"
          sum by (1) (x)           | 1:9: parse error: unexpected number "1" in grouping opts, expected label
          sum by (a:b) (x)         | 1:9: parse error: unexpected metric identifier "a:b" in grouping opts, expected label
          sum by (foo) x           | 1:14: parse error: unexpected identifier "x" in aggregation
          sum(x y)                 | 1:7: parse error: unexpected identifier "y" in aggregation
          sum(rate(x[5m] y))       | 1:16: parse error: unexpected identifier "y" in aggregation
          rate(x[5m] y)            | 1:12: parse error: unexpected identifier "y"
          sum(x, y)                | 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2
          topk(x)                  | 1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1
          sum()                    | 1:1: parse error: no arguments for aggregate expression provided
          topk("a", x)             | 1:6: parse error: expected type scalar in aggregation parameter, got string
          count_values(1, x)       | 1:14: parse error: expected type string in aggregation parameter, got scalar
          sum(x[5m])               | 1:5: parse error: expected type instant vector in aggregation expression, got range vector
          limitk(1, x)             | 1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions
          mad_over_time(x[5m])     | 1:1: parse error: function "mad_over_time" is not enabled
          foo()                    | 1:1: parse error: unknown function with name "foo"
          RATE(x[5m])              | 1:1: parse error: unknown function with name "RATE"
          rate(x)                  | 1:6: parse error: expected type range vector in call to function "rate", got instant vector
          rate(x[5m], 1)           | 1:1: parse error: expected 1 argument(s) in call to "rate", got 2
          round()                  | 1:1: parse error: expected at least 1 argument(s) in call to "round", got 0
          round(x, 1, 2)           | 1:1: parse error: expected at most 2 argument(s) in call to "round", got 3
          label_join(x)            | 1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1
          label_join(x, "a", "b", 1) | 1:25: parse error: expected type string in call to function "label_join", got scalar
          time(1)                  | 1:1: parse error: expected 0 argument(s) in call to "time", got 1
          rate(x[5m],)             | 1:11: parse error: trailing commas not allowed in function call args
          x[5m][5m]                | 1:6: parse error: ranges only allowed for vector selectors
          rate(x[5m])[5m]          | 1:12: parse error: ranges only allowed for vector selectors
          x[5m:][5m:]              | 1:1: parse error: subquery is only allowed on instant vector, got matrix instead
          "a"[5m:]                 | 1:1: parse error: subquery is only allowed on instant vector, got string instead
          x[5m] + 1                | 1:1: parse error: binary expression must contain only scalar and instant vector types
          1 + "a"                  | 1:5: parse error: binary expression must contain only scalar and instant vector types
          1 + on(a) x              | 1:1: parse error: vector matching only allowed between instant vectors
          x and on(a) group_left y | 1:1: parse error: no grouping allowed for "and" operation
          x + on(a) group_left(a) y | 1:3: parse error: label "a" must not occur in ON and GROUP clause at once
          x + bool y               | 1:3: parse error: bool modifier can only be used on comparison operators
          x + group_left y         | 1:5: parse error: unexpected <group_left>
          x[5m                     | 1:5: parse error: unexpected end of input in duration expression
          x[]                      | 1:3: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()
          foo[0m]                  | 1:5: parse error: duration must be greater than 0
          foo[5m:0]                | 1:8: parse error: duration must be greater than 0
          foo[5y1hs]               | 1:5: parse error: unknown unit "hs" in duration "5y1hs"
          foo[5m1]                 | 1:5: parse error: bad number or duration syntax: "5m1"
          foo["5m"]                | 1:5: parse error: unexpected character in duration expression: '"'
          (foo + bar)[5m]          | 1:12: parse error: ranges only allowed for vector selectors
          test[5d] OFFSET 10s [10m:5s] | 1:1: parse error: subquery is only allowed on instant vector, got matrix instead
          "\\c"                   | 1:1: parse error: unknown escape sequence U+0063 'c'
          "\\x."                  | 1:1: parse error: illegal character U+002E '.' in escape sequence
          "\\                     | 1:1: parse error: escape sequence not terminated
          x[5m:1m:1m]              | 1:9: parse error: unexpected repeated colon in duration expression
          x[:5m]                   | 1:4: parse error: unexpected colon before duration in duration expression
          x[5mm]                   | 1:3: parse error: bad number or duration syntax: "5mm"
          x[1m1h]                  | 1:3: parse error: not a valid duration string: "1m1h"
          x[5m x]                  | 1:6: parse error: unexpected character in duration expression: 'x'
          x[5m+1m]                 | 1:5: parse error: experimental duration expression is not enabled
          foo offset               | 1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()
          foo offset bar           | 1:12: parse error: unexpected identifier "bar" in offset, expected number, duration, step(), or range()
          foo ==                   | 1:7: parse error: unexpected end of input
          foo ]                    | 1:5: parse error: unexpected right bracket ']'
          foo{a="b"}{c="d"}        | 1:11: parse error: unexpected "{"
          foo 1                    | 1:5: parse error: unexpected number "1"
          foo "a long string value" | 1:5: parse error: unexpected string "\\"a long st"...
          '\\q'                    | 1:1: parse error: unknown escape sequence U+0071 'q'
          "\\x4"                   | 1:1: parse error: illegal character U+0022 '"' in escape sequence
          "\\ud800"                | 1:1: parse error: escape sequence is an invalid Unicode code point
          "abc                     | 1:1: parse error: unterminated quoted string
          `abc                     | 1:1: parse error: unterminated raw string
          foo +\\n  *bar           | 2:3: parse error: unexpected <op:*>
          {"ä"="x"} + *            | 1:14: parse error: unexpected <op:*>
          1e400                    | 1:1: parse error: error parsing number: strconv.ParseFloat: parsing "1e400": value out of range
          0x                       | 1:1: parse error: error parsing number: strconv.ParseFloat: parsing "0x": invalid syntax
          foo offset Inf           | 1:12: parse error: duration out of range
          x[300000000000]          | 1:3: parse error: duration out of range
          x anchored               | 1:1: parse error: anchored modifier is experimental and not enabled
          fill(x)                  | 1:1: parse error: unexpected <fill>
          @@                       | 1:1: parse error: unexpected <op:@>
          quantile_over_time(0,=data[2m]) | 1:21: parse error: trailing commas not allowed in function call args
          rate(x[5m], / 2)         | 1:11: parse error: trailing commas not allowed in function call args
          st2dvar_over_time(m{t="x"[2m]) | 1:26: parse error: unexpected character inside braces: '['
          nofunc(x y)              | 1:10: parse error: unexpected identifier "y"
          nofunc(1,)               | 1:9: parse error: trailing commas not allowed in function call args
          nofunc(1) +              | 1:1: parse error: unknown function with name "nofunc"
          foo !                    | 1:5: parse error: unexpected character after '!': '�'
          foo{a!                   | 1:6: parse error: unexpected character after '!' inside braces: '�'
          }                        | 1:1: parse error: unexpected character: '}'
          {                        | 1:2: parse error: unexpected end of input inside braces
          -=                       | 1:2: parse error: unexpected "="
          ++-++-+-+-<              | 1:11: parse error: unexpected <op:<>
          e-+=/(0)                 | 1:4: parse error: unexpected "="
          a>b()                    | 1:3: parse error: unknown function with name "b"
          rate(avg)                | 1:6: parse error: expected type range vector in call to function "rate", got instant vector
          floor(1)                 | 1:7: parse error: expected type instant vector in call to function "floor", got scalar
          hour(a, a, a)            | 1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3
          sum without(==)(x)       | 1:13: parse error: unexpected <op:==> in grouping opts, expected label
          sum without(,)(x)        | 1:13: parse error: unexpected "," in grouping opts, expected label
          sum without(foo,,)(x)    | 1:17: parse error: unexpected "," in grouping opts, expected label
          sum some_metric by (test) | 1:5: parse error: unexpected identifier "some_metric"
          sum (x) by test          | 1:12: parse error: unexpected identifier "test" in grouping opts, expected "("
          sum () by (test)         | 1:1: parse error: no arguments for aggregate expression provided
          MIN keep_common (x)      | 1:5: parse error: unexpected identifier "keep_common"
          sum (x) without (t) by (t) | 1:21: parse error: unexpected <by>
          topk(x,)                 | 1:7: parse error: trailing commas not allowed in function call args
          topk(x, y)               | 1:6: parse error: expected type scalar in aggregation parameter, got instant vector
          rate(x[5m]) @ 1234       | 1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery
          foo and bool 10          | 1:5: parse error: bool modifier can only be used on comparison operators
          foo or on(bar) group_left(baz) bar | 1:1: parse error: no grouping allowed for "or" operation
          rate(food[1m])[1h] offset 1h | 1:15: parse error: ranges only allowed for vector selectors
          """)
  void rejectsWithPrometheusPositionAndWording(String query, String message) {
    String q = query.replace("\\n", "\n");
    ParseException e = parseError(q, Parser.Options.DEFAULT);
    assertThat(e.getMessage()).isEqualTo(message);
  }

  @org.junit.jupiter.api.Test
  void reportsTheFirstErrorOfAHugeQueryInLinearTime() {
    // From Prometheus' parse_test.go: 10000 bad selectors under 1000 subqueries.
    String q = "(" + "-{}-1".repeat(10000) + ")" + "[1m:]".repeat(1000);
    assertThat(parseError(q, Parser.Options.DEFAULT).getMessage())
        .isEqualTo("1:3: parse error: vector selector must contain at least one non-empty matcher");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"ä"="x"} + *    | 1 | 14 | 13
          foo +\\n  *bar   | 2 | 3  | 8
          1 + 1 *          | 1 | 8  | 7
          """)
  void reportsLineColumnAndByteOffset(String query, int line, int column, int byteOffset) {
    ParseException e = parseError(query.replace("\\n", "\n"), Parser.Options.DEFAULT);
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.column()).isEqualTo(column);
    assertThat(e.byteOffset()).isEqualTo(byteOffset);
    assertThat(e.query()).isEqualTo(query.replace("\\n", "\n"));
    assertThat(e.getMessage()).endsWith(e.reason());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          limitk(1, x)
          limit_ratio(0.5, x)
          mad_over_time(x[5m])
          sort_by_label(x, "a", "b")
          start()
          min_of(1, 2)
          info(x, {job="a"})
          """)
  void experimentalFeaturesParseWhenEnabled(String query) throws ParseException {
    Expr e = Parser.parse(query, Parser.Options.EXPERIMENTAL);
    assertThat(Parser.parse(Printer.print(e), Parser.Options.EXPERIMENTAL)).isEqualTo(e);
    assertThat(catchThrowableOfType(ParseException.class, () -> Parser.parse(query))).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          info(x, y)          | 1:9: parse error: expected label selectors only, got vector selector instead
          info(x, rate(y[1m])) | 1:9: parse error: expected label selectors only
          info(x, y[1m])      | 1:1: parse error: expected type instant vector in call to function "info", got range vector
          histogram_quantiles(x, "q") | 1:1: parse error: expected at least 3 argument(s) in call to "histogram_quantiles", got 2
          """)
  void experimentalFunctionsAreTypeChecked(String query, String message) {
    assertThat(parseError(query, Parser.Options.EXPERIMENTAL).getMessage()).isEqualTo(message);
  }
}
