package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.Expr.AggregateExpr;
import dev.vigil.promql.Expr.BinaryExpr;
import dev.vigil.promql.Expr.Call;
import dev.vigil.promql.Expr.MatrixSelector;
import dev.vigil.promql.Expr.NumberLiteral;
import dev.vigil.promql.Expr.ParenExpr;
import dev.vigil.promql.Expr.StringLiteral;
import dev.vigil.promql.Expr.SubqueryExpr;
import dev.vigil.promql.Expr.UnaryExpr;
import dev.vigil.promql.Expr.VectorSelector;
import dev.vigil.promql.LabelMatcher.MatchType;
import dev.vigil.promql.VectorMatching.Cardinality;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid queries give the tree Prometheus builds (cases after its parse_test.go). */
class ParserTest {

  private static Expr num(double v) {
    return new NumberLiteral(v);
  }

  private static VectorSelector vs(String name, LabelMatcher... matchers) {
    return VectorSelector.of(name, matchers);
  }

  private static BinaryExpr bin(BinaryOp op, Expr l, Expr r) {
    VectorMatching m = null;
    if (l.type() == ValueType.VECTOR && r.type() == ValueType.VECTOR) {
      m =
          op.isSetOperator()
              ? new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of())
              : VectorMatching.oneToOne();
    }
    return new BinaryExpr(op, l, r, false, m);
  }

  private static Call call(String name, Expr... args) {
    return new Call(Functions.get(name), List.of(args));
  }

  private static final long S = 1000;
  private static final long M = 60 * S;
  private static final long H = 60 * M;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("1", num(1)),
        Arguments.of("+Inf", num(Double.POSITIVE_INFINITY)),
        Arguments.of("-Inf", num(Double.NEGATIVE_INFINITY)),
        Arguments.of("NaN", num(Double.NaN)),
        Arguments.of("nan", num(Double.NaN)),
        Arguments.of(".5", num(0.5)),
        Arguments.of("5.", num(5)),
        Arguments.of("123.4567", num(123.4567)),
        Arguments.of("5e-3", num(0.005)),
        Arguments.of("5E3", num(5000)),
        Arguments.of("0xc", num(12)),
        Arguments.of("0755", num(493)),
        Arguments.of("-0755", num(-493)),
        Arguments.of("089", num(89)),
        Arguments.of("+5.5e-3", num(0.0055)),
        Arguments.of("1_000_000", num(1_000_000)),
        Arguments.of("0x_1f", num(31)),
        Arguments.of("9223372036854775808", num(9.223372036854775808e18)),
        Arguments.of("1h30m", new NumberLiteral(5400, true)),
        Arguments.of("-5m", new NumberLiteral(-300, true)),
        Arguments.of("1 + 1", bin(BinaryOp.ADD, num(1), num(1))),
        Arguments.of("1 atan2 2", bin(BinaryOp.ATAN2, num(1), num(2))),
        Arguments.of("1 == bool 1", new BinaryExpr(BinaryOp.EQLC, num(1), num(1), true, null)),
        Arguments.of("-1^2", new UnaryExpr(true, bin(BinaryOp.POW, num(1), num(2)))),
        Arguments.of("-1*2", bin(BinaryOp.MUL, num(-1), num(2))),
        Arguments.of("-1+2", bin(BinaryOp.ADD, num(-1), num(2))),
        Arguments.of("-1^-2", new UnaryExpr(true, bin(BinaryOp.POW, num(1), num(-2)))),
        Arguments.of("+1 + -2 * 1", bin(BinaryOp.ADD, num(1), bin(BinaryOp.MUL, num(-2), num(1)))),
        Arguments.of(
            "1 + 2/(3*1)",
            bin(
                BinaryOp.ADD,
                num(1),
                bin(BinaryOp.DIV, num(2), new ParenExpr(bin(BinaryOp.MUL, num(3), num(1)))))),
        Arguments.of(
            "1 < bool 2 - 1 * 2",
            new BinaryExpr(
                BinaryOp.LSS,
                num(1),
                bin(BinaryOp.SUB, num(2), bin(BinaryOp.MUL, num(1), num(2))),
                true,
                null)),
        Arguments.of("2 ^ 3 ^ 2", bin(BinaryOp.POW, num(2), bin(BinaryOp.POW, num(3), num(2)))),
        Arguments.of("8 / 4 / 2", bin(BinaryOp.DIV, bin(BinaryOp.DIV, num(8), num(4)), num(2))),
        Arguments.of(
            "a or b and c unless d",
            bin(
                BinaryOp.OR,
                vs("a"),
                bin(BinaryOp.UNLESS, bin(BinaryOp.AND, vs("b"), vs("c")), vs("d")))),
        Arguments.of(
            "a == b + c * d ^ e",
            bin(
                BinaryOp.EQLC,
                vs("a"),
                bin(
                    BinaryOp.ADD,
                    vs("b"),
                    bin(BinaryOp.MUL, vs("c"), bin(BinaryOp.POW, vs("d"), vs("e")))))),
        Arguments.of("-some_metric", new UnaryExpr(true, vs("some_metric"))),
        Arguments.of(" +some_metric", new UnaryExpr(false, vs("some_metric"))),
        Arguments.of(
            " +{\"some_metric\"}",
            new UnaryExpr(false, vs("", LabelMatcher.equal("__name__", "some_metric")))),
        Arguments.of(
            "{\"metric.with.dots\", \"label.name\"=\"v\"}",
            vs(
                "",
                LabelMatcher.equal("__name__", "metric.with.dots"),
                LabelMatcher.equal("label.name", "v"))),
        Arguments.of(
            "foo:bar{a=\"b\", c!='d', e=~`f.*`, g!~\"h\",}",
            vs(
                "foo:bar",
                LabelMatcher.of("a", MatchType.EQUAL, "b"),
                LabelMatcher.of("c", MatchType.NOT_EQUAL, "d"),
                LabelMatcher.of("e", MatchType.REGEX, "f.*"),
                LabelMatcher.of("g", MatchType.NOT_REGEX, "h"))),
        Arguments.of(
            "foo{on=\"x\", bool=\"y\", inf=\"z\"}",
            vs(
                "foo",
                LabelMatcher.equal("on", "x"),
                LabelMatcher.equal("bool", "y"),
                LabelMatcher.equal("inf", "z"))),
        Arguments.of("\"a\\tb\\u00e4\\x41\\101\"", new StringLiteral("a\tbäAA")),
        Arguments.of("'it\\'s'", new StringLiteral("it's")),
        Arguments.of("`raw\\n`", new StringLiteral("raw\\n")),
        Arguments.of("foo offset 5m", vs("foo").withOffset(5 * M)),
        Arguments.of("foo offset -5m", vs("foo").withOffset(-5 * M)),
        Arguments.of("foo offset 90", vs("foo").withOffset(90 * S)),
        Arguments.of("foo OFFSET 1h30m", vs("foo").withOffset(90 * M)),
        Arguments.of("foo @ 1603774568", vs("foo").withAt(AtModifier.at(1603774568000L))),
        Arguments.of("foo @ -100.5", vs("foo").withAt(AtModifier.at(-100500))),
        Arguments.of("foo @ 100s", vs("foo").withAt(AtModifier.at(100000))),
        Arguments.of("foo @ start()", vs("foo").withAt(AtModifier.START)),
        Arguments.of(
            "foo[5m] @ end() offset 1h",
            new MatrixSelector(vs("foo").withAt(AtModifier.END).withOffset(H), 5 * M)),
        Arguments.of(
            "foo[5m] offset 1h @ 10",
            new MatrixSelector(vs("foo").withAt(AtModifier.at(10000)).withOffset(H), 5 * M)),
        Arguments.of("rate(x[300])", call("rate", new MatrixSelector(vs("x"), 300 * S))),
        Arguments.of(
            "predict_linear(x[5m], 1h)",
            call(
                "predict_linear",
                new MatrixSelector(vs("x"), 5 * M),
                new NumberLiteral(3600, true))),
        Arguments.of("x[1h:5m]", new SubqueryExpr(vs("x"), H, 5 * M, 0, null)),
        Arguments.of("x[1h:]", new SubqueryExpr(vs("x"), H, 0, 0, null)),
        Arguments.of(
            "x[100:1] offset 20 @ 100",
            new SubqueryExpr(vs("x"), 100 * S, S, 20 * S, AtModifier.at(100000))),
        Arguments.of(
            "min_over_time(rate(x[5m])[1h:1m])",
            call(
                "min_over_time",
                new SubqueryExpr(call("rate", new MatrixSelector(vs("x"), 5 * M)), H, M, 0, null))),
        Arguments.of(
            "sum by (a, b) (x)",
            new AggregateExpr(AggregationOp.SUM, null, vs("x"), List.of("a", "b"), false)),
        Arguments.of(
            "sum(x) by (a, b,)",
            new AggregateExpr(AggregationOp.SUM, null, vs("x"), List.of("a", "b"), false)),
        Arguments.of(
            "SUM BY (group) (x)",
            new AggregateExpr(AggregationOp.SUM, null, vs("x"), List.of("group"), false)),
        Arguments.of(
            "avg without (on, \"a.b\") (x)",
            new AggregateExpr(AggregationOp.AVG, null, vs("x"), List.of("on", "a.b"), true)),
        Arguments.of(
            "sum without () (x)",
            new AggregateExpr(AggregationOp.SUM, null, vs("x"), List.of(), true)),
        Arguments.of(
            "topk(5, x)", new AggregateExpr(AggregationOp.TOPK, num(5), vs("x"), List.of(), false)),
        Arguments.of(
            "count_values(\"v\", x)",
            new AggregateExpr(
                AggregationOp.COUNT_VALUES, new StringLiteral("v"), vs("x"), List.of(), false)),
        Arguments.of(
            "quantile without (i) (0.9, x)",
            new AggregateExpr(AggregationOp.QUANTILE, num(0.9), vs("x"), List.of("i"), true)),
        Arguments.of("sum", vs("sum")),
        Arguments.of(
            "by{a=\"b\"} + offset",
            bin(BinaryOp.ADD, vs("by", LabelMatcher.equal("a", "b")), vs("offset"))),
        Arguments.of("fill + fill", bin(BinaryOp.ADD, vs("fill"), vs("fill"))),
        Arguments.of(
            "x * on(a) group_left(b) y",
            new BinaryExpr(
                BinaryOp.MUL,
                vs("x"),
                vs("y"),
                false,
                new VectorMatching(Cardinality.MANY_TO_ONE, List.of("a"), true, List.of("b")))),
        Arguments.of(
            "x / ignoring(a) group_right y",
            new BinaryExpr(
                BinaryOp.DIV,
                vs("x"),
                vs("y"),
                false,
                new VectorMatching(Cardinality.ONE_TO_MANY, List.of("a"), false, List.of()))),
        Arguments.of(
            "x > bool on() y",
            new BinaryExpr(
                BinaryOp.GTR,
                vs("x"),
                vs("y"),
                true,
                new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), true, List.of()))),
        Arguments.of(
            "x and on(a) y",
            new BinaryExpr(
                BinaryOp.AND,
                vs("x"),
                vs("y"),
                false,
                new VectorMatching(Cardinality.MANY_TO_MANY, List.of("a"), true, List.of()))),
        Arguments.of("x + on() 1", new BinaryExpr(BinaryOp.ADD, vs("x"), num(1), false, null)),
        Arguments.of("h </ 0.5", bin(BinaryOp.TRIM_UPPER, vs("h"), num(0.5))),
        Arguments.of(
            "foo # a comment\n  + bar # another\n", bin(BinaryOp.ADD, vs("foo"), vs("bar"))),
        Arguments.of("-(1)", new UnaryExpr(true, new ParenExpr(num(1)))),
        Arguments.of("- -1", num(1)),
        Arguments.of("-a offset 5m", new UnaryExpr(true, vs("a").withOffset(5 * M))),
        Arguments.of(
            "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
            call(
                "label_replace",
                vs("up"),
                new StringLiteral("a"),
                new StringLiteral("$1"),
                new StringLiteral("b"),
                new StringLiteral("(.*)"))),
        Arguments.of("time()", call("time")),
        Arguments.of("foo @ 3.3335", vs("foo").withAt(AtModifier.at(3334))),
        Arguments.of("foo @ 0xA", vs("foo").withAt(AtModifier.at(10000))),
        Arguments.of("foo @ -3.3e1", vs("foo").withAt(AtModifier.at(-33000))),
        Arguments.of("foo @ .3", vs("foo").withAt(AtModifier.at(300))),
        Arguments.of(
            "{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}",
            vs(
                "",
                LabelMatcher.equal("__name__", "foo'bar"),
                LabelMatcher.equal("a\\dos\\path", "boo\\urns"))),
        Arguments.of("foo{bar='}'}", vs("foo", LabelMatcher.equal("bar", "}"))),
        Arguments.of("foo{NaN='bc'}", vs("foo", LabelMatcher.equal("NaN", "bc"))),
        Arguments.of(
            "{\"bar\", __name__=\"baz\"}",
            vs("", LabelMatcher.equal("__name__", "bar"), LabelMatcher.equal("__name__", "baz"))),
        Arguments.of(
            "offset{step=\"1s\"}[5m]",
            new MatrixSelector(vs("offset", LabelMatcher.equal("step", "1s")), 5 * M)),
        Arguments.of("anchored{job=\"test\"}", vs("anchored", LabelMatcher.equal("job", "test"))),
        Arguments.of(
            "sum(sum)", new AggregateExpr(AggregationOp.SUM, null, vs("sum"), List.of(), false)),
        Arguments.of(
            "sum without(and, by, avg, count, alert, annotations)(x)",
            new AggregateExpr(
                AggregationOp.SUM,
                null,
                vs("x"),
                List.of("and", "by", "avg", "count", "alert", "annotations"),
                true)),
        Arguments.of(
            "foo + bar or bla and blub",
            bin(
                BinaryOp.OR,
                bin(BinaryOp.ADD, vs("foo"), vs("bar")),
                bin(BinaryOp.AND, vs("bla"), vs("blub")))),
        Arguments.of(
            "bar + on(foo) bla / on(baz, buz) group_right(test) blub",
            new BinaryExpr(
                BinaryOp.ADD,
                vs("bar"),
                new BinaryExpr(
                    BinaryOp.DIV,
                    vs("bla"),
                    vs("blub"),
                    false,
                    new VectorMatching(
                        Cardinality.ONE_TO_MANY, List.of("baz", "buz"), true, List.of("test"))),
                false,
                new VectorMatching(Cardinality.ONE_TO_ONE, List.of("foo"), true, List.of()))),
        Arguments.of(
            "some_metric offset 1m [10m:5s]",
            new SubqueryExpr(vs("some_metric").withOffset(M), 10 * M, 5 * S, 0, null)),
        Arguments.of("round(x)", call("round", vs("x"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void buildsPrometheusTree(String query, Expr expected) throws ParseException {
    Expr parsed = Parser.parse(query);
    assertThat(parsed).isEqualTo(expected);
    assertThat(Parser.parse(Printer.print(parsed))).isEqualTo(parsed);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          1                              | scalar
          "a"                            | string
          foo                            | vector
          foo[5m]                        | matrix
          foo[5m:]                       | matrix
          (foo)                          | vector
          -foo                           | vector
          1 + 2                          | scalar
          1 + foo                        | vector
          time()                         | scalar
          scalar(foo)                    | scalar
          sum(foo)                       | vector
          (foo[5m])                      | matrix
          """)
  void computesStaticTypes(String query, String type) throws ParseException {
    assertThat(Parser.parse(query).type().internalName()).isEqualTo(type);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          sum(x) BY (a)                        | sum by (a) (x)
          foo{a='b'} offset 1h30m @ 5          | foo{a="b"} @ 5.000 offset 1h30m
          rate(x[90s])                         | rate(x[1m30s])
          x[1w1d]                              | x[8d]
          x[14d]                               | x[2w]
          x[300]                               | x[5m]
          1 + 2 * -3                           | 1 + 2 * -3
          {"a.b"}                              | {__name__="a.b"}
          sum by ("a.b", "inf", on) (x)        | sum by ("a.b", "inf", on) (x)
          x * on(a) group_left y               | x * on (a) group_left () y
          x * ignoring() group_right(b) y      | x * ignoring () group_right (b) y
          x offset -1m                         | x offset -1m
          x @ -0.5                             | x @ -0.500
          1e-5                                 | 1.0E-5
          1e20                                 | 1.0E20
          0x10                                 | 16
          "tab\\there\\u00ff\\U0001F600"         | "tab\\thereÿ😀"
          "\\x01"                               | "\\x01"
          """)
  void printsCanonicalText(String query, String printed) throws ParseException {
    Expr e = Parser.parse(query);
    assertThat(Printer.print(e)).isEqualTo(printed.replace("\\\\", "\\"));
    assertThat(Parser.parse(Printer.print(e))).isEqualTo(e);
  }

  @Test
  void functionTableMatchesPrometheus3() {
    assertThat(Functions.all()).hasSize(90);
    assertThat(Functions.get("holt_winters")).isNull();
    Function round = Functions.get("round");
    assertThat(round.minArgs()).isEqualTo(1);
    assertThat(round.maxArgs()).isEqualTo(2);
    assertThat(Functions.get("label_join").maxArgs()).isEqualTo(Integer.MAX_VALUE);
    assertThat(Functions.get("histogram_quantiles").maxArgs()).isEqualTo(12);
    assertThat(Functions.get("mad_over_time").experimental()).isTrue();
    assertThat(Functions.get("rate").experimental()).isFalse();
    assertThat(Functions.all().values().stream().filter(f -> !f.experimental()).count())
        .isEqualTo(72);
  }

  @Test
  void parsingIsLinearInQueryLength() throws ParseException {
    // A 100k-term sum and 1000 nested parentheses parse; a quadratic step would be slow.
    StringBuilder sum = new StringBuilder("x0");
    for (int i = 1; i < 100_000; i++) {
      sum.append(" + x").append(i);
    }
    Expr parsed = Parser.parse(sum.toString());
    assertThat(Printer.print(parsed)).isEqualTo(sum.toString());
    String nested = "(".repeat(1000) + "1" + ")".repeat(1000);
    assertThat(Parser.parse(nested).type()).isEqualTo(ValueType.SCALAR);
  }

  @Test
  void parsesDeepNestingOnALargerStack() throws ParseException {
    // Deeper than the test thread's stack: parsed on the parser's own thread. (Expr.type() on the
    // result recurses too, so only the root is inspected here.)
    String nested = "-(".repeat(20_000) + "x" + ")".repeat(20_000);
    assertThat(Parser.parse(nested)).isInstanceOf(UnaryExpr.class);
  }

  @Test
  void rejectsTooDeepNestingWithAParseError() {
    String nested = "(".repeat(1_000_000) + "1" + ")".repeat(1_000_000);
    ParseException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ParseException.class, () -> Parser.parse(nested));
    assertThat(e.getMessage()).isEqualTo("1:1: parse error: expression nested too deeply");
  }
}
