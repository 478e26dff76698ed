package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.promql.LabelMatcher.MatchType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Matchers match as Prometheus' do: regexes anchored, RE2 syntax. */
class LabelMatcherTest {

  @ParameterizedTest(name = "{0} {1} {2} on \"{3}\"")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          = ; a ; a ; true
          = ; a ; ab ; false
          != ; a ; '' ; true
          =~ ; a|b ; b ; true
          =~ ; a ; ab ; false
          =~ ; .* ; '' ; true
          =~ ; a.c ; 'a\nc' ; true
          !~ ; .+ ; '' ; true
          =~ ; [[:digit:]]+ ; 123 ; true
          =~ ; [[:digit:]]+ ; : ; false
          =~ ; [^[:alpha:]] ; 1 ; true
          =~ ; [[a] ; [ ; true
          =~ ; []a]+ ; ]a ; true
          =~ ; a&&b ; a&&b ; true
          =~ ; (?P<x>a)b ; ab ; true
          =~ ; (?i)FOO ; foo ; true
          =~ ; exp_root{_log ; exp_root{_log ; true
          =~ ; a{2} ; aa ; true
          =~ ; a{,2} ; a{,2} ; true
          """)
  void matchesAsPrometheus(String op, String value, String input, boolean matches) {
    MatchType type =
        switch (op) {
          case "=" -> MatchType.EQUAL;
          case "!=" -> MatchType.NOT_EQUAL;
          case "=~" -> MatchType.REGEX;
          default -> MatchType.NOT_REGEX;
        };
    LabelMatcher m = LabelMatcher.of("l", type, value);
    assertThat(m.matches(input.replace("\\n", "\n"))).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          a(?=b)    | error parsing regexp: invalid or unsupported Perl syntax: `(?=`
          a(?<!b)   | error parsing regexp: invalid or unsupported Perl syntax: `(?<!`
          (?>a)     | error parsing regexp: invalid or unsupported Perl syntax: `(?>`
          (a)\\1     | error parsing regexp: invalid escape sequence: `\\1`
          a++       | error parsing regexp: invalid nested repetition operator: `++`
          [[:foo:]] | error parsing regexp: invalid character class range: `[:foo:]`
          a(b       | error parsing regexp: missing closing ): `^(?s:a(b)$`
          a)b       | error parsing regexp: unexpected ): `^(?s:a)b)$`
          ab[c.*    | error parsing regexp: missing closing ]: `[c.*)$`
          *a        | error parsing regexp: missing argument to repetition operator: `*`
          """)
  void rejectsWhatRe2Rejects(String regex, String message) {
    assertThatThrownBy(() -> LabelMatcher.of("l", MatchType.REGEX, regex.replace("\\\\", "\\")))
        .hasMessage(message.replace("\\\\", "\\"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      (     | error parsing regexp:
      a{2,1} | error parsing regexp:
      """)
  void reportsOtherSyntaxErrors(String regex, String prefix) {
    assertThatThrownBy(() -> LabelMatcher.of("l", MatchType.REGEX, regex))
        .hasMessageStartingWith(prefix);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          job       | =~ | a"b  | job=~"a\\"b"
          a.b       | =  | x    | "a.b"="x"
          __name__  | != | ü    | __name__!="ü"
          """)
  void printsInPromqlSyntax(String name, String op, String value, String printed) {
    MatchType type =
        switch (op) {
          case "=" -> MatchType.EQUAL;
          case "!=" -> MatchType.NOT_EQUAL;
          default -> MatchType.REGEX;
        };
    assertThat(LabelMatcher.of(name, type, value).toString())
        .isEqualTo(printed.replace("\\\\", "\\"));
  }
}
