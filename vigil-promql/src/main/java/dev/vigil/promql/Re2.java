package dev.vigil.promql;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles Prometheus (Go RE2) regular expressions with {@link java.util.regex}.
 *
 * <p>RE2 is a subset of Java's syntax except for a few constructs, handled here: RE2 rejects
 * backreferences, lookaround, atomic groups and possessive quantifiers, which Java would accept and
 * run with a different meaning, so they are rejected with RE2's message; RE2's {@code (?P<name>re)}
 * named group becomes Java's {@code (?<name>re)}; RE2's POSIX classes inside brackets ({@code
 * [[:alpha:]]}) become {@code \p{Alpha}} (Java would read them as a nested set of the letters).
 * Differences that remain: Java's {@code \p{...}} names and case folding of non-ASCII letters
 * differ in details from RE2's; such patterns are rare in label matchers.
 */
public final class Re2 {

  private Re2() {}

  /** Compiles {@code ^(?s:re)$} semantics: the whole value must match, {@code .} matches \n. */
  public static Pattern compileAnchored(String re) {
    String java = translate(re);
    try {
      return Pattern.compile("(?s:" + java + ")");
    } catch (PatternSyntaxException e) {
      // RE2's words for the common mistakes; it quotes the anchored pattern Prometheus compiles.
      String anchored = "`^(?s:" + re + ")$`";
      String description = e.getDescription();
      if (description.startsWith("Unclosed group")) {
        throw new IllegalArgumentException("error parsing regexp: missing closing ): " + anchored);
      }
      if (description.startsWith("Unmatched closing ')'")) {
        throw new IllegalArgumentException("error parsing regexp: unexpected ): " + anchored);
      }
      int open = unclosedClassStart(re);
      if (description.startsWith("Unclosed character class") && open >= 0) {
        throw new IllegalArgumentException(
            "error parsing regexp: missing closing ]: `" + re.substring(open) + ")$`");
      }
      if (description.startsWith("Dangling meta character '")) {
        char meta = description.charAt("Dangling meta character '".length());
        throw new IllegalArgumentException(
            "error parsing regexp: missing argument to repetition operator: `" + meta + "`");
      }
      throw new IllegalArgumentException("error parsing regexp: " + description + ": `" + re + "`");
    }
  }

  /** Where the character class that is never closed starts, or -1. */
  private static int unclosedClassStart(String re) {
    int start = -1;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (start < 0 && c == '[') {
        start = i;
        if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
          i++;
        }
        if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
          i++;
        }
      } else if (start >= 0 && c == ']') {
        start = -1;
      }
    }
    return start;
  }

  /** Whether {@code re} at {@code i} (a '{') starts a repetition {n}, {n,} or {n,m}. */
  private static boolean repetitionAt(String re, int i) {
    int j = i + 1;
    int digits = 0;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
      digits++;
    }
    if (digits == 0 || j >= re.length()) {
      return false;
    }
    if (re.charAt(j) == '}') {
      return true;
    }
    if (re.charAt(j) != ',') {
      return false;
    }
    j++;
    while (j < re.length() && Character.isDigit(re.charAt(j))) {
      j++;
    }
    return j < re.length() && re.charAt(j) == '}';
  }

  private static IllegalArgumentException unsupported(String what) {
    return new IllegalArgumentException(
        "error parsing regexp: invalid or unsupported Perl syntax: `" + what + "`");
  }

  static String translate(String re) {
    StringBuilder out = new StringBuilder(re.length() + 8);
    boolean inClass = false;
    int i = 0;
    int n = re.length();
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 >= n) {
          throw new IllegalArgumentException(
              "error parsing regexp: trailing backslash at end of expression: ``");
        }
        char d = re.charAt(i + 1);
        if (!inClass && d >= '1' && d <= '9') {
          throw new IllegalArgumentException(
              "error parsing regexp: invalid escape sequence: `\\" + d + "`");
        }
        if (d == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          String lit = end < 0 ? re.substring(i + 2) : re.substring(i + 2, end);
          out.append(Pattern.quote(lit));
          i = end < 0 ? n : end + 2;
          continue;
        }
        out.append(c).append(d);
        i += 2;
        continue;
      }
      if (inClass) {
        if (c == '[' && i + 1 < n && re.charAt(i + 1) == ':') {
          int end = re.indexOf(":]", i + 2);
          if (end > 0) {
            String name = re.substring(i + 2, end);
            boolean negated = name.startsWith("^");
            String cls = posixClass(negated ? name.substring(1) : name);
            if (cls == null) {
              throw new IllegalArgumentException(
                  "error parsing regexp: invalid character class range: `"
                      + re.substring(i, end + 2)
                      + "`");
            }
            out.append(negated ? "[^" + cls + "]" : cls);
            i = end + 2;
            continue;
          }
        }
        if (c == '[') {
          // A literal '[' inside a class; Java would start a nested class.
          out.append("\\[");
          i++;
          continue;
        }
        if (c == '&' && i + 1 < n && re.charAt(i + 1) == '&') {
          // Java's class intersection; literal ampersands in RE2.
          out.append("\\&");
          i++;
          continue;
        }
        if (c == ']') {
          inClass = false;
        }
        out.append(c);
        i++;
        continue;
      }
      if (c == '[') {
        inClass = true;
        out.append(c);
        i++;
        if (i < n && re.charAt(i) == '^') {
          out.append('^');
          i++;
        }
        if (i < n && re.charAt(i) == ']') {
          // A ']' first in a class is a literal in RE2.
          out.append("\\]");
          i++;
        }
        continue;
      }
      if (c == '(' && i + 1 < n && re.charAt(i + 1) == '?') {
        String rest = re.substring(i + 2);
        if (rest.startsWith("P<")) {
          out.append("(?<");
          i += 4;
          continue;
        }
        if (rest.startsWith("=")
            || rest.startsWith("!")
            || rest.startsWith("<=")
            || rest.startsWith("<!")
            || rest.startsWith(">")) {
          throw unsupported(re.substring(i, Math.min(n, i + (rest.startsWith("<") ? 4 : 3))));
        }
        if (rest.startsWith("<")) {
          throw unsupported(re.substring(i, Math.min(n, i + 3)));
        }
      }
      if (c == '{' && !repetitionAt(re, i)) {
        // RE2 reads a brace that does not start a repetition as a literal; Java rejects it.
        out.append("\\{");
        i++;
        continue;
      }
      if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n && re.charAt(i + 1) == '+') {
        throw new IllegalArgumentException(
            "error parsing regexp: invalid nested repetition operator: `"
                + re.substring(i, i + 2)
                + "`");
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static String posixClass(String name) {
    return switch (name) {
      case "alnum" -> "\\p{Alnum}";
      case "alpha" -> "\\p{Alpha}";
      case "ascii" -> "\\p{ASCII}";
      case "blank" -> "\\p{Blank}";
      case "cntrl" -> "\\p{Cntrl}";
      case "digit" -> "\\p{Digit}";
      case "graph" -> "\\p{Graph}";
      case "lower" -> "\\p{Lower}";
      case "print" -> "\\p{Print}";
      case "punct" -> "\\p{Punct}";
      case "space" -> "\\p{Space}";
      case "upper" -> "\\p{Upper}";
      case "word" -> "\\w";
      case "xdigit" -> "\\p{XDigit}";
      default -> null;
    };
  }
}
