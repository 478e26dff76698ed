package dev.vigil.promql;

import java.util.ArrayList;
import java.util.List;

/** The label lists of PromQL: selector matchers, and the labels of by, without, on, group_*. */
final class LabelSyntax {

  private LabelSyntax() {}

  /** {@code label op "value", ...}; the current token follows the left brace. */
  static List<LabelMatcher> parseMatchers(TokenStream ts) throws ParseException {
    List<LabelMatcher> matchers = new ArrayList<>();
    if (ts.peek().type() == TokenType.RIGHT_BRACE) {
      ts.next();
      return matchers;
    }
    while (true) {
      Token label = ts.peek();
      if (label.type() != TokenType.IDENTIFIER && label.type() != TokenType.STRING) {
        throw ts.unexpected(label, "label matching", "identifier or \"}\"");
      }
      ts.next();
      String name =
          label.type() == TokenType.STRING ? GoStrings.unquote(label.text()) : label.text();
      Token op = ts.peek();
      LabelMatcher.MatchType type =
          switch (op.type()) {
            case EQL -> LabelMatcher.MatchType.EQUAL;
            case NEQ -> LabelMatcher.MatchType.NOT_EQUAL;
            case EQL_REGEX -> LabelMatcher.MatchType.REGEX;
            case NEQ_REGEX -> LabelMatcher.MatchType.NOT_REGEX;
            default -> null;
          };
      if (type == null) {
        if (label.type() == TokenType.STRING
            && (op.type() == TokenType.COMMA || op.type() == TokenType.RIGHT_BRACE)) {
          // PromQL 3: a lone quoted name is the metric name, {"my.metric"}.
          matchers.add(LabelMatcher.equal(LabelMatcher.METRIC_NAME, name));
        } else {
          throw ts.unexpected(op, "label matching", "label matching operator");
        }
      } else {
        ts.next();
        Token value = ts.peek();
        if (value.type() != TokenType.STRING) {
          throw ts.unexpected(value, "label matching", "string");
        }
        ts.next();
        try {
          matchers.add(LabelMatcher.of(name, type, GoStrings.unquote(value.text())));
        } catch (IllegalArgumentException e) {
          throw ts.error(label.pos(), e.getMessage());
        }
      }
      Token sep = ts.peek();
      if (sep.type() == TokenType.COMMA) {
        ts.next();
        if (ts.peek().type() == TokenType.RIGHT_BRACE) {
          ts.next();
          return matchers;
        }
      } else if (sep.type() == TokenType.RIGHT_BRACE) {
        ts.next();
        return matchers;
      } else {
        throw ts.unexpected(sep, "label matching", "\",\" or \"}\"");
      }
    }
  }

  /** {@code ( [label {, label} [,]] )} after by, without, on, ignoring, group_left/right. */
  static List<String> parseGroupingLabels(TokenStream ts) throws ParseException {
    Token open = ts.peek();
    if (open.type() != TokenType.LEFT_PAREN) {
      throw ts.unexpected(open, "grouping opts", "\"(\"");
    }
    ts.next();
    List<String> labels = new ArrayList<>();
    if (ts.peek().type() == TokenType.RIGHT_PAREN) {
      ts.next();
      return labels;
    }
    while (true) {
      Token t = ts.peek();
      if (t.type() == TokenType.STRING) {
        labels.add(GoStrings.unquote(t.text()));
      } else if (isWord(t) && Printer.isLegacyLabelName(t.text())) {
        labels.add(t.text());
      } else {
        throw ts.unexpected(t, "grouping opts", "label");
      }
      ts.next();
      Token sep = ts.peek();
      if (sep.type() == TokenType.COMMA) {
        ts.next();
        if (ts.peek().type() == TokenType.RIGHT_PAREN) {
          ts.next();
          return labels;
        }
      } else if (sep.type() == TokenType.RIGHT_PAREN) {
        ts.next();
        return labels;
      } else {
        throw ts.unexpected(sep, "grouping opts", "\",\" or \")\"");
      }
    }
  }

  /** Identifiers and keywords: the lexer may have read a label name as a keyword. */
  private static boolean isWord(Token t) {
    return switch (t.type()) {
      case IDENTIFIER, METRIC_IDENTIFIER, AGGREGATOR -> true;
      default -> t.type().text != null && Character.isLetter(t.type().text.charAt(0));
    };
  }
}
