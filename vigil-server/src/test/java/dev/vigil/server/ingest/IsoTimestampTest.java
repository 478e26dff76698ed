package dev.vigil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast path must agree with java.time wherever it answers, and answer the common forms. */
class IsoTimestampTest {

  /** Date-times in the fast path's shape, most valid, some with invalid fields or zones. */
  @Provide
  Arbitrary<String> timestamps() {
    Arbitrary<String> date =
        Combinators.combine(
                Arbitraries.integers().between(0, 9999),
                Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 32))
            .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d));
    Arbitrary<String> time =
        Combinators.combine(
                Arbitraries.integers().between(0, 24),
                Arbitraries.integers().between(0, 60),
                Arbitraries.integers().between(0, 60))
            .as((h, m, s) -> String.format("T%02d:%02d:%02d", h, m, s));
    Arbitrary<String> fraction =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.just("."),
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(11).map(f -> "." + f));
    Arbitrary<String> zone =
        Arbitraries.oneOf(
            Arbitraries.of("", "Z", "z", "+00:00", "-00:00", "+18:00", "-18:00", "+18:01", " "),
            Combinators.combine(
                    Arbitraries.of('+', '-'),
                    Arbitraries.integers().between(0, 19),
                    Arbitraries.integers().between(0, 60))
                .as((sign, h, m) -> String.format("%c%02d:%02d", sign, h, m)),
            Arbitraries.of("+0200", "+02", "+02:00:30", "UTC", "[Europe/Paris]"));
    return Combinators.combine(date, time, fraction, zone).as((d, t, f, z) -> d + t + f + z);
  }

  @Property(tries = 5000)
  void agreesWithJavaTimeWheneverItAnswers(@ForAll("timestamps") String text) {
    assertAgrees(text);
  }

  /** Mutations: any character anywhere, so that near-misses of every check are tried. */
  @Property(tries = 5000)
  void agreesWithJavaTimeOnMutatedText(
      @ForAll("timestamps") String text,
      @ForAll("positions") int position,
      @ForAll("replacements") char replacement) {
    int at = position % (text.length() + 1);
    String mutated =
        at == text.length()
            ? text + replacement
            : text.substring(0, at) + replacement + text.substring(at + 1);
    assertAgrees(mutated);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 40);
  }

  @Provide
  Arbitrary<Character> replacements() {
    return Arbitraries.of('0', '1', '2', '9', '-', ':', 'T', 't', 'Z', '.', '+', ' ', 'x', '٣');
  }

  private static void assertAgrees(String text) {
    char[] chars = ("##" + text + "#").toCharArray(); // at an offset, as in a parser's buffer
    long fast = IsoTimestamp.fastEpochMillis(chars, 2, text.length());
    if (fast == IsoTimestamp.NOT_HANDLED) {
      return;
    }
    Throwable failure = catchThrowable(() -> IsoTimestamp.epochMillis(text.trim()));
    assertThat(failure).as("java.time refuses %s, the fast path gave %d", text, fast).isNull();
    assertThat(fast).as(text).isEqualTo(IsoTimestamp.epochMillis(text.trim()));
  }

  @Test
  void handlesTheCommonForms() {
    for (String text :
        new String[] {
          "2025-07-19T01:42:25",
          "2025-07-19T01:42:25.1",
          "2025-07-19T01:42:25.123456",
          "2025-07-19T01:42:25.123456789Z",
          "2025-07-19T01:42:25Z",
          "2025-07-19T03:42:25.5+02:00",
          "1969-12-31T23:59:59.999-00:30",
          "2024-02-29T00:00:00Z",
          "0000-01-01T00:00:00Z",
        }) {
      long fast = IsoTimestamp.fastEpochMillis(text.toCharArray(), 0, text.length());
      assertThat(fast).as(text).isEqualTo(IsoTimestamp.epochMillis(text));
    }
  }

  @Test
  void leavesInvalidDatesToJavaTime() {
    for (String text :
        new String[] {
          "2023-02-29T00:00:00Z", "2025-04-31T00:00:00", "2025-07-19T24:00:00", "2025-07-19T01:42"
        }) {
      assertThat(IsoTimestamp.fastEpochMillis(text.toCharArray(), 0, text.length()))
          .as(text)
          .isEqualTo(IsoTimestamp.NOT_HANDLED);
    }
    assertThat(catchThrowable(() -> IsoTimestamp.epochMillis("2023-02-29T00:00:00Z")))
        .isInstanceOf(DateTimeParseException.class);
  }
}
