package dev.vigil.promql;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Printing then parsing any tree the parser can build gives the same tree. */
class RoundTripPropertiesTest {

  @Provide
  Arbitrary<Expr> expressions() {
    return Arbitraries.randomValue(random -> new RandomExprs(random).any(random.nextInt(6)));
  }

  @Property(tries = 3000)
  void parseOfPrintIsIdentity(@ForAll("expressions") Expr e) throws ParseException {
    String text = Printer.print(e);
    Expr parsed = Parser.parse(text, Parser.Options.EXPERIMENTAL);
    assertThat(parsed).as(text).isEqualTo(e);
    assertThat(Printer.print(parsed)).isEqualTo(text);
  }

  @Property(tries = 500)
  void printedTextSurvivesWhitespaceAndComments(@ForAll("expressions") Expr e)
      throws ParseException {
    String text = Printer.print(e);
    String spaced = "  # leading comment\n" + text + "\n\t# trailing comment";
    assertThat(Parser.parse(spaced, Parser.Options.EXPERIMENTAL)).as(spaced).isEqualTo(e);
  }
}
