package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any input, however broken, gives either a tree or a {@link ParseException} with a position inside
 * the query: never another exception.
 */
class RobustnessPropertiesTest {

  private static final List<String> CORPUS = corpus();

  private static List<String> corpus() {
    try {
      return ConformanceRoundTripTest.evalExpressions();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<String> promqlishStrings() {
    return Arbitraries.strings()
        .withChars("abxyz_:09.eE+-*/%^=!~<>(){}[],@'\"`\\# \n\tä")
        .ofMaxLength(40);
  }

  /** A corpus expression with a few characters deleted, inserted or replaced. */
  @Provide
  Arbitrary<String> mutatedCorpus() {
    return Arbitraries.randomValue(
        random -> {
          StringBuilder b = new StringBuilder(CORPUS.get(random.nextInt(CORPUS.size())));
          String alphabet = "()[]{}:,=~!\"'`#@+-*/^<>. 0123456789smhdwyxonbyoffset";
          int edits = 1 + random.nextInt(3);
          for (int i = 0; i < edits && b.length() > 0; i++) {
            int at = random.nextInt(b.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
              case 0 -> b.deleteCharAt(at);
              case 1 -> b.insert(at, c);
              default -> b.setCharAt(at, c);
            }
          }
          return b.toString();
        });
  }

  private static void parsesOrFailsCleanly(String query) {
    try {
      Expr e = Parser.parse(query, Parser.Options.EXPERIMENTAL);
      assertThat(Parser.parse(Printer.print(e), Parser.Options.EXPERIMENTAL)).isEqualTo(e);
    } catch (ParseException e) {
      assertThat(e.byteOffset())
          .isBetween(0, query.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      assertThat(e.getMessage()).startsWith(e.line() + ":" + e.column() + ": parse error: ");
    }
  }

  @Property(tries = 3000)
  void randomTextNeverThrowsAnythingElse(@ForAll("promqlishStrings") String query) {
    parsesOrFailsCleanly(query);
  }

  @Property(tries = 3000)
  void mutatedQueriesNeverThrowAnythingElse(@ForAll("mutatedCorpus") String query) {
    parsesOrFailsCleanly(query);
  }
}
